"""Faults (issue 7): a crash, a full disk, a provider that is down, slow
clients and a stop under load must never lose a message that was
acknowledged, and must never take the daemon down.

Every test is bounded (well under 60 s) and uses loopback only.

The full disk is a small tmpfs mounted for the test (we run as root, so
file modes would not stop a write).  Where mounting is not permitted, the
test falls back to the daemon's file-size limit (RLIMIT_FSIZE, set with
prlimit on the running daemon, SIGXFSZ ignored): the database cannot grow,
which is what a full disk means to SQLite.  SAMPARK_TEST_NO_MOUNT=1 forces
the fallback.
"""
import errno
import http.client
import json
import os
import resource
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

from harness import BIN, Daemon, sqlite_only
from mockprovider import MockProvider, _Handler, _Server
from outboundlib import db_query, provider_daemon, send

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def number(i):
    return "+9197%08d" % i


def post_console(port, sender, body, msg_id, timeout=10.0):
    """One webhook on its own connection: the status, or None when the
    connection failed (refused, reset, no answer)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("POST", "/sms/console", urllib.parse.urlencode(
            [("From", sender), ("Body", body), ("MessageId", msg_id)]), FORM)
        r = c.getresponse()
        r.read()
        return r.status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        c.close()


class Burst:
    """Threads firing console webhooks with unique ids and senders until
    stopped or the daemon stops answering; remembers every answer."""

    def __init__(self, port, threads=8, prefix="b", body="loan bhadohi"):
        self.port = port
        self.prefix = prefix
        self.body = body
        self.lock = threading.Lock()
        self.answers = {}           # msg id -> status (None: no answer)
        self.stop = threading.Event()
        self.count = 0
        self.threads = [threading.Thread(target=self._run, args=(t,),
                                         daemon=True)
                        for t in range(threads)]

    def _run(self, t):
        i = 0
        failures = 0
        while not self.stop.is_set() and failures < 20:
            msg_id = "%s-%d-%d" % (self.prefix, t, i)
            status = post_console(self.port, number(t * 100000 + i),
                                  self.body, msg_id, timeout=5)
            with self.lock:
                self.answers[msg_id] = status
                self.count += 1
            failures = failures + 1 if status is None else 0
            if status is None:
                time.sleep(0.01)
            i += 1

    def start(self):
        for th in self.threads:
            th.start()
        return self

    def wait_count(self, n, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.count >= n:
                    return
            time.sleep(0.01)
        raise AssertionError("only %d requests in %.0f s" % (self.count,
                                                              timeout))

    def join(self):
        self.stop.set()
        for th in self.threads:
            th.join(timeout=30)
            assert not th.is_alive(), "a burst thread is stuck"

    def ids(self, status):
        with self.lock:
            return {k for k, v in self.answers.items() if v == status}


def inbound_ids(d):
    return [r["provider_msg_id"] for r in d.export()
            if r["direction"] == "in"]


class KillDuringBurst(unittest.TestCase):
    def setUp(self):
        self.d = Daemon().start()

    def tearDown(self):
        self.d.stop()

    def test_kill_9_loses_no_acknowledged_message(self):
        burst = Burst(self.d.port).start()
        try:
            burst.wait_count(300, timeout=30)
            self.d.kill9()
        finally:
            burst.join()
        acked = burst.ids(200)
        self.assertGreater(len(acked), 100)
        self.d.start()
        stored = inbound_ids(self.d)
        self.assertEqual(len(stored), len(set(stored)), "stored twice")
        missing = acked - set(stored)
        self.assertEqual(missing, set(), "acknowledged but lost")
        # The provider retries what got no answer: accepted once, once.
        retry = sorted(set(burst.answers) - acked)[:20]
        for msg_id in retry:
            t, i = msg_id.split("-")[1:]
            self.assertEqual(post_console(self.d.port, number(
                int(t) * 100000 + int(i)), "loan bhadohi", msg_id), 200)
        stored = inbound_ids(self.d)
        self.assertEqual(len(stored), len(set(stored)))


@sqlite_only("the full disk is the one under the SQLite file")
class FullDisk(unittest.TestCase):
    """The database's disk fills up: webhooks get 503 (never a 200 for a
    message not stored), and all is well once space returns."""

    SIZE_MB = 6

    def setUp(self):
        self.d = Daemon()
        self.mnt = None
        self.filler = None
        self.fsize = False
        if os.environ.get("SAMPARK_TEST_NO_MOUNT") != "1":
            mnt = tempfile.mkdtemp(prefix="sampark-full-")
            r = subprocess.run(["mount", "-t", "tmpfs", "-o",
                                "size=%dm" % self.SIZE_MB, "tmpfs", mnt],
                               capture_output=True)
            if r.returncode == 0:
                self.mnt = mnt
            else:
                os.rmdir(mnt)
        if self.mnt is not None:
            for name in os.listdir(self.d.tmp):
                if name.startswith("sampark.db"):
                    shutil.copy(os.path.join(self.d.tmp, name), self.mnt)
            self.d.db = os.path.join(self.mnt, "sampark.db")
            self.d.start()
        else:
            self.fsize = True
            self.d.start(preexec_fn=lambda: signal.signal(
                signal.SIGXFSZ, signal.SIG_IGN))

    def tearDown(self):
        self.d.stop()
        if self.mnt is not None:
            subprocess.run(["umount", self.mnt], capture_output=True)
            os.rmdir(self.mnt)

    def fill(self):
        if self.fsize:
            size = max(os.path.getsize(p) for p in (
                self.d.db, self.d.db + "-wal") if os.path.exists(p))
            # Only the soft limit: raising it again needs no privilege.
            hard = resource.prlimit(self.d.proc.pid,
                                    resource.RLIMIT_FSIZE)[1]
            resource.prlimit(self.d.proc.pid, resource.RLIMIT_FSIZE,
                             (size, hard))
            return
        self.filler = os.path.join(self.mnt, "filler")
        # Unbuffered: a buffered file would try the failed bytes again
        # when closed, and fail there.
        with open(self.filler, "wb", buffering=0) as f:
            chunk = b"\0" * 65536
            try:
                while True:
                    f.write(chunk)
            except OSError as e:
                self.assertEqual(e.errno, errno.ENOSPC)
        # Byte by byte into the last partial block.
        with open(self.filler, "ab", buffering=0) as f:
            try:
                while True:
                    f.write(b"\0" * 512)
            except OSError:
                pass

    def free(self):
        if self.fsize:
            hard = resource.prlimit(self.d.proc.pid,
                                    resource.RLIMIT_FSIZE)[1]
            resource.prlimit(self.d.proc.pid, resource.RLIMIT_FSIZE,
                             (hard, hard))
        else:
            os.unlink(self.filler)

    def test_full_disk_is_503_then_recovers(self):
        body = "loan bhadohi " + "x" * 600
        port = self.d.port
        self.assertEqual(post_console(port, number(1), body, "before"), 200)
        self.fill()
        answers = {}
        for i in range(400):
            msg_id = "full-%d" % i
            answers[msg_id] = post_console(port, number(1000 + i), body,
                                           msg_id)
            self.assertIn(answers[msg_id], (200, 503), msg_id)
            if list(answers.values())[-5:] == [503] * 5:
                break
        refused = [k for k, v in answers.items() if v == 503]
        self.assertTrue(refused, "the disk never filled up")
        self.assertEqual(self.d.proc.poll(), None, "the daemon died")
        self.free()
        # The provider retries what got 503; now each is stored.
        for msg_id in refused:
            i = int(msg_id.split("-")[1])
            deadline = time.monotonic() + 10
            while True:
                status = post_console(port, number(1000 + i), body, msg_id)
                if status == 200 or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
            self.assertEqual(status, 200, msg_id)
            answers[msg_id] = 200
        self.assertEqual(self.d.request("GET", "/healthz")[0], 200)
        stored = inbound_ids(self.d)
        self.assertEqual(len(stored), len(set(stored)))
        self.assertEqual(set(answers) - set(stored), set())
        self.assertIn(b"answer=503", self.d.read_log())

    def test_retries_refused_with_503_are_not_repeats(self):
        """Abuse counters and sms_in lines follow only what committed:
        a provider retrying a message that got 503 is not a sender
        repeating herself (loop_repeats is 4), and the log does not say
        replies=1 for an answer that was a 503."""
        sender, masked = "+919876500077", b"from=*********0077"
        body = "loan bhadohi " + "y" * 600
        port = self.d.port
        self.fill()
        # Other senders until the store refuses every write.
        last = []
        for i in range(400):
            last.append(post_console(port, number(5000 + i), body,
                                     "fill-%d" % i))
            if last[-5:] == [503] * 5:
                break
        self.assertEqual(last[-5:], [503] * 5, "the disk never filled up")
        # Her message, and the provider's retries of it: all 503.
        for attempt in range(6):
            status, _ = self.d.console(sender, "loan bhadohi", "hers-1")
            self.assertEqual(status, 503, attempt)
        self.free()
        status, reply = self.d.console(sender, "loan bhadohi", "hers-1")
        self.assertEqual(status, 200)
        self.assertIn("Bhadohi", reply, "the retry got no answer")
        status, reply = self.d.console(sender, "help", "hers-2")
        self.assertEqual(status, 200)
        self.assertTrue(reply, "muted after the store recovered")
        log = self.d.read_log()
        lines = [ln for ln in log.splitlines()
                 if b"event=sms_in" in ln and masked in ln]
        self.assertEqual(len(lines), 2, lines)
        self.assertTrue(all(b"limited=" not in ln for ln in lines), lines)
        self.assertNotIn(b"abuse_limited reason=loop", log)

    def test_first_export_works_on_a_full_disk(self):
        # The database was made (by the harness's import) and has been
        # written to, but nobody has exported yet.
        port = self.d.port
        self.assertEqual(post_console(port, number(1), "loan bhadohi",
                                      "before-export"), 200)
        self.fill()
        preexec = None
        if self.fsize:
            limit = max(os.path.getsize(p) for p in (
                self.d.db, self.d.db + "-wal") if os.path.exists(p))
            preexec = lambda: (signal.signal(signal.SIGXFSZ,
                                             signal.SIG_IGN),
                               resource.setrlimit(resource.RLIMIT_FSIZE,
                                                  (limit, limit)))
        r = subprocess.run([BIN, "export", "-c", self.d.conf,
                            "--db", self.d.db],
                           capture_output=True, env=self.d.env,
                           cwd=self.d.tmp, timeout=30,
                           preexec_fn=preexec)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn(b"pseudonym key", r.stderr)
        lines = r.stdout.decode().splitlines()
        self.assertTrue(lines)
        self.free()
        # The key was the database's, not one the export made up: the
        # same women have the same pseudonyms once the disk has room.
        again = self.d.export()
        self.assertEqual([json.loads(x)["contact"] for x in lines],
                         [x["contact"] for x in again[:len(lines)]])


class ProviderDown(unittest.TestCase):
    """The provider's API refuses connections, then answers 503, then
    comes back: every message is sent, once.  Retry settings make the
    minutes of a real outage seconds here."""

    N = 20

    def setUp(self):
        self.mock = MockProvider().start()
        self.port = self.mock.port
        self.mock.stop()            # nothing listens: connection refused
        self.d = provider_daemon(
            "twilio", self.mock,
            settings={"max_inflight": "4"},
            globals_={"retry_base_ms": "100", "retry_max_ms": "400",
                      "send_attempts": "100", "outbox_poll_ms": "50"})

    def tearDown(self):
        self.d.stop()
        self.mock.stop()

    def restart_mock(self):
        """Serve again on the same port (the daemon's api_base)."""
        m = self.mock
        m._stopping.clear()
        m._server = _Server(("127.0.0.1", self.port), _Handler)
        m._server.mock = m
        m._thread = threading.Thread(target=m._server.serve_forever,
                                     kwargs={"poll_interval": 0.05},
                                     daemon=True)
        m._thread.start()

    def states(self):
        return dict(db_query(self.d, "SELECT state, count(*) FROM outbox"
                                     " GROUP BY state"))

    def test_outage_delays_but_loses_nothing(self):
        numbers = ["+9198%08d" % i for i in range(self.N)]
        for n in numbers:
            send(self.d, "outage test", to=n)
        self.d.start()
        time.sleep(2)               # refused, again and again
        self.assertEqual(self.states().get("sent", 0), 0)
        for _ in range(2000):
            self.mock.push("twilio", 503, headers={"Retry-After": "0"})
        self.restart_mock()
        time.sleep(2)               # up, but failing
        self.assertGreater(self.mock.count(), 0)
        self.assertEqual(self.mock.count(accepted=True), 0)
        self.mock.clear()           # back to normal
        deadline = time.monotonic() + 30
        while self.states() != {"sent": self.N}:
            self.assertLess(time.monotonic(), deadline, self.states())
            time.sleep(0.1)
        accepted = self.mock.counts(accepted=True)
        self.assertEqual(sorted(accepted), sorted(numbers))
        self.assertTrue(all(v == 1 for v in accepted.values()), accepted)
        attempts = db_query(self.d, "SELECT min(attempts) FROM outbox")
        self.assertGreater(attempts[0][0], 2)


class SlowClients(unittest.TestCase):
    """Slowloris: connections that trickle their headers a byte at a time
    are closed request_timeout after they start, and more of them than
    the daemon has descriptors neither crash it nor lock it up."""

    TIMEOUT = 2
    NOFILE = 128
    CAP = (NOFILE - 64) // 2        # http.c: max_connections()

    def setUp(self):
        self.d = Daemon(extra_args=["--set", "request_timeout=%d" %
                                    self.TIMEOUT])
        limit = self.NOFILE
        self.d.start(preexec_fn=lambda: resource.setrlimit(
            resource.RLIMIT_NOFILE, (limit, limit)))
        self.socks = []

    def tearDown(self):
        for s in self.socks:
            s.close()
        self.d.stop()

    def open_slow(self, n):
        for _ in range(n):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", self.d.port))
            self.socks.append(s)

    def trickle(self, until, start):
        """Send one byte per connection every 0.25 s until each is closed
        by the daemon or until passes; {socket: seconds it lived}."""
        header = b"POST /sms/console HTTP/1.1\r\nHost: x\r\nX-Slow: " + \
            b"a" * 4000
        sent = {s: 0 for s in self.socks}
        closed = {}
        while time.monotonic() < until and len(closed) < len(self.socks):
            for s in self.socks:
                if s in closed:
                    continue
                try:
                    r, _, _ = select.select([s], [], [], 0)
                    if r and s.recv(100) == b"":
                        raise ConnectionResetError
                    s.send(header[sent[s]:sent[s] + 1])
                    sent[s] += 1
                except BlockingIOError:
                    pass
                except OSError:
                    closed[s] = time.monotonic() - start
            time.sleep(0.25)
        return closed

    def test_a_trickling_client_is_cut_off(self):
        start = time.monotonic()
        self.open_slow(3)
        closed = self.trickle(start + 10, start)
        self.assertEqual(len(closed), 3, "still held after 10 s")
        for lived in closed.values():
            self.assertLess(lived, self.TIMEOUT + 1.5)
        self.assertEqual(self.d.request("GET", "/healthz")[0], 200)

    def test_more_slow_clients_than_descriptors(self):
        start = time.monotonic()
        self.open_slow(self.NOFILE + 40)
        # While they trickle, an honest request still gets through: it
        # waits in the backlog behind them, CAP connections being cut off
        # every request_timeout.
        result = {}

        def honest():
            time.sleep(0.5)
            t0 = time.monotonic()
            result["status"] = post_console(self.d.port, number(7),
                                            "help", "honest-1",
                                            timeout=30)
            result["took"] = time.monotonic() - t0

        th = threading.Thread(target=honest)
        th.start()
        closed = self.trickle(start + 30, start)
        th.join(timeout=30)
        self.assertEqual(self.d.proc.poll(), None, "the daemon died")
        self.assertEqual(result.get("status"), 200, result)
        rounds = len(self.socks) // self.CAP + 2
        self.assertLess(result["took"], self.TIMEOUT * rounds)
        # Every slow connection was cut off, none lived past its turn.
        self.assertEqual(len(closed), len(self.socks))
        self.assertEqual(self.d.request("GET", "/healthz")[0], 200)
        self.assertEqual(post_console(self.d.port, number(8), "help",
                                      "after-1"), 200)
        self.assertIn(b"event=http_busy", self.d.read_log())


class StopUnderLoad(unittest.TestCase):
    def setUp(self):
        self.d = Daemon().start()

    def tearDown(self):
        self.d.stop()

    def test_sigterm_drains_cleanly(self):
        burst = Burst(self.d.port, prefix="t").start()
        try:
            burst.wait_count(200, timeout=30)
            self.d.signal(signal.SIGTERM)
            self.assertEqual(self.d.wait(timeout=20), 0)
        finally:
            burst.join()
        log = self.d.read_log()
        self.assertIn(b"event=stopped status=clean", log)
        self.assertNotIn(b"unanswered=", log)
        acked = burst.ids(200)
        self.assertGreater(len(acked), 100)
        # Answers other than 200 or none at all would be a bug.
        self.assertEqual({v for v in burst.answers.values()} - {200, None},
                         set())
        self.d.log.close()
        self.d.proc = None
        stored = set(inbound_ids(self.d))
        self.assertEqual(acked - stored, set(), "acknowledged but lost")


if __name__ == "__main__":
    unittest.main()
