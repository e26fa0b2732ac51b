"""Replies on Indian routes: every reply a live daemon sends through Exotel
matches exactly one template printed by `sampark templates`, under the
scrubber's rule (fixed text byte-exact, each {#var#} 1 to 30
characters), and carries that template's id and the principal entity id.

The matcher is this file's own: a regular expression per template, each
run of n adjacent {#var#} a span of n to 30n characters."""
import json
import os
import re
import unittest

from mockprovider import MockProvider
from outboundlib import (EXOTEL_URL_TOKEN, PROVIDERS, json_post, outbox,
                         provider_daemon, sent_to, wait_until)

SENDER = "+919812345678"
VAR = "{#var#}"
# One woman sends many messages in a row here: no abuse limits.
NO_LIMITS = []
for _k in ("loop_fast_strikes", "loop_repeats", "inbound_per_hour",
           "replies_per_day"):
    NO_LIMITS += ["--set", _k + "=0"]


def template_regex(text):
    parts = re.split(r"((?:\{#var#\})+)", text)
    out = []
    for p in parts:
        if p.startswith(VAR):
            n = len(p) // len(VAR)
            out.append("(.{%d,%d})" % (n, 30 * n))
        else:
            out.append(re.escape(p))
    return re.compile("".join(out), re.S)


