"""Abuse limits (issue 7, abuse.h) through the real daemon: each refusal
is answered 200 with no reply, the message is still stored, the refusal
is logged and counted in /metrics; the prefix check and the hourly
budget hold on the outbox path too."""
import re
import threading
import time
import unittest

from harness import PG_BASE, Daemon
from mockprovider import MockProvider
from outboundlib import db_query, provider_daemon, send, wait_until

ADMIN = "abuse-test-admin-token"
SENDER = "+919876500011"


def metric(d, name, **labels):
    status, _, body = d.admin("GET", "/metrics", ADMIN)
    assert status == 200, body
    want = name + ("{" + ",".join('%s="%s"' % kv for kv in sorted(
        labels.items())) + "}" if labels else "")
    for line in body.decode().splitlines():
        if line.startswith(want + " "):
            return float(line.split()[-1])
    return 0.0


class Limits(unittest.TestCase):
    def daemon(self, *settings):
        args = []
        for s in settings:
            args += ["--set", s]
        self.d = Daemon(extra_args=args,
                        env={"SAMPARK_ADMIN_TOKEN": ADMIN}).start()
        return self.d

    def tearDown(self):
        self.d.stop()

    def inbound(self):
        return [r for r in self.d.export() if r["direction"] == "in"]

    def test_sender_over_the_hourly_rate_is_stored_not_answered(self):
        d = self.daemon("inbound_per_hour=3")
        texts = ["loan bhadohi", "help", "training mirzapur", "market",
                 "loan"]
        replies = [d.console(SENDER, t, "r%d" % i)
                   for i, t in enumerate(texts)]
        self.assertEqual([s for s, _ in replies], [200] * 5)
        self.assertTrue(all(r for _, r in replies[:3]), replies)
        self.assertEqual([r for _, r in replies[3:]], ["", ""])
        # Nothing accepted is lost.
        self.assertEqual(len(self.inbound()), 5)
        # Another sender is not affected.
        self.assertTrue(d.console("+919876500012", "help")[1])
        log = d.read_log().decode()
        # Logged once per episode, counted every time.
        self.assertEqual(len(re.findall(r"event=abuse_limited reason=rate "
                                        r"phone=\*+0011", log)), 1, log)
        self.assertIn("limited=rate", log)
        self.assertNotIn(SENDER, log)
        self.assertEqual(metric(d, "sampark_abuse_refused_total",
                                reason="rate"), 2)

    def test_same_text_again_and_again_stops_the_replies(self):
        d = self.daemon("loop_repeats=3")
        got = [d.console(SENDER, "LOAN?", "l%d" % i)[1] for i in range(5)]
        self.assertTrue(got[0] and got[1])
        self.assertEqual(got[2:], ["", "", ""])
        self.assertIn("reason=loop", d.read_log().decode())

    def test_an_echo_of_our_reply_is_not_answered(self):
        d = self.daemon()
        _, reply = d.console(SENDER, "loan bhadohi")
        first = reply.strip().split("\n\n")[0]
        # Another "phone" sends our own text back to us.
        status, echo = d.console("+919876500013", first)
        self.assertEqual((status, echo), (200, ""))
        self.assertIn("reason=automated", d.read_log().decode())

    def test_an_answer_faster_than_typing_is_a_machine(self):
        d = self.daemon("loop_fast_strikes=2", "loop_fast_ms=5000")
        got = [d.console(SENDER, t, "f%d" % i)[1]
               for i, t in enumerate(["help", "loan", "market", "1"])]
        self.assertTrue(got[0] and got[1])
        self.assertEqual(got[2:], ["", ""])
        self.assertIn("sign=fast", d.read_log().decode())

    def test_daily_reply_cap(self):
        d = self.daemon("replies_per_day=2")
        got = [d.console(SENDER, t, "c%d" % i)[1]
               for i, t in enumerate(["help", "loan bhadohi", "market"])]
        self.assertTrue(got[0] and got[1])
        self.assertEqual(got[2], "")
        self.assertEqual(metric(d, "sampark_abuse_refused_total",
                                reason="reply_cap"), 1)

    def test_reply_to_a_foreign_prefix_is_refused(self):
        d = self.daemon()
        status, reply = d.console("+447700900123", "loan bhadohi")
        self.assertEqual((status, reply), (200, ""))
        self.assertEqual(len(self.inbound()), 1)
        self.assertIn("reason=prefix", d.read_log().decode())
        self.assertEqual(metric(d, "sampark_abuse_refused_total",
                                reason="prefix"), 1)
        # A queued message (as a broadcast would be) is refused too.
        r = d.cli("send", "--to", "+12025550123", "--text", "hello")
        self.assertEqual(r.returncode, 0, r.stderr)
        msg_id = int(r.stdout.decode().strip())
        wait_until(lambda: db_query(d, "SELECT state, error FROM "
                                       "outbox WHERE id = ?", (msg_id,)) ==
                   [("failed", "destination not allowed")], 10,
                   "message to +1 refused")

    def test_allowed_prefixes_widen(self):
        d = self.daemon("allowed_prefixes=+91,+44")
        self.assertTrue(d.console("+447700900123", "help")[1])


