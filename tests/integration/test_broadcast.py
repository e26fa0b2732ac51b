"""Broadcasts end to end, through the mock provider (Twilio's API): a
mixed audience with an opt-out, RSVP counts, reminders only for YES, quiet
hours deferring (at queue time and again at send time), a coordinator's
NOTICE by SMS with its code, cancel mid-way, and the admin API.

Each daemon runs with no quiet hours and no daily cap unless a test says
otherwise, so the tests pass at any hour; quiet hours are tested with a
window computed around the current IST time.
"""
import datetime
import json
import os
import re
import time
import unittest

from mockprovider import MockProvider
from outboundlib import db_query, outbox, provider_daemon, wait_until

COORD_TOKEN = "coordinator-token-0123456789ab"
ANALYST_TOKEN = "analyst-token-0123456789abcdef"
IST = datetime.timezone(datetime.timedelta(hours=5, minutes=30))

HI = "+919800000001"       # Bhadohi, Hindi
EN = "+919800000002"       # Bhadohi, English
OUT = "+919800000003"      # Bhadohi, says STOP before the broadcast
FAR = "+919800000004"      # Mirzapur: not in the audience
COORD = "+919800000009"    # Bhadohi, coordinator, English
CONTACTS = [
    (HI, "Sunita", "bhadohi", "hi", "entrepreneur"),
    (EN, "Rekha", "bhadohi", "en", "entrepreneur"),
    (OUT, "Meena", "bhadohi", "en", "entrepreneur"),
    (FAR, "Asha", "mirzapur", "hi", "entrepreneur"),
    (COORD, "Kiran", "bhadohi", "en", "coordinator"),
] + [("+91981000%04d" % i, "W%d" % i, "samastipur", "hi", "entrepreneur")
     for i in range(8)]


def ist_iso(dt):
    return dt.astimezone(IST).strftime("%Y-%m-%dT%H:%M:%S+05:30")


