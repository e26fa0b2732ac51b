"""Three `sampark serve` on one PostgreSQL database behind haproxy.

Run by the PostgreSQL integration run only (SAMPARK_TEST_PG names a
throwaway cluster, tools/with-pg.sh): everything is on loopback, and
everything started here is stopped at the end, the database dropped.

haproxy rather than nginx: its open-source build checks its servers
actively (a killed daemon is out of the rotation within a second, as in
production) and says which server answered (X-Served-By), so that a
provider's retry can be sent to another instance on purpose.

The run: 20,000 signed Twilio webhooks from 2,000 people through the
balancer, a tenth of them sent again straight to another instance (a
provider's retry that lands elsewhere), while 10,000 queued messages go
out to the mock provider at a configured rate of RATE a second; one
daemon is SIGKILLed in the middle of both.  Checked: every webhook
answered 200 is stored exactly once and a retry gets the same reply;
every message reached the mock, twice at most for what the killed daemon
had in flight (max_inflight); no second of the mock's clock saw more than
RATE messages.  SAMPARK_MI_INBOUND and SAMPARK_MI_OUTBOUND scale the
counts down for a quick look.
"""
import collections
import http.client
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

import outboundlib
from harness import (TWILIO_TOKEN, free_port, pg_drop_db, pg_fresh_db, psql,
                     twilio_signature)
from mockprovider import MockProvider

PG_BASE = os.environ.get("SAMPARK_TEST_PG")
HAPROXY = shutil.which("haproxy") or (
    "/usr/sbin/haproxy" if os.path.exists("/usr/sbin/haproxy") else None)

N_IN = int(os.environ.get("SAMPARK_MI_INBOUND", "20000"))
N_OUT = int(os.environ.get("SAMPARK_MI_OUTBOUND", "10000"))
RETRY_SHARE = 0.1
RATE = 100              # twilio.rate, messages a second, for all daemons
INFLIGHT = 8            # twilio.max_inflight, per daemon
LEASE = 15              # sending_lease_s
ANSWER_S = 0.05         # the mock provider's time to answer
SENDERS = 2000
CLIENTS = 8             # the provider's connections to the balancer

TEXTS = ["लोन भदोही", "loan chahiye bhadohi", "madad", "help",
         "kaleen mela kab hai", "सिलाई ट्रेनिंग मिर्ज़ापुर", "HINDI",
         "bank loan mirzapur", "yojana", "mudra loan kaise milega",
         "Loan  Bhadohi ", "haan", "stop"]


class TimedMock(MockProvider):
    """The mock provider, with each request's arrival time, answering
    after ANSWER_S as a real API does (so that a daemon killed at any
    moment has requests in flight)."""

    def _next_response(self, req):
        r = super()._next_response(req)
        if r.delay == 0:
            r.delay = ANSWER_S
        return r

    def _record(self, req):
        req.at = time.monotonic()
        super()._record(req)


