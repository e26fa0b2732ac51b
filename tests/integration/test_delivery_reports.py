"""Delivery reports (POST /status/<provider>) for messages the daemon sent
through the mock provider: verification, state order, duplicates, and
unknown ids."""
import unittest

from harness import TWILIO_TOKEN
from mockprovider import MockProvider
from outboundlib import (ANDROID_URL_TOKEN, ENGLISH, EXOTEL_URL_TOKEN, HINDI,
                         TO, TWILIO_SID, db_query, form_post, json_post,
                         outbox, plivo_post, provider_daemon, send,
                         wait_state)


class Reports(unittest.TestCase):
    provider = None

    def setUp(self):
        self.mock = MockProvider().start()
        self.d = None

    def tearDown(self):
        if self.d is not None:
            self.d.stop()
        self.mock.stop()

    def sent_message(self, provider, text=ENGLISH):
        """Start a daemon for provider and send one message; (id, pid)."""
        if self.d is None:
            self.d = provider_daemon(provider, self.mock).start()
        i = send(self.d, text, provider=provider)
        row = wait_state(self.d, i, "sent")
        self.assertTrue(row.provider_id)
        return i, row.provider_id

    def state(self, i):
        return outbox(self.d)[i]

    def events(self, i, to_state):
        return db_query(self.d, "SELECT count(*) FROM outbox_events"
                        " WHERE outbox_id = ? AND to_state = ?",
                        (i, to_state))[0][0]


class Twilio(Reports):
    def report(self, sid, status, code=None, token=TWILIO_TOKEN,
               signature=None):
        p = [("MessageSid", sid), ("SmsSid", sid), ("MessageStatus", status),
             ("SmsStatus", status), ("AccountSid", TWILIO_SID),
             ("To", TO), ("From", "+15005550006"),
             ("ApiVersion", "2010-04-01")]
        if code is not None:
            p.append(("ErrorCode", code))
        st, _, _ = self.d.twilio(p, token=token, path="/status/twilio",
                                 signature=signature)
        return st

    def test_out_of_order_and_duplicate_reports(self):
        i, sid = self.sent_message("twilio")
        self.assertEqual(self.report(sid, "delivered"), 200)
        self.assertEqual(self.state(i).state, "delivered")
        # "sent" arriving late never takes a message back.
        self.assertEqual(self.report(sid, "sent"), 200)
        self.assertEqual(self.state(i).state, "delivered")
        # The same report twice changes nothing and is recorded once.
        self.assertEqual(self.report(sid, "delivered"), 200)
        self.assertEqual(self.state(i).state, "delivered")
        self.assertEqual(self.events(i, "delivered"), 1)
        # Nor does a final state replace another final one.
        self.assertEqual(self.report(sid, "failed", code="30008"), 200)
        self.assertEqual(self.state(i).state, "delivered")

    def test_undelivered_keeps_the_error_code(self):
        i, sid = self.sent_message("twilio", HINDI)
        self.assertEqual(self.report(sid, "sent"), 200)
        self.assertEqual(self.state(i).state, "sent")
        self.assertEqual(self.report(sid, "undelivered", code="30003"), 200)
        row = self.state(i)
        self.assertEqual(row.state, "undelivered")
        self.assertIn("30003", row.error)

    def test_unknown_id_is_acknowledged(self):
        i, sid = self.sent_message("twilio")
        self.assertEqual(self.report("SM" + "0" * 32, "delivered"), 200)
        self.assertEqual(self.state(i).state, "sent")

    def test_bad_signature_is_refused(self):
        i, sid = self.sent_message("twilio")
        self.assertEqual(self.report(sid, "delivered", token="wrong"), 403)
        self.assertEqual(self.report(sid, "delivered",
                                     signature="AAAA"), 403)
        self.assertEqual(self.state(i).state, "sent")
        # Unsigned: refused too.
        st, _, _ = form_post(self.d, "/status/twilio",
                             {"MessageSid": sid,
                              "MessageStatus": "delivered"})
        self.assertEqual(st, 403)
        self.assertEqual(self.state(i).state, "sent")


class Exotel(Reports):
    def report(self, path, sid, status, detail=None):
        p = {"SmsSid": sid, "Status": status, "To": "09812345678",
             "DateSent": "2024-05-18 16:11:01"}
        if detail:
            p["DetailedStatus"] = detail
        return form_post(self.d, path, p)[0]

    def test_token_in_path_or_query(self):
        i, sid = self.sent_message("exotel", HINDI)
        path = "/status/exotel/" + EXOTEL_URL_TOKEN
        self.assertEqual(self.report(path, sid, "sent",
                                     "DELIVERED_TO_OPERATOR"), 200)
        self.assertEqual(self.state(i).state, "sent")
        self.assertEqual(self.report(
            "/status/exotel?token=" + EXOTEL_URL_TOKEN, sid, "sent",
            "DELIVERED_TO_HANDSET"), 200)
        self.assertEqual(self.state(i).state, "delivered")
        self.assertEqual(self.report(path, sid, "sent"), 200)
        self.assertEqual(self.state(i).state, "delivered")
        self.assertEqual(self.report(path, "f" * 32, "delivered"), 200)

    def test_wrong_or_missing_token_is_refused(self):
        i, sid = self.sent_message("exotel")
        for path in ("/status/exotel/not-the-token",
                     "/status/exotel?token=not-the-token",
                     "/status/exotel"):
            self.assertEqual(self.report(path, sid, "failed",
                                         "FAILED_DND"), 403, path)
        self.assertEqual(self.state(i).state, "sent")

    def test_failed_report(self):
        i, sid = self.sent_message("exotel")
        self.assertEqual(self.report("/status/exotel/" + EXOTEL_URL_TOKEN,
                                     sid, "failed", "FAILED_DND"), 200)
        self.assertEqual(self.state(i).state, "failed")


