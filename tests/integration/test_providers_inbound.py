"""Inbound SMS through Exotel, Plivo and Android (/sms/<provider>): each
provider's verification, inline replies where the webhook answer can carry
them, replies through the outbox to the mock provider otherwise, and
retries of the same inbound message processed once."""
import json
import re
import time
import unittest
import urllib.parse

from mockprovider import MockProvider
from outboundlib import (ANDROID_URL_TOKEN, EXOTEL_URL_TOKEN, PUBLIC,
                         db_query, form_post, json_post, outbox,
                         plivo_post, plivo_v3_signature, plivo_v3_string,
                         provider_daemon, sent_to, vectors_path, wait_until)

SENDER = "+919812345678"
PHONE_RE = re.compile(r"\+?9100000\d{5}")


class PlivoSigner(unittest.TestCase):
    """The test's own V3 signer agrees with the shared vectors (so that a
    403 below means the daemon disagrees, not the test)."""

    def test_vectors(self):
        path = vectors_path()
        if path is None:
            self.skipTest("shared/specs/test-vectors.json not found")
        with open(path, encoding="utf-8") as f:
            vectors = json.load(f)["plivo"]
        checked = 0
        for v in vectors:
            if not v["name"].startswith("v3-"):
                continue
            self.assertEqual(plivo_v3_string(v["method"], v["uri"],
                                             v["params"], v["nonce"]),
                             v["string_to_sign"], v["name"])
            self.assertEqual(plivo_v3_signature(
                v["auth_token"], v["method"], v["uri"], v["params"],
                v["nonce"]), v["expected_signature"], v["name"])
            checked += 1
        self.assertGreaterEqual(checked, 4)


class Inbound(unittest.TestCase):
    provider = None
    settings = None

    def setUp(self):
        self.mock = MockProvider().start()
        self.d = provider_daemon(self.provider, self.mock,
                                 settings=self.settings).start()

    def tearDown(self):
        self.d.stop()
        self.mock.stop()

    def rows(self, direction):
        return [r for r in self.d.export() if r["direction"] == direction]

    def replies_reach_the_mock(self, number=SENDER):
        """Wait until every outbox reply to number was sent through the
        mock; returns the mock's requests for number."""
        def done():
            rows = [r for r in outbox(self.d).values() if r.to == number]
            return rows and all(r.state == "sent" for r in rows) and rows
        rows = wait_until(done, 10, "outbox replies sent")
        reqs = sent_to(self.mock, number)
        self.assertEqual(len(reqs), len(rows))
        for r in rows:
            self.assertEqual(r.provider, self.provider)
        return reqs

    def assert_nothing_more_sent(self, nreq, nrows):
        time.sleep(0.4)         # several outbox_poll_ms
        self.assertEqual(len(self.mock.requests), nreq)
        self.assertEqual(len(outbox(self.d)), nrows)


