"""A daemon on PostgreSQL through a failover: primary crashed, standby
promoted, the daemon going on over a new connection.

Run by the PostgreSQL integration run (SAMPARK_TEST_PG set, make
integration-pg) or on its own the same way.  It makes two clusters of its
own under build/ (tools/pg_cluster.sh): a primary that commits only once
its standby has the commit (synchronous replication: without it a commit
acknowledged by the old primary may be missing on the new one, and
"answered 200, hence stored" would not hold), and that standby, streaming
over the unix socket.  The daemon is given both in one multi-host URL with
target_session_attrs=read-write, as production would be.

While webhooks go on (one at a time, each bounded), the primary is
stopped at once (-m immediate) and the standby promoted.  Checked: the
webhooks of the switch are answered 503 (the provider retries), none
hangs; within RECOVER_S of the promotion they are answered 200 again;
every webhook answered 200 is stored on the new primary exactly once,
and so is every one answered 503 once retried; a message queued before
the switch and one queued after both reach the mock provider; /healthz
says 503 while the store is gone and 200 once it is back.
"""
import http.client
import os
import shutil
import subprocess
import threading
import time
import unittest
import urllib.parse

import outboundlib
from harness import ROOT, TWILIO_TOKEN, psql, twilio_signature
from mockprovider import MockProvider

PG_BASE = os.environ.get("SAMPARK_TEST_PG")
PG_BIN = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")
TOOL = os.path.join(ROOT, "tools", "pg_cluster.sh")
NEEDED = ("initdb", "pg_ctl", "pg_basebackup")
MISSING = [b for b in NEEDED if not os.path.exists(os.path.join(PG_BIN, b))]

BEFORE = 30             # webhooks answered 200 before the crash
DOWN_S = 1.5            # from the crash to the promotion
RECOVER_S = 10          # from the promotion to the first 200
AFTER = 30              # webhooks answered 200 after the recovery
REQUEST_S = 8           # no answer within this is a hang


