"""The admin API the coordinators' console uses, end to end through the
mock provider: a contacts import that lists every problem of every row
and writes nothing until the file is good; a group with a Hindi name; a
meeting notice to it; YES / NO replies; the people by answer (phones
masked for a coordinator); a message to those who said YES; the meeting
called off with a notice to them; the outbox with why each message waits;
templates and the schedule; the same actions in the CLI."""
import re
import unittest
from urllib.parse import quote

from consolelib import ADMIN, api, in_days, start_daemon, texts_to, \
    wait_texts
from mockprovider import MockProvider
from outboundlib import db_query, wait_until

SUNITA = "+919800000101"
REKHA = "+919800000102"
ASHA = "+919800000103"
FAR = "+919800000104"

BAD = ("Mobile No,Naam,Zila,Bhasha,Role,Group\n"
       "98000 00101,Sunita,Mirzapur,Hindi,Coordinator,सिलाई समूह\n"
       "12345,Rekha,Mirzpurr,French,boss,सिलाई समूह\n"
       "9800000103,Asha,मिर्ज़ापुर,en,,सिलाई समूह\n"
       "9800000101,Again,mirzapur,hi,,\n")
GOOD = ("Mobile No,Naam,Zila,Bhasha,Role,Group,Notes\r\n"
        "98000 00101,Sunita,Mirzapur,Hindi,Coordinator,सिलाई समूह,x\r\n"
        "9800000102,Rekha,MIRZAPUR,hindi,entrepreneur,सिलाई समूह,\r\n"
        "9800000103,Asha,मिर्ज़ापुर,en,,सिलाई समूह,\r\n"
        "9800000104,Far,Bhadohi,hi,,,\r\n")


