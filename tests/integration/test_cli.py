"""The command line: directory import (all-or-nothing, FILE:LINE errors),
the export's fields, pseudonyms and audit line."""
import hashlib
import json
import os
import subprocess
import unittest

from harness import BIN, Daemon, sqlite_only

HEADER = "name,category,district,phone,languages\n"
# A directory kept from before: two description columns no reply showed.
OLD_HEADER = ("name,category,district,phone,languages,description_en,"
              "description_hi\n")


class ImportStakeholders(unittest.TestCase):
    def setUp(self):
        self.d = Daemon()

    def tearDown(self):
        self.d.stop()

    def write(self, name, text):
        path = os.path.join(self.d.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_bad_rows_are_all_reported_and_nothing_is_imported(self):
        path = self.write("bad.csv", HEADER +
                          "Good row,loan,bhadohi,+910000012345,hi|en\n"
                          "No category,,bhadohi,+910000012346,hi\n"
                          "Bad district,loan,atlantis,+910000012347,hi\n"
                          "Bad phone,loan,bhadohi,call me,hi\n"
                          "\"Unclosed,loan,bhadohi,+910000012348,hi\n")
        r = self.d.cli("import", "stakeholders", path)
        self.assertEqual(r.returncode, 1)
        err = r.stderr.decode()
        for line in (3, 4, 5):
            self.assertIn("bad.csv:%d:" % line, err)
        self.assertIn("nothing imported", err)
        self.d.start()
        # The sample directory imported by the harness is still served.
        _, reply = self.d.console("+919876500001", "loan bhadohi")
        self.assertRegex(reply, r"\+9100000\d{5}")
        self.assertNotIn("Good row", reply)

    def test_import_replaces_the_directory_and_a_running_daemon_serves_it(self):
        self.d.start()
        path = self.write("new.csv", HEADER +
                          "Sampark test bank,loan,bhadohi,+910000099999,hi|en\n")
        r = self.d.cli("import", "stakeholders", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(b"imported 1 stakeholders", r.stdout)
        _, reply = self.d.console("+919876500001", "loan bhadohi")
        self.assertIn("Sampark test bank", reply)
        self.assertIn("+910000099999", reply)

    def test_names_as_people_write_them(self):
        # The district's own name, a category in capitals, languages in
        # words: what a coordinator's sheet holds.
        path = self.write("friendly.csv", HEADER +
                          "Sampark test bank,Loan,Bhadohi,094150 99999,"
                          "\"hi, en\"\n"
                          "Sampark silai centre,training,भदोही,+910000099998,"
                          "Hindi; English\n")
        r = self.d.cli("import", "stakeholders", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(b"imported 2 stakeholders", r.stdout)
        r = self.d.cli("directory", "--district", "bhadohi")
        out = r.stdout.decode()
        self.assertRegex(out, r"bhadohi\s+loan\s+Sampark test bank\s+"
                         r"\+919415099999\s+hi\|en")
        self.assertRegex(out, r"bhadohi\s+training\s+Sampark silai centre")

    def test_if_empty_never_overwrites(self):
        path = self.write("one.csv", HEADER +
                          "Only,loan,bhadohi,+910000011111,hi\n")
        r = self.d.cli("import", "stakeholders", path, "--if-empty")
        self.assertEqual(r.returncode, 0)
        self.assertIn(b"not importing", r.stdout)

    def test_old_directory_with_descriptions_imports_with_a_note(self):
        # Saved from Excel: BOM, CRLF, a description in Hindi.
        path = self.write("old.csv", "\ufeff" + OLD_HEADER.replace(
            "\n", "\r\n") + "Sakhi Mahila Bank,loan,bhadohi,"
            "09450012345,hi,\"Loans, all kinds\",महिला ऋण\r\n")
        r = self.d.cli("import", "stakeholders", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(b"imported 1 stakeholders", r.stdout)
        self.assertIn("old.csv:1: note: description_en and description_hi "
                      "are not used", r.stderr.decode())
        # A row of the wrong width is still an error, with its line.
        path = self.write("mixed.csv", OLD_HEADER +
                          "Short row,loan,bhadohi,+910000012349,hi\n")
        r = self.d.cli("import", "stakeholders", path)
        self.assertEqual(r.returncode, 1)
        self.assertIn("mixed.csv:2: expected 7 fields, found 5",
                      r.stderr.decode())


class Export(unittest.TestCase):
    def setUp(self):
        self.d = Daemon().start()
        self.d.console("+919876500001", "loan bhadohi", "e1")
        self.d.console("+919876500002", "xyzzy", "e2")

    def tearDown(self):
        self.d.stop()

    def test_fields_and_pseudonyms(self):
        rows = self.d.export()
        self.assertEqual([r["direction"] for r in rows],
                         ["in", "out", "in", "out"])
        for key in ("time", "channel", "direction", "provider",
                    "provider_msg_id", "contact", "text", "keyword",
                    "handler", "encoding", "segments", "latency_ms"):
            self.assertIn(key, rows[0])
        self.assertNotIn("phone", rows[0])
        self.assertEqual(rows[0]["provider_msg_id"], "e1")
        self.assertEqual(rows[0]["keyword"], "loan")
        self.assertEqual(rows[1]["encoding"], "UCS-2")
        self.assertGreaterEqual(rows[1]["segments"], 1)
        self.assertIsInstance(rows[1]["latency_ms"], int)
        self.assertNotIn("9876500001", json.dumps(rows))
        # Same person, same pseudonym; another person, another one.
        self.assertEqual(rows[0]["contact"], rows[1]["contact"])
        self.assertNotEqual(rows[0]["contact"], rows[2]["contact"])
        # Stable across exports with the same key, different under another.
        self.assertEqual(self.d.export()[0]["contact"], rows[0]["contact"])
        other = self.d.export(env={"SAMPARK_PSEUDONYM_KEY": "another key"})
        self.assertNotEqual(other[0]["contact"], rows[0]["contact"])
        revealed = self.d.export("--reveal-phones")
        self.assertEqual(revealed[0]["phone"], "+919876500001")

    def test_filters_csv_and_audit(self):
        r = self.d.cli("export", "--format", "csv", "--since", "2000-01-01",
                       "--channel", "sms")
        self.assertEqual(r.returncode, 0, r.stderr)
        import csv
        import io
        rows = list(csv.reader(io.StringIO(r.stdout.decode(), newline="")))
        self.assertEqual(rows[0][:3], ["time", "channel", "direction"])
        self.assertEqual(len(rows), 5)
        # Replies span lines; quoting keeps each a single field.
        self.assertIn("\n", rows[2][rows[0].index("text")])
        self.assertIn(b"event=export_audit", r.stderr)
        self.assertEqual(self.d.export("--since", "2999-01-01"), [])
        self.assertEqual(self.d.export("--district", "mirzapur"), [])
        r = self.d.cli("export", "--since", "yesterday")
        self.assertEqual(r.returncode, 2)

    @sqlite_only("a backup is an SQLite file")
    def test_export_of_a_backup_leaves_it_as_it_was(self):
        backup = os.path.join(self.d.tmp, "copy.db")
        r = self.d.cli("backup", "--to", backup)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(backup, "rb") as f:
            before = hashlib.sha256(f.read()).hexdigest()
        r = subprocess.run([BIN, "export", "-c", self.d.conf, "--db",
                            backup], capture_output=True, env=self.d.env,
                           cwd=self.d.tmp, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(backup, "rb") as f:
            self.assertEqual(hashlib.sha256(f.read()).hexdigest(), before)
        # The key came with the database into its backup: the same women
        # have the same pseudonyms in both exports.
        rows = [json.loads(x) for x in r.stdout.decode().splitlines()]
        self.assertEqual([x["contact"] for x in rows],
                         [x["contact"] for x in self.d.export()])
        # An export never makes a database.
        r = subprocess.run([BIN, "export", "-c", self.d.conf, "--db",
                            os.path.join(self.d.tmp, "none.db")],
                           capture_output=True, env=self.d.env,
                           cwd=self.d.tmp, timeout=30)
        self.assertEqual(r.returncode, 1)
        self.assertFalse(os.path.exists(os.path.join(self.d.tmp,
                                                     "none.db")))


if __name__ == "__main__":
    unittest.main()
