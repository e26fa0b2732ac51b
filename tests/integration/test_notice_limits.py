"""A coordinator's NOTICE code cannot be guessed, and a sender over an
abuse limit gets nothing done.

- The code has 6 digits; three wrong "YES <code>" cancel her pending
  notice (the third answer says so), after which even the right code
  sends nothing.  A burst of guesses confirms nothing.
- A sender marked limited (here: over inbound_per_hour) is stored but
  not obeyed: JOIN changes no contact, NOTICE prepares nothing, YES with
  the right code sends nothing.  STOP still opts her out.
"""
import os
import re
import unittest

from harness import Daemon
from outboundlib import db_query

COORD = "+919800000009"
WOMAN = "+919800000002"
TEXT = "Meeting moved to Friday 11am at Gyanpur block office"


class NoticeLimits(unittest.TestCase):
    def start(self, *sets):
        args = []
        for s in sets:
            args += ["--set", s]
        d = Daemon(extra_args=args)
        self.d = d
        path = os.path.join(d.tmp, "contacts.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("phone,name,district,language,role,groups\n")
            f.write("%s,Kiran,bhadohi,en,coordinator,\n" % COORD)
            f.write("+919800000001,Sunita,bhadohi,hi,entrepreneur,\n")
        r = d.cli("import", "contacts", path)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        return d.start()

    def tearDown(self):
        self.d.stop()

    def broadcasts(self):
        return db_query(self.d, "SELECT count(*) FROM broadcasts")[0][0]

    def notice(self):
        reply = self.d.console(COORD, "NOTICE bhadohi " + TEXT)[1]
        m = re.search(r"YES (\d+)", reply)
        self.assertIsNotNone(m, reply)
        return m.group(1)

    def test_code_has_six_digits_and_three_wrong_tries_cancel(self):
        d = self.start()
        code = self.notice()
        self.assertRegex(code, r"^\d{6}$")
        wrong = ["%06d" % ((int(code) + k) % 1000000) for k in (1, 2, 3)]
        self.assertIn("No notice is waiting",
                      d.console(COORD, "YES " + wrong[0])[1])
        # Shorter guesses count too (the old codes had 4 digits).
        self.assertIn("No notice is waiting",
                      d.console(COORD, "YES 1234")[1])
        self.assertIn("notice was cancelled",
                      d.console(COORD, "YES " + wrong[2])[1])
        # Cancelled: the right code is worth nothing now.
        self.assertIn("No notice is waiting",
                      d.console(COORD, "YES " + code)[1])
        self.assertEqual(self.broadcasts(), 0)
        self.assertIn(b"event=notice_cancelled", d.read_log())
        self.assertNotIn(COORD.encode(), d.read_log())
        # A new NOTICE gets a new code that works.
        code2 = self.notice()
        self.assertIn("being sent", d.console(COORD, "YES " + code2)[1])
        self.assertEqual(self.broadcasts(), 1)

    def test_a_burst_of_guesses_confirms_nothing(self):
        d = self.start()
        code = self.notice()
        for k in range(1, 51):
            d.console(COORD, "YES %06d" % ((int(code) + k) % 1000000),
                      "guess-%d" % k)
        self.assertEqual(self.broadcasts(), 0)
        # By now she is over the hourly rate too: no answer at all.
        d.console(COORD, "YES " + code)
        self.assertEqual(self.broadcasts(), 0)
        tries = db_query(d, "SELECT tries FROM notices")[0][0]
        self.assertEqual(tries, 3)

    def test_limited_sender_gets_nothing_done_but_stop(self):
        d = self.start("inbound_per_hour=3")
        # A woman over the rate: JOIN changes nothing.
        for t in ("help", "help please", "loan"):
            self.assertTrue(d.console(WOMAN, t)[1])
        self.assertEqual(d.console(WOMAN, "JOIN mirzapur Rekha")[1], "")
        self.assertEqual(db_query(
            d, "SELECT name, district FROM contacts WHERE phone = ?",
            (WOMAN,)), [(None, None)])
        # The coordinator: her NOTICE is prepared while she is within
        # the rate; over it, the right code does nothing, nor a NOTICE.
        code = self.notice()
        self.assertTrue(d.console(COORD, "help")[1])
        self.assertTrue(d.console(COORD, "help me")[1])
        self.assertEqual(d.console(COORD, "YES " + code)[1], "")
        self.assertEqual(d.console(COORD, "NOTICE bhadohi other")[1], "")
        self.assertEqual(self.broadcasts(), 0)
        self.assertEqual(db_query(d, "SELECT count(*), max(broadcast_id)"
                                     " FROM notices"), [(1, None)])
        # STOP is honoured, limited or not.
        d.console(WOMAN, "STOP")
        self.assertNotEqual(db_query(
            d, "SELECT opted_out_ms FROM contacts WHERE phone = ?",
            (WOMAN,))[0][0], 0)
        log = d.read_log().decode()
        self.assertIn("handler=limited", log)


if __name__ == "__main__":
    unittest.main()
