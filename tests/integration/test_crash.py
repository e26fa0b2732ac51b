"""Crash safety of the outbox (the issue's test): 5,000 queued messages,
the daemon killed with SIGKILL while sending, restarted; every message is
sent, and at most the requests that were in flight at the kill are sent
twice.

The messages are written straight into the outbox table (harness.db_connect): a
test fixture only (`sampark send` 5,000 times costs ~45 s, there is no
bulk command).  The rows are what store_outbox_add writes.
"""
import collections
import re
import time
import unittest

import harness
from mockprovider import MockProvider
from outboundlib import db_query, provider_daemon

N = 5000
KILL_AT = 1500
MAX_INFLIGHT = 8
BUDGET_S = 120


def number(i):
    return "+9198%08d" % i


def queue_messages(db, n):
    now = int(time.time() * 1000)
    c = harness.db_connect(db, timeout=10)
    try:
        with c:
            for i in range(n):
                (oid,) = c.execute(
                    "INSERT INTO outbox (provider, to_phone, from_addr, body,"
                    " encoding, segments, state, created_ms,"
                    " next_attempt_ms, updated_ms) VALUES ('twilio', ?, '',"
                    " ?, 'GSM-7', 1, 'queued', ?, ?, ?) RETURNING id",
                    (number(i), "crash test message %d" % i, now, now,
                     now)).fetchone()
                c.execute("INSERT INTO outbox_events (outbox_id, time_ms,"
                          " from_state, to_state, detail) VALUES"
                          " (?, ?, NULL, 'queued', NULL)", (oid, now))
    finally:
        c.close()


class CrashSafety(unittest.TestCase):
    def setUp(self):
        self.mock = MockProvider().start()
        # The daemon hangs up mid-answer when killed: expected, not news.
        self.mock._server.handle_error = lambda request, address: None
        self.d = provider_daemon(
            "twilio", self.mock,
            settings={"rate": "0", "max_inflight": str(MAX_INFLIGHT)},
            # On a shared (PostgreSQL) store the killed daemon's claims
            # come back when their lease runs out, not at the restart.
            globals_={"outbox_poll_ms": "50", "sending_lease_s": "1"})

    def tearDown(self):
        self.d.stop()
        self.mock.stop()

    def states(self):
        return dict(db_query(self.d, "SELECT state, count(*) FROM outbox"
                                     " GROUP BY state"))

    def test_kill_9_while_sending_loses_nothing(self):
        t0 = time.monotonic()
        queue_messages(self.d.db, N)
        self.assertEqual(self.states(), {"queued": N})

        self.d.start()
        self.mock.wait_for(KILL_AT, timeout=60)
        self.d.kill9()
        at_kill = len(self.mock.requests)
        killed = self.states()
        self.assertGreater(killed.get("queued", 0), 0,
                           "all sent before the kill: nothing tested")
        # Claimed only as requests start: at most max_inflight in between.
        self.assertLessEqual(killed.get("sending", 0), MAX_INFLIGHT, killed)

        mark = len(self.d.read_log())
        self.d.start()
        left = BUDGET_S - (time.monotonic() - t0)
        deadline = time.monotonic() + left
        while time.monotonic() < deadline:
            if self.states() == {"sent": N}:
                break
            time.sleep(0.2)
        states = self.states()
        self.assertEqual(states, {"sent": N}, "after %.0f s; log:\n%s" % (
            time.monotonic() - t0,
            self.d.read_log()[-2000:].decode("utf-8", "replace")))

        # Every message reached the provider, each body with its number.
        counts = collections.Counter()
        for r in self.mock.requests:
            to, body = r.field("To"), r.field("Body")
            self.assertEqual(body, "crash test message %d" % int(to[5:]))
            counts[to] += 1
        self.assertEqual(len(counts), N)
        self.assertEqual(set(counts), {number(i) for i in range(N)})
        dups = sum(c - 1 for c in counts.values())
        self.assertLessEqual(dups, MAX_INFLIGHT,
                             {k: c for k, c in counts.items() if c > 1})
        # The outbox holds one of the mock's ids per message.
        pids = [r[0] for r in db_query(self.d,
                                       "SELECT provider_id FROM outbox")]
        self.assertEqual(len(set(pids)), N)
        self.assertTrue(all(p and p.startswith("SM") for p in pids))
        # The restart said what it re-queued: what was left "sending"
        # (on a shared store, in the turns after it, as leases ran out).
        requeued = sum(int(n) for n in re.findall(
            rb"event=outbox_requeued messages=(\d+)",
            self.d.read_log()[mark:]))
        self.assertEqual(requeued, killed.get("sending", 0))
        self.assertLessEqual(dups, requeued)
        self.assertLess(time.monotonic() - t0, BUDGET_S)
        print("\ncrash test: %d requests at the kill, %d re-queued, "
              "%d duplicates, %.1f s" % (at_kill, requeued, dups,
                                          time.monotonic() - t0))


if __name__ == "__main__":
    unittest.main()
