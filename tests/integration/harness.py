"""Integration test harness: runs the real `sampark serve` on a loopback
port with a temporary database and configuration, and talks HTTP to it.

Everything started here is stopped by Daemon.stop() (also called from
tearDown), and every wait is bounded.
"""
import base64
import hashlib
import hmac
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(ROOT, os.environ.get("SAMPARK_BIN", "build/sampark"))
TWILIO_TOKEN = "test_token_for_integration"
# With SAMPARK_TEST_PG set to a PostgreSQL URI (tools/pg_cluster.sh start
# prints one), every daemon gets a fresh database on that server instead
# of an SQLite file (make integration-pg).
PG_BASE = os.environ.get("SAMPARK_TEST_PG") or None
_pg_seq = [0]


def sqlite_only(reason="reads or writes the SQLite file itself"):
    """Skip a test (or class) when the suite runs on PostgreSQL."""
    import unittest
    return unittest.skipIf(PG_BASE is not None, "SQLite only: " + reason)


def _pg_uri(name):
    """PG_BASE with its database replaced by name."""
    scheme, rest = PG_BASE.split("://", 1)
    cut = len(rest)
    for ch in "/?":
        i = rest.find(ch)
        if i != -1:
            cut = min(cut, i)
    query = rest[cut:]
    query = query[query.find("?"):] if "?" in query else ""
    return "%s://%s/%s%s" % (scheme, rest[:cut], name, query)


