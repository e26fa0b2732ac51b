"""The nginx server block of docs/operations.md, run with the real nginx in
front of the real daemon: only the listed public paths reach Sampark.

The block is read from the document at test time (the first ```nginx
fence), so the test checks what operators copy, not a copy of it.  Only
what cannot work on loopback is rewritten: the listen lines (a free
loopback port, no TLS), the certificate lines (dropped) and the daemon's
port in proxy_pass.  nginx runs in the foreground with a temporary prefix
and is stopped by the test.  Skipped only when nginx is not installed.
"""
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.parse

from harness import ROOT, TWILIO_TOKEN, Daemon, free_port, twilio_signature

DOC = os.path.join(ROOT, "docs", "operations.md")
HOST = "sms.example.org"
PUBLIC_URL = "https://" + HOST
EXOTEL_URL_TOKEN = "proxy-test-exotel-url-token-5c1e"
NGINX = shutil.which("nginx") or (
    "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)



def doc_nginx_block():
    """The text of the first ```nginx fenced block of operations.md."""
    with open(DOC, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^```nginx\n(.*?)^```", text, re.S | re.M)
    if m is None:
        raise AssertionError("no ```nginx block in " + DOC)
    return m.group(1)


def loopback_config(block, port, daemon_port, tmp):
    """block made runnable on loopback, inside a minimal nginx.conf."""
    out = []
    for line in block.splitlines():
        s = line.strip()
        if s.startswith("ssl_certificate"):
            continue
        if s.startswith("listen "):
            # The HTTPS server gets our port; the plain-HTTP redirect
            # server gets one of its own.
            p = port if "ssl" in s else free_port()
            line = re.sub(r"listen\s+[^;]*;", "listen 127.0.0.1:%d;" % p,
                          line)
        line = line.replace("http://127.0.0.1:8080",
                            "http://127.0.0.1:%d" % daemon_port)
        out.append(line)
    server = "\n".join(out)
    if "127.0.0.1:%d" % daemon_port not in server:
        raise AssertionError("the doc's block has no proxy_pass to "
                             "127.0.0.1:8080")
    paths = {k: os.path.join(tmp, k) for k in
             ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for p in paths.values():
        os.makedirs(p, exist_ok=True)
    return """daemon off;
master_process off;
worker_processes 1;
pid %(tmp)s/nginx.pid;
error_log %(tmp)s/error.log info;
events { worker_connections 64; }
http {
    access_log %(tmp)s/access.log;
    client_body_temp_path %(client_body)s;
    proxy_temp_path %(proxy)s;
    fastcgi_temp_path %(fastcgi)s;
    uwsgi_temp_path %(uwsgi)s;
    scgi_temp_path %(scgi)s;
%(server)s
}
""" % dict(paths, tmp=tmp, server=server)


@unittest.skipIf(NGINX is None, "nginx is not installed (Debian package "
                 "nginx, in the Makefile's DEB_PACKAGES)")
class DocumentedNginx(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = Daemon(extra_args=[
            "--set", "public_url=" + PUBLIC_URL,
            "--set", "exotel.enabled=yes",
            # The reply in the answer shows the request got through.
            "--set", "exotel.reply_mode=inline"],
            env={"SAMPARK_EXOTEL_URL_TOKEN": EXOTEL_URL_TOKEN})
        cls.nginx = None
        try:
            # A voice prompt recording for /audio/ to serve.
            audio = os.path.join(cls.d.tmp, "prompts", "audio", "hi")
            os.makedirs(audio, exist_ok=True)
            with open(os.path.join(audio, "proxy_check.wav"), "wb") as f:
                f.write(b"RIFF\x24\x00\x00\x00WAVEfmt ")
            cls.d.start()
            cls.tmp = tempfile.mkdtemp(prefix="sampark-nginx-")
            cls.port = free_port()
            conf = os.path.join(cls.tmp, "nginx.conf")
            with open(conf, "w") as f:
                f.write(loopback_config(doc_nginx_block(), cls.port,
                                        cls.d.port, cls.tmp))
            cls.nginx = subprocess.Popen(
                [NGINX, "-p", cls.tmp, "-c", conf, "-e",
                 os.path.join(cls.tmp, "error.log")],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                if cls.nginx.poll() is not None:
                    raise AssertionError("nginx exited: " +
                                         cls.nginx.stderr.read().decode())
                try:
                    socket.create_connection(("127.0.0.1", cls.port),
                                             0.2).close()
                    break
                except OSError:
                    time.sleep(0.05)
            else:
                raise AssertionError("nginx did not start")
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.nginx is not None and cls.nginx.poll() is None:
            cls.nginx.send_signal(signal.SIGQUIT)
            try:
                cls.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                cls.nginx.kill()
                cls.nginx.wait(timeout=5)
        if cls.nginx is not None:
            cls.nginx.stderr.close()
        cls.d.stop()
        if getattr(cls, "tmp", None):
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def via_nginx(self, method, path, body=None, headers=None):
        """(status, headers, body) of a request sent to nginx with path
        exactly as written (no client-side normalisation)."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        h = {"Host": HOST}
        h.update(headers or {})
        try:
            c.putrequest(method, path, skip_host=True,
                         skip_accept_encoding=True)
            for k, v in h.items():
                c.putheader(k, v)
            if body is not None:
                c.putheader("Content-Length", str(len(body)))
            c.endheaders(body.encode() if body is not None else None)
            r = c.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        finally:
            c.close()

    def assert_blocked_by_nginx(self, method, path, **kw):
        before = self.d.read_log()
        st, _, body = self.via_nginx(method, path, **kw)
        self.assertEqual(st, 404, "%s %s: %d %r" % (method, path, st, body))
        # nginx's own page, not the daemon's "not found".
        self.assertIn(b"<center>nginx", body, path)
        self.assertEqual(self.d.read_log(), before,
                         "%s %s reached the daemon" % (method, path))

    def console_form(self):
        return urllib.parse.urlencode([("From", "+919812300042"),
                                       ("Body", "STOP")])

    def test_console_paths_stop_at_nginx(self):
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        for path in ("/sms/console", "/sms/console/", "/sms/console/..",
                     "/sms/console/x", "/status/console", "/voice/console",
                     "/sms/%63onsole", "/sms/console%2f", "//sms/console",
                     "/sms//console", "/SMS/console", "/sms/Console",
                     "/sms/twilio/../console", "/sms/twilio/%2e%2e/console",
                     "/sms/twilio/%2E%2E/console", "/audio/../sms/console",
                     "/sms/twilio/..%2fconsole", "/./sms/console",
                     "/sms/console?x=/sms/twilio", "/sms/", "/sms"):
            self.assert_blocked_by_nginx("POST", path,
                                         body=self.console_form(),
                                         headers=form)
        # Nobody was opted out by any of them.
        rows = self.d.export()
        self.assertEqual([r for r in rows if r.get("direction") == "in"],
                         [])

    def test_admin_paths_stop_at_nginx(self):
        for path in ("/api/v1/whoami", "/api/v1/broadcasts", "/metrics",
                     "/dashboard", "/dashboard/", "/login", "/logout",
                     "/", "/index.html", "/api/../metrics"):
            self.assert_blocked_by_nginx("GET", path)
        self.assert_blocked_by_nginx("POST", "/api/v1/broadcasts",
                                     body="{}", headers={
                                         "Content-Type": "application/json"})

    def test_signed_twilio_webhook_passes(self):
        params = [("From", "+919812345678"), ("To", "+15005550006"),
                  ("Body", "loan bhadohi"), ("MessageSid", "SMproxy0001"),
                  ("AccountSid", "AC" + "0" * 32)]
        sig = twilio_signature(TWILIO_TOKEN, PUBLIC_URL + "/sms/twilio",
                               params)
        st, hdrs, body = self.via_nginx(
            "POST", "/sms/twilio", body=urllib.parse.urlencode(params),
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "X-Twilio-Signature": sig})
        self.assertEqual(st, 200, body)
        self.assertIn(b"<Response>", body)
        self.assertIn("भदोही", body.decode("utf-8"))
        # A bad signature reaches the daemon too, which refuses it.
        st, _, body = self.via_nginx(
            "POST", "/sms/twilio", body=urllib.parse.urlencode(params),
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "X-Twilio-Signature": "AAAA" + sig[4:]})
        self.assertEqual(st, 403, body)

    def test_url_token_webhook_passes(self):
        q = urllib.parse.urlencode([("SmsSid", "proxyexo0001"),
                                    ("From", "09812345679"), ("To", "56070"),
                                    ("Body", "loan bhadohi")])
        st, _, body = self.via_nginx(
            "GET", "/sms/exotel/%s?%s" % (EXOTEL_URL_TOKEN, q))
        self.assertEqual(st, 200, body)
        self.assertIn("भदोही", body.decode("utf-8"))

    def test_audio_and_healthz_pass(self):
        st, hdrs, body = self.via_nginx("GET", "/audio/hi/proxy_check.wav")
        self.assertEqual(st, 200, body)
        self.assertTrue(body.startswith(b"RIFF"))
        # A missing prompt: the daemon's 404, not nginx's.
        st, _, body = self.via_nginx("GET", "/audio/hi/nosuch.wav")
        self.assertEqual(st, 404)
        self.assertNotIn(b"nginx", body)
        st, _, body = self.via_nginx("GET", "/healthz")
        self.assertEqual((st, body), (200, b"ok\n"))



class ConsoleBehindAProxy(unittest.TestCase):
    """Had a proxy let the console through, the daemon itself refuses what
    a proxy relays (nginx and Caddy add X-Forwarded-For), with or without
    nginx on this machine."""

    def test_console_refuses_what_a_proxy_relays(self):
        d = Daemon(import_directory=False)
        self.addCleanup(d.stop)
        d.start()
        form = urllib.parse.urlencode([("From", "+919812300042"),
                                       ("Body", "STOP")])
        ctype = {"Content-Type": "application/x-www-form-urlencoded"}
        for header, value in (("X-Forwarded-For", "203.0.113.7"),
                              ("Forwarded", "for=203.0.113.7"),
                              ("X-Real-IP", "203.0.113.7")):
            st, _, body = d.request("POST", "/sms/console", form,
                                    dict(ctype, **{header: value}))
            self.assertEqual(st, 403, body)
        self.assertEqual(d.read_log().decode().count(
            "event=webhook_rejected provider=console status=403"), 3)
        self.assertEqual(d.export(), [])
        # From this machine, directly: answered.
        st, _, body = d.request("POST", "/sms/console", form, ctype)
        self.assertEqual(st, 200, body)
        # allow_remote lifts the guard.
        d.stop()
        d2 = Daemon(extra_args=["--set", "console.allow_remote=yes"],
                    import_directory=False)
        self.addCleanup(d2.stop)
        d2.start()
        st, _, body = d2.request("POST", "/sms/console", form,
                                 dict(ctype, **{"X-Forwarded-For": "x"}))
        self.assertEqual(st, 200, body)


if __name__ == "__main__":
    unittest.main()
