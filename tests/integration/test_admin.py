"""The admin listener: separate from webhooks, tokens per role, 0600 file."""
import json
import os
import re
import unittest
import urllib.parse

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
        # Every role may ask which it is (a coordinator once got 403).
        status, _, body = d.admin("GET", "/api/v1/whoami", COORD)
        self.assertEqual((status, json.loads(body)["role"]),
                         (200, "coordinator"))
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


class Sessions(unittest.TestCase):
    """Dashboard sessions end in the daemon at logout, and a cookie alone
    cannot make a cross-site page change anything."""

    @classmethod
    def setUpClass(cls):
        cls.d = Daemon(env={"SAMPARK_ADMIN_TOKEN": ADMIN,
                            "SAMPARK_COORDINATOR_TOKEN": COORD}).start()

    @classmethod
    def tearDownClass(cls):
        cls.d.stop()

    def origin(self):
        return "http://127.0.0.1:%d" % self.d.admin_port

    def login(self):
        form = urllib.parse.urlencode({"token": ADMIN})
        status, headers, _ = self.d.admin(
            "POST", "/login", body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Origin": self.origin()})
        self.assertEqual(status, 303)
        return re.match(r"(sampark_session=[0-9a-f]{64});",
                        headers["Set-Cookie"]).group(1)

    def post_group(self, cookie, name, ctype="application/json",
                   origin=None, referer=None):
        h = {"Cookie": cookie, "Content-Type": ctype}
        if origin is not None:
            h["Origin"] = origin
        if referer is not None:
            h["Referer"] = referer
        return self.d.admin("POST", "/api/v1/groups",
                            body=json.dumps({"name": name}), headers=h)[0]

    def groups(self):
        status, _, body = self.d.admin("GET", "/api/v1/groups", ADMIN)
        self.assertEqual(status, 200)
        return {g["name"] for g in json.loads(body)["groups"]}

    def test_logout_ends_the_session(self):
        cookie = self.login()
        h = {"Cookie": cookie}
        self.assertEqual(self.d.admin("GET", "/api/v1/whoami",
                                      headers=h)[0], 200)
        status, headers, _ = self.d.admin(
            "POST", "/logout", headers=dict(h, Origin=self.origin()))
        self.assertEqual(status, 303)
        self.assertIn("Max-Age=0", headers["Set-Cookie"])
        # A copy of the old cookie proves nothing any more.
        self.assertEqual(self.d.admin("GET", "/api/v1/whoami",
                                      headers=h)[0], 401)
        self.assertEqual(self.post_group(cookie, "after-logout",
                                         origin=self.origin()), 401)
        # Other sessions are left alone.
        other = self.login()
        self.assertEqual(self.d.admin("GET", "/api/v1/whoami",
                                      headers={"Cookie": other})[0], 200)
        self.assertIn(b"dashboard_logout", self.d.read_log())

    def test_cookie_needs_same_origin_and_json(self):
        cookie = self.login()
        # What a form or fetch() on another site can send without asking.
        self.assertEqual(self.post_group(cookie, "plain", "text/plain",
                                         origin=self.origin()), 415)
        self.assertEqual(self.post_group(
            cookie, "form", "application/x-www-form-urlencoded",
            origin=self.origin()), 415)
        self.assertEqual(self.post_group(cookie, "evil",
                                         origin="http://evil.example"), 403)
        self.assertEqual(self.post_group(cookie, "evil2", "text/plain",
                                         origin="http://evil.example"), 403)
        self.assertEqual(self.post_group(cookie, "nullorigin",
                                         origin="null"), 403)
        # Neither Origin nor Referer: not from a browser page of ours.
        self.assertEqual(self.post_group(cookie, "bare"), 403)
        self.assertEqual(self.post_group(
            cookie, "badref", referer="http://evil.example/page"), 403)
        # A port is part of the origin.
        self.assertEqual(self.post_group(
            cookie, "otherport", origin="http://127.0.0.1:1"), 403)
        status, _, _ = self.d.admin(
            "DELETE", "/api/v1/groups/x",
            headers={"Cookie": cookie, "Origin": "http://evil.example"})
        self.assertEqual(status, 403)
        self.assertEqual(self.groups() & {"plain", "form", "evil", "evil2",
                                          "nullorigin", "bare", "badref",
                                          "otherport"}, set())
        # The dashboard's own page: same origin, JSON.
        self.assertEqual(self.post_group(cookie, "mine",
                                         origin=self.origin()), 201)
        self.assertEqual(self.post_group(
            cookie, "mine2", referer=self.origin() + "/dashboard"), 201)
        # Behind a proxy that sets Host to its upstream and passes the
        # browser's host on.
        self.assertEqual(self.d.admin(
            "POST", "/api/v1/groups", body=json.dumps({"name": "proxied"}),
            headers={"Cookie": cookie, "Content-Type": "application/json",
                     "Origin": "https://admin.example.org",
                     "X-Forwarded-Host": "admin.example.org"})[0], 201)
        self.assertEqual(self.d.admin(
            "POST", "/api/v1/groups", body=json.dumps({"name": "proxied2"}),
            headers={"Cookie": cookie, "Content-Type": "application/json",
                     "Origin": "https://evil.example",
                     "X-Forwarded-Host": "admin.example.org"})[0], 403)
        self.assertLessEqual({"mine", "mine2", "proxied"}, self.groups())
        self.assertNotIn("proxied2", self.groups())
        # Reading with the cookie needs no Origin.
        self.assertEqual(self.d.admin("GET", "/api/v1/groups",
                                      headers={"Cookie": cookie})[0], 200)
        # A bearer token is not sent by browsers on their own: no check.
        status, _, _ = self.d.admin(
            "POST", "/api/v1/groups", COORD,
            body=json.dumps({"name": "bytoken"}),
            headers={"Content-Type": "application/json"})
        self.assertEqual(status, 201)
        self.assertIn(b"admin_cross_site", self.d.read_log())


if __name__ == "__main__":
    unittest.main()
