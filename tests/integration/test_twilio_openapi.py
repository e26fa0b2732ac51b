"""Twilio conformance: the daemon's send request must validate against
Twilio's own OpenAPI description (shared/specs/twilio_api_v2010.json).

Prism (tools/prism.sh) mocks the API from that description: it answers 201
only to a request that validates (path, Basic auth, form content type,
every body field's type and pattern), and 422 otherwise, which the daemon
records as a failed message.  Prism is started once for the class on a
free loopback port and stopped by pid.
"""
import base64
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.parse

from harness import ROOT, TWILIO_TOKEN, Daemon, free_port

PRISM_SH = os.path.join(ROOT, "tools", "prism.sh")
ACCOUNT = "AC0123456789abcdef0123456789abcdef"
SENDER = "+15005550006"
TO = "+919812345678"
STATES = re.compile(
    r"\b(queued|sending|sent|delivered|undelivered|failed|expired)\b")



class TwilioOpenApi(unittest.TestCase):
    prism = None

    @classmethod
    def setUpClass(cls):
        spec = subprocess.run([PRISM_SH, "spec"], capture_output=True,
                              text=True, timeout=10).stdout.strip()
        if not os.path.isfile(spec):
            raise unittest.SkipTest("no Twilio OpenAPI file at " + spec)
        r = subprocess.run([PRISM_SH, "install"], capture_output=True,
                           text=True, timeout=600)
        if r.returncode != 0:
            raise AssertionError("tools/prism.sh install failed:\n" +
                                 r.stderr[-2000:])
        cls.port = free_port()
        cls.log = tempfile.NamedTemporaryFile(prefix="prism-", suffix=".log")
        cls.prism = subprocess.Popen([PRISM_SH, "mock", str(cls.port)],
                                     stdout=cls.log, stderr=subprocess.STDOUT)
        try:
            cls._wait_for_port(60.0)
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def _wait_for_port(cls, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if cls.prism.poll() is not None:
                raise AssertionError("prism exited %d:\n%s" % (
                    cls.prism.returncode, cls.prism_log()))
            try:
                socket.create_connection(("127.0.0.1", cls.port),
                                         timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("prism did not listen within %.0f s:\n%s" % (
            timeout, cls.prism_log()))

    @classmethod
    def tearDownClass(cls):
        if cls.prism is not None:
            if cls.prism.poll() is None:
                cls.prism.send_signal(signal.SIGTERM)
                try:
                    cls.prism.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    cls.prism.kill()
                    cls.prism.wait(timeout=5)
            cls.prism = None
            cls.log.close()

    @classmethod
    def prism_log(cls, since=0):
        with open(cls.log.name, "rb") as f:
            f.seek(since)
            return f.read().decode("utf-8", "replace")[-4000:]

    def post(self, fields, account=ACCOUNT, auth=True):
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "Accept": "application/json"}
        if auth:
            headers["Authorization"] = "Basic " + base64.b64encode(
                ("%s:%s" % (account, TWILIO_TOKEN)).encode()).decode()
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            c.request("POST", "/2010-04-01/Accounts/%s/Messages.json" %
                      account, urllib.parse.urlencode(fields), headers)
            r = c.getresponse()
            return r.status, r.read()
        finally:
            c.close()

    def test_prism_tells_a_valid_request_from_an_invalid_one(self):
        # The shape build_send makes (see tests/test_provider_twilio.c).
        good = [("To", TO), ("From", SENDER), ("Body", "नमस्ते"),
                ("StatusCallback", "https://gw.example.in/status/twilio")]
        status, body = self.post(good)
        self.assertEqual(status, 201, body)
        self.assertRegex(json.loads(body)["sid"], r"^SM[0-9a-f]{32}$")
        status, _ = self.post(good[1:])                    # no To
        self.assertEqual(status, 422)
        status, _ = self.post(good, account="AC1")         # not a SID
        self.assertEqual(status, 422)
        status, _ = self.post(good, auth=False)
        self.assertEqual(status, 401)

    def outbox_rows(self, d):
        """[(id, state, provider_id)] from `sampark outbox`'s table."""
        r = d.cli("outbox")
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = []
        for line in r.stdout.decode("utf-8", "replace").splitlines():
            f = line.split()
            if len(f) >= 3 and f[0].isdigit() and STATES.fullmatch(f[2]):
                pid = next((x for x in f if x.startswith("SM")), None)
                rows.append((int(f[0]), f[2], pid))
        return rows

    def send_through_prism(self, account):
        """Queue one message, run the daemon against Prism until the
        message leaves "queued"/"sending"; returns its outbox row."""
        d = Daemon(extra_args=[
            "--set", "twilio.enabled=yes",
            "--set", "twilio.api_base=http://127.0.0.1:%d" % self.port,
            "--set", "twilio.account_sid=" + account,
            "--set", "twilio.from=" + SENDER])
        try:
            r = d.cli("send", "--to", TO, "--text", "नमस्ते",
                      "--provider", "twilio")
            self.assertEqual(r.returncode, 0, r.stderr)
            d.start()
            deadline = time.monotonic() + 30
            rows = []
            while time.monotonic() < deadline:
                rows = self.outbox_rows(d)
                if rows and rows[0][1] not in ("queued", "sending"):
                    return rows[0]
                time.sleep(0.2)
            self.fail("message still %s after 30 s\ndaemon:\n%s" % (
                rows, d.read_log().decode()[-2000:]))
        finally:
            d.stop()

    def test_daemon_send_validates_against_the_openapi_description(self):
        mark = os.path.getsize(self.log.name)
        _, state, provider_id = self.send_through_prism(ACCOUNT)
        self.assertEqual(state, "sent", "prism refused the request:\n" +
                         self.prism_log(mark))
        # The id of the spec's example answer.
        self.assertEqual(provider_id, "SM" + "a" * 32)
        self.assertIn("The request passed the validation rules",
                      self.prism_log(mark))

    def test_a_request_prism_refuses_fails_the_message(self):
        # "AC1" is not a SID: the path does not validate, Prism says 422.
        _, state, provider_id = self.send_through_prism("AC1")
        self.assertEqual(state, "failed")
        self.assertIsNone(provider_id)


if __name__ == "__main__":
    unittest.main()
