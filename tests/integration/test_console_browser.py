"""The coordinators' console in a real browser: headless Chromium, driven
by Selenium, against the real daemon on loopback with the mock provider
behind it.  One coordinator's day: log in; import a contacts sheet with
mistakes, see every one of them with its line, fix the sheet, map a
column by hand, import; create a group with a Hindi name and add three
women; compose a meeting notice to the group, see the recipients and the
cost, confirm; two women answer YES and NO from their phones (console
webhooks); the names show in the RSVP lists, numbers masked; message
those who said YES; call the meeting off and tell them.  The mock
provider must have had exactly the right messages for each woman.  A
cross-origin form post with the session cookie is refused.  Screenshots
at 1280 and 412 px go to build/test-output/.  The browser has no route
off the machine, and its net log must show that no connection left
loopback."""
import datetime
import http.server
import os
import threading
import unittest

import browserlib
from consolelib import COORD, IST, start_daemon, texts_to, wait_texts
from harness import ROOT
from mockprovider import MockProvider
from outboundlib import db_query, wait_until

OUT = os.path.join(ROOT, "build", "test-output")
SUNITA = "+919800000301"
REKHA = "+919800000302"
ASHA = "+919800000303"
MEENA = "+919800000304"     # imported, not in the group

BAD = ("Mobile No,Naam,Zila,Bhasha,Role\n"
       "98000 00301,Sunita,Mirzapur,Hindi,Coordinator\n"
       "98000 003,Rekha,Mirzpurr,French,entrepreneur\n"
       "9800000303,Asha,मिर्ज़ापुर,en,boss\n"
       "9800000304,Meena,Bhadohi,hi,\n")
# Fixed, and with a heading the gateway cannot guess ("Sampark No"): the
# page's column-mapping step names it.
GOOD = ("\ufeffSampark No,Naam,Zila,Bhasha,Role,Remarks\r\n"
        "98000 00301,Sunita,Mirzapur,Hindi,Coordinator,x\r\n"
        "9800000302,Rekha,Mirzapur,hindi,entrepreneur,\r\n"
        "9800000303,Asha,मिर्ज़ापुर,en,,\r\n"
        "9800000304,Meena,Bhadohi,hi,,\r\n")


# The directory as a coordinator's Excel saves it: her own headings,
# names as she writes them; one row with three mistakes.
DIR_BAD = ("\ufeffNaam,Category,Zila,Mobile,Bhasha,Description\r\n"
           "Mahila Udyam Bank Mitra,Loan,Bhadohi,94150 12345,"
           "\"Hindi, English\",Loan forms filled free\r\n"
           "Silai Kendra Chunar,Beauty parlour,Sonbhadra,12345,Urdoo,\r\n")
DIR_GOOD = ("\ufeffNaam,Category,Zila,Mobile,Bhasha,Description\r\n"
            "Mahila Udyam Bank Mitra,Loan,Bhadohi,94150 12345,"
            "\"Hindi, English\",Loan forms filled free\r\n"
            "Silai Kendra Chunar,training,मिर्ज़ापुर,9415012346,Hindi,"
            "Three-month course\r\n"
            "\"LDM (lead bank), Bhadohi\",loan,bhadohi,+910000010101,hi|en,"
            "Now at the collectorate\r\n")


class EvilPage(http.server.BaseHTTPRequestHandler):
    """Another origin (another port) whose page posts a form to the
    console's API, as a site elsewhere would."""
    target = None
    timeout = 5     # a browser's idle preconnection must not hold it

    def do_GET(self):
        body = ('<!doctype html><form method="post" enctype="text/plain" '
                'action="%s/api/v1/groups"><input name=\'{"display_name":'
                '"evil","x":"\' value=\'"}\'></form><script>'
                'document.forms[0].submit()</script>' % self.target).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@unittest.skipIf(browserlib.missing(), browserlib.missing() or "")
class ConsoleInBrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.mock = MockProvider().start()
        cls.d = None
        cls.b = None
        try:
            cls.d = start_daemon(cls.mock)
            cls.base = "http://127.0.0.1:%d" % cls.d.admin_port
            cls.b = browserlib.Browser()
        except Exception:
            cls.tearDownClass()
            raise
        os.makedirs(OUT, exist_ok=True)

    @classmethod
    def tearDownClass(cls):
        if cls.b:
            cls.b.cleanup()
        if cls.d:
            cls.d.stop()
        cls.mock.stop()

    # ---- helpers ----

    def id(self, ident):
        return self.b.driver.find_element("id", ident)

    def text(self, ident):
        return self.id(ident).text

    def wait_text(self, ident, want, timeout=None):
        self.b.wait(lambda d: want in d.find_element("id", ident).text,
                    timeout, "%r in #%s" % (want, ident))

    def set_value(self, ident, value, event="change"):
        """Set an input as a person would leave it (date pickers too)."""
        self.b.driver.execute_script(
            "var e = arguments[0]; e.value = arguments[1];"
            "e.dispatchEvent(new Event(arguments[2], {bubbles: true}));",
            self.id(ident), value, event)

    def click_css(self, css):
        """Click what css names once it is there; a list drawn again
        meanwhile (a stale element) is looked up again."""
        def attempt(d):
            try:
                d.find_element("css selector", css).click()
                return True
            except Exception:
                return False
        self.b.wait(attempt, what="click " + css)

    def type(self, ident, value):
        e = self.id(ident)
        e.clear()
        e.send_keys(value)

    def select(self, ident, value):
        self.set_value(ident, value)

    def shot(self, name, at=None):
        """Screenshots at both widths, scrolled to element id at if
        given."""
        drv = self.b.driver
        for width, suffix in ((1280, ""), (412, "-phone")):
            drv.set_window_size(width, 1000)
            if at is not None:
                drv.execute_script("arguments[0].scrollIntoView();",
                                   self.id(at))
            path = os.path.join(OUT, "console-%s%s.png" % (name, suffix))
            if os.path.exists(path):
                os.unlink(path)
            drv.save_screenshot(path)
            with open(path, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        drv.set_window_size(1280, 900)

    def write(self, name, text):
        path = os.path.join(self.d.tmp, name)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return path

    def nav(self, page):
        self.id("nav-" + page).click()
        self.b.wait(lambda d: d.find_element("tag name", "body")
                    .get_attribute("data-page") == page, what=page)

    # ---- the journey ----

    def test_a_coordinator_journey(self):
        self.b.driver.delete_all_cookies()
        drv = self.b.driver
        drv.get(self.base + "/console")
        self.b.wait(lambda d: d.find_element("tag name", "body")
                    .get_attribute("data-state") == "login", what="login")
        self.shot("login")
        self.type("token", COORD)
        self.id("login-btn").click()
        self.b.wait(lambda d: d.find_element("tag name", "body")
                    .get_attribute("data-state") == "ready", what="ready")
        self.assertEqual(drv.find_element("tag name", "body")
                         .get_attribute("data-role"), "coordinator")

        # Import with mistakes: every problem of every row, at once.
        self.id("import-btn").click()
        self.id("import-file").send_keys(self.write("women.csv", BAD))
        self.b.wait(lambda d: len(d.find_elements(
            "css selector", "#import-problems tr.problem")) > 0,
            what="problems listed")
        rows = drv.find_elements("css selector", "#import-problems tr.problem")
        got = sorted((r.get_attribute("data-line"),
                      r.find_elements("tag name", "td")[1].text)
                     for r in rows)
        self.assertEqual(got, [("3", "District"), ("3", "Language"),
                               ("3", "Phone"), ("4", "Role")])
        self.assertFalse(self.id("import-commit").is_enabled())
        self.assertIn("4 problems", self.text("import-summary"))
        self.shot("import-problems")
        self.assertEqual(db_query(self.d, "SELECT count(*) FROM contacts")
                         [0][0], 0)

        # The fixed sheet: its phone heading is mapped by hand.
        self.id("import-file").send_keys(self.write("women-fixed.csv", GOOD))
        self.wait_text("import-problems", "no column holds the phone")
        sel = drv.find_element("css selector",
                               '.map-select[data-header="Sampark No"]')
        self.set_value(sel.get_attribute("id") or "", "", "change") \
            if False else drv.execute_script(
                "arguments[0].value = 'phone';"
                "arguments[0].dispatchEvent(new Event('change'));", sel)
        self.wait_text("import-summary", "4 rows are ready: 4 new")
        self.assertEqual(drv.find_element(
            "css selector", '.map-select[data-header="Remarks"]')
            .get_attribute("value"), "")
        self.shot("import-ready")
        self.id("import-commit").click()
        self.wait_text("import-result", "Imported 4 contacts")
        self.assertEqual(db_query(self.d, "SELECT name, district, language,"
                                  " role FROM contacts WHERE phone = ?",
                                  (SUNITA,)),
                         [("Sunita", "mirzapur", "hi", "coordinator")])

        # Search, and a contact opened by her masked row.
        self.type("contact-search", "rek")
        self.id("contact-find").click()
        self.b.wait(lambda d: len(d.find_elements(
            "css selector", "#contacts-table tbody tr")) == 1, what="search")
        self.assertIn("+********0302", self.text("contacts-table"))
        self.assertNotIn(REKHA, drv.page_source)
        self.shot("contacts")

        # A group with a Hindi name, and three of the women in it.
        self.nav("groups")
        self.type("group-name", "सिलाई समूह")
        self.id("group-create").click()
        self.wait_text("group-status", "silai-samuh")
        self.b.wait(lambda d: d.find_element("id", "group-detail")
                    .is_displayed(), what="group opened")
        self.type("group-phones", "\n".join(("9800000301", "9800000302",
                                             "9800000303")))
        self.id("group-add-members").click()
        self.b.wait(lambda d: len(d.find_elements(
            "css selector", "#group-members tbody tr")) == 3, what="members")
        self.wait_text("groups-table", "सिलाई समूह")
        self.shot("groups")

        # The meeting notice: counters, recipients, cost, confirm.
        self.nav("broadcasts")
        self.id("bc-new").click()
        self.select("bc-template", "meeting")
        self.b.wait(lambda d: d.find_element("id", "bc-meeting")
                    .is_displayed(), what="meeting fields")
        self.type("bc-m-title", "A very long meeting title, too long")
        self.wait_text("compose", "too long for DLT")
        self.assertIn("over", drv.find_element(
            "css selector", '[data-count="bc-m-title"]')
            .get_attribute("class"))
        self.type("bc-m-title", "SHG meeting")
        self.type("bc-m-place", "Chunar block office")
        when = (datetime.datetime.now(IST) + datetime.timedelta(days=3)) \
            .replace(hour=11, minute=0)
        # Typed as she would say it; the page says how it was read.
        self.set_value("bc-m-time", "%d %s 11am" % (when.day,
                                                    when.strftime("%b")))
        self.select("aud-group", "silai-samuh")
        self.b.wait(lambda d: d.find_element("id", "bc-count").text == "3",
                    what="3 recipients")
        self.assertEqual(self.text("aud-expr"), "group:silai-samuh")
        self.wait_text("bc-m-read", when.strftime("%a %-d %b %Y, 11:00 IST"))
        self.assertTrue(int(self.text("bc-segments")) >= 3)
        self.wait_text("bc-preview", "SHG meeting")
        self.assertIn("Chunar block office", self.text("bc-preview"))
        self.assertIn("हिंदी", self.text("bc-preview"))
        self.wait_text("bc-schedule-note", "IST")
        self.shot("compose")
        self.id("bc-review").click()
        self.wait_text("bc-confirm-text", "Send to 3 women")
        self.id("bc-send").click()
        self.b.wait(lambda d: d.find_element("id", "bc-result")
                    .get_attribute("data-id"), what="queued")
        bid = int(self.id("bc-result").get_attribute("data-id"))
        for p in (SUNITA, REKHA, ASHA):
            wait_texts(self.mock, p, 1)
        wait_until(lambda: db_query(self.d, "SELECT count(*) FROM outbox "
                                    "WHERE broadcast_id = ? AND state = "
                                    "'sent'", (bid,))[0][0] == 3, 10, "sent")
        self.assertEqual(texts_to(self.mock, MEENA), [])

        # Answers from two phones.
        self.assertEqual(self.d.console(SUNITA, "haan")[0], 200)
        self.assertEqual(self.d.console(REKHA, "nahi")[0], 200)

        # The detail page: funnel and the people by answer.
        self.id("nav-broadcasts").click()
        row = '#bc-table tr[data-id="%d"]' % bid
        self.click_css(row)
        self.wait_text("rsvp-yes", "Sunita")
        self.wait_text("rsvp-no", "Rekha")
        self.wait_text("rsvp-none", "Asha")
        self.assertIn("+********0301", self.text("rsvp-yes"))
        self.assertEqual(self.text("f-sent"), "3")
        self.shot("meeting")

        # Message those who said YES.
        self.id("bc-message-yes").click()
        self.b.wait(lambda d: d.find_elements("id", "var-text1"),
                    what="notice variables")
        self.assertEqual(self.text("aud-expr"), "rsvp:%d:yes" % bid)
        self.type("var-district", "Mirzapur")
        self.type("var-text1", "Bring your SHG passbook.")
        self.b.wait(lambda d: d.find_element("id", "bc-count").text == "1",
                    what="1 recipient")
        self.id("bc-review").click()
        self.wait_text("bc-confirm-text", "Send to 1 women")
        self.id("bc-send").click()
        self.b.wait(lambda d: d.find_element("id", "bc-result")
                    .get_attribute("data-id"), what="queued")
        texts = wait_texts(self.mock, SUNITA, 2)
        self.assertIn("Bring your SHG passbook.", texts[1])

        # Call the meeting off and tell those who said YES.
        self.click_css(row)
        self.wait_text("rsvp-yes", "Sunita")
        self.id("bc-cancel-meeting").click()
        self.wait_text("bc-cancel-text", "1 women who said YES")
        self.id("bc-cancel-yes").click()
        self.wait_text("bc-cancel-result", "1 women told")
        texts = wait_texts(self.mock, SUNITA, 3)
        self.assertIn("रद्द", texts[2])
        self.assertIn("SHG meeting", texts[2])
        self.shot("cancelled")

        # Exactly the right messages for each woman.
        self.assertEqual(len(texts_to(self.mock, SUNITA)), 3)
        self.assertEqual(len(texts_to(self.mock, REKHA)), 1)
        self.assertEqual(len(texts_to(self.mock, ASHA)), 1)
        self.assertEqual(texts_to(self.mock, MEENA), [])
        for p in (REKHA, ASHA):
            self.assertIn("SHG meeting", texts_to(self.mock, p)[0])

        # The outbox, and the page in Hindi.
        self.nav("outbox")
        self.b.wait(lambda d: len(d.find_elements(
            "css selector", "#ob-table tbody tr")) >= 5, what="outbox rows")
        self.id("lang-switch").click()
        self.assertEqual(self.text("nav-contacts"), "संपर्क")
        self.assertEqual(drv.find_element("tag name", "html")
                         .get_attribute("lang"), "hi")
        self.shot("outbox-hi")
        self.id("lang-switch").click()

        # A page elsewhere posts a form with her cookie: refused.
        EvilPage.target = self.base
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), EvilPage)
        srv.daemon_threads = True
        t = threading.Thread(target=srv.serve_forever, daemon=True)
        t.start()
        try:
            drv.get("http://127.0.0.1:%d/" % srv.server_address[1])
            self.b.wait(lambda d: "must come from this site" in
                        d.page_source, what="CSRF refused")
        finally:
            srv.shutdown()
            srv.server_close()
            t.join(5)
        self.assertEqual(db_query(self.d, "SELECT count(*) FROM "
                                  "contact_groups WHERE name = 'evil'")[0][0],
                         0)
        self.assertIn(b"event=admin_cross_site", self.d.read_log())
        # The token never reached the log.
        self.assertNotIn(COORD.encode(), self.d.read_log())

    def login(self):
        drv = self.b.driver
        drv.get(self.base + "/console")
        self.b.wait(lambda d: d.find_element("tag name", "body")
                    .get_attribute("data-state") in ("login", "ready"),
                    what="page")
        if drv.find_element("tag name", "body") \
                .get_attribute("data-state") == "login":
            self.type("token", COORD)
            self.id("login-btn").click()
        self.b.wait(lambda d: d.find_element("tag name", "body")
                    .get_attribute("data-state") == "ready", what="ready")

    def test_a_directory(self):
        drv = self.b.driver
        self.login()
        self.nav("directory")
        self.b.wait(lambda d: len(d.find_elements(
            "css selector", "#dir-table tbody tr")) > 10, what="directory")
        before = db_query(self.d, "SELECT count(*) FROM stakeholders")[0][0]
        self.select("dir-district", "bhadohi")
        self.type("dir-category", "Loan")
        self.id("dir-find").click()
        self.wait_text("dir-total", "5 stakeholders")
        self.assertEqual({r.find_elements("tag name", "td")[1].text for r in
                          drv.find_elements("css selector",
                                            "#dir-table tbody tr")},
                         {"loan"})
        self.shot("directory")

        # A sheet with mistakes: every one of them, nothing written.
        self.id("dir-import-btn").click()
        self.id("dir-import-file").send_keys(self.write("directory.csv",
                                                        DIR_BAD))
        self.b.wait(lambda d: len(d.find_elements(
            "css selector", "#dir-import-problems tr.problem")) > 0,
            what="problems listed")
        rows = drv.find_elements("css selector",
                                 "#dir-import-problems tr.problem")
        got = sorted((r.get_attribute("data-line"),
                      r.find_elements("tag name", "td")[1].text)
                     for r in rows)
        self.assertEqual(got, [("3", "Category"), ("3", "District"),
                               ("3", "Languages"), ("3", "Phone")])
        self.assertFalse(self.id("dir-import-commit").is_enabled())
        self.shot("directory-import-problems", at="dir-import-summary")

        # Fixed: what it adds and changes, before anything is written.
        self.id("dir-import-file").send_keys(self.write(
            "directory-fixed.csv", DIR_GOOD))
        self.wait_text("dir-import-summary", "3 rows: 2 to add, 1 to change")
        self.assertEqual(len(drv.find_elements(
            "css selector", "#dir-plan tr.plan-add")), 2)
        self.assertIn("LDM (lead bank), Bhadohi", drv.find_element(
            "css selector", "#dir-plan tr.plan-change").text)
        self.assertEqual(db_query(self.d, "SELECT count(*) FROM "
                                  "stakeholders")[0][0], before)
        self.shot("directory-import-plan", at="dir-import-summary")
        self.id("dir-import-commit").click()
        self.wait_text("dir-import-result", "2 added, 1 changed, 0 retired")
        self.assertEqual(db_query(self.d, "SELECT district, category, phone,"
                                  " languages FROM stakeholders WHERE name ="
                                  " 'Silai Kendra Chunar'"),
                         [("mirzapur", "training", "+919415012346", "hi")])

        # One stakeholder by hand: a mistake shown, fixed, then retired.
        self.id("dir-add-btn").click()
        self.type("df-name", "Gramin Haat Samiti")
        self.type("df-category", "Beauty parlour")
        self.select("df-district", "mirzapur")
        self.type("df-phone", "09415000111")
        self.id("df-save").click()
        self.wait_text("df-problems", "no category")
        self.type("df-category", "Market")
        self.id("df-save").click()
        self.b.wait(lambda d: not d.find_element("id", "dir-editor")
                    .is_displayed(), what="saved")
        sid = db_query(self.d, "SELECT id FROM stakeholders WHERE name = "
                       "'Gramin Haat Samiti'")[0][0]
        self.select("dir-district", "")
        self.type("dir-category", "")
        self.id("dir-find").click()
        self.click_css('#dir-table tr[data-id="%d"]' % sid)
        self.b.wait(lambda d: d.find_element("id", "df-retire")
                    .is_displayed(), what="editor")
        self.shot("directory-edit", at="dir-editor")
        self.id("df-retire").click()
        self.b.wait(lambda d: not d.find_elements(
            "css selector", '#dir-table tr[data-id="%d"]' % sid),
            what="retired")
        self.assertEqual(db_query(self.d, "SELECT count(*) FROM stakeholders"
                                  " WHERE id = ?", (sid,))[0][0], 0)

    def test_b_wrong_token_is_refused(self):
        b = self.b.driver
        b.delete_all_cookies()
        b.get(self.base + "/console")
        self.b.wait(lambda d: d.find_element("tag name", "body")
                    .get_attribute("data-state") == "login", what="login")
        self.type("token", "analyst-token-0123456789abcdef")
        self.id("login-btn").click()
        self.b.wait(lambda d: d.find_elements("id", "login-error"),
                    what="refused")
        self.assertIn("not valid", self.text("login-error"))

    def test_z_no_connection_left_loopback(self):
        self.b.quit()
        conns = self.b.connections()
        admin = "127.0.0.1:%d" % self.d.admin_port
        self.assertIn(("tcp", admin), conns,
                      "the net log shows no connection to the console")
        # Chromium asks for things of its own (updates, accounts): they
        # went to the dead proxy on loopback and no further.
        self.assertEqual(self.b.remote_connections(), [],
                         "asked for: %s" % self.b.requested_urls())


if __name__ == "__main__":
    unittest.main()