class ConsoleApi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.mock = MockProvider().start()
        try:
            cls.d = start_daemon(cls.mock)
        except Exception:
            cls.mock.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.d.stop()
        cls.mock.stop()

    def test_journey(self):
        d, mock = self.d, self.mock
        # The import: every problem of every row, nothing written.
        s, pv = api(d, "POST", "/api/v1/contacts/import", {"csv": BAD})
        self.assertEqual(s, 200, pv)
        self.assertEqual(pv["columns"]["Zila"], "district")
        self.assertEqual(pv["rows"], 4)
        got = {(p["line"], p["column"]) for p in pv["problems"]}
        self.assertEqual(got, {(3, "phone"), (3, "district"),
                               (3, "language"), (3, "role"), (5, "phone")})
        self.assertIn("the same number as line 2",
                      [p["error"] for p in pv["problems"]])
        s, r = api(d, "POST", "/api/v1/contacts/import",
                   {"csv": BAD, "commit": True})
        self.assertEqual(s, 400)
        self.assertEqual(db_query(d, "SELECT count(*) FROM contacts WHERE "
                                  "phone IN (?, ?, ?)",
                                  (SUNITA, REKHA, ASHA))[0][0], 0)
        # A column the page maps by hand: "Notes" is left out.
        s, r = api(d, "POST", "/api/v1/contacts/import",
                   {"csv": GOOD, "commit": True,
                    "columns": {"Notes": None, "Bhasha": "language"}})
        self.assertEqual(s, 200, r)
        self.assertTrue(r["imported"])
        self.assertEqual((r["new"], r["updated"]), (4, 0))
        self.assertIsNone(r["columns"]["Notes"])
        s, groups = api(d, "GET", "/api/v1/groups")
        self.assertIn(("silai-samuh", "सिलाई समूह", 3),
                      [(g["name"], g["display_name"], g["members"])
                       for g in groups["groups"]])

        # Contacts: search, filter, masked phones, edit by ref.
        s, l = api(d, "GET", "/api/v1/contacts?district=mirzapur&q=rek")
        self.assertEqual(s, 200)
        self.assertEqual([c["name"] for c in l["contacts"]], ["Rekha"])
        self.assertEqual(l["contacts"][0]["phone"], "+********0102")
        ref = l["contacts"][0]["ref"]
        s, e = api(d, "POST", "/api/v1/contacts/" + ref,
                   {"name": "Rekha Devi", "district": "Bhadohi"})
        self.assertEqual(s, 200, e)
        self.assertEqual(e["contact"]["district"], "bhadohi")
        s, e = api(d, "POST", "/api/v1/contacts/" + ref,
                   {"district": "Mirzapur", "language": "Hindi"})
        self.assertEqual(s, 200, e)
        s, e = api(d, "POST", "/api/v1/contacts/" + ref,
                   {"district": "Atlantis", "role": "boss"})
        self.assertEqual(s, 400)
        self.assertEqual(len(e["problems"]), 2)
        s, e = api(d, "GET", "/api/v1/contacts/" + ref[:-2] + "00")
        self.assertEqual(s, 404)
        s, a = api(d, "GET", "/api/v1/contacts?q=0102&reveal=phones",
                   token=ADMIN)
        self.assertEqual(a["contacts"][0]["phone"], REKHA)

        # The meeting notice to the group, its people by answer.
        s, t = api(d, "GET", "/api/v1/templates")
        meeting = [x for x in t["templates"] if x["key"] == "meeting"][0]
        self.assertTrue(meeting["meeting"])
        self.assertEqual(t["var_max"], 30)
        s, b = api(d, "POST", "/api/v1/broadcasts", {
            "to": "group:silai-samuh", "template": "meeting",
            "no_reminder": True,
            "meeting": {"title": "SHG meeting", "place": "Chunar block",
                        "time": in_days(3)}})
        self.assertEqual(s, 201, b)
        bid = b["id"]
        for phone in (SUNITA, REKHA, ASHA):
            wait_texts(mock, phone, 1)
        self.assertEqual(texts_to(mock, FAR), [])
        wait_until(lambda: db_query(d, "SELECT count(*) FROM outbox WHERE "
                                    "broadcast_id = ? AND state = 'sent'",
                                    (bid,))[0][0] == 3, 10, "sent")
        self.assertIn("आएँगी", d.console(SUNITA, "yes")[1])
        self.assertEqual(d.console(REKHA, "nahi")[0], 200)
        s, p = api(d, "GET", "/api/v1/meetings/%d/people" % bid)
        self.assertEqual(s, 200, p)
        self.assertEqual([x["name"] for x in p["yes"]], ["Sunita"])
        self.assertEqual([x["name"] for x in p["no"]], ["Rekha Devi"])
        self.assertEqual([x["name"] for x in p["none"]], ["Asha"])
        self.assertEqual(p["yes"][0]["phone"], "+********0101")
        s, _ = api(d, "GET", "/api/v1/meetings/%d/people?reveal=phones"
                   % bid)
        self.assertEqual(s, 403)

        # Message those who said YES: only Sunita.
        s, m = api(d, "POST", "/api/v1/broadcasts", {
            "to": "rsvp:%d:yes" % bid, "template": "notice",
            "vars": {"district": "Mirzapur", "text1": "Bring your SHG ",
                     "text2": "passbook.", "text3": "", "text4": ""}})
        self.assertEqual(s, 201, m)
        self.assertEqual(m["preview"]["recipients"], 1)
        wait_texts(mock, SUNITA, 2)
        self.assertEqual(len(texts_to(mock, REKHA)), 1)
        self.assertEqual(len(texts_to(mock, ASHA)), 1)

        # Call it off: Sunita is told, nobody else.
        s, c = api(d, "POST", "/api/v1/meetings/%d/cancel" % bid,
                   {"template": "meeting_cancelled"})
        self.assertEqual(s, 200, c)
        self.assertEqual(c["notify"]["recipients"], 1)
        texts = wait_texts(mock, SUNITA, 3)
        self.assertIn("SHG meeting", texts[2])
        self.assertIn("रद्द", texts[2])
        self.assertEqual(len(texts_to(mock, REKHA)), 1)
        s, show = api(d, "GET", "/api/v1/broadcasts/%d" % bid)
        self.assertEqual(show["state"], "cancelled")
        s, c = api(d, "POST", "/api/v1/meetings/%d/cancel" % m["id"],
                   {"template": "meeting_cancelled"})
        self.assertEqual(s, 400)
        self.assertIn("no meeting", c["error"])

        # The outbox: counts, and why a message waits.
        s, o = api(d, "GET", "/api/v1/outbox?limit=10")
        self.assertEqual(s, 200, o)
        self.assertGreaterEqual(o["counts"].get("sent", 0), 5)
        self.assertTrue(all(x["to"].startswith("+*") for x in
                            o["messages"]))
        s, o = api(d, "GET", "/api/v1/outbox?state=nonsense")
        self.assertEqual(s, 400)

    def test_schedule_and_errors(self):
        d = self.d
        s, r = api(d, "GET", "/api/v1/schedule?at=" + quote(in_days(1, 23))
                   + "&category=promotional")
        self.assertEqual(s, 200, r)
        self.assertTrue(r["moved"])
        self.assertEqual(r["why"], "promotional_window")
        self.assertIn("T04:30:00", r["first_send"])     # 10:00 IST
        s, r = api(d, "GET", "/api/v1/schedule?at=" + quote(in_days(1, 12)))
        self.assertFalse(r["moved"])
        s, r = api(d, "GET", "/api/v1/schedule?at=tomorrow")
        self.assertEqual(s, 400)
        s, r = api(d, "GET", "/api/v1/meetings/999/people")
        self.assertEqual(s, 404)
        s, r = api(d, "POST", "/api/v1/broadcasts", {
            "to": "rsvp:999:yes", "template": "notice", "dry_run": True,
            "vars": {"district": "x", "text1": "a", "text2": "",
                     "text3": "", "text4": ""}})
        self.assertEqual(s, 400)
        self.assertIn("rsvp:999", r["error"])
        # Analysts may not reach the console's routes.
        status, _, _ = d.admin("GET", "/api/v1/contacts",
                               "analyst-token-0123456789abcdef")
        self.assertIn(status, (401, 403))

    def test_cli_rsvp_and_cancel_notify(self):
        d, mock = self.d, self.mock
        r = d.cli("group", "create", "cli-shg")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = d.cli("group", "add", "cli-shg", "+919800000201",
                  "+919800000202")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = d.cli("broadcast", "create", "--to", "group:cli-shg",
                  "--template", "meeting", "--no-reminder", "--meeting",
                  "Loan mela|Gyanpur|" + in_days(2), "--yes")
        out = r.stdout.decode()
        self.assertEqual(r.returncode, 0, r.stderr.decode() + out)
        bid = int(re.search(r"broadcast (\d+) queued", out).group(1))
        wait_texts(mock, "+919800000201", 1)
        wait_texts(mock, "+919800000202", 1)
        wait_until(lambda: db_query(d, "SELECT count(*) FROM outbox WHERE "
                                    "broadcast_id = ? AND state = 'sent'",
                                    (bid,))[0][0] == 2, 10, "sent")
        d.console("+919800000201", "haan")
        r = d.cli("broadcast", "rsvp", str(bid))
        out = r.stdout.decode()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(out, r"yes\s+\+\*+0201")
        self.assertRegex(out, r"none\s+\+\*+0202")
        r = d.cli("broadcast", "rsvp", str(bid), "--answer", "maybe")
        self.assertEqual(r.returncode, 2)
        r = d.cli("broadcast", "cancel", str(bid), "--notify",
                  "meeting_cancelled")
        out = r.stdout.decode()
        self.assertEqual(r.returncode, 0, r.stderr.decode() + out)
        self.assertIn("cancelled", out)
        self.assertIn("1 messages to those who said YES", out)
        wait_texts(mock, "+919800000201", 2)
        self.assertEqual(len(texts_to(mock, "+919800000202")), 1)
        r = d.cli("broadcast", "cancel", str(bid), "--notify", "nosuch")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no template", r.stderr.decode())


if __name__ == "__main__":
    unittest.main()
