"""Outbound delivery through each provider's send API, against the mock
provider: what the request carries, and what the outbox records for
success, retries, permanent errors and timeouts."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

from mockprovider import MockProvider
from outboundlib import (ENGLISH, HINDI, PROVIDERS, TO, db_query, outbox,
                         provider_daemon, send, sent_to, wait_state)

METRICS_TOKEN = "outbound-test-admin-token"


class Harness(unittest.TestCase):
    """One mock and, per test, daemons started through self.daemon()."""

    def setUp(self):
        self.mock = MockProvider().start()
        self.daemons = []

    def tearDown(self):
        for d in self.daemons:
            d.stop()
        self.mock.stop()

    def daemon(self, provider, start=True, **kw):
        d = provider_daemon(provider, self.mock, **kw)
        self.daemons.append(d)
        if start:
            d.start()
        return d


class HappyPath(Harness):
    """A Hindi and an English message per provider reach the mock with the
    right auth and fields, and end "sent" with the mock's id."""

    def send_two(self, provider):
        d = self.daemon(provider)
        hi = send(d, HINDI, provider=provider)
        en = send(d, ENGLISH, to="+919812300001", provider=provider)
        rows = {i: wait_state(d, i, "sent") for i in (hi, en)}
        reqs = self.mock.wait_for(2, timeout=5)
        self.assertEqual(len(reqs), 2, [r.path for r in reqs])
        p = PROVIDERS[provider]
        for r in reqs:
            self.assertEqual(r.method, "POST")
            self.assertEqual(r.path, p["path"])
            self.assertEqual(r.auth(), p["auth"])
            self.assertEqual(r.status // 100, 2)
        by_text = {}
        for r in reqs:
            text = (r.field("Body") or r.field("text") or
                    (r.field("textMessage") or {}).get("text"))
            by_text[text] = r
        self.assertEqual(set(by_text), {HINDI, ENGLISH})
        # The outbox holds the id the mock answered with, one per message.
        ids = {rows[hi].provider_id, rows[en].provider_id}
        self.assertEqual(len(ids), 2)
        self.assertTrue(all(ids))
        for i in (hi, en):
            self.assertEqual(rows[i].attempts, 1)
            self.assertEqual(rows[i].provider, provider)
        self.assertEqual(rows[hi].to, TO)
        return d, rows, by_text[HINDI], by_text[ENGLISH], hi, en

    def test_twilio(self):
        d, rows, hi, en, hid, eid = self.send_two("twilio")
        self.assertEqual(hi.field("To"), TO)
        self.assertEqual(hi.field("From"), "+15005550006")
        self.assertEqual(en.field("To"), "+919812300001")
        self.assertEqual(hi.field("StatusCallback"),
                         "https://gw.example.in/status/twilio")
        self.assertRegex(rows[hid].provider_id, r"^SM[0-9a-f]{32}$")
        self.assertEqual(rows[hid].segments, 1)

    def test_exotel(self):
        d, rows, hi, en, hid, eid = self.send_two("exotel")
        self.assertEqual(hi.headers["content-type"],
                         "application/x-www-form-urlencoded")
        self.assertEqual(hi.field("To"), TO)
        self.assertEqual(hi.field("From"), "SMPARK")
        self.assertEqual(hi.field("EncodingType"), "unicode")
        self.assertIsNone(en.field("EncodingType"))
        self.assertEqual(hi.field("DltEntityId"), "1101000000000001")
        self.assertEqual(hi.field("CustomField"), str(hid))
        self.assertEqual(hi.field("StatusCallback"),
                         "https://gw.example.in/status/exotel/"
                         "exo-url-token-42")
        self.assertRegex(rows[hid].provider_id, r"^[0-9a-f]{32}$")

    def test_plivo(self):
        d, rows, hi, en, hid, eid = self.send_two("plivo")
        self.assertEqual(hi.headers["content-type"], "application/json")
        self.assertEqual(hi.field("dst"), TO[1:])       # no '+'
        self.assertEqual(hi.field("src"), "918045678901")
        self.assertEqual(hi.field("type"), "sms")
        self.assertEqual(hi.field("url"), "https://gw.example.in/status/plivo")
        self.assertEqual(hi.field("method"), "POST")
        self.assertRegex(rows[hid].provider_id,
                         r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-")

    def test_android(self):
        d, rows, hi, en, hid, eid = self.send_two("android")
        self.assertEqual(hi.headers["content-type"], "application/json")
        self.assertEqual(hi.field("phoneNumbers"), [TO])
        self.assertEqual(hi.field("textMessage"), {"text": HINDI})
        self.assertIs(hi.field("withDeliveryReport"), True)
        self.assertRegex(rows[hid].provider_id, r"^[0-9a-f]{21}$")


class Retries(Harness):
    def quiet_mock(self):
        """The daemon hangs up on a late answer: the mock's broken-pipe
        traces are expected here, not news."""
        self.mock._server.handle_error = lambda request, address: None

    def attempts_http(self, d, msg_id):
        return [r[0] for r in db_query(
            d, "SELECT http_status FROM outbox_attempts WHERE outbox_id = ?"
            " ORDER BY attempt", (msg_id,))]

    def test_429_with_retry_after_waits_then_sends(self):
        self.mock.push("twilio", 429, {"code": 20429,
                                       "message": "Too Many Requests"},
                       headers={"Retry-After": "1"})
        d = self.daemon("twilio")
        t0 = time.monotonic()
        i = send(d, ENGLISH, provider="twilio")
        self.mock.wait_for(1, timeout=5)
        t1 = time.monotonic()
        row = wait_state(d, i, "sent", timeout=10)
        self.assertEqual(row.attempts, 2)
        self.assertEqual(len(sent_to(self.mock, TO)), 2)
        self.assertEqual(self.attempts_http(d, i), [429, 201])
        # retry_base_ms is 50: only Retry-After explains a 1 s wait.
        times = [r[0] for r in db_query(
            d, "SELECT time_ms FROM outbox_attempts WHERE outbox_id = ?"
            " ORDER BY attempt", (i,))]
        self.assertGreaterEqual(times[1] - times[0], 1000)
        self.assertGreaterEqual(time.monotonic() - t1, 0.9)
        self.assertLess(time.monotonic() - t0, 8)

    def test_two_500s_then_success(self):
        for _ in range(2):
            self.mock.push("exotel", 500, "Internal Server Error")
        d = self.daemon("exotel")
        i = send(d, HINDI, provider="exotel")
        row = wait_state(d, i, "sent", timeout=10)
        self.assertEqual(row.attempts, 3)
        self.assertTrue(row.provider_id)
        self.assertEqual(self.attempts_http(d, i), [500, 500, 200])
        self.assertEqual(len(sent_to(self.mock, TO)), 3)

    def test_permanent_400_fails_at_once_with_the_providers_code(self):
        self.mock.push("twilio", 400, {
            "code": 21211, "message": "Invalid 'To' Phone Number",
            "more_info": "https://www.twilio.com/docs/errors/21211",
            "status": 400})
        d = self.daemon("twilio")
        i = send(d, ENGLISH, provider="twilio")
        row = wait_state(d, i, "failed", timeout=10)
        self.assertEqual(row.attempts, 1)
        self.assertIsNone(row.provider_id)
        self.assertIn("21211", row.error)
        self.assertIn("Invalid 'To' Phone Number", row.error)
        time.sleep(0.5)         # several retry_base_ms: nothing more comes
        self.assertEqual(len(self.mock.requests), 1)
        self.assertEqual(outbox(d)[i].state, "failed")

    def test_a_4xx_in_a_foreign_format_still_says_why(self):
        """An answer the adapter cannot read (RFC 9457 problem JSON from a
        gateway in front of the API, a plain-text page) shows its status
        and its title or first line in `sampark outbox`."""
        self.mock.push("twilio", 403, json.dumps({
            "type": "about:blank", "title": "Forbidden by the edge policy",
            "status": 403}).encode(),
            headers={"Content-Type": "application/problem+json"})
        self.mock.push("twilio", 404, b"\n  No route for this account\n"
                       b"request id 1234\n",
                       headers={"Content-Type": "text/plain"})
        d = self.daemon("twilio")
        first = send(d, ENGLISH, provider="twilio")
        row = wait_state(d, first, "failed", timeout=10)
        self.assertIn("HTTP 403", row.error)
        self.assertIn("Forbidden by the edge policy", row.error)
        second = send(d, ENGLISH, provider="twilio")
        row = wait_state(d, second, "failed", timeout=10)
        self.assertIn("HTTP 404", row.error)
        self.assertIn("No route for this account", row.error)
        self.assertNotIn("request id", row.error)

    def test_plivo_400_fails_with_its_error(self):
        self.mock.push("plivo", 400, {"api_id": "x",
                                      "error": "invalid destination number"})
        d = self.daemon("plivo")
        i = send(d, ENGLISH, provider="plivo")
        row = wait_state(d, i, "failed", timeout=10)
        self.assertEqual(row.attempts, 1)
        self.assertIn("invalid destination number", row.error)

    def test_timeouts_until_attempts_run_out_fail_the_message(self):
        # Each answer comes after 3 s; the daemon gives up after 1 s.
        self.quiet_mock()
        for _ in range(2):
            self.mock.push("android", 202, {"id": "late", "state": "Pending"},
                           delay=3)
        d = self.daemon("android", globals_={"send_timeout": "1",
                                             "send_attempts": "2"})
        t0 = time.monotonic()
        i = send(d, ENGLISH, provider="android")
        row = wait_state(d, i, ("failed", "sent"), timeout=10)
        self.assertEqual(row.state, "failed")
        self.assertEqual(row.attempts, 2)
        self.assertIsNone(row.provider_id)
        self.assertRegex(row.error.lower(), "time")
        # Two requests of 1 s each and a short backoff: well under 3 s each.
        self.assertLess(time.monotonic() - t0, 5.5)
        self.assertEqual(len(self.mock.requests), 2)
        self.assertEqual(self.attempts_http(d, i), [None, None])  # no answer

    def test_a_timeout_then_success_is_sent(self):
        self.quiet_mock()
        self.mock.push("exotel", 200, {"SMSMessage": {"Sid": "late"}},
                       delay=3)
        d = self.daemon("exotel", globals_={"send_timeout": "1",
                                            "send_attempts": "3"})
        i = send(d, ENGLISH, provider="exotel")
        row = wait_state(d, i, "sent", timeout=10)
        self.assertEqual(row.attempts, 2)
        # The late answer's id never counts: the second request's does.
        self.assertNotEqual(row.provider_id, "late")
        self.assertRegex(row.provider_id, r"^[0-9a-f]{32}$")

    def test_retries_exhausted_fail_the_message(self):
        for _ in range(5):
            self.mock.push("twilio", 503, "Service Unavailable")
        d = self.daemon("twilio", globals_={"send_attempts": "3"})
        i = send(d, ENGLISH, provider="twilio")
        row = wait_state(d, i, "failed", timeout=10)
        self.assertEqual(row.attempts, 3)
        time.sleep(0.5)
        self.assertEqual(len(self.mock.requests), 3)
        self.assertEqual(self.attempts_http(d, i), [503, 503, 503])

    def test_settings_missing_fail_without_a_request(self):
        d = self.daemon("exotel", settings={"api_key": ""})
        i = send(d, ENGLISH, provider="exotel")
        row = wait_state(d, i, "failed", timeout=10)
        self.assertIn("api_key", row.error)
        self.assertEqual(self.mock.requests, [])

    def send_errors(self, d):
        """{(reason, outcome): count} of sampark_send_errors_total."""
        status, _, body = d.admin("GET", "/metrics", METRICS_TOKEN)
        self.assertEqual(status, 200, body)
        out = {}
        for line in body.decode().splitlines():
            if line.startswith("sampark_send_errors_total{"):
                labels = dict(re.findall(r'(\w+)="([^"]*)"', line))
                out[(labels["provider"], labels["reason"],
                     labels["outcome"])] = float(line.split()[-1])
        return out

    def test_every_failed_send_is_counted_with_its_reason(self):
        """The alert on sampark_send_errors_total must fire for sends
        that never reached the provider (a missing setting, a name that
        does not resolve) as much as for the provider's refusals."""
        env = {"SAMPARK_ADMIN_TOKEN": METRICS_TOKEN}
        bad = self.daemon("exotel", settings={"api_key": ""}, env=env)
        for _ in range(3):
            wait_state(bad, send(bad, ENGLISH, provider="exotel"),
                       "failed", timeout=10)
        self.assertEqual(self.send_errors(bad),
                         {("exotel", "config", "failed"): 3.0})
        bad.stop()

        nowhere = self.daemon("twilio", settings={
            "api_base": "http://no-such-host.invalid"}, env=env,
            globals_={"send_attempts": "1"})
        wait_state(nowhere, send(nowhere, ENGLISH, provider="twilio"),
                   "failed", timeout=15)
        self.assertEqual(self.send_errors(nowhere),
                         {("twilio", "dns", "failed"): 1.0})
        nowhere.stop()

        self.mock.push("twilio", 400, {"code": 21211, "message": "bad To"})
        self.mock.push("twilio", 503, "busy")
        d = self.daemon("twilio", env=env)
        wait_state(d, send(d, ENGLISH, provider="twilio"), "failed",
                   timeout=10)
        wait_state(d, send(d, ENGLISH, provider="twilio"), "sent",
                   timeout=10)
        self.assertEqual(self.send_errors(d), {
            ("twilio", "http_4xx", "failed"): 1.0,
            ("twilio", "http_5xx", "retry"): 1.0})


def cpu_seconds(pid):
    """User + system CPU time of process pid so far, in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class PooledConnections(unittest.TestCase):
    """Connections to the provider are kept for reuse.  When the server
    closes one while it sits idle in the pool, the daemon must neither spin
    on the closed socket nor lose the next message."""

    def test_server_closes_idle_connection(self):
        mock = MockProvider(idle_timeout=0.2).start()
        d = provider_daemon("twilio", mock)
        try:
            d.start()
            wait_state(d, send(d, ENGLISH), "sent")
            time.sleep(0.6)         # the mock has closed it by now
            before = cpu_seconds(d.proc.pid)
            time.sleep(1.0)
            spent = cpu_seconds(d.proc.pid) - before
            self.assertLess(spent, 0.3, "busy while idle: %.2f s of CPU in"
                            " 1 s" % spent)
            wait_state(d, send(d, ENGLISH, to="+919812300002"), "sent")
            self.assertEqual(mock.count(), 2)
        finally:
            d.stop()
            mock.stop()

    def test_sockets_of_the_resolver_are_let_go(self):
        """A provider named by host name goes through curl's resolver; a
        slow answer makes curl hand the loop the resolver's own socket,
        which curl then closes by itself.  Webhooks accepted afterwards
        get the fd numbers such sockets had, and must still be heard.  The
        shim (shim/slow_resolver.c, preloaded) answers after 0.2 s, no DNS
        asked; the name does not exist, so no connection takes the number
        back first."""
        shim = os.path.join(tempfile.mkdtemp(prefix="sampark-shim-"),
                            "slow_resolver.so")
        src = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "shim", "slow_resolver.c")
        subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-o", shim, src,
                        "-ldl"], check=True)
        mock = MockProvider().start()
        d = provider_daemon(
            "twilio", mock,
            settings={"api_base": "http://provider.invalid:%d" % mock.port},
            # Under ASan the shim comes first in the list, which ASan
            # would otherwise refuse.
            env={"LD_PRELOAD": shim,
                 "ASAN_OPTIONS": "verify_asan_link_order=0"})
        try:
            d.start()
            msg = send(d, ENGLISH)
            deadline = time.monotonic() + 10
            while b"resolve host" not in d.read_log():
                self.assertLess(time.monotonic(), deadline,
                                "no failed lookup in the log")
                time.sleep(0.05)
            for i in range(8):
                status = d.request(
                    "POST", "/sms/console",
                    body="From=%%2B9198765000%02d&Body=help" % i,
                    headers={"Content-Type":
                             "application/x-www-form-urlencoded"},
                    timeout=3)[0]
                self.assertEqual(status, 200, "webhook %d" % i)
            self.assertEqual(mock.count(), 0)
            self.assertIsNotNone(msg)
        finally:
            d.stop()
            mock.stop()
            shutil.rmtree(os.path.dirname(shim), ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
