"""The dashboard in a real browser: headless Chromium loads /dashboard from
the daemon on loopback, its scripts fetch the report API and draw the
chart, and the figures in the rendered page must be the seeded ones.
Screenshots (desktop and phone width) go to build/test-output/.

The token is handed to the page in the URL fragment (#token=...), which
the browser never sends to the server, so it reaches no log; the page
sends it as a bearer token.  Chromium runs with --virtual-time-budget, so
it dumps the DOM once the page's scripts and fetches have settled.
"""
import os
import re
import unittest

from harness import Daemon, ROOT
import analyticslib as al

OUT = os.path.join(ROOT, "build", "test-output")


def by_id(dom, ident):
    m = re.search(r'id="%s"[^>]*>([^<]*)<' % re.escape(ident), dom)
    return m.group(1) if m else None


@unittest.skipUnless(al.chromium_path(), "chromium is not installed "
                     "(make deps installs it)")
class DashboardInBrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = Daemon(env=al.TOKENS).start()
        al.seed(cls.d)
        cls.url = "http://127.0.0.1:%d/dashboard#token=%s" % (
            cls.d.admin_port, al.ANALYST)

    @classmethod
    def tearDownClass(cls):
        cls.d.stop()

    def test_figures_rendered_match_the_seed(self):
        dom = al.chromium(self.url, "--dump-dom")
        self.assertIn('data-state="ready"', dom, dom[-2000:])
        self.assertEqual(by_id(dom, "total-inbound"),
                         str(al.EXPECTED_INBOUND))
        self.assertEqual(by_id(dom, "total-contacts"),
                         str(al.EXPECTED_CONTACTS))
        self.assertEqual(by_id(dom, "total-unmatched"), "2")
        self.assertEqual(by_id(dom, "total-opt_ins"), "1")
        self.assertEqual(by_id(dom, "total-opt_outs"), "1")
        # The chart: drawn in SVG, one rectangle per day and keyword, its
        # counts and day totals those of the seed.
        self.assertIn('<svg id="chart-days"', dom)
        rects = re.findall(r'<rect [^>]*data-keyword="([^"]+)" '
                           r'data-count="([^"]+)"', dom)
        per_kw = {}
        for kw, n in rects:
            per_kw[kw] = per_kw.get(kw, 0) + int(n)
        self.assertEqual(per_kw.get("loan"), 7)
        self.assertEqual(per_kw.get("training"), 3)
        self.assertEqual(per_kw.get("(unmatched)"), 2)
        totals = re.findall(r'class="bar-total"[^>]*>(\d+)<', dom)
        self.assertEqual(sum(int(t) for t in totals), al.EXPECTED_INBOUND)
        # District x keyword: small cells suppressed, the rest shown.
        self.assertRegex(dom, r'data-district="bhadohi" data-keyword="loan">'
                         r'7<')
        self.assertRegex(dom, r'data-district="mirzapur" '
                         r'data-keyword="training">&lt;5<')
        self.assertRegex(dom, r'class="text">sabun banana</td><td '
                         r'class="count">2<')
        # Hindi is served as UTF-8 text with its language marked.
        self.assertIn('<span class="hi" lang="hi">· सम्पर्क विश्लेषण</span>',
                      dom)
        # The token came in the fragment: it reached no server log.
        self.assertNotIn(al.ANALYST.encode(), self.d.read_log())

    def test_without_a_token_the_login_form_shows(self):
        url = "http://127.0.0.1:%d/dashboard" % self.d.admin_port
        dom = al.chromium(url, "--dump-dom")
        self.assertIn('data-state="login"', dom)
        self.assertRegex(dom, r'<section id="login">')
        self.assertNotIn('id="total-inbound"', dom)

    def test_screenshots(self):
        os.makedirs(OUT, exist_ok=True)
        for name, size in (("dashboard.png", "1100,1500"),
                           ("dashboard-phone.png", "390,1600")):
            path = os.path.join(OUT, name)
            if os.path.exists(path):
                os.unlink(path)
            al.chromium(self.url, "--screenshot=" + path,
                        "--window-size=" + size)
            self.assertTrue(os.path.exists(path), name)
            with open(path, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
            self.assertGreater(os.path.getsize(path), 20000, name)


if __name__ == "__main__":
    unittest.main()