def free_port():
    """A loopback port nothing listens on now (the kernel picks it)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def psql(uri, sql, timeout=120):
    """Rows of sql (lists of strings) on the PostgreSQL database at uri,
    through psql: no driver needed."""
    r = subprocess.run(["psql", "-X", "-At", "-F", "\t", "-v",
                        "ON_ERROR_STOP=1", uri, "-c", sql],
                       capture_output=True, timeout=timeout)
    if r.returncode != 0:
        raise AssertionError("psql: %s: %s" % (sql[:80], r.stderr.decode()))
    return [line.split("\t") for line in r.stdout.decode().splitlines()
            if line]


def _pg_exec(sql):
    psql(PG_BASE, sql, timeout=60)


def pg_fresh_db():
    """A new, empty database on the test server: (name, uri)."""
    _pg_seq[0] += 1
    name = "it_%d_%d" % (os.getpid(), _pg_seq[0])
    _pg_exec('CREATE DATABASE "%s"' % name)
    return name, _pg_uri(name)


def pg_drop_db(name):
    _pg_exec('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)


class _PgCursor:
    def __init__(self, cur):
        self.cur = cur

    def fetchall(self):
        return [tuple(r) for r in self.cur.fetchall()]

    def fetchone(self):
        r = self.cur.fetchone()
        return tuple(r) if r is not None else None

    def __iter__(self):
        return iter(self.fetchall())

    @property
    def rowcount(self):
        return self.cur.rowcount


class _PgConnection:
    """The part of sqlite3's connection the tests use, over psycopg2:
    "?" parameters, execute() returning a cursor, commit and close."""

    def __init__(self, uri):
        try:
            import psycopg2
        except ImportError:
            # Debian's python3-psycopg2 (make deps) is installed for the
            # system's Python; a python3 of another origin finds it there.
            import sys
            sys.path.append("/usr/lib/python3/dist-packages")
            import psycopg2
        self.conn = psycopg2.connect(uri)

    @staticmethod
    def _sql(sql):
        return sql.replace("%", "%%").replace("?", "%s")

    def execute(self, sql, args=()):
        cur = self.conn.cursor()
        cur.execute(self._sql(sql), tuple(args))
        return _PgCursor(cur)

    def executemany(self, sql, rows):
        # psycopg2's executemany is a round trip per row: seeding 150,000
        # contacts took half a minute of a test's time budget before the
        # daemon was even started.  execute_batch sends them in pages.
        from psycopg2.extras import execute_batch
        cur = self.conn.cursor()
        execute_batch(cur, self._sql(sql), [tuple(r) for r in rows],
                      page_size=1000)
        return _PgCursor(cur)

    def commit(self):
        self.conn.commit()

    def close(self):
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        if kind is None:
            self.conn.commit()
        else:
            self.conn.rollback()
        return False


def db_connect(db, read_only=False, timeout=5):
    """A connection of the test's own to a daemon's database: its SQLite
    file, or its PostgreSQL database when db is a URI."""
    import sqlite3
    if db.startswith("postgresql://") or db.startswith("postgres://"):
        return _PgConnection(db)
    if read_only:
        return sqlite3.connect("file:%s?mode=ro" % db, uri=True,
                               timeout=timeout)
    return sqlite3.connect(db, timeout=timeout)


def twilio_signature(token, url, params):
    s = url + "".join(k + v for k, v in sorted(params))
    mac = hmac.new(token.encode(), s.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(mac).decode()


class Daemon:
    """One sampark daemon with its own copy of config/ and prompts/."""

    def __init__(self, extra_args=(), env=None, import_directory=True):
        self.tmp = tempfile.mkdtemp(prefix="sampark-it-")
        shutil.copytree(os.path.join(ROOT, "config"),
                        os.path.join(self.tmp, "config"))
        shutil.copytree(os.path.join(ROOT, "prompts"),
                        os.path.join(self.tmp, "prompts"))
        self.conf = os.path.join(self.tmp, "config", "sampark.conf")
        self.db = os.path.join(self.tmp, "sampark.db")
        self.pg_name = None
        if PG_BASE is not None:
            self.pg_name, self.db = pg_fresh_db()
        self.log_path = os.path.join(self.tmp, "daemon.log")
        self.env = dict(os.environ)
        self.env["SAMPARK_TWILIO_AUTH_TOKEN"] = TWILIO_TOKEN
        self.env.pop("SAMPARK_PSEUDONYM_KEY", None)
        if env:
            self.env.update(env)
        self.extra_args = list(extra_args)
        self.proc = None
        self.port = None
        if import_directory:
            r = self.cli("import", "stakeholders",
                         os.path.join(self.tmp, "config", "stakeholders.csv"))
            assert r.returncode == 0, r.stderr

    # ---- process control ----

    def start(self, timeout=10.0, preexec_fn=None):
        """Start the daemon; preexec_fn runs in the child before exec
        (e.g. to lower a resource limit)."""
        # After a restart the log holds the old "listening" line too: only
        # what this run writes counts.
        mark = os.path.getsize(self.log_path) if os.path.exists(
            self.log_path) else 0
        self.log = open(self.log_path, "ab")
        args = [BIN, "serve", "-c", self.conf, "--listen", "127.0.0.1:0",
                "--db", self.db,
                "--set", "public_url=https://gw.example.in",
                "--set", "admin_listen=127.0.0.1:0",
                # A script answers faster than any person types: without
                # this the fast-answer check (abuse.h) would take every
                # test for a machine.  Tests of that check turn it on.
                "--set", "loop_fast_strikes=0",
                # The sample configuration leaves Twilio off until it is
                # configured; the tests sign its webhooks with their token.
                "--set", "twilio.enabled=yes"] + self.extra_args
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=self.log,
                                     env=self.env, cwd=self.tmp,
                                     preexec_fn=preexec_fn)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = re.search(rb"event=listening .*port=(\d+)",
                          self.read_log()[mark:])
            if m:
                self.port = int(m.group(1))
                a = re.search(rb"event=admin_listening .*port=(\d+)",
                              self.read_log()[mark:])
                self.admin_port = int(a.group(1)) if a else None
                return self
            if self.proc.poll() is not None:
                raise AssertionError("daemon exited %d:\n%s" % (
                    self.proc.returncode, self.read_log().decode()))
            time.sleep(0.02)
        raise AssertionError("daemon did not start:\n" +
                             self.read_log().decode())

    def read_log(self):
        with open(self.log_path, "rb") as f:
            return f.read()

    def signal(self, sig):
        self.proc.send_signal(sig)

    def wait(self, timeout=10.0):
        return self.proc.wait(timeout=timeout)

    def kill9(self):
        """SIGKILL the daemon (a crash) and reap it; start() may follow."""
        self.proc.kill()
        self.proc.wait(timeout=10)
        self.log.close()
        self.proc = None

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        if self.proc is not None:
            self.log.close()
        self.proc = None
        shutil.rmtree(self.tmp, ignore_errors=True)
        if self.pg_name is not None:
            pg_drop_db(self.pg_name)
            self.pg_name = None

    # ---- the command line ----

    def cli(self, *args, env=None):
        e = dict(self.env)
        if env:
            e.update(env)
        return subprocess.run([BIN] + list(args) + ["-c", self.conf,
                              "--db", self.db], capture_output=True,
                              env=e, cwd=self.tmp, timeout=30)

    def export(self, *args, env=None):
        import json
        r = self.cli("export", "--format", "jsonl", *args, env=env)
        assert r.returncode == 0, r.stderr
        return [json.loads(line) for line in r.stdout.decode().splitlines()]

    # ---- HTTP ----

    def request(self, method, path, body=None, headers=None, timeout=10.0):
        c = http.client.HTTPConnection("127.0.0.1", self.port,
                                       timeout=timeout)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, r.getheader("Content-Type"), r.read()
        finally:
            c.close()

    def admin(self, method, path, token=None, body=None, headers=None,
              timeout=10.0):
        """A request to the admin listener; returns (status, headers, body)."""
        h = dict(headers or {})
        if token is not None:
            h["Authorization"] = "Bearer " + token
        c = http.client.HTTPConnection("127.0.0.1", self.admin_port,
                                       timeout=timeout)
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        finally:
            c.close()

    def console(self, sender, body, msg_id=None):
        fields = [("From", sender), ("Body", body)]
        if msg_id is not None:
            fields.append(("MessageId", msg_id))
        status, ctype, data = self.request(
            "POST", "/sms/console", urllib.parse.urlencode(fields),
            {"Content-Type": "application/x-www-form-urlencoded"})
        return status, data.decode("utf-8", "replace")

    def twilio(self, params, token=TWILIO_TOKEN, path="/sms/twilio",
               signature=None):
        body = urllib.parse.urlencode(params)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if signature is None and token is not None:
            signature = twilio_signature(
                token, "https://gw.example.in" + path, params)
        if signature is not None:
            headers["X-Twilio-Signature"] = signature
        status, ctype, data = self.request("POST", path, body, headers)
        return status, ctype, data.decode("utf-8", "replace")