class Exotel(Inbound):
    provider = "exotel"

    def classic(self, sid, body, token=EXOTEL_URL_TOKEN, method="GET"):
        q = urllib.parse.urlencode([("SmsSid", sid), ("From", "09812345678"),
                                    ("To", "56070"),
                                    ("Date", "2024-05-18 16:11:01"),
                                    ("Body", body)])
        path = "/sms/exotel" + ("/" + token if token else "") + "?" + q
        st, ctype, data = self.d.request(method, path)
        return st, ctype, data.decode("utf-8", "replace")

    def test_classic_get_replies_through_the_api_by_default(self):
        # Exotel's text/plain answer cannot carry a DLT template id: on
        # Indian routes the reply goes through the API, with the ids.
        st, ctype, body = self.classic("c4d2b9f7a1e3", "loan bhadohi")
        self.assertEqual(st, 200, body)
        self.assertEqual(ctype, "text/plain")
        self.assertEqual(body, "")
        reqs = self.replies_reach_the_mock()
        text = "\n".join(r.field("Body") for r in reqs)
        self.assertTrue(PHONE_RE.search(text), text)
        self.assertEqual(reqs[0].field("DltEntityId"), "1101000000000001")

    def test_head_probe_has_the_get_headers(self):
        st, ctype, _ = self.d.request("HEAD", "/sms/exotel/" +
                                      EXOTEL_URL_TOKEN)
        self.assertEqual((st, ctype), (200, "text/plain"))

    def test_classic_get_without_the_token_is_refused(self):
        for token in (None, "wrong-token"):
            st, _, _ = self.classic("a1", "loan", token=token)
            self.assertEqual(st, 403, token)
        self.assertEqual(self.d.export(), [])

    def json_event(self, sid, body, path=None):
        return json_post(self.d, path or "/sms/exotel?token=" +
                         EXOTEL_URL_TOKEN, {
                             "SmsSid": sid, "Direction": "incoming",
                             "Sender": SENDER, "ReceivedOn": "56070",
                             "MessageBody": body,
                             "ReceivedTime": "2024-05-18T16:11:01Z"})

    def test_json_post_replies_through_the_outbox(self):
        st, _, _ = self.json_event("9f8e7d6c5b4a", "लोन भदोही")
        self.assertEqual(st, 200)
        reqs = self.replies_reach_the_mock()
        self.assertGreaterEqual(len(reqs), 1)
        text = "\n".join(r.field("Body") for r in reqs)
        self.assertIn("भदोही", text)
        self.assertTrue(PHONE_RE.search(text), text)
        self.assertEqual(reqs[0].field("EncodingType"), "unicode")
        n, rows = len(self.mock.requests), len(outbox(self.d))
        # Exotel retries the webhook: not processed, nothing sent again.
        st, _, _ = self.json_event("9f8e7d6c5b4a", "लोन भदोही")
        self.assertEqual(st, 200)
        self.assertEqual(len(self.rows("in")), 1)
        self.assert_nothing_more_sent(n, rows)

    def test_json_post_with_wrong_token_is_refused(self):
        st, _, _ = self.json_event("x1", "loan", "/sms/exotel/wrong")
        self.assertEqual(st, 403)
        st, _, _ = self.json_event("x1", "loan", "/sms/exotel")
        self.assertEqual(st, 403)
        self.assertEqual(self.d.export(), [])


class ExotelInline(Inbound):
    """reply_mode = inline: the classic applet's text/plain answer."""
    provider = "exotel"
    settings = {"reply_mode": "inline"}
    classic = Exotel.classic

    def test_classic_get_is_answered_inline_in_text_plain(self):
        st, ctype, body = self.classic("b3c1a8e6f0d2", "loan bhadohi")
        self.assertEqual(st, 200, body)
        self.assertEqual(ctype, "text/plain")
        self.assertIn("भदोही", body)
        self.assertTrue(PHONE_RE.search(body), body)
        # Same SmsSid again: the same answer, recorded once, nothing sent.
        self.assertEqual(self.classic("b3c1a8e6f0d2", "loan bhadohi"),
                         (st, ctype, body))
        ins = self.rows("in")
        self.assertEqual(len(ins), 1)
        self.assertEqual(ins[0]["provider"], "exotel")
        self.assertEqual(ins[0]["provider_msg_id"], "b3c1a8e6f0d2")
        self.assert_nothing_more_sent(0, 0)


class Plivo(Inbound):
    provider = "plivo"

    def params(self, uuid, text="loan bhadohi"):
        return {"From": SENDER[1:], "To": "918045678901", "Text": text,
                "Type": "sms", "MessageUUID": uuid, "Units": "1",
                "TotalRate": "0", "TotalAmount": "0", "MessageIntent": "",
                "PowerpackUUID": ""}

    def test_signed_post_replies_through_the_api_by_default(self):
        # Plivo XML carries no DLT fields: the reply goes through the API.
        uuid = "3936ec98-7c4c-11e4-9bd8-22000afa12b9"
        st, ctype, body = plivo_post(self.d, "/sms/plivo", self.params(uuid))
        self.assertEqual(st, 200, body)
        self.assertNotIn("<Message", body)
        reqs = self.replies_reach_the_mock()
        text = "\n".join(r.field("text") for r in reqs)
        self.assertTrue(PHONE_RE.search(text), text)

    def test_query_in_url_is_signed_too(self):
        uuid = "1936ec98-7c4c-11e4-9bd8-22000afa12b9"
        st, _, body = plivo_post(self.d, "/sms/plivo?b=2&a=1",
                                 self.params(uuid))
        self.assertEqual(st, 200, body)

    def test_bad_signature_is_refused(self):
        p = self.params("2936ec98-7c4c-11e4-9bd8-22000afa12b9")
        self.assertEqual(plivo_post(self.d, "/sms/plivo", p,
                                    token="other")[0], 403)
        self.assertEqual(form_post(self.d, "/sms/plivo", p)[0], 403)
        # Signed for other fields than those posted.
        sig = plivo_v3_signature("plivo_auth_token_for_tests", "POST",
                                 PUBLIC + "/sms/plivo", p, "7")
        p2 = dict(p, Text="loan mirzapur")
        self.assertEqual(plivo_post(self.d, "/sms/plivo", p2, nonce="7",
                                    signature=sig)[0], 403)
        self.assertEqual(self.d.export(), [])



