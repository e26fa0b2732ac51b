"""Contacts end to end: JOIN / NAME / LANG / STOP / START over the console
and Twilio providers, the opt-out rule (after STOP nothing is ever sent
until START, whether as a reply or from the outbox), the contacts import
and listing, and named groups by CLI and admin API with role checks."""
import json
import os
import re
import unittest

from harness import Daemon
from mockprovider import MockProvider
from outboundlib import PROVIDERS, TO, db_query, outbox, provider_daemon, \
    send, wait_state, wait_until

COORD = "coordinator-token-0123456789ab"
ANALYST = "analyst-token-0123456789abcdef"
ADMIN = "admin-token-0123456789abcdef"
TOKENS = {"SAMPARK_COORDINATOR_TOKEN": COORD,
          "SAMPARK_ANALYST_TOKEN": ANALYST, "SAMPARK_ADMIN_TOKEN": ADMIN}
ALICE = "+919876500001"
# These tests answer fast and repeat words on purpose: no abuse limits.
NO_LIMITS = []
for _k in ("loop_fast_strikes", "loop_repeats", "inbound_per_hour",
           "replies_per_day"):
    NO_LIMITS += ["--set", _k + "=0"]


def contact_row(d, phone):
    rows = db_query(d, "SELECT name, district, language, opted_out_ms"
                    " FROM contacts WHERE phone = ?", (phone,))
    return rows[0] if rows else None


class Console(unittest.TestCase):
    def setUp(self):
        self.d = Daemon(extra_args=NO_LIMITS).start()

    def tearDown(self):
        self.d.stop()

    def test_join_name_lang(self):
        status, reply = self.d.console(ALICE, "JOIN Bhadohi Sunita Devi")
        self.assertEqual(status, 200)
        self.assertIn("Sunita Devi", reply)
        self.assertIn("भदोही", reply)           # default language Hindi
        self.assertEqual(contact_row(self.d, ALICE)[:3],
                         ("Sunita Devi", "bhadohi", "hi"))
        status, reply = self.d.console(ALICE, "LANG EN")
        self.assertEqual(status, 200)
        self.assertIn("English", reply)
        status, reply = self.d.console(ALICE, "NAME Sunita Kumari")
        self.assertIn("Sunita Kumari", reply)
        self.assertEqual(contact_row(self.d, ALICE)[:3],
                         ("Sunita Kumari", "bhadohi", "en"))
        status, reply = self.d.console(ALICE, "भाषा हिंदी")
        self.assertEqual(contact_row(self.d, ALICE)[2], "hi")
        status, reply = self.d.console(ALICE, "bhasha english")
        self.assertEqual(contact_row(self.d, ALICE)[2], "en")

    def test_stop_then_silence_then_start(self):
        status, reply = self.d.console(ALICE, "STOP")
        self.assertEqual(status, 200)
        self.assertTrue(reply.strip())          # one confirmation
        self.assertGreater(contact_row(self.d, ALICE)[3], 0)
        for i, text in enumerate(["loan bhadohi", "help", "STOP", "hello?",
                                  "बंद"]):
            status, reply = self.d.console(ALICE, text, "s%d" % i)
            self.assertEqual((status, reply), (200, ""), text)
        status, reply = self.d.console(ALICE, "START")
        self.assertEqual(status, 200)
        self.assertTrue(reply.strip())
        self.assertEqual(contact_row(self.d, ALICE)[3], 0)
        status, reply = self.d.console(ALICE, "loan bhadohi")
        self.assertRegex(reply, r"\+9100000\d{5}")
        # Every inbound was logged, and only 3 replies went out.
        rows = db_query(self.d, "SELECT direction, count(*) FROM"
                        " interactions WHERE phone = ? GROUP BY direction",
                        (ALICE,))
        self.assertEqual(dict(rows), {"in": 8, "out": 3})

    def test_hindi_stop_words(self):
        for i, word in enumerate(["बंद", "रोकें", "band", "UNSUBSCRIBE",
                                  "quit", "end", "cancel", "stopall"]):
            phone = "+9198765001%02d" % i
            status, reply = self.d.console(phone, word)
            self.assertEqual(status, 200)
            self.assertTrue(reply.strip(), word)
            self.assertGreater(contact_row(self.d, phone)[3], 0, word)
            self.assertEqual(self.d.console(phone, "help")[1], "", word)


