"""Operations (issue 8): `make install DESTDIR=...` (files, modes, never
overwriting an edited config, uninstall keeping state and edited files),
the systemd unit through `systemd-analyze verify`, `sampark help` and every
command's --help, check-config on good and bad files, backup under write
load, restore, and schema upgrades and refusals on start.
"""
import os
import shutil
import sqlite3
import stat
import subprocess
import tempfile
import threading
import time
import unittest

from harness import BIN, ROOT, Daemon, sqlite_only

PREFIX = "/usr/local"


def run(args, **kw):
    kw.setdefault("timeout", 60)
    return subprocess.run(args, capture_output=True, text=True, **kw)


def make_install(target, destdir):
    """`make install` (or uninstall) into destdir, of the binary under test."""
    args = ["make", "-s", "--no-print-directory", "-C", ROOT, target,
            "DESTDIR=" + destdir]
    if os.path.abspath(BIN) == os.path.join(ROOT, "build", "asan",
                                            "sampark"):
        args.append("SANITIZE=1")
    return run(args, timeout=600)


def read(path):
    with open(path) as f:
        return f.read()


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


class Install(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dest = tempfile.mkdtemp(prefix="sampark-install-")
        r = make_install("install", cls.dest)
        if r.returncode != 0:
            shutil.rmtree(cls.dest, ignore_errors=True)
            raise AssertionError(r.stdout + r.stderr)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dest, ignore_errors=True)

    def p(self, path):
        return self.dest + path

    def test_files_and_modes(self):
        etc = "/etc/sampark/"
        expect = {
            PREFIX + "/bin/sampark": 0o755,
            etc + "sampark.conf": 0o644,
            etc + "keywords.conf": 0o644,
            etc + "districts.csv": 0o644,
            etc + "stakeholders.csv": 0o644,
            etc + "secrets.env": 0o600,
            PREFIX + "/share/sampark/prompts/en.txt": 0o644,
            PREFIX + "/share/sampark/prompts/hi.txt": 0o644,
            PREFIX + "/lib/systemd/system/sampark.service": 0o644,
            PREFIX + "/share/doc/sampark/configuration.md": 0o644,
            "/var/lib/sampark": 0o750,
        }
        # Whatever else ships in config/ and prompts/ (menus, templates,
        # audio) is installed too.
        for name in os.listdir(os.path.join(ROOT, "config")):
            if name != "sampark.conf":
                expect.setdefault(etc + name, 0o644)
        for dirpath, _, files in os.walk(os.path.join(ROOT, "prompts")):
            rel = os.path.relpath(dirpath, ROOT)
            for f in files:
                expect.setdefault("%s/share/sampark/%s/%s" % (
                    PREFIX, rel, f), 0o644)
        for path, m in sorted(expect.items()):
            self.assertTrue(os.path.exists(self.p(path)), path)
            self.assertEqual(mode(self.p(path)), m,
                             "%s: mode %o" % (path, mode(self.p(path))))

    def test_installed_config_is_valid(self):
        conf = read(self.p("/etc/sampark/sampark.conf"))
        self.assertIn("\ndb = /var/lib/sampark/sampark.db\n", conf)
        self.assertIn("\nprompts_dir = %s/share/sampark/prompts\n" % PREFIX,
                      conf)
        # Every other directive is there, commented out at its default.
        self.assertIn("\n#listen = 127.0.0.1:8080\n", conf)
        r = run([self.p(PREFIX + "/bin/sampark"), "check-config", "-c",
                 self.p("/etc/sampark/sampark.conf"),
                 "--set", "prompts_dir=" + self.p(
                     PREFIX + "/share/sampark/prompts"),
                 "--set", "db=" + self.p("/var/lib/sampark/sampark.db")])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(": ok (", r.stdout)

    def test_unit_file(self):
        unit = self.p(PREFIX + "/lib/systemd/system/sampark.service")
        text = read(unit)
        for line in ("User=sampark", "Restart=on-failure",
                     "ExecReload=/bin/kill -HUP $MAINPID",
                     "KillSignal=SIGTERM", "NoNewPrivileges=yes",
                     "ProtectSystem=strict", "ProtectHome=yes",
                     "PrivateTmp=yes", "ReadWritePaths=/var/lib/sampark",
                     "EnvironmentFile=-/etc/sampark/secrets.env",
                     "LimitNOFILE=65536",
                     "ExecStart=%s/bin/sampark serve -c "
                     "/etc/sampark/sampark.conf" % PREFIX):
            self.assertIn("\n" + line + "\n", text)
        self.assertNotIn("@", text.replace("$MAINPID", ""))
        analyze = shutil.which("systemd-analyze")
        if analyze is None:
            self.skipTest("systemd-analyze is not installed: the unit "
                          "file was checked only for its directives")
        # verify wants the binary to exist: point it at the staged one.
        staged = os.path.join(self.dest, "sampark.service")
        with open(staged, "w") as f:
            f.write(text.replace(PREFIX + "/bin/sampark",
                                 self.p(PREFIX + "/bin/sampark")))
        r = run([analyze, "verify", staged])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_reinstall_and_uninstall(self):
        dest = tempfile.mkdtemp(prefix="sampark-reinstall-")
        try:
            r = make_install("install", dest)
            self.assertEqual(r.returncode, 0, r.stderr)
            kw = dest + "/etc/sampark/keywords.conf"
            with open(kw, "a") as f:
                f.write("\n# edited by the operator\n")
            db = dest + "/var/lib/sampark/sampark.db"
            write(db, "state")
            r = make_install("install", dest)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("edited by the operator", read(kw))
            self.assertTrue(os.path.exists(kw + ".dist"))

            r = make_install("uninstall", dest)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertFalse(os.path.exists(dest + PREFIX + "/bin/sampark"))
            self.assertFalse(os.path.exists(
                dest + PREFIX + "/lib/systemd/system/sampark.service"))
            self.assertFalse(os.path.exists(
                dest + PREFIX + "/share/sampark/prompts/en.txt"))
            self.assertFalse(os.path.exists(
                dest + "/etc/sampark/sampark.conf"))
            self.assertFalse(os.path.exists(kw + ".dist"))
            # The operator's edits and the state stay.
            self.assertIn("edited by the operator", read(kw))
            self.assertEqual(read(db), "state")
        finally:
            shutil.rmtree(dest, ignore_errors=True)


