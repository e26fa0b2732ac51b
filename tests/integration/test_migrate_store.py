"""sampark migrate-store: a coalition taken from its SQLite file while the
daemon runs on it, into an empty PostgreSQL database, which a daemon then
serves as it was: the same export and report, the counts printed per table, a
provider's retry of a message taken before the move still stored once.
A second copy into the now full database is refused.

The source is always an SQLite file.  The target is a fresh database on
the server of SAMPARK_TEST_PG when the suite runs on PostgreSQL, else on a
throwaway cluster of this test's own (tools/pg_cluster.sh under build/).
"""
import os
import sqlite3
import subprocess
import threading
import unittest

import harness
from harness import BIN, ROOT, Daemon

CLUSTER_DIR = os.path.join(ROOT, "build", "pg-it-migrate")


def psql(uri, sql):
    return subprocess.run(["psql", uri, "-qAtX", "-v", "ON_ERROR_STOP=1",
                           "-c", sql], check=True, capture_output=True,
                          timeout=60).stdout.decode().strip()


def with_db(uri, name):
    """uri (a server's) with its database replaced by name."""
    scheme, rest = uri.split("://", 1)
    cut = min([i for i in (rest.find("/"), rest.find("?")) if i != -1] +
              [len(rest)])
    query = rest[rest.find("?"):] if "?" in rest else ""
    return "%s://%s/%s%s" % (scheme, rest[:cut], name, query)


def sqlite_daemon():
    """A daemon on an SQLite file whatever backend the suite runs on."""
    d = Daemon(import_directory=False)
    if d.pg_name is not None:
        harness.pg_drop_db(d.pg_name)
        d.pg_name = None
    d.db = os.path.join(d.tmp, "sampark.db")
    r = d.cli("import", "stakeholders",
              os.path.join(d.tmp, "config", "stakeholders.csv"))
    assert r.returncode == 0, r.stderr
    return d


