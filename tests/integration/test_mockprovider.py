"""The mock provider itself: default answers per provider style, queued
answers, recording, counting per destination, bounded waits."""
import http.client
import json
import threading
import time
import unittest
import urllib.parse

from mockprovider import MockProvider

TWILIO = "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json"
PLIVO = "/v1/Account/MAXXXXXXXXXXXXXXXXXX/Message/"
EXOTEL = "/v1/Accounts/exo1/Sms/send.json"
ANDROID = "/3rdparty/v1/message"
FORM = {"Content-Type": "application/x-www-form-urlencoded",
        "Authorization": "Basic QUMxOnRvaw=="}      # AC1:tok
JSON = {"Content-Type": "application/json"}


def post(mock, path, body, headers, timeout=5.0):
    c = http.client.HTTPConnection("127.0.0.1", mock.port, timeout=timeout)
    try:
        c.request("POST", path, body=body, headers=headers)
        r = c.getresponse()
        data = r.read()
        return r.status, dict(r.getheaders()), data
    finally:
        c.close()


def form(**kw):
    return urllib.parse.urlencode(kw)


class MockProviderTest(unittest.TestCase):
    def setUp(self):
        self.mock = MockProvider().start()

    def tearDown(self):
        self.mock.stop()

    def test_default_answers_follow_the_provider_style(self):
        st, _, data = post(self.mock, TWILIO,
                           form(To="+919812345678", Body="नमस्ते"), FORM)
        self.assertEqual(st, 201)
        sid = json.loads(data)["sid"]
        self.assertRegex(sid, r"^SM[0-9a-f]{32}$")
        st, _, data = post(self.mock, TWILIO, form(To="+919812345678"), FORM)
        self.assertNotEqual(json.loads(data)["sid"], sid)

        st, _, data = post(self.mock, PLIVO, json.dumps(
            {"src": "+1", "dst": "+919800000001<+919800000002",
             "text": "hi"}), JSON)
        self.assertEqual(st, 202)
        self.assertEqual(len(json.loads(data)["message_uuid"]), 1)

        st, _, data = post(self.mock, EXOTEL, form(To="+919800000003"), FORM)
        self.assertEqual(st, 200)
        self.assertTrue(json.loads(data)["SMSMessage"]["Sid"])

        st, _, data = post(self.mock, ANDROID, json.dumps(
            {"message": "hi", "phoneNumbers": ["+919800000004"]}), JSON)
        self.assertEqual(st, 202)
        self.assertEqual(json.loads(data)["state"], "Pending")

        st, _, _ = post(self.mock, "/nowhere", "", {})
        self.assertEqual(st, 404)

    def test_requests_are_recorded_and_decoded(self):
        post(self.mock, TWILIO, form(To="+919812345678", Body="नमस्ते"),
             FORM)
        post(self.mock, ANDROID, json.dumps(
            {"message": "hi", "phoneNumbers": ["+919800000004"]}), JSON)
        r = self.mock.wait_for(2, timeout=5)
        self.assertEqual(r[0].method, "POST")
        self.assertEqual(r[0].path, TWILIO)
        self.assertEqual(r[0].style, "twilio")
        self.assertEqual(r[0].field("Body"), "नमस्ते")
        self.assertEqual(r[0].auth(), ("AC1", "tok"))
        self.assertEqual(r[0].status, 201)
        self.assertEqual(r[0].headers["content-type"],
                         "application/x-www-form-urlencoded")
        self.assertEqual(r[1].json["phoneNumbers"], ["+919800000004"])

    def test_queued_answers_come_first_then_the_default(self):
        self.mock.push("twilio", 429, {"code": 20429}, {"Retry-After": "2"})
        self.mock.push(TWILIO, 500, "oops")
        st, hdrs, data = post(self.mock, TWILIO, form(To="+9198"), FORM)
        self.assertEqual((st, data), (500, b"oops"))   # exact path first
        st, hdrs, data = post(self.mock, TWILIO, form(To="+9198"), FORM)
        self.assertEqual(st, 429)
        self.assertEqual(hdrs["Retry-After"], "2")
        self.assertEqual(json.loads(data), {"code": 20429})
        st, _, _ = post(self.mock, TWILIO, form(To="+9198"), FORM)
        self.assertEqual(st, 201)
        self.assertEqual(self.mock.count("+9198"), 3)
        self.assertEqual(self.mock.count("+9198", accepted=True), 1)

    def test_counts_per_destination(self):
        post(self.mock, TWILIO, form(To="+919800000001"), FORM)
        post(self.mock, TWILIO, form(To="+919800000001"), FORM)
        post(self.mock, PLIVO, json.dumps(
            {"dst": "+919800000001<+919800000002"}), JSON)
        post(self.mock, ANDROID, json.dumps(
            {"phoneNumbers": ["+919800000002"]}), JSON)
        self.assertEqual(self.mock.counts(), {"+919800000001": 3,
                                              "+919800000002": 2})
        self.assertEqual(self.mock.count(), 4)
        self.mock.clear()
        self.assertEqual(self.mock.count(), 0)

    def test_delay_and_bounded_waits(self):
        self.mock.push("android", 202, {"id": "x"}, delay=0.3)
        t0 = time.monotonic()
        st, _, _ = post(self.mock, ANDROID, "{}", JSON)
        self.assertEqual(st, 202)
        self.assertGreaterEqual(time.monotonic() - t0, 0.3)
        t0 = time.monotonic()
        with self.assertRaises(AssertionError):
            self.mock.wait_for(5, timeout=0.2)
        self.assertLess(time.monotonic() - t0, 2)

    def test_wait_for_wakes_on_arrival_and_stop_cuts_delays(self):
        self.mock.push("twilio", 201, {"sid": "SMslow"}, delay=30)
        errors = []

        def slow():
            try:
                post(self.mock, TWILIO, form(To="+1"), FORM, timeout=20)
            except OSError as e:
                errors.append(e)
        t = threading.Thread(target=slow)
        t.start()
        self.mock.wait_for(1, timeout=5)   # recorded before the delay
        t0 = time.monotonic()
        self.mock.stop()
        t.join(timeout=10)
        self.assertFalse(t.is_alive())
        self.assertLess(time.monotonic() - t0, 5)


if __name__ == "__main__":
    unittest.main()