class ExotelRepliesAreTemplates(unittest.TestCase):

    def setUp(self):
        self.mock = MockProvider().start()
        self.d = provider_daemon("exotel", self.mock)
        self.d.extra_args += NO_LIMITS
        r = self.d.cli("templates", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.templates = json.loads(r.stdout.decode("utf-8"))
        # An id for every reply template, as a volunteer would register
        # them: 19 digits, one per template and language.
        lines = ["# registered on the DLT portal, 5 Dec"]
        self.ids = {}
        for i, t in enumerate(x for x in self.templates
                              if x["kind"] == "reply"):
            tid = "11071700000%08d" % (i + 1)
            self.ids[(t["lang"], t["key"])] = tid
            lines.append("%s.%s = %s" % (t["key"], t["lang"], tid))
        path = os.path.join(self.d.tmp, "config", "reply_templates.conf")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\r\n".join(lines) + "\r\n")
        self.d.start()
        self.n = 0

    def tearDown(self):
        self.d.stop()
        self.mock.stop()

    def say(self, body):
        self.n += 1
        st, _, _ = json_post(self.d, "/sms/exotel?token=" + EXOTEL_URL_TOKEN,
                             {"SmsSid": "sid%06d" % self.n,
                              "Direction": "incoming", "Sender": SENDER,
                              "ReceivedOn": "56070", "MessageBody": body,
                              "ReceivedTime": "2026-12-05T16:11:01Z"})
        self.assertEqual(st, 200)

    def test_every_reply_is_its_registered_template(self):
        msgs = ["लोन भदोही", "more", "आगे", "training mirzapur", "more",
                "market samastipur", "bazar varanasi", "loan darbhanga",
                "muzaffarpur", "kya hai", "help", "agra",
                "loan patna", "loan aur training", "join bhadohi Sunita Devi",
                "naam Kamla Devi", "lang en", "loan bhadohi", "more",
                "training varanasi", "xyz", "notice bhadohi kal baithak",
                "lang", "lang hi", "stop", "start"]
        for m in msgs:
            self.say(m)

        def all_sent():
            rows = [r for r in outbox(self.d).values() if r.to == SENDER]
            return (len(rows) >= len(msgs) - 1 and
                    all(r.state == "sent" for r in rows))
        try:
            wait_until(all_sent, 20, "replies sent")
        except AssertionError:
            print([(r.state, r.body[:40]) for r in outbox(self.d).values()])
            raise
        reqs = sent_to(self.mock, SENDER)
        self.assertGreaterEqual(len(reqs), len(msgs) - 1)
        compiled = [(t, template_regex(t["text"])) for t in self.templates]
        keys = set()
        for req in reqs:
            body = req.field("Body")
            hits = [t for t, rx in compiled if rx.fullmatch(body)]
            self.assertEqual(len(hits), 1, "%r matches %s" % (
                body, [(t["kind"], t["key"], t["lang"]) for t in hits]))
            t = hits[0]
            self.assertEqual(t["kind"], "reply")
            self.assertEqual(req.field("DltTemplateId"),
                             self.ids[(t["lang"], t["key"])], body)
            self.assertEqual(req.field("DltEntityId"),
                             PROVIDERS["exotel"]["set"]["dlt_entity_id"])
            self.assertEqual(req.field("From"), "SMPARK")
            keys.add(t["key"])
        # Lists, pages, the unserved answer, the menu, confirmations.
        for k in ("info.list.3.more", "more.list.1", "district.unknown",
                  "anywhere.list.1", "help.unknown", "choose.ask",
                  "join.welcome", "name.saved", "lang.set", "stop.confirm"):
            self.assertIn(k, keys)

    def test_check_config_warns_of_unregistered_replies(self):
        sets = [a for a in self.d.extra_args]
        r = self.d.cli("check-config", *sets)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn(b"no DLT template id", r.stderr)
        # One line lost from the ids file: that reply would be dropped.
        path = os.path.join(self.d.tmp, "config", "reply_templates.conf")
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(l for l in lines
                              if not l.startswith("help.menu.hi")) + "\n")
        r = self.d.cli("check-config", *sets)
        self.assertEqual(r.returncode, 0, r.stderr)
        err = r.stderr.decode("utf-8")
        self.assertRegex(err, r"1 of \d+ reply templates have no DLT "
                         r"template id in \S*reply_templates.conf, and "
                         r"exotel sends on DLT routes")
        # Without an entity id (not on DLT routes) it is no concern.
        r = self.d.cli("check-config", *sets,
                       "--set", "exotel.dlt_entity_id=")
        self.assertNotIn(b"no DLT template id", r.stderr)

    def test_templates_command(self):
        r = self.d.cli("templates", "--replies", "--lang", "en")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout.decode("utf-8")
        # The id configured, and the text exactly as registered.
        tid = self.ids[("en", "info.list.2.more")]
        self.assertIn("== reply info.list.2.more (en) service-implicit %s\n"
                      "{#var#} in {#var#} (2):\n{#var#}{#var#} {#var#}\n"
                      "{#var#}{#var#} {#var#}\nReply MORE for more.\n" % tid,
                      out)
        self.assertNotIn("(hi)", out)
        self.assertNotIn("== broadcast", out)
        r = self.d.cli("templates", "--broadcasts")
        out = r.stdout.decode("utf-8")
        self.assertIn("== broadcast meeting (hi) service-implicit "
                      "0000000000000000102\n", out)
        self.assertNotIn("== reply", out)


