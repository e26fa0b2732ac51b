"""The stakeholder directory as coordinators keep it, end to end: the
admin API the console uses (list, add, edit, retire, a spreadsheet import
that lists every problem of every row and says what it adds, changes and
retires, merge or replace, export) and `sampark directory`; a woman's
LOAN in Bhadohi is answered from the directory as it now is."""
import csv
import io
import unittest

from consolelib import api, start_daemon
from mockprovider import MockProvider
from outboundlib import wait_until

WOMAN = "+919800000201"

# As a coordinator's Excel saves it: BOM, CRLF, her own headings, names
# as she writes them, one row with three mistakes and a repeated row.
HEAD = ("\ufeffNaam,Category,Zila,Mobile,Bhasha,Description,"
        "Hindi description\r\n")
BAD = (HEAD +
       "Mahila Udyam Bank Mitra,Loan,Bhadohi,94150 12345,\"Hindi, English\","
       "Loan forms filled free,लोन फॉर्म मुफ़्त भरें\r\n"
       "Silai Prashikshan Kendra,karza,Sonbhadra,12345,Hindi; Urdoo,,\r\n"
       "mahila udyam bank mitra,loan,bhadohi,9415012345,hi,,\r\n")
GOOD = (HEAD +
        "Mahila Udyam Bank Mitra,Loan,Bhadohi,94150 12345,\"Hindi, English\","
        "Loan forms filled free,लोन फॉर्म मुफ़्त भरें\r\n"
        "Silai Prashikshan Kendra,training,भदोही,9415012346,Hindi; English,"
        "Three-month course,तीन महीने का कोर्स\r\n"
        "\"LDM (lead bank), Bhadohi\",loan,bhadohi,+910000010101,hi|en,"
        "Now at the collectorate,अब कलेक्ट्रेट में\r\n")