class Twilio(unittest.TestCase):
    def setUp(self):
        self.d = Daemon(extra_args=NO_LIMITS).start()
        self.n = 0

    def tearDown(self):
        self.d.stop()

    def say(self, body, sender=ALICE):
        self.n += 1
        params = [("AccountSid", "AC" + "0" * 32), ("Body", body),
                  ("From", sender), ("MessageSid", "SM%032d" % self.n),
                  ("To", "+15005550006")]
        status, ctype, xml = self.d.twilio(params)
        self.assertEqual(status, 200, xml)
        self.assertTrue(ctype.startswith("text/xml"))
        return re.findall(r"<Message>([^<]*)</Message>", xml), xml

    def test_join_lang_stop_start(self):
        msgs, _ = self.say("join mirzapur Asha")
        self.assertEqual(len(msgs), 1)
        self.assertIn("Asha", msgs[0])
        msgs, _ = self.say("lang en")
        self.assertIn("English", msgs[0])
        self.assertEqual(contact_row(self.d, ALICE)[:3],
                         ("Asha", "mirzapur", "en"))
        msgs, _ = self.say("STOP")
        self.assertEqual(len(msgs), 1)
        for text in ("loan", "stop", "menu"):
            msgs, xml = self.say(text)
            self.assertEqual(msgs, [], text)
            self.assertTrue(xml.endswith("<Response/>"), xml)
        msgs, _ = self.say("START")
        self.assertEqual(len(msgs), 1)
        msgs, _ = self.say("help")
        self.assertEqual(len(msgs), 1)


class OutboxHonoursOptOut(unittest.TestCase):
    """Replies through the outbox (twilio.reply=outbox) and `sampark send`
    against the mock provider."""

    def setUp(self):
        self.mock = MockProvider().start()
        self.d = provider_daemon("twilio", self.mock,
                                 settings={"reply": "outbox"})
        self.d.extra_args += NO_LIMITS
        self.d.start()
        self.n = 0

    def tearDown(self):
        self.d.stop()
        self.mock.stop()

    def say(self, body):
        self.n += 1
        params = [("AccountSid", PROVIDERS["twilio"]["set"]["account_sid"]),
                  ("Body", body),
                  ("From", TO), ("MessageSid", "SM%032d" % self.n),
                  ("To", "+15005550006")]
        status, _, xml = self.d.twilio(params)
        self.assertEqual(status, 200, xml)
        self.assertNotIn("<Message>", xml)

    def test_opted_out_number_receives_nothing(self):
        before = send(self.d, "queued before STOP", provider="twilio")
        wait_state(self.d, before, "sent")
        self.say("STOP")
        # The confirmation itself goes out.
        wait_until(lambda: self.mock.count(to=TO) == 2, 10,
                   "STOP confirmation sent")
        after = send(self.d, "a notice after STOP", provider="twilio")
        row = wait_state(self.d, after, "failed")
        self.assertIn("opted out", row.error)
        self.say("help")                    # no reply queued at all
        self.assertEqual(len(outbox(self.d)), 3)
        self.assertEqual(self.mock.count(to=TO), 2)
        # START: a confirmation, and messages flow again.
        self.say("START")
        wait_until(lambda: self.mock.count(to=TO) == 3, 10,
                   "START confirmation sent")
        again = send(self.d, "welcome back notice", provider="twilio")
        wait_state(self.d, again, "sent")
        self.assertEqual(self.mock.count(to=TO), 4)
        reasons = db_query(self.d, "SELECT reason FROM outbox WHERE id = ?",
                           (after,))
        self.assertEqual(reasons, [("opted out",)])


CSV = """phone,name,district,language,role,groups
9876500001,Sunita Devi,bhadohi,hi,entrepreneur,weavers-shg|Bhadohi-Core
+919876500002,Asha,mirzapur,en,coordinator,
9876500003,,samastipur,,,weavers-shg
"""

BAD_CSV = """phone,name,district,language,role,groups
123,x,bhadohi,hi,entrepreneur,
9876500004,y,nowhere,fr,boss,a||b
9876500005,z
9876500006,ok,bhadohi,hi,,
"""