class UnregisteredTemplates(unittest.TestCase):

    def test_without_c_the_config_of_the_checkout(self):
        import subprocess
        from harness import BIN
        root = os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__))))
        if os.path.exists("/etc/sampark/sampark.conf"):
            self.skipTest("an installed config would be read instead")
        r = subprocess.run([BIN, "templates", "--replies", "--lang", "en"],
                           cwd=root, capture_output=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(b"== reply info.list.2.more (en)", r.stdout)

    def test_without_ids_every_reply_is_unregistered(self):
        from harness import Daemon
        d = Daemon(import_directory=False)
        try:
            r = d.cli("templates", "--replies", "--lang", "hi")
            self.assertEqual(r.returncode, 0, r.stderr)
            heads = [l for l in r.stdout.decode("utf-8").splitlines()
                     if l.startswith("== ")]
            self.assertGreater(len(heads), 40)
            self.assertTrue(all(l.endswith(" UNREGISTERED") for l in heads))
            # A typo in the ids file is an error with its line.
            path = os.path.join(d.tmp, "config", "reply_templates.conf")
            with open(path, "w", encoding="utf-8") as f:
                f.write("help.menu.hi = 1107170000000000001\n"
                        "info.list.4.hi = 1107170000000000002\n")
            r = d.cli("templates")
            self.assertEqual(r.returncode, 1)
            self.assertIn("reply_templates.conf:2: no reply template "
                          "info.list.4 in language hi",
                          r.stderr.decode("utf-8"))
        finally:
            d.stop()


class ImportWarnsWhatDoesNotFit(unittest.TestCase):
    """A directory from a spreadsheet (Excel: BOM, CRLF) with names over
    one DLT variable: a warning with the reply as it will look, or an
    error with --strict; a name no template can carry is refused."""

    HEADER = ("\ufeffname,category,district,phone,languages,"
              "description_en,description_hi\r\n")

    def setUp(self):
        from harness import Daemon
        self.d = Daemon(import_directory=False)

    def tearDown(self):
        self.d.stop()

    def write(self, rows):
        path = os.path.join(self.d.tmp, "directory.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(self.HEADER + "".join(r + "\r\n" for r in rows))
        return path

    def test_long_names(self):
        rows = ["Carpet Export Promotion Council,market,bhadohi,"
                "09415012345,hi|en,Export buyers,निर्यात",
                "DIC Bhadohi,loan,bhadohi,+910000010102,hi|en,,"]
        path = self.write(rows)
        r = self.d.cli("import", "stakeholders", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        err = r.stderr.decode("utf-8")
        self.assertIn('warning: "Carpet Export Promotion Council": name is '
                      '31 characters', err)
        self.assertIn("\n    Carpet Export Promotion Council +919415012345\n",
                      err)
        self.assertNotIn("DIC Bhadohi", err)
        self.assertIn(b"imported 2 stakeholders", r.stdout)
        # The reply carries it whole, over two variables.
        self.d.start()
        _, reply = self.d.console("+919876500001", "market bhadohi")
        self.assertIn("Carpet Export Promotion Council +919415012345", reply)

        r = self.d.cli("import", "stakeholders", path, "--strict")
        self.assertEqual(r.returncode, 1)
        err = r.stderr.decode("utf-8")
        self.assertIn('error (--strict): "Carpet Export Promotion Council"',
                      err)
        self.assertIn("nothing imported", err)

        too_long = ("Uttar Pradesh Khadi and Village Industries Board, "
                    "Varanasi RO")
        r = self.d.cli("import", "stakeholders", self.write(
            rows + ['"%s",loan,varanasi,+910000010406,hi,,' % too_long]))
        self.assertEqual(r.returncode, 1)
        err = r.stderr.decode("utf-8")
        self.assertIn("directory.csv:4: name: 61 characters, at most 60 "
                      "(2 DLT variables of 30): no reply could carry it; "
                      "shorten the name", err)
        self.assertIn("nothing imported", err)
        # Nor by the directory's own import, the console's or one by one.
        r = self.d.cli("directory", "add", "--name", too_long, "--category",
                       "loan", "--district", "varanasi", "--phone",
                       "+910000010406")
        self.assertEqual(r.returncode, 1)
        self.assertIn(b"no reply could carry it", r.stderr)

    def test_prompts_fault_is_not_the_file(self):
        """A prompts directory that cannot be read is the configuration's
        fault: said as such, the file not blamed."""
        path = self.write(["DIC Bhadohi,loan,bhadohi,+910000010102,hi|en,,"])
        os.rename(os.path.join(self.d.tmp, "prompts"),
                  os.path.join(self.d.tmp, "prompts.old"))
        r = self.d.cli("import", "stakeholders", path)
        self.assertEqual(r.returncode, 1)
        err = r.stderr.decode("utf-8")
        self.assertIn("cannot load the reply prompts from prompts_dir", err)
        self.assertIn("nothing imported", err)
        self.assertNotIn("has errors", err)
        os.rename(os.path.join(self.d.tmp, "prompts.old"),
                  os.path.join(self.d.tmp, "prompts"))
        r = self.d.cli("import", "stakeholders", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(b"imported 1 stakeholders", r.stdout)


if __name__ == "__main__":
    unittest.main()