class Budget(unittest.TestCase):
    def setUp(self):
        self.mock = MockProvider().start()
        self.d = provider_daemon(
            "twilio", self.mock, globals_={"outbound_per_hour": "3"},
            env={"SAMPARK_ADMIN_TOKEN": ADMIN})

    def tearDown(self):
        self.d.stop()
        self.mock.stop()

    def test_budget_spent_stops_sending_until_the_next_hour(self):
        for i in range(5):
            send(self.d, "budget %d" % i, to="+9198000000%02d" % i)
        self.d.start()
        self.mock.wait_for(3, timeout=10)
        time.sleep(1)               # several pump runs: nothing more
        self.assertEqual(len(self.mock.requests), 3)
        states = dict(db_query(self.d, "SELECT state, count(*) FROM outbox"
                                       " GROUP BY state"))
        self.assertEqual(states, {"sent": 3, "queued": 2})
        log = self.d.read_log().decode()
        self.assertEqual(log.count("event=outbound_budget state=exhausted"),
                         1, log)
        self.assertEqual(metric(self.d, "sampark_outbound_budget_trips_total"),
                         1)
        self.assertEqual(metric(self.d, "sampark_outbound_budget_limit"), 3)


@unittest.skipIf(PG_BASE is None,
                 "PostgreSQL only: two daemons sharing one database")
class SharedBetweenDaemons(unittest.TestCase):
    """Two daemons on one PostgreSQL database (a balancer's round robin)
    hold each limit together: a sender's hourly allowance and the hourly
    outbound budget are the configured ones, not one per daemon."""

    def setUp(self):
        self.daemons = []
        self.mock = None

    def tearDown(self):
        for d in reversed(self.daemons):    # the first owns the database
            d.stop()
        if self.mock is not None:
            self.mock.stop()

    def two(self, make):
        first = make(import_directory=True)
        self.daemons.append(first)
        first.start()                       # makes the schema
        second = make(import_directory=False)
        self.daemons.append(second)
        second.db = first.db
        second.start()
        return first, second

    def test_a_flood_gets_one_allowance_across_daemons(self):
        per_hour, extra = 3, 5
        first, second = self.two(lambda **kw: Daemon(
            extra_args=["--set", "inbound_per_hour=%d" % per_hour], **kw))
        texts = ["loan bhadohi", "help", "training mirzapur", "market",
                 "loan mirzapur", "yojana", "kaleen mela", "silai",
                 "bank loan"]
        replies = []
        lock = threading.Lock()

        def burst(d, which):
            # Both daemons at once: her messages race for her counters.
            for i in range(which, per_hour + extra, 2):
                status, body = d.console(SENDER, texts[i], "f%d" % i)
                with lock:
                    replies.append((status, body))

        threads = [threading.Thread(target=burst, args=(d, n))
                   for n, d in enumerate((first, second))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        self.assertEqual(len(replies), per_hour + extra)
        self.assertEqual([s for s, _ in replies], [200] * len(replies))
        answered = [b for _, b in replies if b]
        self.assertEqual(len(answered), per_hour, replies)
        # Nothing accepted is lost, and every daemon took some.
        self.assertEqual(len([r for r in first.export()
                              if r["direction"] == "in"]),
                         per_hour + extra)
        for d in (first, second):
            self.assertIn("limited=rate", d.read_log().decode())

    def test_the_hourly_budget_is_the_total(self):
        self.mock = MockProvider().start()
        first, second = self.two(lambda **kw: provider_daemon(
            "twilio", self.mock, globals_={"outbound_per_hour": "3"}, **kw))
        for i in range(6):
            send(first, "budget %d" % i, to="+9198000001%02d" % i)
        self.mock.wait_for(3, timeout=10)
        time.sleep(1.5)             # several pump runs of both: no more
        self.assertEqual(len(self.mock.requests), 3)
        states = dict(db_query(first, "SELECT state, count(*) FROM outbox"
                                      " GROUP BY state"))
        self.assertEqual(states, {"sent": 3, "queued": 3})
        used = db_query(first, "SELECT sum(used) FROM send_budget")
        self.assertEqual(int(used[0][0]), 3)


if __name__ == "__main__":
    unittest.main()
