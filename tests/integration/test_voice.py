"""Voice: whole IVR calls through the daemon for Twilio, Plivo and Exotel
(start -> 1 -> district -> stakeholders spoken -> 9 -> SMS queued), missed
calls answered busy and followed by a callback or an SMS through the mock
provider, a restart in the middle of a call, and /audio/ refusing every
way out of its directory."""
import json
import os
import signal
import harness
import subprocess
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

from harness import BIN, TWILIO_TOKEN, twilio_signature
from mockprovider import MockProvider
from test_dlt import template_regex
from outboundlib import (EXOTEL_URL_TOKEN, PUBLIC, TWILIO_SID, db_query,
                         plivo_post, provider_daemon, sent_to, wait_until)

CALLER = "+919812345678"
OURS = "+918045678901"
MISSED = "+918045678999"
STAKEHOLDER = "LDM (lead bank), Bhadohi"
# Its number, +910000010101, as a Hindi voice must read it: India apart,
# then the ten digits five by five, in Hindi digit words.
STAKEHOLDER_DIGITS = ("प्लस नौ एक, शून्य शून्य शून्य शून्य शून्य, "
                      "एक शून्य एक शून्य एक")


def parse_xml(text):
    """The answer as an element tree; fails the test if not well-formed."""
    return ET.fromstring(text.encode("utf-8"))


def stop_clean(test, d):
    """Stop d with SIGTERM and fail if a sanitizer reported anything."""
    if d.proc is not None and d.proc.poll() is None:
        d.signal(signal.SIGTERM)
        d.wait()
    log = d.read_log()
    d.stop()
    test.assertNotIn(b"AddressSanitizer", log)
    test.assertNotIn(b"runtime error", log)


def spoken(root):
    return "\n".join((e.text or "") for e in root.iter()
                     if e.tag in ("Say", "Speak"))


def assert_number_as_digits(test, text):
    """The stakeholder's number is spoken digit by digit, never whole."""
    test.assertIn(STAKEHOLDER_DIGITS, text)
    test.assertNotIn("0000010101", text)