class MigrateStore(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.own_cluster = harness.PG_BASE is None
        if cls.own_cluster:
            r = subprocess.run([os.path.join(ROOT, "tools", "pg_cluster.sh"),
                                "start", CLUSTER_DIR], capture_output=True,
                               cwd=ROOT, timeout=180)
            if r.returncode != 0:
                raise AssertionError("no PostgreSQL cluster: " +
                                     r.stderr.decode())
            cls.server = r.stdout.decode().strip()
        else:
            cls.server = harness.PG_BASE
        cls.seq = 0

    @classmethod
    def tearDownClass(cls):
        if cls.own_cluster:
            subprocess.run([os.path.join(ROOT, "tools", "pg_cluster.sh"),
                            "stop", CLUSTER_DIR], capture_output=True,
                           cwd=ROOT, timeout=120)

    def setUp(self):
        MigrateStore.seq += 1
        self.name = "mig_%d_%d" % (os.getpid(), MigrateStore.seq)
        psql(self.server, 'CREATE DATABASE "%s"' % self.name)
        self.target = with_db(self.server, self.name)
        self.daemons = []

    def tearDown(self):
        for d in self.daemons:
            d.stop()
        psql(self.server, 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' %
             self.name)

    def migrate(self, source):
        return subprocess.run([BIN, "migrate-store", "--from",
                               "sqlite:" + source, "--to", self.target],
                              capture_output=True, timeout=120)

    def test_copy_while_the_daemon_runs_then_serve_it(self):
        d = sqlite_daemon()
        self.daemons.append(d)
        d.start()
        texts = ["loan chahiye bhadohi", "मुझे लोन चाहिए", "training kab hai",
                 "market mirzapur", "HELP", "kya haal hai didi"]
        for i in range(30):
            status, _ = d.console("+9198765%05d" % (i % 7),
                                  texts[i % len(texts)], "SMmig%04d" % i)
            self.assertEqual(status, 200)
        # Webhooks go on being answered while the copy reads.
        stop = threading.Event()
        during = []

        def keep_writing():
            i = 0
            while not stop.is_set() and i < 200:
                during.append(d.console("+9194150%05d" % i, "loan",
                                        "SMduring%04d" % i)[0])
                i += 1

        t = threading.Thread(target=keep_writing)
        t.start()
        try:
            r = self.migrate(d.db)
        finally:
            stop.set()
            t.join(timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertTrue(during and set(during) == {200}, during[:5])
        out = r.stdout.decode()
        rows = {}
        for line in out.splitlines()[1:]:
            parts = line.split()
            if len(parts) == 3 and parts[1].isdigit():
                rows[parts[0]] = (int(parts[1]), int(parts[2]))
        for table in ("meta", "contacts", "stakeholders", "interactions",
                      "outbox", "outbox_events", "broadcasts", "calls"):
            self.assertIn(table, rows, out)
            self.assertEqual(rows[table][0], rows[table][1], out)
        # At least what was answered before the copy began.
        self.assertGreaterEqual(rows["interactions"][0], 60, out)
        self.assertIn("every count matches", out)
        self.assertEqual(psql(self.target,
                              "SELECT count(*) FROM interactions"),
                         str(rows["interactions"][1]))

        # The copy is of one moment: stop the daemon (its files stay,
        # which d.stop() would remove), copy everything into a new
        # database, and both stores answer the same export.
        d.proc.terminate()
        d.proc.wait(timeout=10)
        d.log.close()
        d.proc = None
        psql(self.server, 'DROP DATABASE "%s" WITH (FORCE)' % self.name)
        psql(self.server, 'CREATE DATABASE "%s"' % self.name)
        r = self.migrate(d.db)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        con = sqlite3.connect(d.db)
        n = con.execute("SELECT count(*) FROM interactions").fetchone()[0]
        con.close()
        self.assertIn("interactions", r.stdout.decode())
        self.assertEqual(psql(self.target,
                              "SELECT count(*) FROM interactions"), str(n))
        source_export = d.export()
        source_report = d.cli("report")
        self.assertEqual(source_report.returncode, 0)
        d.db = self.target
        self.assertEqual(d.export(), source_export)
        self.assertEqual(d.cli("report").stdout, source_report.stdout)

        # A daemon on PostgreSQL: a retry of a message from before the
        # move is answered and not stored again; a new one gets the next
        # id.
        d.start()
        status, _ = d.console("+919876500003", "market mirzapur", "SMmig0003")
        self.assertEqual(status, 200)
        self.assertEqual(psql(self.target,
                              "SELECT count(*) FROM interactions"), str(n))
        status, _ = d.console("+919876500003", "loan bhadohi", "SMafter")
        self.assertEqual(status, 200)
        top = int(psql(self.target, "SELECT max(id) FROM interactions"))
        self.assertGreater(top, n)

    def test_a_target_with_data_is_refused(self):
        d = sqlite_daemon()
        self.daemons.append(d)
        d.start()
        self.assertEqual(d.console("+919876500001", "loan bhadohi",
                                   "SMone")[0], 200)
        self.assertEqual(self.migrate(d.db).returncode, 0)
        before = psql(self.target, "SELECT count(*) FROM interactions")
        self.assertEqual(d.console("+919876500002", "loan", "SMtwo")[0], 200)
        r = self.migrate(d.db)
        self.assertEqual(r.returncode, 1)
        self.assertIn("not empty", r.stderr.decode())
        self.assertEqual(r.stdout, b"")
        self.assertEqual(psql(self.target,
                              "SELECT count(*) FROM interactions"), before)

    def test_usage(self):
        r = subprocess.run([BIN, "migrate-store", "--from", "x.db"],
                           capture_output=True, timeout=30)
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"usage: sampark migrate-store", r.stderr)
        r = subprocess.run([BIN, "migrate-store", "--from",
                            "sqlite:/nonexistent/sampark.db", "--to",
                            self.target], capture_output=True, timeout=30)
        self.assertEqual(r.returncode, 1)
        self.assertIn(b"/nonexistent/sampark.db", r.stderr)


if __name__ == "__main__":
    unittest.main()