class Broadcasts(unittest.TestCase):
    def setUp(self):
        self.mock = MockProvider().start()
        self.d = None

    def tearDown(self):
        if self.d:
            self.d.stop()
        self.mock.stop()

    def start(self, conf=None, settings=None, sets=None):
        """A daemon sending through the mock; conf lines go at the top of
        its sampark.conf (the CLI reads them too), sets are --set for the
        daemon only."""
        d = provider_daemon("twilio", self.mock, settings=settings,
                            globals_=sets,
                            env={"SAMPARK_COORDINATOR_TOKEN": COORD_TOKEN,
                                 "SAMPARK_ANALYST_TOKEN": ANALYST_TOKEN})
        self.d = d
        lines = {"quiet_hours": "", "daily_cap": "0",
                 "broadcast_provider": "twilio"}
        lines.update(conf or {})
        with open(d.conf, encoding="utf-8") as f:
            text = f.read()
        with open(d.conf, "w", encoding="utf-8") as f:
            for k, v in lines.items():
                f.write("%s = %s\n" % (k, v))
            f.write(text)
        path = os.path.join(d.tmp, "contacts.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("phone,name,district,language,role,groups\n")
            for c in CONTACTS:
                f.write(",".join(c) + ",\n")
        r = d.cli("import", "contacts", path)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        d.start()
        return d

    def create(self, *args):
        r = self.d.cli("broadcast", "create", *args)
        out = r.stdout.decode("utf-8", "replace")
        self.assertEqual(r.returncode, 0, r.stderr.decode() + out)
        m = re.search(r"^broadcast (\d+) queued: (\d+) messages", out, re.M)
        self.assertIsNotNone(m, out)
        return int(m.group(1)), int(m.group(2)), out

    def show(self, bid):
        r = self.d.cli("broadcast", "show", str(bid))
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        return r.stdout.decode("utf-8", "replace")

    def texts_to(self, number):
        return [r.field("Body") for r in self.mock.requests
                if number in r.destinations()]

    def wait_states(self, bid, n, states=("sent", "delivered", "failed")):
        q = ("SELECT count(*) FROM outbox WHERE broadcast_id = ? AND state"
             " IN (%s)" % ",".join("?" * len(states)))
        wait_until(lambda: db_query(self.d, q, (bid,) + tuple(states))[0][0]
                   >= n, 10, "%d messages of broadcast %d done" % (n, bid))

    def meeting_arg(self, delta):
        when = datetime.datetime.now(datetime.timezone.utc) + delta
        return "Coalition meeting|Gyanpur block office|" + ist_iso(when)

    # ---- the tests ----

    def test_mixed_audience_optout_and_rsvp(self):
        d = self.start()
        self.assertIn("not get any more", d.console(OUT, "STOP")[1])
        meeting = self.meeting_arg(datetime.timedelta(days=3))
        # Without --yes: a preview, nothing queued.
        r = d.cli("broadcast", "create", "--to", "district:bhadohi",
                  "--template", "meeting", "--meeting", meeting)
        out = r.stdout.decode()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("recipients   3 (1 opted out, left out)", out)
        self.assertIn("--yes", out)
        self.assertEqual(db_query(d, "SELECT count(*) FROM outbox")[0][0], 0)

        bid, n, out = self.create("--to", "district:bhadohi", "--template",
                                  "meeting", "--meeting", meeting, "--yes")
        self.assertEqual(n, 3)
        self.mock.wait_for(3, timeout=10)
        self.wait_states(bid, 3)
        counts = self.mock.counts()
        self.assertEqual(set(counts), {HI, EN, COORD})
        self.assertEqual(self.texts_to(OUT), [])
        self.assertEqual(self.texts_to(FAR), [])
        self.assertIn("संपर्क: Coalition meeting, Gyanpur block office",
                      self.texts_to(HI)[0])
        self.assertTrue(self.texts_to(EN)[0].startswith(
            "Sampark: Coalition meeting at Gyanpur block office on "))

        # RSVPs: Hinglish yes, English no; the latest answer counts.
        self.assertIn("will come to Coalition meeting",
                      d.console(EN, "yes")[1])
        self.assertIn("आएँगी", d.console(HI, "haan")[1])
        self.assertIn("cannot come", d.console(EN, "NO")[1])
        # Not a recipient: YES is not an answer, she gets the menu.
        self.assertIn("लोन के लिए 1", d.console(FAR, "yes")[1])
        out = self.show(bid)
        self.assertIn("RSVP         yes 1  no 1  no answer 1", out)
        self.assertIn("queued 0  sent 3", out)
        rows = db_query(d, "SELECT phone, answer FROM rsvps ORDER BY phone")
        self.assertEqual(rows, [(HI, "yes"), (EN, "no")])
        # Menu digits stay the menu, never an answer.
        self.assertIn("Loans", d.console(EN, "1 bhadohi")[1])
        self.assertEqual(db_query(d, "SELECT phone, answer FROM rsvps "
                                  "ORDER BY phone"), rows)

    def test_optout_while_queued(self):
        d = self.start()
        at = datetime.datetime.now(datetime.timezone.utc) + \
            datetime.timedelta(seconds=3)
        bid, n, _ = self.create("--to", "district:bhadohi", "--template",
                                "scheme_deadline", "--var", "scheme=PMEGP",
                                "--var", "date=15 Dec", "--var",
                                "place=Gyanpur block office", "--at",
                                ist_iso(at), "--yes")
        self.assertEqual(n, 4)
        d.console(EN, "STOP")
        self.wait_states(bid, 4)
        self.assertEqual(self.texts_to(EN), [])
        self.assertEqual(len(self.texts_to(HI)), 1)
        self.assertIn("opted-out 1", self.show(bid))

    def test_reminder_only_for_yes(self):
        d = self.start(conf={"reminder_minutes": "1"})
        meeting = self.meeting_arg(datetime.timedelta(seconds=68))
        bid, n, out = self.create("--to", "district:bhadohi", "--template",
                                  "meeting", "--meeting", meeting, "--yes")
        self.assertIn("reminders", out)
        self.wait_states(bid, 4)
        d.console(HI, "हाँ")
        d.console(EN, "nahi")
        rid = db_query(d, "SELECT id FROM broadcasts WHERE parent_id = ?",
                       (bid,))[0][0]
        self.wait_states(rid, 4)
        reminders = [t for t in self.texts_to(HI) if "याद" in t]
        self.assertEqual(len(reminders), 1)
        self.assertFalse([t for t in self.texts_to(EN)
                          if t.startswith("Reminder")])
        self.assertFalse([t for t in self.texts_to(COORD)
                          if t.startswith("Reminder")])
        dropped = db_query(d, "SELECT count(*) FROM outbox WHERE "
                           "broadcast_id = ? AND reason = ?",
                           (rid, "no yes to the meeting"))[0][0]
        self.assertEqual(dropped, 3)

    def quiet_window(self):
        now = datetime.datetime.now(IST)
        a = (now - datetime.timedelta(hours=1)).strftime("%H:%M")
        b = (now + datetime.timedelta(hours=1)).strftime("%H:%M")
        return "%s-%s" % (a, b), time.time() + 3000

    def test_quiet_hours_defer_when_queued(self):
        window, later = self.quiet_window()
        d = self.start(conf={"quiet_hours": window})
        bid, n, out = self.create("--to", "district:bhadohi", "--template",
                                  "meeting", "--meeting", self.meeting_arg(
                                      datetime.timedelta(days=3)),
                                  "--no-reminder", "--yes")
        self.assertEqual(n, 4)
        rows = db_query(d, "SELECT state, next_attempt_ms FROM outbox "
                        "WHERE broadcast_id = ?", (bid,))
        self.assertEqual(len(rows), 4)
        for state, nxt in rows:
            self.assertEqual(state, "queued")
            self.assertGreater(nxt / 1000.0, later)
        time.sleep(1.0)
        self.assertEqual(self.mock.count(), 0)

    def test_quiet_hours_recheck_at_send(self):
        # The CLI plans with no quiet hours; the daemon's window closed
        # meanwhile: the sender puts them back in the queue.
        window, later = self.quiet_window()
        d = self.start(sets={"quiet_hours": window})
        bid, n, _ = self.create("--to", "district:mirzapur", "--template",
                                "scheme_deadline", "--var", "scheme=PMEGP",
                                "--var", "date=15 Dec", "--var",
                                "place=Chunar", "--yes")
        self.assertEqual(n, 1)
        wait_until(lambda: b"event=send_deferred" in d.read_log(), 10,
                   "a deferred broadcast message")
        state, nxt = db_query(d, "SELECT state, next_attempt_ms FROM outbox "
                              "WHERE broadcast_id = ?", (bid,))[0]
        self.assertEqual(state, "queued")
        self.assertGreater(nxt / 1000.0, later)
        self.assertEqual(self.mock.count(), 0)

    def test_daily_cap_first_send_is_true(self):
        # Asha (Mirzapur) gets one broadcast message a day.  A second one
        # planned for the same noon goes the next morning when the quiet
        # hours end, and every place that tells the time says so.
        d = self.start(conf={"daily_cap": "1", "quiet_hours": "21:00-08:00"})
        tomorrow = (datetime.datetime.now(IST) +
                    datetime.timedelta(days=1)).date()
        noon = "%sT12:00" % tomorrow
        after = tomorrow + datetime.timedelta(days=1)
        args = ("--to", "district:mirzapur", "--template", "scheme_deadline",
                "--var", "scheme=PMEGP", "--var", "date=15 Dec", "--var",
                "place=Chunar", "--at", noon, "--yes")
        first, _, out = self.create(*args)
        self.assertRegex(out, r"first send +\S+ \S+ 12:00 IST")
        second, n, out = self.create(*args)
        self.assertEqual(n, 1)
        day = after.strftime("%d %b")
        self.assertIn("first send   %s 08:00 IST" % day, out)
        self.assertIn("first send   %s 08:00 IST" % day, self.show(second))
        due = {r.id: r.due_ist for r in outbox(self.d).values()}
        self.assertEqual(sorted(due.values()),
                         ["%sT12:00" % tomorrow, "%sT08:00" % after])
        r = self.d.cli("outbox")
        self.assertIn("DUE_IST", r.stdout.decode())
        # The console says why each waits: the first for its time, the
        # second for Asha's cap (not "scheduled" for its first send).
        st, _, data = d.admin("GET", "/api/v1/outbox", COORD_TOKEN)
        self.assertEqual(st, 200)
        why = {m["broadcast_id"]: m["why"]
               for m in json.loads(data)["messages"]}
        self.assertEqual(why, {first: "scheduled", second: "daily_cap"})

        # A meeting that evening: Asha's cap holds her notice until after
        # the meeting; nobody else is invited, so it is refused.
        r = self.d.cli("broadcast", "create", "--to", "district:mirzapur",
                       "--template", "meeting", "--meeting",
                       "Baithak|Chunar|%sT18:00" % tomorrow, "--at", noon,
                       "--no-reminder", "--yes")
        self.assertEqual(r.returncode, 1, r.stdout)
        err = r.stderr.decode()
        self.assertIn("after the meeting", err)
        # Her 8th is taken by the second broadcast: the 9th.
        third = (after + datetime.timedelta(days=1)).strftime("%d %b")
        self.assertIn("%s at 08:00 IST" % third, err)
        self.assertEqual(db_query(d, "SELECT count(*) FROM broadcasts")[0][0],
                         2)

    def test_notice_from_coordinator_phone(self):
        d = self.start()
        text = "Meeting moved to Friday 11am at Gyanpur block office"
        # Anyone else: an unknown word, logged unmatched.
        status, reply = d.console(EN, "NOTICE bhadohi " + text)
        self.assertIn("did not understand", reply)
        self.assertEqual(db_query(
            d, "SELECT status FROM interactions WHERE phone = ? AND "
            "direction = 'in'", (EN,))[-1][0], "unmatched")
        # Too long for the template's four 30-character variables.
        reply = d.console(COORD, "NOTICE bhadohi " + "x" * 121)[1]
        self.assertIn("at most 120 characters", reply)
        reply = d.console(COORD, "NOTICE bhadohi " + text)[1]
        self.assertIn("Notice to Bhadohi: 4 people", reply)
        code = re.search(r"YES (\d{6})\b", reply).group(1)
        time.sleep(0.5)
        self.assertEqual(self.mock.count(), 0)
        wrong = "%06d" % ((int(code) + 1) % 1000000)
        self.assertIn("No notice is waiting", d.console(
            COORD, "YES " + wrong)[1])
        self.assertIn("sent to 4 people", d.console(COORD, "yes " + code)[1])
        self.mock.wait_for(4, timeout=10)
        self.assertEqual(self.texts_to(EN), [
            "Sampark notice for BHADOHI: " + text +
            " Reply STOP to stop messages."])
        self.assertIn(text, self.texts_to(HI)[0])
        self.assertTrue(self.texts_to(HI)[0].startswith("संपर्क सूचना"))
        # A code works once.
        self.assertIn("No notice is waiting", d.console(
            COORD, "YES " + code)[1])
        kind, by = db_query(d, "SELECT kind, created_by FROM broadcasts")[0]
        self.assertEqual((kind, by), ("notice", COORD))

    def test_notice_to_a_district_nobody_can_be_reached_in(self):
        d = self.start()
        text = "Kal 11 baje block office mein baithak"
        # Nobody listed in Darbhanga: told so, not to try again later.
        reply = d.console(COORD, "NOTICE darbhanga " + text)[1]
        self.assertIn("Nobody in that district can get your notice", reply)
        self.assertNotIn("try again", reply)
        # Mirzapur's only contact stops between the preview and YES.
        reply = d.console(COORD, "NOTICE Mirzapur " + text)[1]
        self.assertIn("Notice to Mirzapur: 1 people", reply)
        code = re.search(r"YES (\d{6})\b", reply).group(1)
        self.assertIn("कोई संदेश नहीं आएगा", d.console(FAR, "STOP")[1])
        reply = d.console(COORD, "YES " + code)[1]
        self.assertIn("Nobody in that district can get your notice", reply)
        # Everyone in it opted out, asked again: the same answer.
        reply = d.console(COORD, "NOTICE mirzapur " + text)[1]
        self.assertIn("Nobody in that district", reply)
        self.assertEqual(db_query(d, "SELECT count(*) FROM broadcasts")[0][0],
                         0)
        time.sleep(0.5)
        self.assertEqual(self.texts_to(FAR), [])

    def test_notice_answers_and_status(self):
        d = self.start()
        self.assertIn("not sent a notice yet",
                      d.console(COORD, "NOTICE STATUS")[1])
        text = "Kal 11 baje Gyanpur block office mein meeting, aayengi?"
        reply = d.console(COORD, "notice Bhadohi " + text)[1]
        code = re.search(r"YES (\d{6})\b", reply).group(1)
        self.assertIn("sent to 4 people", d.console(COORD, "YES " + code)[1])
        bid = db_query(d, "SELECT id FROM broadcasts WHERE kind = 'notice'")[0][0]
        self.wait_states(bid, 4)
        # Her answers are counted like a meeting's, the latest one counts.
        self.assertIn("सूचना पर आपका जवाब हाँ", d.console(HI, "हाँ")[1])
        self.assertIn("answer YES to the notice", d.console(EN, "Yes")[1])
        self.assertIn("answer NO to the notice", d.console(EN, "nahi")[1])
        # Not a recipient: YES is no answer, she gets the menu.
        self.assertIn("लोन के लिए 1", d.console(FAR, "haan")[1])
        rows = db_query(d, "SELECT phone, answer, broadcast_id FROM rsvps"
                        " ORDER BY phone")
        self.assertEqual(rows, [(HI, "yes", bid), (EN, "no", bid)])
        # No reminder is planned for a notice.
        self.assertEqual(db_query(d, "SELECT count(*) FROM broadcasts WHERE"
                                  " kind = 'reminder'")[0][0], 0)

        want = "reached 4 people: 1 said YES, 1 said NO, 2 have not answered"
        self.assertIn(want, d.console(COORD, "NOTICE STATUS")[1])
        self.assertIn(want, d.console(COORD, "notice status")[1])
        # The Hindi forms.
        self.assertIn(want, d.console(COORD, "सूचना स्थिति")[1])
        self.assertIn(want, d.console(COORD, "suchna sthiti")[1])
        out = self.show(bid)
        self.assertIn("RSVP         yes 1  no 1  no answer 2", out)
        self.assertIn("answers      open until", out)
        # From anyone else NOTICE STATUS is a word we do not know.
        self.assertIn("did not understand", d.console(EN, "NOTICE STATUS")[1])

    def test_cancel_midway(self):
        # One message a second: cancel stops what is not yet sent.
        d = self.start(settings={"rate": "1"})
        bid, n, _ = self.create("--to", "district:samastipur", "--template",
                                "scheme_deadline", "--var", "scheme=PMEGP",
                                "--var", "date=15 Dec", "--var",
                                "place=Samastipur DIC", "--yes")
        self.assertEqual(n, 8)
        self.mock.wait_for(2, timeout=10)
        r = d.cli("broadcast", "cancel", str(bid))
        self.assertEqual(r.returncode, 0, r.stderr)
        stopped = int(re.search(rb"cancelled: (\d+)", r.stdout).group(1))
        self.assertGreaterEqual(stopped, 3)
        time.sleep(1.5)
        sent = self.mock.count()
        self.assertEqual(sent + stopped, 8)
        time.sleep(1.5)
        self.assertEqual(self.mock.count(), sent)
        out = self.show(bid)
        self.assertIn("cancelled %d" % stopped, out)
        self.assertIn("(broadcast), cancelled", out)

    def test_api(self):
        d = self.start()
        body = {"to": "district:bhadohi", "template": "scheme_deadline",
                "vars": {"scheme": "PMEGP", "date": "15 Dec",
                         "place": "Gyanpur block office"},
                "dry_run": True}
        st, _, data = d.admin("POST", "/api/v1/broadcasts", COORD_TOKEN,
                              json.dumps(body))
        self.assertEqual(st, 200, data)
        pv = json.loads(data)["preview"]
        self.assertEqual(pv["recipients"], 4)
        self.assertEqual({t["lang"] for t in pv["texts"]}, {"en", "hi"})
        self.assertEqual(self.mock.count(), 0)
        # A variable over DLT's 30 characters: refused, nothing queued.
        body["vars"]["place"] = "Block development office, Gyanpur"
        st, _, data = d.admin("POST", "/api/v1/broadcasts", COORD_TOKEN,
                              json.dumps(body))
        self.assertEqual(st, 400)
        self.assertIn("at most 30", json.loads(data)["error"])
        self.assertEqual(db_query(d, "SELECT count(*) FROM outbox")[0][0], 0)
        # Analysts may not send.
        self.assertEqual(d.admin("POST", "/api/v1/broadcasts", ANALYST_TOKEN,
                                 json.dumps(body))[0], 403)
        body["vars"]["place"] = "Gyanpur block office"
        body["dry_run"] = False
        st, _, data = d.admin("POST", "/api/v1/broadcasts", COORD_TOKEN,
                              json.dumps(body))
        self.assertEqual(st, 201, data)
        bid = json.loads(data)["id"]
        self.wait_states(bid, 4)
        st, _, data = d.admin("GET", "/api/v1/broadcasts/%d" % bid,
                              COORD_TOKEN)
        self.assertEqual(st, 200)
        b = json.loads(data)
        self.assertEqual(b["counts"]["sent"] + b["counts"]["delivered"], 4)
        st, _, data = d.admin("GET", "/api/v1/broadcasts", COORD_TOKEN)
        self.assertEqual([x["id"] for x in json.loads(data)["broadcasts"]],
                         [bid])
        st, _, data = d.admin("POST", "/api/v1/broadcasts/%d/cancel" % bid,
                              COORD_TOKEN)
        self.assertEqual((st, json.loads(data)["stopped"]), (200, 0))
        self.assertEqual(d.admin("GET", "/api/v1/broadcasts/999",
                                 COORD_TOKEN)[0], 404)

    def test_typo_refused_with_closest_names(self):
        d = self.start()
        r = d.cli("group", "create", "mirzapur-mahila-samuh")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = d.cli("group", "add", "mirzapur-mahila-samuh", FAR)
        self.assertEqual(r.returncode, 0, r.stderr)
        meeting = self.meeting_arg(datetime.timedelta(days=3))
        for to, said in [
                ("group:mirzapur-mn", 'no group "mirzapur-mn"; closest: '
                 "mirzapur-mahila-samuh"),
                ("district:sonbhadra", 'no district "sonbhadra"; closest: '),
                # A real district where nobody lives.
                ("district:varanasi", "reaches nobody")]:
            r = d.cli("broadcast", "create", "--to", to, "--template",
                      "meeting", "--meeting", meeting, "--yes")
            self.assertEqual(r.returncode, 1, r.stdout)
            self.assertIn(said, r.stderr.decode())
        st, _, data = d.admin("POST", "/api/v1/broadcasts", COORD_TOKEN,
                              json.dumps({"to": "group:mirzapur-mn",
                                          "template": "scheme_deadline",
                                          "vars": {"scheme": "PMEGP",
                                                   "date": "15 Dec",
                                                   "place": "DIC"},
                                          "dry_run": True}))
        self.assertEqual(st, 400)
        self.assertIn("closest: mirzapur-mahila-samuh",
                      json.loads(data)["error"])
        self.assertEqual(db_query(d, "SELECT count(*) FROM broadcasts")[0][0],
                         0)
        # Names as a coordinator writes them reach the same people.
        bid, n, out = self.create("--to", "district:Bhadoi", "--template",
                                  "meeting", "--meeting", meeting, "--yes")
        self.assertEqual(n, 4)
        self.assertIn("district:bhadohi", out)
        # A group by the display name the console shows, a district by
        # its Hindi name, spaces and all.
        st, _, data = d.admin("POST", "/api/v1/groups", COORD_TOKEN,
                              json.dumps({"display_name": "मिर्ज़ापुर "
                                          "महिला समूह"}))
        self.assertIn(st, (200, 201), data)
        key = json.loads(data)["name"]
        self.assertEqual(d.cli("group", "add", key, FAR).returncode, 0)
        r = d.cli("broadcast", "create", "--to", "group: मिर्ज़ापुर महिला "
                  "समूह + district:मिर्ज़ापुर", "--template", "meeting",
                  "--meeting", meeting, "--dry-run")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout.decode()
        self.assertIn("group:%s+district:mirzapur" % key, out)
        self.assertIn("recipients   1 ", out)
        # The analysts' report and export take the same names.
        r = d.cli("report", "--district", "Sonbhadra")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("closest: ", r.stderr.decode())
        r = d.cli("report", "--district", "भदोही", "--format", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = d.cli("export", "--district", "mirzapoor")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = d.cli("export", "--district", "mirzapur-mn")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("Mirzapur (mirzapur)", r.stderr.decode())

    def test_list_states_and_cancelled(self):
        d = self.start()
        meeting = self.meeting_arg(datetime.timedelta(days=3))
        bid, n, _ = self.create("--to", "district:bhadohi", "--template",
                                "meeting", "--meeting", meeting, "--yes")
        self.wait_states(bid, n)
        sid, _, _ = self.create("--to", "district:samastipur", "--template",
                                "scheme_deadline", "--var", "scheme=PMEGP",
                                "--var", "date=15 Dec", "--var",
                                "place=Samastipur DIC", "--yes")
        self.wait_states(sid, 8)
        r = d.cli("broadcast", "list")
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = {int(line.split()[0]): line.split() for line in
                r.stdout.decode().splitlines()[1:]}
        # The reminder is listed, marked, and waits for the meeting.
        rid = [k for k, v in rows.items() if v[2] == "reminder"]
        self.assertEqual(len(rid), 1, rows)
        self.assertIn("reminder of %d:" % bid,
                      " ".join(rows[rid[0]]))
        self.assertEqual(rows[rid[0]][3], "queued")
        # Nothing left to send: no longer "queued".
        self.assertIn(rows[bid][3], ("sent", "done"))
        self.assertIn(rows[sid][3], ("sent", "done"))
        st, _, data = d.admin("GET", "/api/v1/broadcasts", COORD_TOKEN)
        listed = {x["id"]: x for x in json.loads(data)["broadcasts"]}
        self.assertEqual(listed[rid[0]]["reminder_of"], bid)
        self.assertIsNone(listed[bid]["reminder_of"])
        self.assertEqual(listed[sid]["state"], rows[sid][3])
        # Calling it off stops the reminders: cancelled, not failed.
        r = d.cli("broadcast", "cancel", str(bid))
        self.assertEqual(r.returncode, 0, r.stderr)
        r = d.cli("outbox", "--state", "cancelled")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.decode().splitlines()[1:]
        self.assertEqual(len(lines), n)
        self.assertTrue(all(line.split()[2] == "cancelled"
                            for line in lines), lines)
        r = d.cli("outbox", "--state", "failed")
        self.assertIn("no messages in state failed", r.stdout.decode())
        st, _, data = d.admin("GET", "/api/v1/outbox?state=cancelled",
                              COORD_TOKEN)
        ob = json.loads(data)
        self.assertEqual(ob["counts"]["cancelled"], n)
        self.assertNotIn("failed", ob["counts"])
        self.assertEqual({m["state"] for m in ob["messages"]}, {"cancelled"})
        r = d.cli("broadcast", "list")
        self.assertIn(" cancelled ", r.stdout.decode())


if __name__ == "__main__":
    unittest.main()
