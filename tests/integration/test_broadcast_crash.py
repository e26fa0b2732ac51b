"""A broadcast whose creation is cut short is never half-sent.

`broadcast create` (and POST /api/v1/broadcasts) writes its audience in
slices of 250 messages so that webhooks are not blocked; a kill -9 in
the middle used to leave the first slices queued, and the sender sent
them while `broadcast show` said 0 recipients.  Here 30,000 recipients
are created, the creator is killed with SIGKILL mid-way (the CLI in one
test, the daemon serving the API request in the other), the daemon is
restarted against the mock provider, and the checks are: all or none of
the audience was made sendable, nothing of the interrupted broadcast
reached the provider, the creation is rolled back at start-up, and a
second creation (the coordinator running it again) reaches each woman
once.

The contacts are written straight into the contacts table with sqlite3,
a fixture only: importing 30,000 rows through the CSV importer costs more
time than the test is about.
"""
import collections
import json
import signal
import subprocess
import threading
import time
import unittest

from harness import BIN
from mockprovider import MockProvider
from outboundlib import (TWILIO_SID, broadcast_daemon, db_query,
                         seed_contacts)

N = 30000
KILL_AFTER = 3000       # messages written before the kill
BUDGET_S = 150
COORD_TOKEN = "coordinator-token-0123456789ab"
DISTRICT = "bhadohi"
ARGS = ["--to", "district:" + DISTRICT, "--template", "scheme_deadline",
        "--var", "scheme=PMEGP", "--var", "date=31 Dec",
        "--var", "place=DIC Gyanpur"]
SENDABLE = ("queued", "sending", "sent", "delivered", "undelivered")


def number(i):
    return "+9197%08d" % i


def women(n):
    return ((number(i), "W%d" % i, "hi" if i % 2 else "en", DISTRICT)
            for i in range(n))


