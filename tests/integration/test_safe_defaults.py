"""Safe defaults: a provider that cannot send is never chosen, check-config
fails on every reference that cannot work, and the warnings name the
variable to set.

The shipped config used to enable a Twilio without account: `send` and
`broadcast create` chose it and every message failed.
"""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import BIN, ROOT, Daemon

TWILIO_SID = "AC" + "0123456789abcdef" * 2
TOKEN_VAR = "SAMPARK_TWILIO_AUTH_TOKEN"


def run(args, env=None, cwd=None):
    e = dict(os.environ)
    for k in list(e):
        if k.startswith("SAMPARK_"):
            del e[k]
    e.update(env or {})
    return subprocess.run(args, capture_output=True, text=True, env=e,
                          cwd=cwd, timeout=60)


class Config(unittest.TestCase):
    """A copy of config/ and prompts/ whose sampark.conf a test may edit."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sampark-defaults-")
        for d in ("config", "prompts"):
            shutil.copytree(os.path.join(ROOT, d), os.path.join(self.tmp, d))
        self.conf = os.path.join(self.tmp, "config", "sampark.conf")
        self.db = os.path.join(self.tmp, "sampark.db")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def edit(self, section, **kv):
        """Set keys of [section] (None: top level) in sampark.conf."""
        with open(self.conf, encoding="utf-8") as f:
            lines = f.read().split("\n")
        current = None
        todo = dict(kv)
        for i, line in enumerate(lines):
            m = re.match(r"\[(\w+)\]", line)
            if m:
                current = m.group(1)
                continue
            key = line.split("=")[0].strip()
            if current == section and key in todo:
                lines[i] = "%s = %s" % (key, todo.pop(key))
        if todo:
            block = ["%s = %s" % kv_ for kv_ in todo.items()]
            if section is None:
                lines = block + lines
            else:
                lines += ["[%s]" % section] + block
        with open(self.conf, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))

    def line_of(self, section, key):
        current = None
        with open(self.conf, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                m = re.match(r"\[(\w+)\]", line)
                if m:
                    current = m.group(1)
                elif current == section and \
                        line.split("=")[0].strip() == key:
                    return n
        raise AssertionError("no %s.%s" % (section, key))

    def cli(self, *args, env=None, conf=None):
        return run([BIN] + list(args) + ["-c", conf or self.conf, "--db",
                                         self.db], env=env, cwd=self.tmp)

    def check(self, *args, env=None):
        return run([BIN, "check-config", "-c", self.conf] + list(args),
                   env=env)

    def outbox_provider(self, msg_id):
        r = self.cli("outbox")
        self.assertEqual(r.returncode, 0, r.stderr)
        for line in r.stdout.splitlines():
            f = line.split()
            if f and f[0] == str(msg_id):
                return f[3]
        raise AssertionError(r.stdout)

    def send(self, env=None, conf=None):
        return self.cli("send", "--to", "9812345678", "--text", "hello",
                        env=env, conf=conf)


class ProviderChoice(Config):
    def test_shipped_config_sends_through_console_not_twilio(self):
        r = self.send()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.outbox_provider(int(r.stdout)), "console")

    def test_unconfigured_twilio_is_never_chosen(self):
        # Enabled, token given, but no account sid nor sender.
        self.edit("twilio", enabled="yes")
        r = self.send(env={TOKEN_VAR: "a-token"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.outbox_provider(int(r.stdout)), "console")
        # Account and sender, but the token is not in the environment.
        self.edit("twilio", account_sid=TWILIO_SID, **{"from": "+15005550006"})
        r = self.send()
        self.assertEqual(self.outbox_provider(int(r.stdout)), "console")
        # Everything: now Twilio is the one.
        r = self.send(env={TOKEN_VAR: "a-token"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.outbox_provider(int(r.stdout)), "twilio")

    def test_installed_config_has_no_console_and_send_refuses(self):
        # The installed sampark.conf: every key at its default.
        inst = os.path.join(self.tmp, "config", "installed.conf")
        r = run([BIN, "help", "config", "--format", "conf"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("\n[console]\n", r.stdout)
        self.assertIn("\n#enabled = no\n", r.stdout.split("[console]")[1])
        with open(inst, "w") as f:
            f.write(r.stdout.replace("#prompts_dir = ../prompts",
                                     "prompts_dir = ../prompts"))
        r = self.send(conf=inst)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("no enabled provider can send", r.stderr)
        # And its check passes: nothing enabled, nothing that cannot work.
        r = run([BIN, "check-config", "-c", inst])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("providers enabled: none", r.stdout)

    def test_send_help_tells_the_truth(self):
        r = run([BIN, "send", "--help"])
        self.assertEqual(r.returncode, 0)
        text = " ".join(r.stdout.split())
        self.assertIn("first enabled provider that can send with its "
                      "settings and secrets", text)
        self.assertIn("no other provider can send", text)
        self.assertNotIn("console when nothing else is enabled", text)

    def test_broadcast_create_skips_a_provider_that_cannot_send(self):
        self.edit("twilio", enabled="yes")
        csv = os.path.join(self.tmp, "contacts.csv")
        with open(csv, "w") as f:
            f.write("phone,name,district,language,role,groups\n"
                    "+919800000001,Sunita,bhadohi,hi,entrepreneur,\n")
        r = self.cli("import", "contacts", csv)
        self.assertEqual(r.returncode, 0, r.stderr)
        args = ("broadcast", "create", "--to", "district:bhadohi",
                "--template", "meeting", "--meeting",
                "Meeting|Block office|2030-01-10T11:00")
        r = self.cli(*args, env={TOKEN_VAR: "a-token"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"(?m)^provider\s+console$")
        # No provider able to send at all: refused, nothing queued.
        self.edit("console", enabled="no")
        r = self.cli(*args, "--yes", env={TOKEN_VAR: "a-token"})
        self.assertNotEqual(r.returncode, 0, r.stdout)
        self.assertIn("no enabled provider can send", r.stderr)


class CheckConfig(Config):
    def test_provider_enabled_without_its_secret_fails_naming_the_variable(
            self):
        self.edit("twilio", enabled="yes")
        r = self.check()
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("%s:%d: twilio: no auth token: set the environment "
                      "variable %s" % (self.conf,
                                       self.line_of("twilio", "enabled"),
                                       TOKEN_VAR), r.stderr)
        # Its own variable name, when the config names another one.
        self.edit("twilio", auth_token_env="MY_TWILIO_TOKEN")
        r = self.check()
        self.assertIn("set the environment variable MY_TWILIO_TOKEN",
                      r.stderr)
        r = self.check(env={"MY_TWILIO_TOKEN": "a-token"})
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_unsigned_provider_without_url_token(self):
        r = self.check("--set", "exotel.enabled=yes",
                       env={"SAMPARK_EXOTEL_AUTH_TOKEN": "t"})
        self.assertEqual(r.returncode, 1)
        self.assertIn("--set exotel.enabled: exotel: no URL token: set the "
                      "environment variable SAMPARK_EXOTEL_URL_TOKEN",
                      r.stderr)

    def test_broadcast_provider_that_cannot_work(self):
        self.edit(None, broadcast_provider="twillio")
        r = self.check()
        self.assertEqual(r.returncode, 1)
        self.assertIn('%s:1: broadcast_provider: no provider named '
                      '"twillio"' % self.conf, r.stderr)
        self.edit(None, broadcast_provider="plivo")
        r = self.check()
        self.assertEqual(r.returncode, 1)
        self.assertIn("broadcast_provider: plivo is not enabled", r.stderr)
        # Enabled, with its token, but no account: cannot send.
        self.edit(None, broadcast_provider="twilio")
        self.edit("twilio", enabled="yes")
        r = self.check(env={TOKEN_VAR: "a-token"})
        self.assertEqual(r.returncode, 1)
        self.assertIn("broadcast_provider: twilio cannot send: "
                      "twilio.account_sid is not set", r.stderr)
        self.edit("twilio", account_sid=TWILIO_SID,
                  **{"from": "+15005550006"})
        r = self.check(env={TOKEN_VAR: "a-token"})
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_shipped_config_passes(self):
        r = self.check()
        self.assertEqual(r.returncode, 0, r.stderr)


class StartWarning(unittest.TestCase):
    def test_warning_names_the_missing_variable(self):
        d = Daemon(extra_args=["--set", "exotel.enabled=yes"],
                   import_directory=False)
        self.addCleanup(d.stop)
        d.env.pop("SAMPARK_EXOTEL_URL_TOKEN", None)
        d.start()
        log = d.read_log().decode()
        self.assertRegex(log, r"level=warn event=provider_config "
                         r"problem=\"[^\"]*exotel: no URL token: set the "
                         r"environment variable SAMPARK_EXOTEL_URL_TOKEN")


if __name__ == "__main__":
    unittest.main()