class Help(unittest.TestCase):
    def test_every_command_has_help(self):
        r = run([BIN, "help"])
        self.assertEqual(r.returncode, 0)
        names = []
        for line in r.stdout.splitlines():
            if line.startswith("  ") and line.strip():
                names.append(line.split()[0])
        for must in ("serve", "check-config", "backup", "restore", "help"):
            self.assertIn(must, names)
        for name in names:
            r = run([BIN, name, "--help"])
            self.assertEqual(r.returncode, 0, "%s --help: %s" % (
                name, r.stderr))
            if name != "help":
                self.assertTrue(r.stdout.startswith("usage: sampark " +
                                                    name), name)
                self.assertEqual(run([BIN, "help", name]).stdout, r.stdout)

    def test_help_config_lists_directives(self):
        r = run([BIN, "help", "config"])
        self.assertEqual(r.returncode, 0)
        self.assertIn("| `public_url` | string | (empty) |", r.stdout)
        self.assertIn("| `twilio.auth_token_env` | string | "
                      "`SAMPARK_TWILIO_AUTH_TOKEN` |", r.stdout)


class CheckConfig(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sampark-check-")
        shutil.copytree(os.path.join(ROOT, "config"),
                        os.path.join(self.tmp, "config"))
        shutil.copytree(os.path.join(ROOT, "prompts"),
                        os.path.join(self.tmp, "prompts"))
        self.conf = os.path.join(self.tmp, "config", "sampark.conf")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def check(self, *extra):
        return run([BIN, "check-config", "-c", self.conf] + list(extra))

    def test_good(self):
        r = self.check()
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), 1, r.stdout)
        self.assertTrue(lines[0].startswith(self.conf + ": ok ("))

    def test_every_config_problem_with_line(self):
        bad = os.path.join(self.tmp, "config", "bad.conf")
        with open(bad, "w") as f:
            f.write("# a bad file\n"
                    "prompts_dir = ../prompts\n"
                    "segment_budget = 99\n"
                    "no_such_key = 1\n"
                    "[twilio]\n"
                    "enabled = perhaps\n")
        r = run([BIN, "check-config", "-c", bad])
        self.assertEqual(r.returncode, 1)
        self.assertIn("%s:3: segment_budget: 99 is out of range" % bad,
                      r.stderr)
        self.assertIn("%s:4: unknown key 'no_such_key'" % bad, r.stderr)
        self.assertIn("%s:6: twilio.enabled: 'perhaps' is not a boolean" %
                      bad, r.stderr)
        self.assertIn("3 problems", r.stderr)
        self.assertEqual(r.stdout, "")

    def test_keywords_and_prompts_problems_together(self):
        kw = os.path.join(self.tmp, "config", "keywords.conf")
        with open(kw, "a") as f:
            f.write("\n[broken]\nthis line has no equals sign\n")
        kw_line = len(read(kw).splitlines())
        en = os.path.join(self.tmp, "prompts", "en.txt")
        with open(en, "a") as f:
            f.write("\nnot a prompt line\n")
        en_line = len(read(en).splitlines())
        r = self.check()
        self.assertEqual(r.returncode, 1)
        self.assertIn("%s:%d:" % (kw, kw_line), r.stderr)
        self.assertIn("en.txt:%d:" % en_line, r.stderr)

    def test_menu_problems(self):
        ivr = os.path.join(self.tmp, "config", "ivr.conf")
        if not os.path.exists(ivr):
            self.skipTest("no config/ivr.conf in this tree")
        with open(ivr, "a") as f:
            f.write("\n[broken]\nprompt = ivr.main\n7 = frobnicate\n")
        n = len(read(ivr).splitlines())
        r = self.check()
        self.assertEqual(r.returncode, 1)
        self.assertIn("%s:%d:" % (ivr, n), r.stderr)

    def test_missing_handler(self):
        kw = os.path.join(self.tmp, "config", "keywords.conf")
        with open(kw, "a") as f:
            f.write("\n[ghost]\nhandler = no_such_handler\nen = ghost\n")
        r = self.check()
        self.assertEqual(r.returncode, 1)
        self.assertIn("no_such_handler", r.stderr)

    def test_missing_file(self):
        r = run([BIN, "check-config", "-c",
                 os.path.join(self.tmp, "nope.conf")])
        self.assertEqual(r.returncode, 1)
        self.assertIn("nope.conf", r.stderr)

    def test_warnings_do_not_fail(self):
        # Twilio on with its token but no account: webhooks work, sending
        # does not.  (Without its token it is a problem: test_safe_defaults.)
        env = dict(os.environ)
        env["SAMPARK_TWILIO_AUTH_TOKEN"] = "a-token"
        r = run([BIN, "check-config", "-c", self.conf, "--set",
                 "twilio.enabled=yes"], env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("twilio: cannot send: twilio.account_sid is not set",
                      r.stderr)


class Loader(threading.Thread):
    """Console webhooks in a loop; records each MessageId acknowledged."""

    def __init__(self, d):
        super().__init__(daemon=True)
        self.d = d
        self.acked = []
        self.errors = []
        self.stop_flag = threading.Event()

    def run(self):
        i = 0
        while not self.stop_flag.is_set():
            mid = "load-%06d" % i
            try:
                status, _ = self.d.console("+9198765%05d" % (i % 50),
                                           "loan bhadohi", msg_id=mid)
            except OSError as e:
                self.errors.append(str(e))
                continue
            if status == 200:
                self.acked.append(mid)
            else:
                self.errors.append("%s: %d" % (mid, status))
            i += 1


def db_ids(path):
    c = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        ok = c.execute("PRAGMA integrity_check").fetchall()
        ids = {r[0] for r in c.execute(
            "SELECT provider_msg_id FROM interactions WHERE"
            " provider = 'console' AND direction = 'in'")}
        return ok, ids
    finally:
        c.close()


def prefill(db, n):
    """n old interactions, so that the backup takes many steps."""
    c = sqlite3.connect(db)
    try:
        with c:
            c.executemany(
                "INSERT INTO interactions (time_ms, channel, direction,"
                " provider, provider_msg_id, phone, text, status) VALUES"
                " (?, 'sms', 'in', 'fixture', ?, '+919876500000', ?,"
                " 'received')",
                ((i, "fill-%d" % i, "x" * 300) for i in range(n)))
    finally:
        c.close()


@sqlite_only("backup and restore copy the SQLite file; a PostgreSQL"
             " store is refused, pointing to pg_dump")
class BackupRestore(unittest.TestCase):
    def setUp(self):
        self.d = Daemon()
        self.backup = os.path.join(self.d.tmp, "backup.db")

    def tearDown(self):
        self.d.stop()

    def cli(self, *args):
        return run([BIN] + list(args) + ["-c", self.d.conf, "--db",
                                         self.d.db], cwd=self.d.tmp)

    def test_backup_under_load(self):
        prefill(self.d.db, 60000)
        self.d.start()
        load = Loader(self.d)
        load.start()
        try:
            deadline = time.monotonic() + 10
            while len(load.acked) < 200 and time.monotonic() < deadline:
                time.sleep(0.01)
            self.assertGreaterEqual(len(load.acked), 200, load.errors[:5])
            before = list(load.acked)
            t0 = time.monotonic()
            r = self.cli("backup", "--to", self.backup)
            took = time.monotonic() - t0
            during = len(load.acked) - len(before)
            time.sleep(0.2)
        finally:
            load.stop_flag.set()
            load.join(timeout=10)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("backup of", r.stdout)
        self.assertEqual(load.errors, [])
        ok, ids = db_ids(self.backup)
        self.assertEqual(ok, [("ok",)])
        missing = [m for m in before if m not in ids]
        self.assertEqual(missing, [], "acknowledged before the backup "
                         "started but not in it")
        # The daemon went on answering (and committing) meanwhile.
        ok, live = db_ids(self.d.db)
        self.assertTrue(set(load.acked) <= live)
        self.assertGreater(during, 0, "no webhook was answered during a "
                           "%.3f s backup" % took)

    def test_restore_refused_while_running_then_done(self):
        self.d.start()
        for i in range(5):
            self.assertEqual(self.d.console("+919876500001", "loan",
                                            msg_id="old-%d" % i)[0], 200)
        r = self.cli("backup", "--to", self.backup)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.d.console("+919876500001", "loan",
                                         msg_id="after")[0], 200)
        r = self.cli("restore", "--from", self.backup)
        self.assertEqual(r.returncode, 1)
        self.assertIn("in use", r.stderr)

        self.d.signal(15)
        self.assertEqual(self.d.wait(), 0)
        self.d.log.close()
        self.d.proc = None
        r = self.cli("restore", "--from", self.backup)
        self.assertEqual(r.returncode, 0, r.stderr)
        _, ids = db_ids(self.d.db)
        self.assertIn("old-4", ids)
        self.assertNotIn("after", ids)
        _, kept = db_ids(self.d.db + ".bak")
        self.assertIn("after", kept)
        # The daemon runs on the restored database.
        self.d.start()
        self.assertEqual(self.d.console("+919876500001", "loan",
                                        msg_id="after")[0], 200)

    def test_restore_refuses_a_damaged_file(self):
        with open(self.backup, "wb") as f:
            f.write(b"SQLite format 3\x00" + b"\x00" * 200)
        r = self.cli("restore", "--from", self.backup)
        self.assertEqual(r.returncode, 1)
        self.assertIn("restore refused", r.stderr)


