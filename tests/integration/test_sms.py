"""The foundation end to end: keywords in Hindi, Hinglish and English reach
the loan stakeholders of the sender's district, over console and Twilio."""
import re
import unittest

from harness import Daemon

SENDER = "+919876500001"
PHONE_RE = re.compile(r"\+9100000\d{5}")


class SmsKeywords(unittest.TestCase):
    def setUp(self):
        self.d = Daemon().start()

    def tearDown(self):
        self.d.stop()

    def test_loan_with_district_lists_bhadohi_loan_stakeholders(self):
        status, reply = self.d.console(SENDER, "loan bhadohi")
        self.assertEqual(status, 200)
        self.assertIn("भदोही", reply)        # default language is Hindi
        self.assertTrue(PHONE_RE.search(reply), reply)
        self.assertNotIn("Mirzapur", reply)

    def test_every_spelling_of_loan_gets_the_same_answer(self):
        _, first = self.d.console(SENDER, "LOAN BHADOHI")
        for i, text in enumerate(["rin", "ऋण", "लोन", "karza", "1", "laon",
                                  "Loan!!", "ｌｏａｎ"]):
            status, reply = self.d.console(SENDER, text, "m%d" % i)
            self.assertEqual(status, 200, text)
            self.assertEqual(reply, first, text)

    def test_reply_fits_two_sms_and_pages_behind_more(self):
        import json
        import subprocess
        _, reply = self.d.console(SENDER, "loan bhadohi")
        units = len(reply.rstrip("\n").encode("utf-16-le")) // 2
        self.assertLessEqual(units, 134, reply)
        rows = self.d.export()
        out = [r for r in rows if r["direction"] == "out"]
        self.assertEqual(out[-1]["encoding"], "UCS-2")
        self.assertLessEqual(out[-1]["segments"], 2)
        if "MORE" in reply or "और" in reply:
            status, more = self.d.console(SENDER, "more")
            self.assertEqual(status, 200)
            self.assertTrue(PHONE_RE.search(more), more)
            self.assertNotEqual(more, reply)

    def test_unknown_district_is_asked_for_and_remembered(self):
        status, ask = self.d.console("+919876500002", "loan")
        self.assertEqual(status, 200)
        self.assertNotRegex(ask, PHONE_RE)
        status, reply = self.d.console("+919876500002", "Sant Ravidas Nagar")
        self.assertEqual(status, 200)
        self.assertRegex(reply, PHONE_RE)
        self.assertIn("भदोही", reply)
        # The district is now hers: a bare keyword needs no district.
        _, again = self.d.console("+919876500002", "ऋण")
        self.assertEqual(again, reply)

    def test_english_speaker_gets_english_when_default_is_english(self):
        self.d.stop()
        self.d = Daemon(extra_args=["--set", "default_language=en"]).start()
        _, reply = self.d.console(SENDER, "training mirzapur")
        self.assertIn("Mirzapur", reply)
        self.assertRegex(reply, PHONE_RE)
        # Someone writing in Devanagari is answered in Hindi.
        _, hindi = self.d.console("+919876500003", "लोन मिर्ज़ापुर")
        self.assertIn("मिर्ज़ापुर".replace("़", ""), hindi.replace("़", ""))

    def test_unmatched_text_gets_menu_and_is_logged_unmatched(self):
        _, menu = self.d.console(SENDER, "help")
        status, reply = self.d.console(SENDER, "xyzzy plugh")
        self.assertEqual(status, 200)
        self.assertTrue(reply.rstrip().endswith(menu.rstrip()), reply)
        rows = [r for r in self.d.export() if r["direction"] == "in"]
        self.assertEqual(rows[-1]["text"], "xyzzy plugh")
        self.assertIsNone(rows[-1]["keyword"])
        self.assertEqual(rows[-1]["status"], "unmatched")


class Twilio(unittest.TestCase):
    def setUp(self):
        self.d = Daemon().start()

    def tearDown(self):
        self.d.stop()

    def params(self, sid, body="लोन भदोही"):
        return [("AccountSid", "AC" + "0" * 32), ("ApiVersion", "2010-04-01"),
                ("Body", body), ("From", "+919876500010"),
                ("MessageSid", sid), ("NumMedia", "0"), ("NumSegments", "1"),
                ("SmsStatus", "received"), ("To", "+15005550006"),
                ("ToCity", "")]

    def test_signed_webhook_gets_twiml_reply(self):
        status, ctype, body = self.d.twilio(self.params("SM" + "1" * 32))
        self.assertEqual(status, 200)
        self.assertTrue(ctype.startswith("text/xml"))
        self.assertRegex(body, r"^<\?xml version=\"1.0\" encoding=\"UTF-8\"\?>"
                               r"<Response><Message>[^<]+</Message></Response>$")
        self.assertRegex(body, r"\+9100000\d{5}")

    def test_bad_or_missing_signature_is_403_and_not_processed(self):
        p = self.params("SM" + "2" * 32)
        status, _, _ = self.d.twilio(p, signature="AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        self.assertEqual(status, 403)
        status, _, _ = self.d.twilio(p, token=None)
        self.assertEqual(status, 403)
        status, _, _ = self.d.twilio(p, token="another_token")
        self.assertEqual(status, 403)
        self.assertEqual(self.d.export(), [])
        self.assertIn(b"webhook_rejected", self.d.read_log())

    def test_retry_gets_same_reply_and_is_logged_once(self):
        p = self.params("SM" + "3" * 32)
        first = self.d.twilio(p)
        second = self.d.twilio(p)
        self.assertEqual(first[0], 200)
        self.assertEqual(first, second)
        rows = self.d.export()
        self.assertEqual([r["direction"] for r in rows], ["in", "out"])

    def test_no_auth_token_refuses_every_webhook(self):
        self.d.stop()
        self.d = Daemon(env={"SAMPARK_TWILIO_AUTH_TOKEN": ""}).start()
        self.assertIn(b"no auth token", self.d.read_log())
        status, _, _ = self.d.twilio(self.params("SM" + "4" * 32))
        self.assertEqual(status, 403)


if __name__ == "__main__":
    unittest.main()
