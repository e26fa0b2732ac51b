"""Bad input never crashes or stalls the daemon; signals behave; nothing
is answered 200 unless it was stored."""
import os
import signal
import socket
import sqlite3
import threading
import time
import unittest
import urllib.parse

from harness import Daemon, sqlite_only

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class BadInput(unittest.TestCase):
    def setUp(self):
        self.d = Daemon().start()

    def tearDown(self):
        self.d.stop()

    def assertHealthy(self):
        status, _, body = self.d.request("GET", "/healthz")
        self.assertEqual((status, body), (200, b"ok\n"))

    def test_unknown_provider_is_404(self):
        status, _, _ = self.d.request("POST", "/sms/nosuch", "From=1&Body=x",
                                      FORM)
        self.assertEqual(status, 404)
        self.assertEqual(self.d.request("GET", "/nothing/here")[0], 404)

    def test_wrong_method_is_405(self):
        self.assertEqual(self.d.request("GET", "/sms/console")[0], 405)
        self.assertEqual(self.d.request("POST", "/healthz", "", FORM)[0], 405)

    def _raw_status(self, request_line):
        with socket.create_connection(("127.0.0.1", self.d.port),
                                      timeout=5) as s:
            s.sendall(request_line + b"\r\nHost: 127.0.0.1\r\n\r\n")
            return s.recv(200).split(b"\r\n")[0]

    def test_trace_and_connect_are_405(self):
        # libevent refuses a method it was not told about with 501.
        for path in ["/healthz", "/sms/console", "/nothing"]:
            self.assertEqual(self.d.request("TRACE", path)[0], 405, path)
        self.assertIn(b" 405 ", self._raw_status(
            b"CONNECT example.org:443 HTTP/1.1"))
        self.assertIn(b" 405 ", self._raw_status(
            b"CONNECT 127.0.0.1:80 HTTP/1.1"))
        status, _, _ = self.d.admin("TRACE", "/api/v1/whoami")
        self.assertEqual(status, 405)
        self.assertHealthy()

    def test_missing_fields_are_400(self):
        for body in ["Body=loan", "From=%2B919876500001", "", "From=&Body=x"]:
            status, _, _ = self.d.request("POST", "/sms/console", body, FORM)
            self.assertEqual(status, 400, body)
        self.assertHealthy()

    def test_bad_phone_is_400(self):
        status, _, _ = self.d.request("POST", "/sms/console",
                                      "From=hello&Body=loan", FORM)
        self.assertEqual(status, 400)

    def test_invalid_utf8_is_400(self):
        for body in ["From=%2B919876500001&Body=%FF%FE",
                     "From=%2B919876500001&Body=%C0%AF",
                     "From=%2B919876500001&Body=%E0%A4"]:
            status, _, _ = self.d.request("POST", "/sms/console", body, FORM)
            self.assertEqual(status, 400, body)
        self.assertHealthy()
        self.assertEqual(self.d.export(), [])

    def test_malformed_form_is_400(self):
        status, _, _ = self.d.request("POST", "/sms/console",
                                      "From=%2B91987650000%G1&Body=x", FORM)
        self.assertEqual(status, 400)

    def test_body_over_cap_is_413(self):
        big = "From=%2B919876500001&Body=" + "a" * (70 * 1024)
        status, _, _ = self.d.request("POST", "/sms/console", big, FORM)
        self.assertEqual(status, 413)
        self.assertHealthy()

    def test_garbage_bytes_on_the_socket_do_not_stall(self):
        for junk in [b"\x00\xff\r\n\r\n", b"POST /sms/console HTTP/1.1\r\n"
                     b"Content-Length: -5\r\n\r\n", b"GET " + b"A" * 20000 +
                     b" HTTP/1.1\r\n\r\n"]:
            s = socket.create_connection(("127.0.0.1", self.d.port), 5)
            s.sendall(junk)
            s.settimeout(5)
            try:
                s.recv(4096)
            except (socket.timeout, ConnectionResetError):
                pass
            s.close()
        self.assertHealthy()
        status, reply = self.d.console("+919876500001", "help")
        self.assertEqual(status, 200)