class ContactsCli(unittest.TestCase):
    def setUp(self):
        self.d = Daemon()

    def tearDown(self):
        self.d.stop()

    def write(self, name, text):
        path = os.path.join(self.d.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def cli(self, *args):
        r = self.d.cli(*args)
        return r.returncode, r.stdout.decode(), r.stderr.decode()

    def test_import_errors_name_every_line_and_import_nothing(self):
        path = self.write("bad.csv", BAD_CSV)
        rc, out, err = self.cli("import", "contacts", path)
        self.assertEqual(rc, 1)
        for line, why in ((2, "bad phone"), (3, "unknown district"),
                          (3, "language must be"), (3, "role must be"),
                          (4, "expected 6 fields")):
            self.assertIn("%s:%d: %s" % (path, line, why), err)
        self.assertIn("nothing imported", err)
        rc, out, _ = self.cli("contacts", "--reveal-phones")
        self.assertEqual(rc, 0)
        self.assertNotIn("+919876500006", out)
        self.assertIn("0 contacts", out)
        rc, _, err = self.cli("import", "contacts",
                              self.write("h.csv", "phone,name\n1,2\n"))
        self.assertEqual(rc, 1)
        self.assertIn("h.csv:1: header must be phone,name,district,"
                      "language,role,groups", err)

    def test_import_and_list(self):
        rc, out, err = self.cli("import", "contacts",
                                self.write("c.csv", CSV))
        self.assertEqual(rc, 0, err)
        self.assertIn("imported 3 contacts", out)
        rc, out, _ = self.cli("contacts")
        self.assertIn("3 contacts", out)
        self.assertNotIn("+919876500001", out)      # masked by default
        self.assertIn("0001", out)
        rc, out, _ = self.cli("contacts", "--group", "weavers-shg",
                              "--reveal-phones")
        self.assertIn("+919876500001", out)
        self.assertIn("+919876500003", out)
        self.assertNotIn("+919876500002", out)
        self.assertIn("2 contacts", out)
        rc, out, _ = self.cli("contacts", "--group", "Weavers-SHG",
                              "--district", "bhadohi", "--reveal-phones")
        self.assertIn("+919876500001", out)
        self.assertIn("1 contact\n", out)
        rc, out, _ = self.cli("contacts", "--district", "mirzapur")
        self.assertIn("coordinator", out)
        self.assertIn("1 contact\n", out)
        rc, out, _ = self.cli("contacts", "--district", "मिर्ज़ापुर")
        self.assertIn("1 contact\n", out)
        # A typo is named, not listed as nobody.
        rc, out, err = self.cli("contacts", "--group", "weaver-shg")
        self.assertEqual(rc, 1)
        self.assertIn('no group "weaver-shg"; closest: weavers-shg', err)

    def test_group_commands(self):
        rc, out, _ = self.cli("group", "create", "Sellers")
        self.assertEqual((rc, out), (0, "group sellers created\n"))
        rc, out, _ = self.cli("group", "create", "sellers")
        self.assertIn("already exists", out)
        rc, out, err = self.cli("group", "add", "sellers", "9876500011",
                                "+919876500012")
        self.assertEqual(rc, 0, err)
        rc, _, err = self.cli("group", "add", "sellers", "12345")
        self.assertEqual(rc, 1)
        self.assertIn("bad phone", err)
        rc, out, _ = self.cli("group", "list")
        self.assertRegex(out, r"sellers\s+2 ")
        rc, out, _ = self.cli("group", "show", "sellers", "--reveal-phones")
        self.assertIn("+919876500011", out)
        self.assertIn("2 members", out)
        rc, out, _ = self.cli("group", "remove", "sellers", "9876500011")
        self.assertEqual(rc, 0)
        rc, out, _ = self.cli("contacts", "--group", "sellers",
                              "--reveal-phones")
        self.assertNotIn("+919876500011", out)
        self.assertIn("+919876500012", out)
        rc, _, err = self.cli("group", "add", "nosuch", "9876500011")
        self.assertEqual(rc, 1)
        self.assertIn("no group", err)
        rc, _, err = self.cli("group", "create", "bad name")
        self.assertEqual(rc, 2)
        rc, out, _ = self.cli("group", "delete", "sellers")
        self.assertEqual(rc, 0)
        rc, out, _ = self.cli("group", "list")
        self.assertNotIn("sellers", out)


class GroupsApi(unittest.TestCase):
    def setUp(self):
        self.d = Daemon(env=TOKENS).start()

    def tearDown(self):
        self.d.stop()

    def call(self, method, path, token=COORD, body=None):
        data = json.dumps(body) if body is not None else None
        status, _, raw = self.d.admin(method, path, token, data,
                                      {"Content-Type": "application/json"})
        return status, json.loads(raw) if raw.strip() else None

    def test_roles(self):
        self.assertEqual(self.call("GET", "/api/v1/groups")[0], 200)
        self.assertEqual(self.call("GET", "/api/v1/groups", ADMIN)[0], 200)
        self.assertEqual(self.call("GET", "/api/v1/groups", ANALYST)[0], 403)
        self.assertEqual(self.call("POST", "/api/v1/groups", ANALYST,
                                   {"name": "x"})[0], 403)
        self.assertEqual(self.call("DELETE", "/api/v1/groups/x",
                                   ANALYST)[0], 403)
        self.assertEqual(self.call("GET", "/api/v1/groups", None)[0], 401)

    def test_crud(self):
        s, b = self.call("POST", "/api/v1/groups", body={"name": "Weavers"})
        self.assertEqual((s, b["name"], b["created"]), (201, "weavers", True))
        s, b = self.call("POST", "/api/v1/groups", body={"name": "weavers"})
        self.assertEqual((s, b["created"]), (200, False))
        self.assertEqual(self.call("POST", "/api/v1/groups",
                                   body={"name": "a b"})[0], 400)
        self.assertEqual(self.call("POST", "/api/v1/groups",
                                   body=["x"])[0], 400)
        s, b = self.call("POST", "/api/v1/groups/weavers/members",
                         body={"phones": ["9876500021", "+919876500022"]})
        self.assertEqual((s, b["added"]), (200, 2), b)
        s, b = self.call("POST", "/api/v1/groups/weavers/members",
                         body={"phones": ["9876500021", "123"]})
        self.assertEqual(s, 400)
        self.assertEqual(b["bad"][0]["index"], 1)
        s, b = self.call("GET", "/api/v1/groups/weavers")
        self.assertEqual((s, b["members"]), (200, 2))
        # Masked as the CLI masks them (whole numbers: test_reveal_phones).
        self.assertEqual(sorted(c["phone"] for c in b["contacts"]),
                         ["+********0021", "+********0022"])
        s, b = self.call("GET", "/api/v1/groups")
        self.assertEqual([(g["name"], g["members"]) for g in b["groups"]],
                         [("weavers", 2)])
        s, b = self.call("DELETE", "/api/v1/groups/weavers/members",
                         body={"phones": ["9876500021", "9876500099"]})
        self.assertEqual((s, b["removed"], b["not_members"]), (200, 1, 1))
        self.assertEqual(self.call("GET", "/api/v1/groups/nosuch")[0], 404)
        self.assertEqual(self.call("POST", "/api/v1/groups/nosuch/members",
                                   body={"phones": ["9876500021"]})[0], 404)
        self.assertEqual(self.call("GET", "/api/v1/groups/weavers/x")[0],
                         404)
        s, b = self.call("DELETE", "/api/v1/groups/weavers")
        self.assertEqual(s, 200)
        self.assertEqual(self.call("DELETE", "/api/v1/groups/weavers")[0],
                         404)
        # The CLI sees what the API did.
        r = self.d.cli("group", "list")
        self.assertNotIn(b"weavers", r.stdout)

    def test_reveal_phones(self):
        self.assertEqual(self.call("POST", "/api/v1/groups",
                                   body={"name": "potters"})[0], 201)
        s, b = self.call("POST", "/api/v1/groups/potters/members",
                         body={"phones": ["9876500031"]})
        self.assertEqual(s, 200, b)
        for token in (COORD, ADMIN):
            s, b = self.call("GET", "/api/v1/groups/potters", token)
            self.assertEqual(s, 200)
            self.assertEqual(b["phones"], "masked")
            self.assertEqual([c["phone"] for c in b["contacts"]],
                             ["+********0031"])
            self.assertNotIn("9876500031", json.dumps(b))
        # Whole numbers: asked for, and only for the admin role.
        s, b = self.call("GET", "/api/v1/groups/potters?reveal=phones",
                         COORD)
        self.assertEqual(s, 403)
        self.assertNotIn("9876500031", json.dumps(b))
        s, b = self.call("GET", "/api/v1/groups/potters?reveal=phones",
                         ADMIN)
        self.assertEqual((s, b["phones"]), (200, "revealed"))
        self.assertEqual([c["phone"] for c in b["contacts"]],
                         ["+919876500031"])
        self.assertEqual(self.call("GET", "/api/v1/groups/potters?reveal=all",
                                   ADMIN)[0], 400)
        log = self.d.read_log()
        self.assertIn(b"event=group_reveal_phones group=potters contacts=1 "
                      b"role=admin", log)
        # The CLI agrees: masked unless --reveal-phones.
        out = self.d.cli("group", "show", "potters").stdout.decode()
        self.assertIn("+********0031", out)
        self.assertNotIn("9876500031", out)


if __name__ == "__main__":
    unittest.main()