class PlivoInline(Inbound):
    """reply_mode = inline: the reply in the Plivo XML answer."""
    provider = "plivo"
    settings = {"reply_mode": "inline"}
    params = Plivo.params

    def test_signed_post_gets_plivo_xml(self):
        uuid = "0936ec98-7c4c-11e4-9bd8-22000afa12b9"
        st, ctype, body = plivo_post(self.d, "/sms/plivo", self.params(uuid))
        self.assertEqual(st, 200, body)
        self.assertTrue(ctype.startswith("application/xml"), ctype)
        self.assertRegex(body, r'^<Response>(<Message src="918045678901" '
                               r'dst="919812345678" type="sms">[^<]+'
                               r'</Message>)+</Response>$')
        self.assertTrue(PHONE_RE.search(body), body)
        again = plivo_post(self.d, "/sms/plivo", self.params(uuid),
                           nonce="99")
        self.assertEqual(again, (st, ctype, body))
        ins = self.rows("in")
        self.assertEqual(len(ins), 1)
        self.assertEqual(ins[0]["contact"], self.rows("out")[0]["contact"])
        self.assert_nothing_more_sent(0, 0)

class Android(Inbound):
    provider = "android"

    def received(self, event_id, text, token=ANDROID_URL_TOKEN, query=False):
        if token is None:
            path = "/sms/android"
        elif query:
            path = "/sms/android?token=" + token
        else:
            path = "/sms/android/" + token
        return json_post(self.d, path, {
            "deviceId": "ffffffffceb0b1db0000018e937c815b",
            "event": "sms:received", "id": event_id,
            "webhookId": "LreFUt-Z3sSq0JufY9uWB",
            "payload": {"messageId": "abc", "message": text,
                        "phoneNumber": SENDER, "simNumber": 1,
                        "receivedAt": "2024-05-18T16:11:01.000+05:30"}})

    def test_received_replies_through_the_outbox(self):
        st, ctype, body = self.received("Ey6ECgOkVVFjz3CL48B8C",
                                        "loan bhadohi")
        self.assertEqual(st, 200, body)
        reqs = self.replies_reach_the_mock()
        self.assertGreaterEqual(len(reqs), 1)
        for r in reqs:
            self.assertEqual(r.field("phoneNumbers"), [SENDER])
        text = "\n".join(r.field("textMessage")["text"] for r in reqs)
        self.assertTrue(PHONE_RE.search(text), text)
        n, rows = len(self.mock.requests), len(outbox(self.d))
        st, _, _ = self.received("Ey6ECgOkVVFjz3CL48B8C", "loan bhadohi",
                                 query=True)
        self.assertEqual(st, 200)
        self.assertEqual(len(self.rows("in")), 1)
        self.assert_nothing_more_sent(n, rows)
        # The replies' rows point at the one inbound message.
        self.assertEqual(db_query(
            self.d, "SELECT count(DISTINCT reply_to) FROM outbox")[0][0], 1)

    def test_wrong_token_is_refused(self):
        for token in ("wrong", None):
            st, _, _ = self.received("e1", "loan", token=token)
            self.assertEqual(st, 403, token)
        self.assertEqual(self.d.export(), [])
        self.assert_nothing_more_sent(0, 0)



if __name__ == "__main__":
    unittest.main()