class Directory(unittest.TestCase):
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

    def listed(self, query=""):
        s, r = api(self.d, "GET", "/api/v1/directory" + query)
        self.assertEqual(s, 200, r)
        return r["stakeholders"]

    def test_journey(self):
        d = self.d
        before = self.listed()
        self.assertGreater(len(before), 10)
        loans = self.listed("?district=Bhadohi&category=Loan")
        self.assertTrue(loans)
        self.assertTrue(all(x["category"] == "loan" and
                            x["district"] in ("bhadohi", "*")
                            for x in loans), loans)
        s, r = api(d, "GET", "/api/v1/directory?district=Sonbhadra")
        self.assertEqual(s, 400)
        self.assertIn("closest", r["error"])

        # Every problem of every row, nothing written.
        s, pv = api(d, "POST", "/api/v1/directory/import", {"csv": BAD})
        self.assertEqual(s, 200, pv)
        self.assertEqual(pv["columns"]["Zila"], "district")
        got = {(p["line"], p["column"]) for p in pv["problems"]}
        self.assertEqual(got, {(3, "district"), (3, "phone"),
                               (3, "languages"), (4, "name")}, pv)
        s, r = api(d, "POST", "/api/v1/directory/import",
                   {"csv": BAD, "commit": True})
        self.assertEqual(s, 400)
        self.assertEqual(len(self.listed()), len(before))

        # Merge: two new, one changed (same name and district), none
        # retired; the preview says so before anything changes.
        s, pv = api(d, "POST", "/api/v1/directory/import", {"csv": GOOD})
        self.assertEqual(s, 200, pv)
        self.assertEqual(pv["problems"], [])
        self.assertEqual(sorted(x["name"] for x in pv["add"]),
                         ["Mahila Udyam Bank Mitra",
                          "Silai Prashikshan Kendra"])
        self.assertEqual([x["name"] for x in pv["change"]],
                         ["LDM (lead bank), Bhadohi"])
        self.assertEqual(pv["retire"], [])
        self.assertFalse(pv["imported"])
        s, r = api(d, "POST", "/api/v1/directory/import",
                   {"csv": GOOD, "commit": True})
        self.assertEqual(s, 200, r)
        self.assertTrue(r["imported"])
        now = self.listed()
        self.assertEqual(len(now), len(before) + 2)
        new = [x for x in now if x["name"] == "Mahila Udyam Bank Mitra"][0]
        self.assertEqual((new["district"], new["category"], new["phone"],
                          new["languages"]),
                         ("bhadohi", "loan", "+919415012345", "hi|en"))

        # The daemon answers from the directory as it now is.
        # A registered reply names two at a time, so she pages on.
        def named_when_paging():
            pages = [d.console(WOMAN, "loan bhadohi")[1]]
            while "Mahila Udyam" not in pages[-1] and len(pages) < 6:
                pages.append(d.console(WOMAN, "MORE")[1])
            return "Mahila Udyam" in pages[-1]
        wait_until(named_when_paging, 10,
                   "a reply naming the new stakeholder")

        # Edit, retire, add one by one.
        s, r = api(d, "POST", "/api/v1/directory/%d" % new["id"],
                   {"phone": "9415099999"})
        self.assertEqual(s, 200, r)
        self.assertEqual(r["stakeholder"]["phone"], "+919415099999")
        s, r = api(d, "POST", "/api/v1/directory/%d" % new["id"],
                   {"district": "Sonbhadra", "category": "chai"})
        self.assertEqual(s, 400)
        self.assertEqual({p["column"] for p in r["problems"]},
                         {"district", "category"})
        s, r = api(d, "POST", "/api/v1/directory/%d/retire" % new["id"])
        self.assertEqual(s, 200, r)
        self.assertEqual(r["retired"]["name"], "Mahila Udyam Bank Mitra")
        self.assertNotIn(new["id"], [x["id"] for x in self.listed()])
        s, r = api(d, "POST", "/api/v1/directory",
                   {"name": "Gramin Haat Samiti", "category": "Market",
                    "district": "मिर्ज़ापुर", "phone": "09415000111",
                    "languages": "Hindi"})
        self.assertEqual(s, 201, r)
        self.assertEqual(r["stakeholder"]["district"], "mirzapur")

        # Export, then replace with only part of it: the rest retire.
        s, _, data = d.admin("GET", "/api/v1/directory/export",
                             "coordinator-token-0123456789ab")
        self.assertEqual(s, 200)
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        self.assertEqual(rows[0][:3], ["name", "category", "district"])
        self.assertEqual(len(rows) - 1, len(self.listed()))
        keep = "\r\n".join(",".join('"%s"' % c for c in row)
                           for row in rows[:4]) + "\r\n"
        s, pv = api(d, "POST", "/api/v1/directory/import",
                    {"csv": keep, "replace": True})
        self.assertEqual(s, 200, pv)
        self.assertEqual((len(pv["add"]), len(pv["change"]),
                          pv["unchanged"]), (0, 0, 3))
        self.assertEqual(len(pv["retire"]), len(rows) - 4)
        s, r = api(d, "POST", "/api/v1/directory/import",
                   {"csv": keep, "replace": True, "commit": True})
        self.assertEqual(s, 200, r)
        self.assertEqual(len(self.listed()), 3)

        # The same directory through the CLI.
        r = d.cli("directory", "--district", "bhadoi")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout.decode()
        self.assertIn("3 stakeholders", out)
        r = d.cli("directory", "--district", "Sonbhadra")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("closest", r.stderr.decode())

    def test_cli_import_merge_and_replace(self):
        d = self.d
        path = d.tmp + "/directory-cli.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(BAD)
        r = d.cli("directory", "import", path)
        self.assertEqual(r.returncode, 1)
        err = r.stderr.decode()
        for what in [":3: district:", ":3: phone:", ":3: languages:",
                     ":4: name: the same stakeholder as line 2"]:
            self.assertIn(what, err)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(GOOD)
        r = d.cli("directory", "import", path, "--replace", "--dry-run")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Nothing changed", r.stdout.decode())
        self.assertIn("retire", r.stdout.decode())
        # A sheet saved with its heading and no rows retires nobody.
        before = d.cli("directory").stdout
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(HEAD)
        r = d.cli("directory", "import", path, "--replace")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no rows to import; nothing changed",
                      r.stderr.decode())
        self.assertEqual(d.cli("directory").stdout, before)

    def test_sheet_without_languages_or_descriptions(self):
        """A coordinator keeps her sheet to the four columns a reply
        needs: what the sheet does not have is kept as the directory
        holds it, not emptied, and is no change."""
        d = self.d
        s, r = api(d, "POST", "/api/v1/directory",
                   {"name": "Mahila Shakti Kendra", "category": "Training",
                    "district": "मिर्ज़ापुर", "phone": "09415000222",
                    "languages": "Hindi, Bhojpuri",
                    "description_en": "Tailoring and beautician courses",
                    "description_hi": "सिलाई और ब्यूटीशियन कोर्स"})
        self.assertEqual(s, 201, r)
        sid = r["stakeholder"]["id"]
        four = ("\ufeffNaam,Category,Zila,Mobile\r\n"
                "Mahila Shakti Kendra,training,Mirzapur,09415000222\r\n")
        s, pv = api(d, "POST", "/api/v1/directory/import", {"csv": four})
        self.assertEqual(s, 200, pv)
        self.assertEqual(pv["problems"], [])
        self.assertEqual(pv["change"], [])
        self.assertEqual(pv["unchanged"], 1)

        def kept(phone):
            x = [x for x in self.listed() if x["id"] == sid][0]
            self.assertEqual((x["phone"], x["languages"],
                              x["description_en"], x["description_hi"]),
                             (phone, "hi|bho",
                              "Tailoring and beautician courses",
                              "सिलाई और ब्यूटीशियन कोर्स"))

        # A new number through the CLI: the number changes, the rest
        # stays.
        path = d.tmp + "/four-columns.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(four.replace("09415000222", "09415000333"))
        r = d.cli("directory", "import", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("1 to change", r.stdout.decode())
        kept("+919415000333")
        s, r = api(d, "POST", "/api/v1/directory/import",
                   {"csv": four, "commit": True})
        self.assertEqual(s, 200, r)
        self.assertTrue(r["imported"])
        self.assertEqual(len(r["change"]), 1)
        kept("+919415000222")

    def test_listing_never_creates_a_database(self):
        import os
        import subprocess
        from harness import BIN
        missing = self.d.tmp + "/typo.db"
        for args in (["directory"], ["directory", "export"]):
            r = subprocess.run([BIN] + args + ["-c", self.d.conf, "--db",
                               missing], capture_output=True, timeout=30)
            self.assertEqual(r.returncode, 1, args)
            self.assertIn(b"no database at", r.stderr)
            self.assertFalse(os.path.exists(missing), args)


if __name__ == "__main__":
    unittest.main()
