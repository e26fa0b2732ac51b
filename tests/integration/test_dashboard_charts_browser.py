"""The analysts' charts in a real browser: outcomes and the unanswered,
the weekly trend per category and of the unanswered, the district x
category heat map, the referrals per stakeholder and the broadcast
funnels.  Headless Chromium loads /dashboard from the daemon on loopback
with every other host name unresolvable (the page is self-contained and
may not reach anything else), and every figure the page shows must be
the API's.  Screenshots at 1280 and 412 px go to build/test-output/.
"""
import json
import os
import re
import unittest

from harness import Daemon, ROOT
import analyticslib as al

OUT = os.path.join(ROOT, "build", "test-output")
# Nothing but loopback resolves: a page that tried to load a script or a
# font from elsewhere would fail to, and show it.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"

# A coalition's first, small directory, saved from Excel (BOM, CRLF): a
# bank in Bhadohi, a training centre in Mirzapur, one helpline for loans
# everywhere; nobody yet for markets, or for training outside Mirzapur.
DIRECTORY = (
    "\ufeffname,category,district,phone,languages,description_en,"
    "description_hi\r\n"
    "\"LDM (lead bank), Bhadohi\",loan,bhadohi,+910000010101,hi|en,"
    "Bank loans,बैंक लोन\r\n"
    "RSETI Mirzapur,training,mirzapur,+910000010201,hi,Tailoring course,"
    "सिलाई प्रशिक्षण\r\n"
    "Mudra helpline,loan,*,+910000010002,hi|en,Mudra loans,मुद्रा लोन\r\n")

# Beside the seed: what this directory cannot answer, and what it can.
MORE = [
    ("market bhadohi", 6, 300),
    ("training varanasi", 2, 310),
    ("silai machine ke liye loan chahiye varanasi", 1, 320),
    ("kadhai ka kaam sikhna hai", 2, 330),
]


def num(v):
    return v if isinstance(v, int) else 0


@unittest.skipUnless(al.chromium_path(), "chromium is not installed "
                     "(make deps installs it)")
class ChartsInBrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = Daemon(env=al.TOKENS, import_directory=False)
        path = os.path.join(cls.d.tmp, "directory.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(DIRECTORY)
        r = cls.d.cli("import", "stakeholders", path)
        assert r.returncode == 0, r.stderr
        cls.d.start()
        al.seed(cls.d)
        for text, n, first in MORE:
            for i in range(n):
                status, _ = cls.d.console(al.phone(first + i), text)
                assert status == 200, (text, status)
        cls.url = "http://127.0.0.1:%d/dashboard#token=%s" % (
            cls.d.admin_port, al.ANALYST)

    @classmethod
    def tearDownClass(cls):
        cls.d.stop()

    def api(self, path):
        status, _, body = self.d.admin("GET", path, token=al.ANALYST)
        self.assertEqual(status, 200, body)
        return json.loads(body)

    def test_charts_show_the_api_figures(self):
        since = "since=2000-01-01"
        summary = self.api("/api/v1/reports/summary?" + since)
        weeks = self.api("/api/v1/reports/crosstab?rows=week&cols=keyword&"
                         + since)
        heat = self.api("/api/v1/reports/crosstab?rows=district&"
                        "cols=keyword&" + since)
        dom = al.chromium(self.url, "--dump-dom", OFFLINE)
        self.assertIn('data-state="ready"', dom, dom[-2000:])

        # The headline and every outcome, as the API has them.
        un = summary["unanswered"]
        # market samastipur, market bhadohi x6, training varanasi x2,
        # sabun banana x2.
        self.assertEqual(un["total"], 11)
        self.assertRegex(dom, r'id="total-unanswered">%s<' %
                         re.escape(str(un["total"]).replace("<", "&lt;")))
        shown = dict(re.findall(r'data-outcome="([^"]+)">([^<]*)<', dom))
        for k, v in summary["outcomes"].items():
            if k == "(unknown)" and not v:
                continue
            self.assertEqual(shown.get(k), str(v).replace("<", "&lt;"), k)

        # The trend: each category's point per week is the crosstab's,
        # the unanswered line the report's weeks.
        points = re.findall(r'<circle [^>]*data-week="([^"]+)" '
                            r'data-series="([^"]+)" data-count="([^"]*)"',
                            dom)
        self.assertTrue(points)
        for week, series, count in points:
            if series == "unanswered":
                want = [w["messages"] for w in un["by_week"]
                        if w["key"] == week]
                self.assertEqual(count, str(want[0]) if want else "0")
            else:
                i, j = weeks["rows"].index(week), weeks["cols"].index(series)
                self.assertEqual(count, str(weeks["cells"][i][j]))
        self.assertIn("loan", {s for _, s, _ in points})

        # The heat map: every cell is the crosstab's.
        cells = re.findall(r'data-district="([^"]+)" data-keyword="([^"*]+)">'
                           r'([^<]*)<', dom)
        self.assertEqual(len(cells), len(heat["rows"]) * len(heat["cols"]))
        for d, k, v in cells:
            want = heat["cells"][heat["rows"].index(d)][
                heat["cols"].index(k)]
            self.assertEqual(v, str(want).replace("<", "&lt;"), (d, k))

        # The referral table: per stakeholder and per row.
        ref = summary["referrals"]
        self.assertTrue(ref["stakeholders"])
        got = dict(re.findall(r'data-stakeholder="(\d+)">([^<]*)<', dom))
        self.assertEqual(got, {str(s["id"]): str(s["referrals"]).replace(
            "<", "&lt;") for s in ref["stakeholders"]})
        rows = re.findall(r'data-ref-row="([^"]+)">([^<]*)<', dom)
        self.assertEqual(len(rows), len(ref["rows"]))

        # Hindi labels, marked as such.
        self.assertIn('<span lang="hi">अनुत्तरित</span>', dom)
        self.assertIn("साप्ताहिक रुझान", dom)

    def test_screenshots_desktop_and_phone(self):
        os.makedirs(OUT, exist_ok=True)
        for width in (1280, 412):
            path = os.path.join(OUT, "dashboard-charts-%d.png" % width)
            if os.path.exists(path):
                os.unlink(path)
            al.chromium(self.url, OFFLINE, "--screenshot=" + path,
                        "--window-size=%d,2600" % width)
            self.assertTrue(os.path.exists(path), path)
            with open(path, "rb") as f:
                head = f.read(24)
            self.assertEqual(head[:8], b"\x89PNG\r\n\x1a\n")
            self.assertEqual(int.from_bytes(head[16:20], "big"), width)
            self.assertGreater(os.path.getsize(path), 20000, path)


if __name__ == "__main__":
    unittest.main()