class Plivo(Reports):
    def params(self, uuid, status, code=None):
        p = {"MessageUUID": uuid, "Status": status, "To": TO[1:],
             "From": "918045678901", "Type": "sms", "Units": "1",
             "TotalRate": "0.0035", "TotalAmount": "0.0035",
             "MCC": "404", "MNC": "10", "Sequence": "1",
             "MessageTime": "2024-05-18 16:11:01"}
        if code:
            p["ErrorCode"] = code
        return p

    def test_signed_reports(self):
        i, uuid = self.sent_message("plivo", HINDI)
        st, _, _ = plivo_post(self.d, "/status/plivo",
                              self.params(uuid, "delivered"))
        self.assertEqual(st, 200)
        self.assertEqual(self.state(i).state, "delivered")
        st, _, _ = plivo_post(self.d, "/status/plivo",
                              self.params(uuid, "sent"), nonce="2")
        self.assertEqual(st, 200)
        self.assertEqual(self.state(i).state, "delivered")
        st, _, _ = plivo_post(self.d, "/status/plivo", self.params(
            "00000000-0000-0000-0000-000000000000", "delivered"))
        self.assertEqual(st, 200)

    def test_bad_signature_is_refused(self):
        i, uuid = self.sent_message("plivo")
        st, _, _ = plivo_post(self.d, "/status/plivo",
                              self.params(uuid, "failed", "50"),
                              token="not-the-token")
        self.assertEqual(st, 403)
        st, _, _ = form_post(self.d, "/status/plivo",
                             self.params(uuid, "failed", "50"))
        self.assertEqual(st, 403)
        self.assertEqual(self.state(i).state, "sent")
        # Properly signed, the same report counts.
        st, _, _ = plivo_post(self.d, "/status/plivo",
                              self.params(uuid, "failed", "50"))
        self.assertEqual(st, 200)
        row = self.state(i)
        self.assertEqual(row.state, "failed")
        self.assertIn("50", row.error)


class Android(Reports):
    def event(self, event, payload, token=ANDROID_URL_TOKEN):
        path = "/status/android" + ("/" + token if token else "")
        return json_post(self.d, path, {
            "deviceId": "ffffffffceb0b1db0000018e937c815b",
            "event": event, "id": "Ey6ECgOkVVFjz3CL48B8C",
            "payload": payload, "webhookId": "LreFUt-Z3sSq0JufY9uWB"})[0]

    def test_delivered_event(self):
        i, mid = self.sent_message("android", HINDI)
        self.assertEqual(self.event("sms:sent", {
            "messageId": mid, "phoneNumber": TO,
            "sentAt": "2024-05-18T16:11:01.000+05:30"}), 200)
        self.assertEqual(self.state(i).state, "sent")
        self.assertEqual(self.event("sms:delivered", {
            "messageId": mid, "phoneNumber": TO,
            "deliveredAt": "2024-05-18T16:11:03.000+05:30"}), 200)
        self.assertEqual(self.state(i).state, "delivered")
        self.assertEqual(self.event("sms:delivered", {"messageId": mid}),
                         200)
        self.assertEqual(self.events(i, "delivered"), 1)
        # Events we do not track are acknowledged and change nothing.
        self.assertEqual(self.event("system:ping", {"health": {}}), 200)
        self.assertEqual(self.event("sms:delivered",
                                    {"messageId": "nosuchid"}), 200)
        self.assertEqual(self.state(i).state, "delivered")

    def test_wrong_token_is_refused(self):
        i, mid = self.sent_message("android")
        self.assertEqual(self.event("sms:failed", {
            "messageId": mid, "reason": "RESULT_ERROR_GENERIC_FAILURE"},
            token="wrong"), 403)
        self.assertEqual(self.event("sms:failed", {"messageId": mid},
                                    token=None), 403)
        self.assertEqual(self.state(i).state, "sent")
        self.assertEqual(self.event("sms:failed", {
            "messageId": mid, "reason": "RESULT_ERROR_GENERIC_FAILURE"}),
            200)
        self.assertEqual(self.state(i).state, "failed")



if __name__ == "__main__":
    unittest.main()