@sqlite_only("old SQLite files and their user_version")
class Upgrade(unittest.TestCase):
    def setUp(self):
        self.d = Daemon(import_directory=False)

    def tearDown(self):
        self.d.stop()

    def test_old_schema_is_migrated_on_start(self):
        shutil.copy(os.path.join(ROOT, "tests", "data", "store", "v1.db"),
                    self.d.db)
        self.d.start()
        self.assertIn(b"op=migrate from=1", self.d.read_log())
        self.assertEqual(self.d.console("+919876500001", "help",
                                        msg_id="new")[0], 200)
        self.d.signal(15)
        self.d.wait()
        c = sqlite3.connect(self.d.db)
        try:
            v = c.execute("PRAGMA user_version").fetchone()[0]
            old = c.execute("SELECT count(*) FROM interactions WHERE"
                            " provider_msg_id = 'SMv1'").fetchone()[0]
        finally:
            c.close()
        self.assertGreater(v, 1)
        self.assertEqual(old, 1)

    def test_newer_schema_is_refused(self):
        c = sqlite3.connect(self.d.db)
        c.execute("PRAGMA user_version = 999")
        c.close()
        r = run([BIN, "serve", "-c", self.d.conf, "--listen", "127.0.0.1:0",
                 "--db", self.d.db, "--set", "admin_listen="],
                cwd=self.d.tmp, timeout=20)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("database schema version 999 is newer than this "
                      "sampark", r.stderr)


if __name__ == "__main__":
    unittest.main()