class Haproxy:
    def __init__(self, servers):
        self.tmp = tempfile.mkdtemp(prefix="sampark-haproxy-")
        self.port = free_port()
        lines = [
            "global", "  maxconn 2000",
            "defaults", "  mode http",
            "  timeout connect 2s", "  timeout client 30s",
            "  timeout server 30s",
            # Only a connection that never reached a daemon is tried on
            # another: a request that did may have been stored.
            "  retries 2", "  option redispatch", "  retry-on conn-failure",
            "frontend webhooks",
            "  bind 127.0.0.1:%d" % self.port,
            "  default_backend sampark",
            "backend sampark", "  balance roundrobin",
            "  option httpchk GET /healthz",
            "  http-response set-header X-Served-By %s",
        ]
        for name, port in servers:
            lines.append("  server %s 127.0.0.1:%d check inter 300ms "
                         "fall 2 rise 2" % (name, port))
        self.conf = os.path.join(self.tmp, "haproxy.cfg")
        with open(self.conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.log = open(os.path.join(self.tmp, "haproxy.log"), "wb")
        self.proc = subprocess.Popen([HAPROXY, "-db", "-f", self.conf],
                                     stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
        self.stop()
        raise AssertionError("haproxy did not start")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.proc = None
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def webhook(conn, path, params):
    """POST a signed Twilio webhook on conn: (status, served_by, body);
    status 0 when the connection failed."""
    body = urllib.parse.urlencode(params)
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "X-Twilio-Signature": twilio_signature(
                   TWILIO_TOKEN, "https://gw.example.in" + path, params)}
    try:
        conn.request("POST", path, body, headers)
        r = conn.getresponse()
        return r.status, r.getheader("X-Served-By"), r.read()
    except (OSError, http.client.HTTPException):
        conn.close()
        return 0, None, b""


def params_of(i):
    rnd = random.Random(i)
    return [("AccountSid", outboundlib.TWILIO_SID),
            ("ApiVersion", "2010-04-01"),
            ("Body", rnd.choice(TEXTS)),
            ("From", "+9170%08d" % (i % SENDERS)),
            ("MessageSid", "SM%032x" % i), ("NumMedia", "0"),
            ("NumSegments", "1"), ("SmsStatus", "received"),
            ("To", "+15005550006"), ("ToCity", "")]


@unittest.skipIf(PG_BASE is None, "PostgreSQL only (make integration-pg)")
@unittest.skipIf(HAPROXY is None, "no haproxy (make deps installs it)")
class MultiInstance(unittest.TestCase):
    def setUp(self):
        self.dbname, self.uri = pg_fresh_db()
        self.mock = TimedMock().start()
        self.daemons = []
        self.lb = None

    def tearDown(self):
        if self.lb is not None:
            self.lb.stop()
        for d in self.daemons:
            d.stop()
        self.mock.stop()
        pg_drop_db(self.dbname)

    def daemon(self):
        d = outboundlib.provider_daemon(
            "twilio", self.mock,
            settings={"rate": str(RATE), "max_inflight": str(INFLIGHT)},
            globals_={"sending_lease_s": str(LEASE), "send_timeout": "5"},
            import_directory=False)
        d.db = self.uri
        self.daemons.append(d)
        return d

    def queue_outbound(self):
        now = int(time.time() * 1000)
        psql(self.uri, "BEGIN;"
             " INSERT INTO outbox (provider, to_phone, body, encoding,"
             " segments, state, created_ms, next_attempt_ms, updated_ms)"
             " SELECT 'twilio', '+9198' || lpad(i::text, 8, '0'),"
             " 'Kaleen mela Bhadohi, shanivar 10 baje. Aapka number ' || i,"
             " 'GSM-7', 1, 'queued', %d, %d, %d"
             " FROM generate_series(1, %d) AS i;"
             " INSERT INTO outbox_events (outbox_id, time_ms, to_state)"
             " SELECT id, %d, 'queued' FROM outbox;"
             " COMMIT" % (now, now, now, N_OUT, now))

    def test_three_daemons_one_killed(self):
        t_start = time.monotonic()
        first = self.daemon().start(timeout=30)    # migrates the database
        r = first.cli("import", "stakeholders",
                      os.path.join(first.tmp, "config", "stakeholders.csv"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.daemon().start(timeout=30)
        self.daemon().start(timeout=30)
        ports = {"d%d" % i: d.port for i, d in enumerate(self.daemons)}
        self.lb = Haproxy(sorted(ports.items()))
        victim = "d1"
        alive = set(ports)

        answered = {}           # sid -> body of the first 200
        mismatched = []
        retried = [0]
        lock = threading.Lock()
        progress = [0]
        failures = collections.Counter()

        def client(k):
            lb = http.client.HTTPConnection("127.0.0.1", self.lb.port,
                                            timeout=30)
            direct = {}
            for i in range(k, N_IN, CLIENTS):
                p = params_of(i)
                status = 0
                for attempt in range(8):
                    status, served, body = webhook(lb, "/sms/twilio", p)
                    with lock:
                        failures[status] += 1
                    if status == 200 or 0 < status < 500:
                        break
                    time.sleep(0.2 * (attempt + 1))
                if status != 200:
                    continue
                with lock:
                    answered[p[4][1]] = body
                    progress[0] += 1
                    others = sorted(alive - {served})
                if random.Random(-i).random() < RETRY_SHARE and others:
                    name = random.Random(i).choice(others)
                    c = direct.get(name)
                    if c is None:
                        c = direct[name] = http.client.HTTPConnection(
                            "127.0.0.1", ports[name], timeout=30)
                    s2, _, body2 = webhook(c, "/sms/twilio", p)
                    with lock:
                        retried[0] += 1
                        if s2 == 200 and body2 != body:
                            mismatched.append((p[4][1], body, body2))
                        elif s2 != 200 and name in alive:
                            mismatched.append((p[4][1], body, s2))
            lb.close()
            for c in direct.values():
                c.close()

        self.queue_outbound()
        t_out = time.monotonic()
        threads = [threading.Thread(target=client, args=(k,), daemon=True)
                   for k in range(CLIENTS)]
        for t in threads:
            t.start()

        # SIGKILL one daemon mid-run: inbound half done, outbound going.
        deadline = time.monotonic() + 240
        while progress[0] < N_IN // 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        seen_before_kill = len(self.mock.requests)
        with lock:
            alive.discard(victim)
        self.daemons[1].kill9()
        t_kill = time.monotonic()

        for t in threads:
            t.join(timeout=max(1, deadline - time.monotonic()))
        self.assertFalse(any(t.is_alive() for t in threads),
                         "webhooks not done in time")
        t_in_done = time.monotonic()

        # Every outbound message reaches the mock, the killed daemon's
        # once its lease has run out.
        numbers = ["+9198%08d" % i for i in range(1, N_OUT + 1)]
        want = set(numbers)
        out_deadline = time.monotonic() + N_OUT / RATE * 1.6 + LEASE + 60
        while time.monotonic() < out_deadline:
            if want <= set(self.mock.counts()):
                break
            time.sleep(0.5)
        t_out_done = time.monotonic()
        reqs = self.mock.requests
        counts = collections.Counter()
        for q in reqs:
            counts.update(q.destinations())
        missing = [n for n in numbers if counts[n] == 0]
        dups = sum(counts[n] - 1 for n in numbers if counts[n] > 1)

        # Every second of the mock's clock, from the first request.
        times = sorted(q.at for q in reqs)
        per_second = collections.Counter(int(t - times[0]) for t in times)
        worst_second = max(per_second.values())
        # And the worst window of one second anywhere.
        worst_window, j = 0, 0
        for i in range(len(times)):
            while times[i] - times[j] >= 1.0:
                j += 1
            worst_window = max(worst_window, i - j + 1)

        stored = psql(self.uri, "SELECT provider_msg_id, count(*)"
                      " FROM interactions WHERE direction = 'in'"
                      " AND provider = 'twilio' GROUP BY provider_msg_id")
        stored = {sid: int(n) for sid, n in stored}
        lost = [sid for sid in answered if stored.get(sid, 0) == 0]
        twice = {sid: n for sid, n in stored.items() if n > 1}
        # Taken back by a claim or by a daemon's periodic requeue,
        # whichever came first (the mock never refuses: no retries).
        expired = int(psql(self.uri, "SELECT count(*) FROM outbox_events"
                           " WHERE from_state = 'sending'"
                           " AND to_state = 'queued'")[0][0])
        states = dict(psql(self.uri, "SELECT state, count(*) FROM outbox"
                           " WHERE to_phone LIKE '+9198%' GROUP BY state"))

        print("\nmulti-instance: %d webhooks answered 200 (%d retried on "
              "another instance), non-200 answers %s; inbound %.1f s; "
              "outbound %d messages in %.1f s (%.1f/s), %d duplicates, "
              "%d requeued on lease expiry, mock requests before the kill "
              "%d; worst second %d, worst 1-s window %d (rate %d); "
              "outbox states %s; whole run %.1f s" % (
                  len(answered), retried[0], dict(failures),
                  t_in_done - t_out, N_OUT, t_out_done - t_out,
                  N_OUT / max(t_out_done - t_out, 0.001), dups, expired,
                  seen_before_kill, worst_second, worst_window, RATE,
                  states, time.monotonic() - t_start))

        self.assertEqual(len(answered), N_IN, "webhooks never answered 200")
        self.assertEqual(lost, [], "answered 200 but not stored")
        self.assertEqual(twice, {}, "stored more than once")
        self.assertEqual(mismatched[:5], [],
                         "a retry on another instance got another answer")
        self.assertEqual(missing[:5], [], "%d messages never reached the "
                         "mock" % len(missing))
        self.assertLessEqual(dups, expired)
        self.assertLessEqual(dups, INFLIGHT,
                             "more duplicates than the killed daemon "
                             "had in flight")
        self.assertLessEqual(worst_second, RATE)
        self.assertLess(t_kill, t_out_done)


if __name__ == "__main__":
    unittest.main()