class BroadcastCrash(unittest.TestCase):
    def setUp(self):
        self.t0 = time.monotonic()
        self.mock = MockProvider().start()
        self.mock._server.handle_error = lambda request, address: None
        self.d = broadcast_daemon(
            self.mock, settings={"rate": "0", "max_inflight": "8"},
            env={"SAMPARK_COORDINATOR_TOKEN": COORD_TOKEN})
        seed_contacts(self.d.db, women(N))
        self.cli_proc = None

    def tearDown(self):
        if self.cli_proc is not None and self.cli_proc.poll() is None:
            self.cli_proc.kill()
            self.cli_proc.wait(timeout=10)
        self.d.stop()
        self.mock.stop()

    # ---- helpers ----

    def written(self):
        return db_query(self.d, "SELECT count(*) FROM outbox"
                                " WHERE broadcast_id IS NOT NULL")[0][0]

    def wait_written(self, n, proc_alive):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.written() >= n:
                return
            self.assertTrue(proc_alive(), "the creation ended before %d "
                            "messages were written: nothing tested" % n)
            time.sleep(0.005)
        self.fail("fewer than %d messages written after 60 s" % n)

    def sendable(self, bid):
        q = ("SELECT count(*) FROM outbox WHERE broadcast_id = ? AND state"
             " IN (%s)" % ",".join("?" * len(SENDABLE)))
        return db_query(self.d, q, (bid,) + SENDABLE)[0][0]

    def check_all_or_none(self):
        """After the restart: the interrupted broadcast is rolled back
        (nothing of it sendable, nothing of it sent) or complete."""
        rows = db_query(self.d, "SELECT id, state FROM broadcasts")
        self.assertEqual(len(rows), 1, rows)
        bid, state = rows[0]
        n = self.sendable(bid)
        self.assertIn(n, (0, N), "%d of %d messages sendable" % (n, N))
        if n == 0:
            self.assertEqual(len(self.mock.requests), 0,
                             "an interrupted broadcast reached the "
                             "provider")
            self.assertEqual(state, "cancelled")
        self.assertNotEqual(state, "creating")
        return bid, n

    def create_again_and_check_once(self):
        """The coordinator creates it again: every woman gets it once."""
        r = self.d.cli("broadcast", "create", *ARGS, "--yes")
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        # Some of it goes out; nobody has two messages in the outbox that
        # could go or went, and nobody got two at the provider.
        self.mock.wait_for(200, timeout=30)
        per_phone = db_query(
            self.d, "SELECT to_phone, count(*) FROM outbox"
            " WHERE broadcast_id IS NOT NULL AND state IN (%s)"
            " GROUP BY to_phone HAVING count(*) > 1"
            % ",".join("?" * len(SENDABLE)), SENDABLE)
        self.assertEqual(per_phone, [], "phones with two messages")
        total = db_query(
            self.d, "SELECT count(DISTINCT to_phone) FROM outbox"
            " WHERE broadcast_id IS NOT NULL AND state IN (%s)"
            % ",".join("?" * len(SENDABLE)), SENDABLE)[0][0]
        self.assertEqual(total, N)
        counts = collections.Counter(
            to for r in self.mock.requests for to in r.destinations())
        twice = {k: c for k, c in counts.items() if c > 1}
        self.assertEqual(twice, {}, "got it twice")

    # ---- the tests ----

    def test_kill_9_of_cli_creation(self):
        self.d.start()
        e = dict(self.d.env)
        self.cli_proc = subprocess.Popen(
            [BIN, "broadcast", "create"] + ARGS + ["--yes", "-c",
                                                    self.d.conf, "--db",
                                                    self.d.db],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=e,
            cwd=self.d.tmp)
        self.wait_written(KILL_AFTER, lambda: self.cli_proc.poll() is None)
        self.cli_proc.kill()
        self.cli_proc.wait(timeout=10)
        # What the sender did with it meanwhile: give it the time to.
        time.sleep(1.0)
        self.d.kill9()
        self.d.start()
        time.sleep(0.5)
        bid, n = self.check_all_or_none()
        self.assertEqual(n, 0, "the creation was killed before its end")
        self.assertIn(b"event=broadcast_rolled_back", self.d.read_log())
        self.create_again_and_check_once()
        self.assertLess(time.monotonic() - self.t0, BUDGET_S)

    def test_kill_9_of_cli_creation_daemon_goes_on(self):
        """The messages are written straight as "queued" while the
        broadcast is "creating": with its creator killed and the daemon
        left running, none of them goes (for as long as the daemon runs,
        not just for a moment), while a message queued after the kill is
        sent as ever; the restart then cancels the broadcast."""
        self.d.start()
        self.cli_proc = subprocess.Popen(
            [BIN, "broadcast", "create"] + ARGS + ["--yes", "-c",
                                                    self.d.conf, "--db",
                                                    self.d.db],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=dict(self.d.env), cwd=self.d.tmp)
        self.wait_written(KILL_AFTER, lambda: self.cli_proc.poll() is None)
        self.cli_proc.kill()
        self.cli_proc.wait(timeout=10)
        rows = db_query(self.d, "SELECT id, state FROM broadcasts")
        self.assertEqual(len(rows), 1, rows)
        bid, state = rows[0]
        self.assertEqual(state, "creating")
        self.assertGreaterEqual(self.sendable(bid), KILL_AFTER,
                                "written as queued")
        r = self.d.cli("send", "--to", "+919811100002", "--text",
                       "Aapka loan form mil gaya", "--provider", "twilio")
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.mock.wait_for(1, timeout=10)
        time.sleep(2.0)     # several polls of the sender
        got = [to for r in self.mock.requests for to in r.destinations()]
        self.assertEqual(got, ["+919811100002"],
                         "only the message queued after the kill goes")
        self.assertEqual(db_query(
            self.d, "SELECT count(*) FROM outbox WHERE broadcast_id = ?"
            " AND state <> 'queued'", (bid,)), [(0,)])
        # A clean restart (stop() would remove the database).
        self.d.signal(signal.SIGTERM)
        self.assertEqual(self.d.wait(), 0)
        self.d.log.close()
        self.d.start()
        time.sleep(0.5)
        self.assertEqual(db_query(self.d, "SELECT state FROM broadcasts"),
                         [("cancelled",)])
        self.assertEqual(self.sendable(bid), 0)
        self.assertEqual(len(self.mock.requests), 1)
        self.create_again_and_check_once()

    def test_ctrl_c_of_cli_creation_cancels_it_at_once(self):
        """Ctrl-C (or an SSH drop: SIGHUP) stops the creation, which
        cancels what it wrote; no restart needed."""
        self.d.start()
        self.cli_proc = subprocess.Popen(
            [BIN, "broadcast", "create"] + ARGS + ["--yes", "-c",
                                                    self.d.conf, "--db",
                                                    self.d.db],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=dict(self.d.env), cwd=self.d.tmp)
        self.wait_written(KILL_AFTER, lambda: self.cli_proc.poll() is None)
        self.cli_proc.send_signal(signal.SIGINT)
        _, err = self.cli_proc.communicate(timeout=30)
        self.assertNotEqual(self.cli_proc.returncode, 0)
        self.assertIn(b"interrupted", err)
        time.sleep(0.5)
        self.assertEqual(db_query(self.d, "SELECT state FROM broadcasts"),
                         [("cancelled",)])
        bid, n = self.check_all_or_none()
        self.assertEqual(n, 0)
        self.assertEqual(db_query(
            self.d, "SELECT count(*) FROM outbox WHERE state = 'held'"),
            [(0,)])
        self.create_again_and_check_once()

    def test_kill_9_of_daemon_during_api_creation(self):
        self.d.start()
        body = json.dumps({"to": "district:" + DISTRICT,
                           "template": "scheme_deadline",
                           "vars": {"scheme": "PMEGP", "date": "31 Dec",
                                    "place": "DIC Gyanpur"}})
        result = {}

        def post():
            try:
                result["r"] = self.d.admin("POST", "/api/v1/broadcasts",
                                           token=COORD_TOKEN, body=body,
                                           headers={"Content-Type":
                                                    "application/json"},
                                           timeout=60)
            except OSError as e:
                result["e"] = e

        t = threading.Thread(target=post)
        t.start()
        proc = self.d.proc
        self.wait_written(KILL_AFTER, lambda: proc.poll() is None and
                          "r" not in result)
        self.d.kill9()
        t.join(timeout=30)
        self.assertNotIn("r", result, "answered before the kill")
        self.d.start()
        time.sleep(1.0)
        bid, n = self.check_all_or_none()
        self.assertEqual(n, 0)
        self.assertIn(b"event=broadcast_rolled_back", self.d.read_log())
        self.create_again_and_check_once()
        self.assertLess(time.monotonic() - self.t0, BUDGET_S)

    def test_webhooks_answered_while_api_creates(self):
        """The API's creation runs off the event loop: a woman's SMS
        sent while 30,000 messages are being written is answered before
        the creation ends, and the creation still completes whole.  (She
        writes from Mirzapur: a woman of the audience joining while it is
        written would rightly get the broadcast too.)"""
        self.d.start()
        body = json.dumps({"to": "district:" + DISTRICT,
                           "template": "scheme_deadline",
                           "vars": {"scheme": "PMEGP", "date": "31 Dec",
                                    "place": "DIC Gyanpur"}})
        result = {}

        def post():
            result["r"] = self.d.admin("POST", "/api/v1/broadcasts",
                                       token=COORD_TOKEN, body=body,
                                       headers={"Content-Type":
                                                "application/json"},
                                       timeout=120)

        t = threading.Thread(target=post)
        t.start()
        self.wait_written(KILL_AFTER, lambda: "r" not in result)
        params = [("From", "+919811100001"), ("To", "+14155550100"),
                  ("Body", "loan mirzapur"), ("MessageSid", "SM" + "7" * 32),
                  ("AccountSid", TWILIO_SID)]
        status, _, answer = self.d.twilio(params)
        written_then = self.written()
        still_creating = "r" not in result
        t.join(timeout=120)
        self.assertEqual(status, 200, answer)
        self.assertIn("<Message>", answer)
        self.assertTrue(still_creating and written_then < N,
                        "the webhook was answered only after the "
                        "creation (%d of %d written)" % (written_then, N))
        status, _, data = result["r"]
        self.assertEqual(status, 201, data)
        bid = json.loads(data)["id"]
        self.assertEqual(self.sendable(bid), N)
        self.assertIn(b"answer=after_job", self.d.read_log())


if __name__ == "__main__":
    unittest.main()