class VoiceCall(unittest.TestCase):
    """A provider-independent walk; subclasses say how to call."""
    provider = None
    settings = None

    def setUp(self):
        self.mock = MockProvider().start()
        self.d = provider_daemon(self.provider, self.mock,
                                 settings=self.settings).start()
        self.call_id = "C%d" % int(time.time() * 1000)

    def tearDown(self):
        try:
            stop_clean(self, self.d)
        finally:
            self.mock.stop()

    def calls(self):
        return db_query(self.d, "SELECT call_id, provider, caller, status,"
                        " node, steps, district FROM calls ORDER BY id")

    def call_row(self, call_id=None):
        rows = db_query(self.d, "SELECT status, start_ms, end_ms, duration_s,"
                        " direction, caller FROM calls WHERE call_id = ?",
                        (call_id or self.call_id,))
        return rows[0] if rows else None

    def assert_export_has_call_id(self, call_id, steps):
        rows = [r for r in self.d.export() if r["channel"] == "voice"]
        self.assertEqual(len(rows), 2 * steps, rows)
        self.assertEqual({r["provider_msg_id"] for r in rows}, {call_id})
        self.assertEqual(sorted(r["direction"] for r in rows),
                         ["in"] * steps + ["out"] * steps)

    def voice_rows(self):
        return db_query(self.d, "SELECT direction, keyword, text, status"
                        " FROM interactions WHERE channel = 'voice'"
                        " ORDER BY id")

    def assert_sms_with_list(self):
        """The list she heard, texted as registered reply templates (an
        operator drops any other text): two pages, the rest behind
        MORE."""
        def texted():
            reqs = sent_to(self.mock, CALLER)
            bodies = [str(r.field("Body") or r.field("text") or "")
                      for r in reqs]
            # Two texts, sent together, arriving one by one.
            return bodies if len(bodies) >= 2 and any(
                STAKEHOLDER in b for b in bodies) else None
        bodies = wait_until(texted, 10, "SMS with the list to the caller")
        r = self.d.cli("templates", "--replies", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        compiled = [(t["key"], template_regex(t["text"]))
                    for t in json.loads(r.stdout.decode("utf-8"))]
        keys = []
        for b in bodies:
            hits = [k for k, rx in compiled if rx.fullmatch(b)]
            self.assertEqual(len(hits), 1, "%r matches %s" % (b, hits))
            keys.append(hits[0])
        self.assertTrue(all(k.startswith("info.list.") for k in keys),
                        keys)
        # Sent together, they may arrive in either order.
        self.assertLessEqual(sum(k.endswith(".more") for k in keys), 1, keys)
        # Bhadohi has more loan desks than one text holds.
        self.assertEqual(len(bodies), 2, bodies)


class XmlCall(VoiceCall):
    def walk(self):
        root = self.step(None)
        self.assertIn("1", self.gather_attr(root, "numDigits"))
        self.assertIn("ev=menu", self.gather_attr(root, "action"))
        self.assertIn("लोन", spoken(root))          # the main menu, Hindi
        root = self.step("1")
        self.assertIn("भदोही", spoken(root))         # which district?
        root = self.step("1")
        self.assertIn(STAKEHOLDER, spoken(root))
        assert_number_as_digits(self, spoken(root))
        # The log keeps the number as written, for whoever searches it.
        self.assertIn("+910000010101", self.voice_rows()[-1][2])
        root = self.step("9")
        self.assertIn("SMS", spoken(root))
        self.assert_sms_with_list()
        (call,) = self.calls()
        self.assertEqual(call[0], self.call_id)
        self.assertEqual(call[2], CALLER)
        self.assertEqual(call[3], "active")
        self.assertEqual(call[4], "answer")
        self.assertEqual(call[5], 4)
        self.assertEqual(call[6], "bhadohi")
        rows = self.voice_rows()
        self.assertEqual([r[1] for r in rows if r[0] == "in"],
                         ["main", "main", "district", "answer"])
        self.assertEqual([r[2] for r in rows if r[0] == "in"],
                         ["", "1", "1", "9"])
        # The district chosen by voice is hers for SMS too.
        self.assertEqual(db_query(self.d, "SELECT district FROM contacts"
                                  " WHERE phone = ?", (CALLER,)),
                         [("bhadohi",)])
        root = self.step("#")
        self.assertTrue(any(e.tag == "Hangup" for e in root.iter()))
        self.assertEqual(self.calls()[0][3], "completed")


class Twilio(XmlCall):
    provider = "twilio"

    def post(self, params, query):
        path = "/voice/twilio" + ("?" + query if query else "")
        base = {"CallSid": self.call_id, "AccountSid": TWILIO_SID,
                "From": CALLER, "To": OURS, "CallStatus": "in-progress",
                "Direction": "inbound"}
        base.update(params)
        status, ctype, body = self.d.twilio(list(base.items()), path=path)
        return status, ctype, body

    def step(self, digits):
        if digits is None:
            status, ctype, body = self.post({}, None)
        else:
            status, ctype, body = self.post({"Digits": digits}, "ev=menu")
        self.assertEqual(status, 200, body)
        self.assertIn("xml", ctype)
        root = parse_xml(body)
        self.assertEqual(root.tag, "Response")
        return root

    def gather_attr(self, root, name):
        g = root.find("Gather")
        self.assertIsNotNone(g, ET.tostring(root))
        self.assertEqual(g.get("language"), "hi-IN")
        return g.get(name)

    def test_whole_call(self):
        self.walk()

    def test_bad_signature_refused(self):
        status, _, body = self.d.twilio([("CallSid", "X"), ("From", CALLER)],
                                        path="/voice/twilio",
                                        signature="bad")
        self.assertEqual(status, 403, body)
        self.assertEqual(self.calls(), [])

    def test_timeouts_and_invalid_keys(self):
        self.step(None)
        root = self.step("7")                     # not in the menu
        self.assertIn("बटन", spoken(root))
        status, _, body = self.post({}, "ev=timeout")  # silence
        self.assertEqual(status, 200)
        root = self.step("7")                     # third failure: goodbye
        self.assertTrue(any(e.tag == "Hangup" for e in root.iter()))
        statuses = [r[3] for r in self.voice_rows() if r[0] == "in"]
        self.assertEqual(statuses, ["start", "invalid", "timeout", "failed"])

    def test_restart_mid_call(self):
        self.step(None)
        self.step("1")                            # at the district question
        self.d.kill9()
        self.d.start()
        root = self.step("1")                     # the call goes on
        self.assertIn(STAKEHOLDER, spoken(root))
        self.assertEqual(self.calls()[0][4], "answer")

    def test_status_callback_ends_call(self):
        self.step(None)
        status, _, _ = self.post({"CallStatus": "completed"}, "ev=status")
        self.assertEqual(status, 200)
        self.assertEqual(self.calls()[0][3], "completed")

    def test_call_row_and_export(self):
        self.step(None)
        self.step("1")
        self.step("1")
        # Ringing or answered is no end.
        self.post({"CallStatus": "in-progress"}, "ev=status")
        status, start, end, dur, direction, caller = self.call_row()
        self.assertEqual((status, end, dur), ("active", None, None))
        status, _, _ = self.post({"CallStatus": "completed",
                                  "CallDuration": "42"}, "ev=status")
        self.assertEqual(status, 200)
        status, start, end, dur, direction, caller = self.call_row()
        self.assertEqual((status, dur, direction, caller),
                         ("completed", 42, "in", CALLER))
        self.assertGreaterEqual(end, start)
        # Twilio retries a callback it thinks was lost: nothing changes.
        self.post({"CallStatus": "completed", "CallDuration": "99"},
                  "ev=status")
        self.assertEqual(self.call_row(), (status, start, end, dur,
                                           direction, caller))
        self.assert_export_has_call_id(self.call_id, 3)

    def test_sms_is_the_list_she_heard(self):
        self.step(None)
        self.step("1")
        self.assertIn(STAKEHOLDER, spoken(self.step("1")))  # Bhadohi's
        self.step("*")                                    # the main menu
        self.step("5")                                    # districts
        self.step("2")                                    # Mirzapur now
        self.assertEqual(self.calls()[0][6], "mirzapur")
        self.step("9")                                    # text it
        self.assert_sms_with_list()
        bodies = [str(r.field("Body")) for r in sent_to(self.mock, CALLER)]
        self.assertNotIn("Mirzapur", "".join(bodies))

    def test_status_after_our_hangup(self):
        self.step(None)
        root = self.step("#")
        self.assertTrue(any(e.tag == "Hangup" for e in root.iter()))
        self.assertIsNone(self.call_row()[3])
        self.post({"CallStatus": "completed", "CallDuration": "17"},
                  "ev=status")
        self.assertEqual(self.call_row()[0], "completed")
        self.assertEqual(self.call_row()[3], 17)

    def test_unanswered_callback_gets_a_row(self):
        # A callback we placed that she did not pick up: only the status
        # callback ever comes, with her number as To.
        sid = self.call_id + "cb"
        status, _, _ = self.post({"CallSid": sid, "From": OURS, "To": CALLER,
                                  "Direction": "outbound-api",
                                  "CallStatus": "no-answer",
                                  "CallDuration": "0"}, "ev=status")
        self.assertEqual(status, 200)
        status, start, end, dur, direction, caller = self.call_row(sid)
        self.assertEqual((status, dur, direction, caller),
                         ("no-answer", 0, "out", CALLER))
        self.assertEqual(start, end)


class Plivo(XmlCall):
    provider = "plivo"

    def step(self, digits):
        params = {"CallUUID": self.call_id, "From": CALLER.lstrip("+"),
                  "To": OURS.lstrip("+"), "Direction": "inbound",
                  "CallStatus": "in-progress"}
        path = "/voice/plivo"
        if digits is not None:
            params["Digits"] = digits
            path += "?ev=menu"
        status, ctype, body = plivo_post(self.d, path, params)
        self.assertEqual(status, 200, body)
        self.assertEqual(ctype, "application/xml")
        root = parse_xml(body)
        self.assertEqual(root.tag, "Response")
        return root

    def gather_attr(self, root, name):
        g = root.find("GetDigits")
        self.assertIsNotNone(g, ET.tostring(root))
        self.assertEqual(g.find("Speak").get("language"), "hi-IN")
        return g.get(name)

    def test_whole_call(self):
        self.walk()

    def test_hangup_callback(self):
        self.step(None)
        self.step("1")
        # Plivo's hangup_url: Duration is the talk time, BillDuration
        # rounded up to the billing minute.
        status, _, body = plivo_post(self.d, "/voice/plivo?ev=status", {
            "CallUUID": self.call_id, "From": CALLER.lstrip("+"),
            "To": OURS.lstrip("+"), "Direction": "inbound",
            "CallStatus": "completed", "Duration": "37",
            "BillDuration": "60", "HangupCause": "NORMAL_CLEARING",
            "Event": "Hangup"})
        self.assertEqual(status, 200, body)
        status, start, end, dur, direction, caller = self.call_row()
        self.assertEqual((status, dur, caller), ("completed", 37, CALLER))
        self.assertGreaterEqual(end, start)
        self.assert_export_has_call_id(self.call_id, 2)


class Exotel(VoiceCall):
    provider = "exotel"

    def get(self, ev, digits=None):
        q = [("ev", ev), ("CallSid", self.call_id),
             ("CallFrom", "0" + CALLER[3:]), ("CallTo", "0" + OURS[3:]),
             ("Direction", "incoming"), ("CallStatus", "in-progress")]
        if digits is not None:
            q.append(("digits", '"%s"' % digits))
        return self.d.request("GET", "/voice/exotel/%s?%s" % (
            EXOTEL_URL_TOKEN, urllib.parse.urlencode(q)))

    def prompt(self):
        status, ctype, body = self.get("prompt")
        self.assertEqual(status, 200, body)
        self.assertEqual(ctype, "application/json")
        o = json.loads(body)
        self.assertEqual(o["max_input_digits"], 1)
        return o["gather_prompt"]["text"]

    def passthru(self, digits):
        status, _, body = self.get("menu", digits)
        return status

    def status_callback(self, params):
        body = urllib.parse.urlencode(params)
        status, _, data = self.d.request(
            "POST", "/voice/exotel/%s?ev=status" % EXOTEL_URL_TOKEN, body,
            {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 200, data)

    def test_status_callbacks(self):
        self.prompt()
        self.assertEqual(self.passthru("1"), 200)
        # The default StatusCallback names only the call.
        self.status_callback({"CallSid": self.call_id,
                              "DateUpdated": "2026-12-05 19:10:02",
                              "Status": "completed", "RecordingUrl": ""})
        status, start, end, dur, direction, caller = self.call_row()
        self.assertEqual((status, caller), ("completed", CALLER))
        self.assertEqual(dur, (end - start) // 1000)
        # With the terminal event: the numbers and ConversationDuration.
        self.call_id += "b"
        self.prompt()
        self.status_callback({"CallSid": self.call_id,
                              "DateUpdated": "2026-12-05 19:12:40",
                              "Status": "busy", "EventType": "terminal",
                              "From": "0" + CALLER[3:], "To": "0" + OURS[3:],
                              "Direction": "inbound",
                              "ConversationDuration": "25",
                              "StartTime": "2026-12-05 19:12:15",
                              "EndTime": "2026-12-05 19:12:40"})
        self.assertEqual(self.call_row()[0], "busy")
        self.assertEqual(self.call_row()[3], 25)
        # A status for a call we never saw, without numbers: nothing.
        self.status_callback({"CallSid": "unknown-call", "Status": "failed"})
        self.assertIsNone(self.call_row("unknown-call"))

    def test_whole_call(self):
        self.assertIn("लोन", self.prompt())
        self.assertEqual(self.passthru("1"), 200)  # go on: back to Gather
        self.assertIn("भदोही", self.prompt())
        self.assertEqual(self.passthru("1"), 200)
        text = self.prompt()
        assert_number_as_digits(self, text)
        self.assertIn(STAKEHOLDER, text)          # what "1" led to, then
        self.assertIn("9", text)                  # the answer menu
        self.assertEqual(self.passthru("9"), 200)
        self.assert_sms_with_list()
        self.assertEqual(self.passthru("#"), 302)  # the hang-up branch
        self.assertEqual(self.calls()[0][3], "completed")

    def test_token_required(self):
        status, _, _ = self.d.request(
            "GET", "/voice/exotel/wrong?ev=prompt&CallSid=x&CallFrom=0981")
        self.assertEqual(status, 403)


class MissedCalls(unittest.TestCase):
    def start(self, action="callback"):
        self.mock = MockProvider().start()
        self.d = provider_daemon("twilio", self.mock, globals_={
            "missed_call_numbers": "+918045678000, " + MISSED,
            "missed_call_action": action,
            "missed_call_window_s": "300"}).start()

    def tearDown(self):
        try:
            stop_clean(self, self.d)
        finally:
            self.mock.stop()

    def ring(self, sid, frm=CALLER, to=MISSED, direction="inbound"):
        params = [("CallSid", sid), ("AccountSid", TWILIO_SID),
                  ("From", frm), ("To", to), ("CallStatus", "ringing"),
                  ("Direction", direction)]
        status, ctype, body = self.d.twilio(params, path="/voice/twilio")
        self.assertEqual(status, 200, body)
        return parse_xml(body)

    def test_callback_once(self):
        self.start()
        root = self.ring("M1")
        reject = root.find("Reject")
        self.assertIsNotNone(reject, ET.tostring(root))
        self.assertEqual(reject.get("reason"), "busy")
        reqs = wait_until(lambda: [r for r in self.mock.requests
                                   if r.style == "twilio_call"], 10,
                          "the callback placed")
        self.assertEqual(reqs[0].field("To"), CALLER)
        self.assertEqual(reqs[0].field("Url"), PUBLIC + "/voice/twilio")
        # Its end and outcome come back to the call's row.
        self.assertEqual(reqs[0].field("StatusCallback"),
                         PUBLIC + "/voice/twilio?ev=status")
        # Rang again within the window: busy, and still one callback.
        self.ring("M2")
        self.ring("M1")                           # a provider retry
        time.sleep(0.5)
        self.assertEqual(len([r for r in self.mock.requests
                              if r.style == "twilio_call"]), 1)
        followups = [r[0] for r in db_query(
            self.d, "SELECT followup FROM calls ORDER BY id")]
        self.assertEqual(followups, ["callback", "duplicate"])
        kinds = db_query(self.d, "SELECT kind, state FROM outbox")
        self.assertEqual(kinds, [("call", "sent")])
        # The callback itself lands in the menu, not in another reject.
        root = self.ring("CB1", frm=MISSED, to=CALLER,
                         direction="outbound-api")
        self.assertIsNotNone(root.find("Gather"), ET.tostring(root))
        self.assertEqual(db_query(self.d, "SELECT caller, direction FROM"
                                  " calls WHERE call_id = 'CB1'"),
                         [(CALLER, "out")])

    def test_missed_call_stays_missed(self):
        self.start()
        self.ring("M1")
        params = [("CallSid", "M1"), ("AccountSid", TWILIO_SID),
                  ("From", CALLER), ("To", MISSED), ("CallStatus", "busy"),
                  ("Direction", "inbound"), ("CallDuration", "0")]
        status, _, body = self.d.twilio(params,
                                        path="/voice/twilio?ev=status")
        self.assertEqual(status, 200, body)
        self.assertEqual(db_query(self.d, "SELECT status, duration_s,"
                                  " start_ms = end_ms FROM calls"),
                         [("missed", 0, 1)])

    def test_sms_menu(self):
        self.start("sms")
        self.assertIsNotNone(self.ring("M1").find("Reject"))
        reqs = wait_until(lambda: sent_to(self.mock, CALLER), 10,
                          "the SMS menu")
        self.assertIn("1", reqs[0].field("Body"))
        self.assertEqual(reqs[0].style, "twilio")

    def test_opted_out_gets_nothing(self):
        self.start()
        c = harness.db_connect(self.d.db, timeout=5)
        c.execute("INSERT INTO contacts (phone, opted_out_ms) VALUES (?, 1)"
                  " ON CONFLICT(phone) DO UPDATE SET opted_out_ms = 1",
                  (CALLER,))
        c.commit()
        c.close()
        self.assertIsNotNone(self.ring("M1").find("Reject"))
        time.sleep(0.5)
        self.assertEqual(self.mock.requests, [])
        self.assertEqual(db_query(self.d, "SELECT followup FROM calls"),
                         [("opted_out",)])

    def test_ordinary_number_is_the_menu(self):
        self.start()
        root = self.ring("N1", to=OURS)
        self.assertIsNotNone(root.find("Gather"))


class Audio(unittest.TestCase):
    WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(28)
    # The proxy passes /audio/ (docs/operations.md), so say so.
    GLOBALS = {"audio_public": "yes"}

    def setUp(self):
        self.mock = MockProvider().start()
        self.d = provider_daemon("twilio", self.mock, globals_=self.GLOBALS)
        audio = os.path.join(self.d.tmp, "prompts", "audio")
        os.makedirs(os.path.join(audio, "hi"))
        with open(os.path.join(audio, "hi", "ivr.main.wav"), "wb") as f:
            f.write(self.WAV)
        # Symlinks planted in the tree must not lead out of it.
        os.symlink(os.path.join(self.d.tmp, "config", "sampark.conf"),
                   os.path.join(audio, "hi", "evil.wav"))
        os.symlink(os.path.join(self.d.tmp, "config"),
                   os.path.join(audio, "xx"))
        self.d.start()

    def tearDown(self):
        try:
            stop_clean(self, self.d)
        finally:
            self.mock.stop()

    def test_serves_the_file(self):
        status, ctype, body = self.d.request("GET", "/audio/hi/ivr.main.wav")
        self.assertEqual((status, ctype, body), (200, "audio/wav", self.WAV))

    def test_play_when_audio_exists(self):
        status, _, body = self.d.twilio(
            [("CallSid", "A1"), ("AccountSid", TWILIO_SID),
             ("From", CALLER), ("To", OURS)], path="/voice/twilio")
        root = parse_xml(body)
        play = root.find("Gather/Play")
        self.assertIsNotNone(play, body)
        self.assertEqual(play.text, PUBLIC + "/audio/hi/ivr.main.wav")

    def test_no_way_out(self):
        for path in ("/audio/", "/audio/hi", "/audio/hi/",
                     "/audio/../config/sampark.conf",
                     "/audio/hi/../../config/sampark.conf",
                     "/audio/%2e%2e/%2e%2e/config/sampark.conf",
                     "/audio/hi/%2e%2e%2f%2e%2e%2fconfig%2fsampark.conf",
                     "/audio/hi/..%2F..%2Fconfig%2Fsampark.conf",
                     "/audio//etc/passwd", "/audio/hi//etc/passwd",
                     "/audio/hi/%2fetc%2fpasswd",
                     "/audio/hi/evil.wav", "/audio/xx/sampark.conf",
                     "/audio/xx/keywords.wav", "/audio/hi/ivr.main.wav%00",
                     "/audio/hi/.generated", "/audio/HI/ivr.main.wav"):
            status, _, body = self.d.request("GET", path)
            self.assertIn(status, (400, 404), path)
            self.assertNotIn(b"public_url", body, path)
            self.assertNotIn(b"root:", body, path)
        status, _, _ = self.d.request("POST", "/audio/hi/ivr.main.wav", b"")
        self.assertEqual(status, 405)



class AudioNotConfirmed(unittest.TestCase):
    """A recording exists, but nothing says providers can fetch it: the
    caller must hear the prompt spoken, never a <Play> of a URL the proxy
    does not pass (silence)."""

    def daemon(self, globals_):
        mock = MockProvider().start()
        self.addCleanup(mock.stop)
        d = provider_daemon("twilio", mock, globals_=globals_)
        audio = os.path.join(d.tmp, "prompts", "audio", "hi")
        os.makedirs(audio)
        with open(os.path.join(audio, "ivr.main.wav"), "wb") as f:
            f.write(Audio.WAV)
        d.start()
        self.addCleanup(stop_clean, self, d)
        return d

    def assert_spoken(self, d, public=PUBLIC):
        params = [("CallSid", "S1"), ("AccountSid", TWILIO_SID),
                  ("From", CALLER), ("To", OURS)]
        status, _, body = d.twilio(params, path="/voice/twilio",
                                   signature=twilio_signature(
                                       TWILIO_TOKEN, public + "/voice/twilio",
                                       params))
        self.assertEqual(status, 200, body)
        root = parse_xml(body)
        self.assertIsNone(root.find(".//Play"), body)
        say = root.find("Gather/Say")
        self.assertIsNotNone(say, body)
        self.assertEqual(say.get("language"), "hi-IN")
        self.assertTrue(say.text and say.text.strip(), body)

    def test_default_speaks(self):
        self.assert_spoken(self.daemon({}))

    def test_plain_http_public_url_speaks(self):
        # No provider fetches prompts over plain http from the internet.
        http = "http://gw.example.in"
        self.assert_spoken(self.daemon({"audio_public": "yes",
                                        "public_url": http}), http)

class BadMenu(unittest.TestCase):
    """A broken ivr.conf stops the start and is refused on SIGHUP."""

    def test_reload_keeps_old_menu(self):
        mock = MockProvider().start()
        d = provider_daemon("twilio", mock).start()
        try:
            path = os.path.join(d.tmp, "config", "ivr.conf")
            with open(path, "a") as f:
                f.write("[broken]\n1 = fly\n")
            d.signal(signal.SIGHUP)
            wait_until(lambda: b"reload_failed" in d.read_log(), 10,
                       "reload refused")
            self.assertIn(b"ivr.conf:", d.read_log())
            status, _, body = d.twilio(
                [("CallSid", "B1"), ("AccountSid", TWILIO_SID),
                 ("From", CALLER), ("To", OURS)], path="/voice/twilio")
            self.assertEqual(status, 200)
            self.assertIsNotNone(parse_xml(body).find("Gather"))
            r = subprocess.run([BIN, "check-config", "-c", d.conf],
                               capture_output=True, env=d.env, timeout=30)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn(b"ivr.conf:", r.stdout + r.stderr)
        finally:
            d.stop()
            mock.stop()


if __name__ == "__main__":
    unittest.main()