def cluster(*args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    r = subprocess.run([TOOL] + list(args), capture_output=True,
                       timeout=180, cwd=ROOT, env=e)
    if r.returncode != 0:
        raise AssertionError("pg_cluster.sh %s: %s" % (
            " ".join(args), r.stderr.decode()))
    return r.stdout.decode().strip()


def params_of(i):
    return [("AccountSid", outboundlib.TWILIO_SID),
            ("ApiVersion", "2010-04-01"), ("Body", "loan bhadohi"),
            ("From", "+9170%08d" % (i % 50)),
            ("MessageSid", "SMf%031x" % i), ("NumMedia", "0"),
            ("NumSegments", "1"), ("SmsStatus", "received"),
            ("To", "+15005550006")]


def queue_message(uri, to):
    now = int(time.time() * 1000)
    psql(uri, "BEGIN;"
         " WITH m AS (INSERT INTO outbox (provider, to_phone, body,"
         " encoding, segments, state, created_ms, next_attempt_ms,"
         " updated_ms) VALUES ('twilio', '%s', 'Kaleen mela shanivar',"
         " 'GSM-7', 1, 'queued', %d, %d, %d) RETURNING id)"
         " INSERT INTO outbox_events (outbox_id, time_ms, to_state)"
         " SELECT id, %d, 'queued' FROM m; COMMIT" % (to, now, now, now,
                                                     now))


@unittest.skipIf(PG_BASE is None, "PostgreSQL only: SAMPARK_TEST_PG is not "
                 "set (make integration-pg)")
@unittest.skipIf(MISSING, "no PostgreSQL server binaries in %s (%s): make "
                 "deps installs postgresql-15" % (PG_BIN, ", ".join(MISSING)))
class Failover(unittest.TestCase):
    def setUp(self):
        base = os.path.join(ROOT, "build", "pg-failover-%d" % os.getpid())
        self.primary = os.path.join(base, "primary")
        self.standby = os.path.join(base, "standby")
        self.base = base
        self.daemon = None
        self.mock = MockProvider().start()
        self.primary_uri = cluster("start", self.primary,
                                   env={"PG_CLUSTER_PRIMARY": "1"})
        self.standby_uri = cluster("standby", self.primary, self.standby)

    def tearDown(self):
        if self.daemon is not None:
            self.daemon.stop()
        self.mock.stop()
        for d in (self.standby, self.primary):
            try:
                cluster("stop", d)
            except (AssertionError, subprocess.TimeoutExpired):
                pass
        shutil.rmtree(self.base, ignore_errors=True)

    def wait_sync(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            rows = psql(self.primary_uri, "SELECT sync_state"
                        " FROM pg_stat_replication")
            if rows and rows[0][0] == "sync":
                return
            time.sleep(0.1)
        self.fail("the standby never became synchronous")

    def reached(self, to, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.mock.count(to=to) > 0:
                return True
            time.sleep(0.05)
        return False

    def test_promoted_standby_takes_over(self):
        self.wait_sync()
        url = ("postgresql:///postgres?host=%s,%s&user=sampark"
               "&target_session_attrs=read-write" % (self.primary,
                                                    self.standby))
        d = outboundlib.provider_daemon("twilio", self.mock,
                                        import_directory=False)
        d.db = url
        self.daemon = d
        d.start(timeout=30)

        results = []            # (i, status, monotonic time of answer)
        stop = threading.Event()
        lock = threading.Lock()
        health = []             # (monotonic time, status)

        def drive():
            conn = None
            i = 0
            while not stop.is_set() and i < 5000:
                p = params_of(i)
                body = urllib.parse.urlencode(p)
                headers = {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-Twilio-Signature": twilio_signature(
                        TWILIO_TOKEN, "https://gw.example.in/sms/twilio", p)}
                t0 = time.monotonic()
                try:
                    if conn is None:
                        conn = http.client.HTTPConnection(
                            "127.0.0.1", d.port, timeout=REQUEST_S)
                    conn.request("POST", "/sms/twilio", body, headers)
                    r = conn.getresponse()
                    r.read()
                    status = r.status
                except (OSError, http.client.HTTPException):
                    status = 0
                    if conn is not None:
                        conn.close()
                    conn = None
                with lock:
                    results.append((i, status, t0, time.monotonic()))
                i += 1
                if status != 200:
                    time.sleep(0.05)
            if conn is not None:
                conn.close()

        def ok_count(since=0.0):
            with lock:
                return sum(1 for _, s, _, t in results
                           if s == 200 and t >= since)

        # A message queued before the switch goes out.
        queue_message(self.primary_uri, "+919800000001")
        self.assertTrue(self.reached("+919800000001"),
                        "the message queued before the switch never left")

        t = threading.Thread(target=drive, daemon=True)
        t.start()
        deadline = time.monotonic() + 60
        while ok_count() < BEFORE and time.monotonic() < deadline:
            time.sleep(0.02)
        self.assertGreaterEqual(ok_count(), BEFORE)

        t_crash = time.monotonic()      # the crash takes a moment
        cluster("crash", self.primary)
        time.sleep(DOWN_S / 2)
        health.append((time.monotonic(), d.request("GET", "/healthz")[0]))
        time.sleep(DOWN_S / 2)
        cluster("promote", self.standby)
        t_promote = time.monotonic()

        deadline = t_promote + RECOVER_S
        while ok_count(t_promote) == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        t_back = time.monotonic()
        self.assertGreater(ok_count(t_promote), 0,
                           "no webhook answered 200 within %d s of the "
                           "promotion" % RECOVER_S)
        deadline = time.monotonic() + 60
        while ok_count(t_back) < AFTER and time.monotonic() < deadline:
            time.sleep(0.02)
        stop.set()
        t.join(timeout=REQUEST_S + 5)
        self.assertFalse(t.is_alive())
        health.append((time.monotonic(), d.request("GET", "/healthz")[0]))

        # A message queued after the switch goes out too.
        queue_message(self.standby_uri, "+919800000002")
        self.assertTrue(self.reached("+919800000002"),
                        "the message queued after the switch never left")

        statuses = [s for _, s, _, _ in results]
        early = [(i, s) for i, s, _, t1 in results
                 if t1 < t_crash and s != 200]
        during = [s for _, s, _, t1 in results if t1 >= t_crash and
                  s != 200]
        slowest = max(t1 - t0 for _, _, t0, t1 in results)
        print("\nfailover: %d webhooks, %d answered 200, %d answered 503 "
              "(all after the crash: %s); first 200 %.2f s after the "
              "promotion; slowest answer %.2f s; healthz %s" % (
                  len(results), statuses.count(200), statuses.count(503),
                  len(during) == statuses.count(503),
                  t_back - t_promote, slowest, [h for _, h in health]))
        self.assertEqual(early, [], "refused before the crash")
        self.assertEqual(sorted(set(statuses) - {200, 503}), [],
                         "answers other than 200 and 503 (0: no answer "
                         "within %d s)" % REQUEST_S)
        self.assertGreater(statuses.count(503), 0,
                           "no webhook answered 503 during the switch")
        self.assertEqual(health[0][1], 503, "healthz while the store "
                         "was gone")
        self.assertEqual(health[-1][1], 200, "healthz once it was back")

        # The provider retries what got 503: each is then stored too.
        refused = sorted(set(i for i, s, _, _ in results if s != 200))
        for i in refused:
            p = params_of(i)
            status, _, _ = d.twilio(p)
            self.assertEqual(status, 200, "retry of %d after recovery" % i)

        stored = dict((sid, int(n)) for sid, n in psql(
            self.standby_uri, "SELECT provider_msg_id, count(*)"
            " FROM interactions WHERE direction = 'in'"
            " AND provider = 'twilio' GROUP BY provider_msg_id"))
        answered = set(i for i, s, _, _ in results if s == 200)
        sids = ["SMf%031x" % i for i in sorted(answered | set(refused))]
        lost = [sid for sid in sids if stored.get(sid, 0) == 0]
        twice = dict((sid, n) for sid, n in stored.items() if n > 1)
        self.assertEqual(lost, [], "answered 200 but not on the new "
                         "primary")
        self.assertEqual(twice, {}, "stored more than once")
        log = d.read_log().decode("utf-8", "replace")
        self.assertIn("event=store_lost", log)
        self.assertIn("event=store_reconnected", log)


if __name__ == "__main__":
    unittest.main()
