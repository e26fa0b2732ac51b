"""Which config and database a command uses when it is given no -c, and
that commands which only read never make a database.

A volunteer who types `sampark contacts` in her home folder must not be
told "0 contacts" by a new, empty database made on the spot.  The system
config (/etc/sampark/sampark.conf) is found through SAMPARK_CONFIG_DEFAULT
here, so the tests never depend on /etc.
"""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import BIN, ROOT

CONTACTS = ("\ufeffMobile,Naam,Zila,language,role,groups\r\n"
            "09839012345,Sunita Devi,Bhadohi,hi,entrepreneur,\r\n"
            "+91 99350 67890,Rekha Bind,bhadohi,en,entrepreneur,\r\n")

READ_ONLY = [
    ("contacts",),
    ("contacts", "--district", "bhadohi"),
    ("outbox",),
    ("report",),
    ("export",),
    ("broadcast", "list"),
    ("broadcast", "show", "1"),
    ("group", "list"),
]


class ConfigChoice(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sampark-conf-")
        self.etc = os.path.join(self.tmp, "etc")
        shutil.copytree(os.path.join(ROOT, "config"), self.etc)
        self.conf = os.path.join(self.etc, "sampark.conf")
        self.db = os.path.join(self.tmp, "data", "sampark.db")
        os.mkdir(os.path.dirname(self.db))
        with open(self.conf, encoding="utf-8") as f:
            text = f.read()
        with open(self.conf, "w", encoding="utf-8") as f:
            f.write(re.sub(r"(?m)^db *=.*$", "db = " + self.db, text, 1))
        # Somewhere else entirely: her home folder, no config/ in it.
        self.home = os.path.join(self.tmp, "home")
        os.mkdir(self.home)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_cli(self, *args, system=None, cwd=None):
        env = dict(os.environ)
        env["SAMPARK_CONFIG_DEFAULT"] = system or os.path.join(
            self.tmp, "no-such-dir", "sampark.conf")
        env.pop("SAMPARK_PSEUDONYM_KEY", None)
        r = subprocess.run([BIN] + list(args), capture_output=True, env=env,
                           cwd=cwd or self.home, timeout=30)
        return r.returncode, r.stdout.decode(), r.stderr.decode()

    def files_under(self, top):
        return sorted(os.path.relpath(os.path.join(d, f), top)
                      for d, _, fs in os.walk(top) for f in fs)

    def import_contacts(self):
        path = os.path.join(self.tmp, "contacts.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(CONTACTS)
        rc, _, err = self.run_cli("import", "contacts", path, "-c", self.conf)
        self.assertEqual(rc, 0, err)

    def test_system_config_is_used_without_a_word(self):
        self.import_contacts()
        rc, out, err = self.run_cli("contacts", system=self.conf)
        self.assertEqual(rc, 0, err)
        self.assertIn("Sunita Devi", out)
        self.assertIn("2 contacts", out)
        self.assertEqual(err, "")

    def test_read_only_commands_never_create_a_database(self):
        before = self.files_under(self.tmp)
        for args in READ_ONLY:
            with self.subTest(args=args):
                rc, out, err = self.run_cli(*args)
                self.assertNotEqual(rc, 0, out)
                self.assertNotIn("0 contacts", out)
                # Which config and database, and how to choose another.
                self.assertIn("no -c and no ", err)
                self.assertIn("built-in defaults", err)
                self.assertIn("no database at /", err)
                self.assertIn("--db PATH", err)
                self.assertEqual(self.files_under(self.tmp), before)

    def test_system_config_with_its_database_missing(self):
        rc, out, err = self.run_cli("contacts", system=self.conf)
        self.assertEqual(rc, 1, out)
        self.assertIn("no database at %s" % self.db, err)
        self.assertFalse(os.path.exists(self.db))
        # --db naming one that is not there is an error too.
        other = os.path.join(self.home, "typo.db")
        rc, _, err = self.run_cli("outbox", "--db", other, system=self.conf)
        self.assertEqual(rc, 1)
        self.assertIn("no database at %s" % other, err)
        self.assertFalse(os.path.exists(other))

    def test_local_config_is_named(self):
        # In a checkout, config/sampark.conf of the current folder is
        # still found, but the command says so and which database.
        self.import_contacts()
        rc, out, err = self.run_cli("contacts", cwd=self.mkcheckout())
        self.assertEqual(rc, 0, err)
        self.assertIn("2 contacts", out)
        self.assertIn("using %s" % os.path.join(self.checkout, "config",
                                                "sampark.conf"), err)
        self.assertIn("database %s" % self.db, err)

    def mkcheckout(self):
        self.checkout = os.path.join(self.tmp, "checkout")
        os.makedirs(self.checkout)
        shutil.copytree(self.etc, os.path.join(self.checkout, "config"))
        return self.checkout



class CheckConfig(unittest.TestCase):
    """check-config reads every file even when sampark.conf itself has
    problems, and names each problem's file and line."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sampark-check-")
        shutil.copytree(os.path.join(ROOT, "config"),
                        os.path.join(self.tmp, "config"))
        shutil.copytree(os.path.join(ROOT, "prompts"),
                        os.path.join(self.tmp, "prompts"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.tmp, "config", name)

    def edit(self, name, old, new):
        with open(self.path(name), encoding="utf-8") as f:
            text = f.read()
        self.assertIn(old, text)
        with open(self.path(name), "w", encoding="utf-8") as f:
            f.write(text.replace(old, new, 1))

    def line_of(self, name, text):
        with open(self.path(name), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.rstrip("\n") == text:
                    return n
        self.fail("%r not in %s" % (text, name))

    def test_every_file_every_problem(self):
        # What a volunteer might do: a word for a number, quiet hours
        # put under the provider she was editing, enabled twice, a typo
        # in a handler and a menu timeout changed by adding a line.
        self.edit("sampark.conf", "[console]\n",
                  "[console]\nenabled = yes\nquiet_hours = 22:00-07:00\n")
        with open(self.path("sampark.conf"), encoding="utf-8") as f:
            text = f.read()
        with open(self.path("sampark.conf"), "w", encoding="utf-8") as f:
            f.write("daily_cap = teen\n" + text)
        self.edit("keywords.conf", "[loan]\nhandler  = info\n",
                  "[loan]\nhandler  = infoo\n")
        self.edit("ivr.conf", "timeout = 6\n", "timeout = 6\ntimeout = 8\n")
        conf = self.path("sampark.conf")
        r = subprocess.run([BIN, "check-config", "-c", conf],
                           capture_output=True, timeout=30)
        err = r.stderr.decode()
        self.assertEqual(r.returncode, 1, err)
        section = self.line_of("sampark.conf", "[console]")
        self.assertIn("%s:1: daily_cap: 'teen' is not an integer" % conf, err)
        self.assertIn("%s:%d: unknown key 'console.quiet_hours': "
                      "'quiet_hours' is a top-level key, and top-level keys "
                      "go before the first section ([console] starts on "
                      "line %d)" % (conf, section + 2, section), err)
        self.assertRegex(err, r"%s:\d+: duplicate key 'console.enabled' "
                         r"\(first set on line %d\)"
                         % (re.escape(conf), section + 1))
        self.assertIn("%s:%d: keyword [loan]: no handler named \"infoo\""
                      % (self.path("keywords.conf"),
                         self.line_of("keywords.conf", "handler  = infoo")),
                      err)
        self.assertIn("%s:%d: key timeout given twice in [main]"
                      % (self.path("ivr.conf"),
                         self.line_of("ivr.conf", "timeout = 8")), err)
        # Every problem line names its file and line.
        problems = [l for l in err.splitlines() if not l.endswith("problems")]
        for line in problems:
            self.assertRegex(line, r"^/\S+:\d+: ", line)

    def test_shipped_config_is_clean(self):
        r = subprocess.run([BIN, "check-config", "-c",
                            self.path("sampark.conf")], capture_output=True,
                           timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr.decode())


if __name__ == "__main__":
    unittest.main()
