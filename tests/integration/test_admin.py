"""The admin listener: separate from webhooks, tokens per role, 0600 file."""
import json
import os
import unittest

from harness import Daemon

ADMIN = "admin-token-0123456789abcdef"
ANALYST = "analyst-token-0123456789abcdef"
COORD = "coordinator-token-0123456789ab"


class AdminAuth(unittest.TestCase):
    def setUp(self):
        self.d = None

    def tearDown(self):
        if self.d:
            self.d.stop()

    def start(self, env=None, extra=()):
        self.d = Daemon(env=env, extra_args=list(extra)).start()
        return self.d

    def test_tokens_from_env_and_roles(self):
        d = self.start(env={"SAMPARK_ADMIN_TOKEN": ADMIN,
                            "SAMPARK_ANALYST_TOKEN": ANALYST,
                            "SAMPARK_COORDINATOR_TOKEN": COORD})
        self.assertNotEqual(d.admin_port, d.port)
        status, _, body = d.admin("GET", "/api/v1/whoami", ANALYST)
        self.assertEqual((status, json.loads(body)["role"]), (200, "analyst"))
        status, _, body = d.admin("GET", "/api/v1/whoami", ADMIN)
        self.assertEqual((status, json.loads(body)["role"]), (200, "admin"))
        self.assertEqual(d.admin("GET", "/api/v1/whoami", COORD)[0], 403)
        self.assertEqual(d.admin("GET", "/api/v1/whoami")[0], 401)
        self.assertEqual(d.admin("GET", "/api/v1/whoami", "wrong")[0], 401)
        self.assertEqual(d.admin("GET", "/api/v1/nothing", ADMIN)[0], 404)
        self.assertEqual(d.admin("DELETE", "/api/v1/whoami", ADMIN)[0], 405)
        # The admin surface is not on the webhook listener.
        self.assertEqual(d.request("GET", "/api/v1/whoami",
                                   headers={"Authorization": "Bearer " +
                                            ADMIN})[0], 404)
        # Tokens never reach the log.
        log = d.read_log()
        for t in (ADMIN, ANALYST, COORD):
            self.assertNotIn(t.encode(), log)

    def test_tokens_file_must_be_private(self):
        d = Daemon()
        path = os.path.join(d.tmp, "tokens")
        with open(path, "w") as f:
            f.write("# role token\nadmin %s\n" % ADMIN)
        os.chmod(path, 0o644)
        d.extra_args += ["--set", "tokens_file=" + path]
        self.d = d
        with self.assertRaises(AssertionError) as e:
            d.start()
        self.assertIn("chmod 600", str(e.exception))
        os.chmod(path, 0o600)
        d.start()
        self.assertEqual(d.admin("GET", "/api/v1/whoami", ADMIN)[0], 200)


if __name__ == "__main__":
    unittest.main()
