"""`sampark export` as an analyst uses it: phone numbers and addresses
typed inside messages masked, times in India's zone with their offset and
--since/--until on the report's (IST) days, and --excel's CSV surviving a
round trip through LibreOffice (CSV -> xlsx -> CSV) with every Devanagari
text, phone, id and leading zero intact."""
import csv
import io
import json
import os
import shutil
import signal
import harness
import subprocess
import tempfile
import unittest

from harness import BIN, Daemon, sqlite_only

# What women send (phone, text, provider message id).
MESSAGES = [
    ("+919876500201", "mera number 98765 43210 pe call karo", "0001"),
    ("+919876500202", "मेरा नंबर ९८७६५४३२१० है, mail sunita.devi92@gmail.com",
     "0002"),
    ("+919876500203", "loan bhadohi", "0003"),
    ("+919876500204", "0542", "00000000000000000042"),
    ("+919876500205", "प्रशिक्षण मिर्जापुर, 12 aurat", "0005"),
]
# The first woman's message and its reply at 00:15 IST on 5 December
# (18:45 UTC the day before); everything else at 23:45 IST on the 4th.
LATE_MS = 1796409900000         # 2026-12-04T18:45:00Z
EARLY_MS = LATE_MS - 30 * 60 * 1000


def soffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


class ExportForAnalysts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = Daemon().start()
        for phone, text, mid in MESSAGES:
            status, _ = cls.d.console(phone, text, mid)
            assert status == 200, (text, status)
        # Stopped (not cleaned up) so the times can be set.
        cls.d.signal(signal.SIGTERM)
        cls.d.wait()
        db = harness.db_connect(cls.d.db)
        db.execute("UPDATE interactions SET time_ms = ?", (EARLY_MS,))
        db.execute("UPDATE interactions SET time_ms = ? WHERE phone = ?",
                   (LATE_MS, MESSAGES[0][0]))
        db.commit()
        db.close()

    @classmethod
    def tearDownClass(cls):
        cls.d.stop()

    def run_ok(self, *args):
        r = self.d.cli("export", *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    # ---- masking ----

    def test_numbers_in_texts_are_masked(self):
        rows = self.d.export()
        texts = [r["text"] for r in rows if r["direction"] == "in"]
        self.assertIn("mera number ##### ##### pe call karo", texts)
        self.assertIn("मेरा नंबर ########## है, mail [email]", texts)
        # Short numbers and ordinary words are the message.
        self.assertIn("प्रशिक्षण मिर्जापुर, 12 aurat", texts)
        self.assertIn("loan bhadohi", texts)
        everything = json.dumps(rows, ensure_ascii=False)
        for secret in ("98765 43210", "९८७६५४३२१०", "sunita.devi92",
                       "+9198765002"):
            self.assertNotIn(secret, everything)
        # Replies are the gateway's own words: the stakeholders' public
        # numbers in them stay.
        replies = " ".join(r["text"] for r in rows if r["direction"] == "out")
        self.assertRegex(replies, r"\+91[0-9]{10}")

    def test_reveal_phones_keeps_texts_whole(self):
        rows = self.d.export("--reveal-phones")
        texts = [r["text"] for r in rows if r["direction"] == "in"]
        for _, text, _ in MESSAGES:
            self.assertIn(text, texts)

    # ---- time ----

    def test_times_carry_their_offset(self):
        rows = self.d.export()
        late = [r for r in rows if r["direction"] == "in" and
                r["text"].startswith("mera number")]
        self.assertEqual(late[0]["time"], "2026-12-05T00:15:00+05:30")
        utc = self.d.export("--tz", "UTC")
        self.assertIn("2026-12-04T18:45:00+00:00", {r["time"] for r in utc})
        named = self.d.export("--tz", "Asia/Kolkata")
        self.assertEqual([r["time"] for r in named],
                         [r["time"] for r in rows])
        self.assertIn("2026-12-04T13:45:00-05:00",
                      {r["time"] for r in self.d.export("--tz",
                                                        "America/New_York")})
        self.assertIn("2026-12-04T15:45:00-03:00",
                      {r["time"] for r in self.d.export("--tz", "-0300")})
        for bad in ("Asia/Kolkatta", "IST", "+25:00", "../etc/passwd",
                    "+-5", "+05:-3", "zone.tab", ""):
            r = self.d.cli("export", "--tz", bad)
            self.assertEqual(r.returncode, 2, bad)
            self.assertIn(b"--tz", r.stderr)

    def test_days_are_indian_days(self):
        # 5 December in India began at 18:30 UTC on the 4th: only the
        # late message and its reply are in it.
        day = self.d.export("--since", "2026-12-05", "--until", "2026-12-05")
        self.assertEqual({r["direction"] for r in day}, {"in", "out"})
        self.assertTrue(all(r["time"].startswith("2026-12-05T00:15")
                            for r in day), day)
        before = self.d.export("--until", "2026-12-04")
        self.assertEqual(len(before) + len(day), len(self.d.export()))
        self.assertFalse(any(r["time"].startswith("2026-12-05")
                             for r in before))
        # The report counts the same day the same way.
        r = self.d.cli("report", "--since", "2026-12-05", "--until",
                       "2026-12-05", "--format", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["total"]["inbound"],
                         sum(1 for x in day if x["direction"] == "in"))
        # In UTC, the 5th has not begun yet.
        self.assertEqual(self.d.export("--tz", "UTC", "--since",
                                       "2026-12-05"), [])

    # ---- the pseudonym key ----

    def on_db(self, path, *args):
        return subprocess.run([BIN] + list(args) + ["-c", self.d.conf,
                              "--db", path], capture_output=True,
                              env=self.d.env, cwd=self.d.tmp, timeout=30)

    @sqlite_only("backup and restore copy the SQLite file")
    def test_pseudonyms_survive_backup_and_restore(self):
        before = [r["contact"] for r in self.d.export()]
        backup = os.path.join(self.d.tmp, "kept.db")
        r = self.d.cli("backup", "--to", backup)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(backup, "rb") as f:
            copy = f.read()
        # The export of the backup writes nothing into it, key included.
        r = self.on_db(backup, "export")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(backup, "rb") as f:
            self.assertEqual(f.read(), copy)
        # Restored over a new, empty database: the same pseudonyms.
        fresh = os.path.join(self.d.tmp, "fresh.db")
        r = self.on_db(fresh, "restore", "--from", backup)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.on_db(fresh, "export")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([json.loads(x)["contact"]
                          for x in r.stdout.decode().splitlines()], before)

    # ---- spreadsheets ----

    def test_excel_csv_has_a_bom_and_keeps_text_as_text(self):
        raw = self.run_ok("--excel", "--reveal-phones")
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"),
                                               newline="")))
        self.assertIn('="+919876500201"', {r["phone"] for r in rows})
        ids = {r["provider_msg_id"] for r in rows}
        self.assertIn('="00000000000000000042"', ids)
        self.assertIn('="0542"', {r["text"] for r in rows})
        # Counts stay numbers.
        self.assertRegex(rows[0]["segments"], r"^[0-9]+$")
        # Plain --format csv is unchanged: no mark, no formulas.
        plain = self.run_ok("--format", "csv")
        self.assertTrue(plain.startswith(b"time,"))
        self.assertNotIn(b'="', plain)
        r = self.d.cli("export", "--excel", "--format", "jsonl")
        self.assertEqual(r.returncode, 2)

    def test_libreoffice_round_trip(self):
        office = soffice()
        if office is None:
            self.skipTest("soffice not found: LibreOffice is needed for "
                          "this test (Debian: libreoffice-calc-nogui, "
                          "installed by make deps)")
        raw = self.run_ok("--excel", "--reveal-phones")
        expected = self.d.export("--reveal-phones")
        tmp = tempfile.mkdtemp(prefix="sampark-lo-")
        try:
            src = os.path.join(tmp, "export.csv")
            with open(src, "wb") as f:
                f.write(raw)
            profile = "file://" + os.path.join(tmp, "profile")
            base = [office, "-env:UserInstallation=" + profile,
                    "--headless", "--norestore"]
            # As opened in Calc with the import dialog's Unicode (UTF-8),
            # comma and double quote; saved as xlsx, then as CSV.
            subprocess.run(base + ["--infilter=CSV:44,34,76,1",
                                   "--convert-to", "xlsx", "--outdir",
                                   os.path.join(tmp, "xlsx"), src],
                           check=True, capture_output=True, timeout=180)
            xlsx = os.path.join(tmp, "xlsx", "export.xlsx")
            self.assertTrue(os.path.exists(xlsx))
            subprocess.run(base + ["--convert-to",
                                   "csv:Text - txt - csv (StarCalc):44,34,76",
                                   "--outdir", os.path.join(tmp, "back"),
                                   xlsx],
                           check=True, capture_output=True, timeout=180)
            with open(os.path.join(tmp, "back", "export.csv"),
                      encoding="utf-8", newline="") as f:
                back = list(csv.DictReader(f))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        self.assertEqual(len(back), len(expected))
        for got, want in zip(back, expected):
            for field, value in want.items():
                want_cell = "" if value is None else str(value)
                self.assertEqual(got[field], want_cell,
                                 "%s of %r" % (field, want))
        texts = {r["text"] for r in back}
        self.assertIn("मेरा नंबर ९८७६५४३२१० है, mail sunita.devi92@gmail.com",
                      texts)
        self.assertIn("0542", texts)


if __name__ == "__main__":
    unittest.main()