class StoreFailure(unittest.TestCase):
    def setUp(self):
        self.d = Daemon().start()

    def tearDown(self):
        self.d.stop()

    @sqlite_only("SQLite's database lock; PostgreSQL locks rows")
    def test_locked_store_answers_503_then_recovers(self):
        # Another process holds the write lock: the daemon cannot store.
        blocker = sqlite3.connect(self.d.db, timeout=1, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            status, _ = self.d.console("+919876500001", "loan bhadohi", "x1")
            self.assertEqual(status, 503)
            self.assertEqual(self.d.request("GET", "/healthz")[0], 503)
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        status, _ = self.d.console("+919876500001", "loan bhadohi", "x1")
        self.assertEqual(status, 200)
        self.assertEqual(len([r for r in self.d.export()
                              if r["direction"] == "in"]), 1)


class Signals(unittest.TestCase):
    def setUp(self):
        self.d = Daemon()

    def tearDown(self):
        self.d.stop()

    def test_sighup_reloads_prompts(self):
        self.d.start()
        _, before = self.d.console("+919876500001", "help")
        path = os.path.join(self.d.tmp, "prompts", "hi.txt")
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        lines = [l for l in lines if not l.startswith("help.menu")]
        lines.append("help.menu = नया मेनू: 1 लोन")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        self.d.signal(signal.SIGHUP)
        deadline = time.monotonic() + 5
        while b"event=reloaded" not in self.d.read_log():
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.02)
        _, after = self.d.console("+919876500001", "help")
        self.assertNotEqual(before, after)
        self.assertIn("नया मेनू", after)

    def test_bad_reload_keeps_old_state(self):
        self.d.start()
        _, before = self.d.console("+919876500001", "loan bhadohi")
        with open(os.path.join(self.d.tmp, "config", "keywords.conf"),
                  "a") as f:
            f.write("\nthis line has no equals sign\n")
        self.d.signal(signal.SIGHUP)
        deadline = time.monotonic() + 5
        while b"event=reload_failed" not in self.d.read_log():
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.02)
        self.assertRegex(self.d.read_log().decode(),
                         r"keywords\.conf:\d+")
        _, after = self.d.console("+919876500001", "loan bhadohi", "z")
        self.assertEqual(before, after)

    def test_sigterm_answers_requests_in_flight_and_exits_0(self):
        self.d.start()
        results = []
        # Connections whose requests are complete except for the last
        # bytes: SIGTERM arrives, then they finish sending.
        socks = []
        for i in range(8):
            body = urllib.parse.urlencode({"From": "+9198765%05d" % i,
                                           "Body": "loan bhadohi",
                                           "MessageId": "t%d" % i})
            req = ("POST /sms/console HTTP/1.1\r\nHost: x\r\n"
                   "Content-Type: application/x-www-form-urlencoded\r\n"
                   "Content-Length: %d\r\nConnection: close\r\n\r\n%s"
                   % (len(body.encode()), body)).encode()
            s = socket.create_connection(("127.0.0.1", self.d.port), 5)
            s.sendall(req[:-3])
            socks.append((s, req[-3:]))
        time.sleep(0.1)
        self.d.signal(signal.SIGTERM)
        time.sleep(0.05)

        def finish(s, tail):
            s.sendall(tail)
            s.settimeout(5)
            data = b""
            try:
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            except socket.timeout:
                pass
            results.append(data)
            s.close()
        threads = [threading.Thread(target=finish, args=st) for st in socks]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        self.assertEqual(self.d.wait(10), 0)
        self.assertEqual(len(results), 8)
        for r in results:
            self.assertTrue(r.startswith(b"HTTP/1.1 200"), r[:80])
        self.d.proc = None
        self.assertEqual(len([r for r in self.d.export()
                              if r["direction"] == "in"]), 8)
        log = self.d.read_log()
        self.assertIn(b"event=stopped", log)


if __name__ == "__main__":
    unittest.main()
