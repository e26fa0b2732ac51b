"""A mock of the providers' send APIs for integration tests.

MockProvider is a small threaded HTTP server on 127.0.0.1 (ephemeral port)
that runs in a background thread of the test process.  It records every
request, answers each path from a programmable queue of responses, and
otherwise with a default answer in the style of the provider the path
belongs to:

  Twilio   POST .../2010-04-01/Accounts/<sid>/Messages.json
           201 {"sid": "SM<32 hex>", "status": "queued", ...}
  Plivo    POST .../v1/Account/<auth_id>/Message/
           202 {"message_uuid": ["<uuid>"], ...}
  Exotel   POST .../v1/Accounts/<sid>/Sms/send[.json]
           200 {"SMSMessage": {"Sid": "<32 hex>", "Status": "queued", ...}}
  Calls    POST .../Calls.json (Twilio), .../Call/ (Plivo),
           .../Calls/connect[.json] (Exotel): the provider's "call placed"
  Android  POST .../message or .../messages   (SMS Gateway for Android)
           202 {"id": "<id>", "state": "Pending", ...}
  other    404 {"error": "no mock for this path"}

    mock = MockProvider().start()
    try:
        mock.push("twilio", 429, headers={"Retry-After": "1"})
        ... point the daemon at mock.url ...
        mock.wait_for(2, timeout=10)
        assert mock.count("+919812345678") == 2
    finally:
        mock.stop()

Every wait is bounded, and stop() always joins the server thread.
"""
import base64
import collections
import http.server
import json
import re
import threading
import time
import urllib.parse
import uuid

STYLES = (
    # Outbound calls (missed-call callbacks), before the SMS styles.
    ("twilio_call", re.compile(r"/2010-04-01/Accounts/[^/]+/Calls\.json$")),
    ("plivo_call", re.compile(r"/v1/Account/[^/]+/Call/?$")),
    ("exotel_call", re.compile(r"/v1/Accounts/[^/]+/Calls/connect(\.json)?$")),
    ("twilio", re.compile(r"/2010-04-01/Accounts/[^/]+/Messages\.json$")),
    ("plivo", re.compile(r"/v1/Account/[^/]+/Message/?$")),
    ("exotel", re.compile(r"/v1/Accounts/[^/]+/Sms/send(\.json)?$")),
    ("android", re.compile(r"/messages?/?$")),
)

MAX_BODY = 1 << 20


def style_of(path):
    """The provider style a path belongs to, or None."""
    for name, pattern in STYLES:
        if pattern.search(path):
            return name
    return None


class Response:
    """One programmed answer.  body may be bytes, str, or a JSON value;
    delay (seconds) is slept before answering (e.g. to test timeouts)."""

    def __init__(self, status=200, body=b"", headers=None, delay=0.0):
        self.status = status
        self.headers = dict(headers or {})
        self.delay = float(delay)
        if isinstance(body, (bytes, bytearray)):
            self.body = bytes(body)
        elif isinstance(body, str):
            self.body = body.encode("utf-8")
        else:
            self.body = json.dumps(body).encode("utf-8")
            self.headers.setdefault("Content-Type", "application/json")


class Request:
    """What the mock received.  headers has lower-case names; form holds
    the form fields as (name, value) pairs, json the parsed JSON body."""

    def __init__(self, method, raw_path, headers, body):
        parts = urllib.parse.urlsplit(raw_path)
        self.method = method
        self.path = parts.path
        self.query = parts.query
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.body = body
        self.style = style_of(self.path)
        self.status = None          # the status answered (None until then)
        self.form = []
        self.json = None
        ctype = self.headers.get("content-type", "")
        text = body.decode("utf-8", "replace")
        if ctype.startswith("application/json"):
            try:
                self.json = json.loads(text)
            except ValueError:
                self.json = None
        elif ctype.startswith("application/x-www-form-urlencoded"):
            self.form = urllib.parse.parse_qsl(text, keep_blank_values=True)

    def field(self, name):
        """First form field or JSON member called name, or None."""
        for k, v in self.form:
            if k == name:
                return v
        if isinstance(self.json, dict):
            return self.json.get(name)
        return None

    def auth(self):
        """(user, password) from Basic auth, or None."""
        h = self.headers.get("authorization", "")
        if not h.lower().startswith("basic "):
            return None
        try:
            user, _, pw = base64.b64decode(h[6:]).decode().partition(":")
        except ValueError:
            return None
        return user, pw

    def destinations(self):
        """Every number this request sends to (To, dst, phoneNumbers)."""
        out = []
        # An Exotel call rings From first: that is the person.
        for name in ("To", "dst", "to") + (
                ("From",) if self.style == "exotel_call" else ()):
            v = self.field(name)
            if isinstance(v, str) and v:
                # Plivo joins several destinations with '<'.
                out.extend(x for x in v.split("<") if x)
        v = self.field("phoneNumbers")
        if isinstance(v, list):
            out.extend(x for x in v if isinstance(x, str))
        return out


def default_response(style):
    """The provider's usual "accepted" answer, with a fresh id."""
    hexid = uuid.uuid4().hex
    if style == "twilio":
        return Response(201, {"sid": "SM" + hexid, "status": "queued",
                              "num_segments": "1", "error_code": None,
                              "error_message": None})
    if style == "plivo":
        return Response(202, {"api_id": str(uuid.uuid4()),
                              "message": "message(s) queued",
                              "message_uuid": [str(uuid.uuid4())]})
    if style == "exotel":
        return Response(200, {"SMSMessage": {"Sid": hexid,
                                             "Status": "queued"}})
    if style == "twilio_call":
        return Response(201, {"sid": "CA" + hexid, "status": "queued"})
    if style == "plivo_call":
        return Response(201, {"api_id": str(uuid.uuid4()),
                              "message": "call fired",
                              "request_uuid": str(uuid.uuid4())})
    if style == "exotel_call":
        return Response(200, {"Call": {"Sid": hexid,
                                       "Status": "in-progress"}})
    if style == "android":
        return Response(202, {"id": hexid[:21], "state": "Pending"})
    return Response(404, {"error": "no mock for this path"})


class _Handler(http.server.BaseHTTPRequestHandler):
    # Headers and body go out in separate writes: without this, Nagle and
    # delayed ACKs cap the mock at a few hundred requests a second.
    disable_nagle_algorithm = True
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _serve(self):
        mock = self.server.mock
        try:
            n = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            n = 0
        body = self.rfile.read(min(max(n, 0), MAX_BODY)) if n > 0 else b""
        req = Request(self.command, self.path, self.headers, body)
        resp = mock._next_response(req)
        mock._record(req)
        if resp.delay > 0:
            mock._stopping.wait(resp.delay)
        req.status = resp.status
        self.send_response(resp.status)
        for k, v in resp.headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(resp.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(resp.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class MockProvider:
    def __init__(self, host="127.0.0.1", idle_timeout=None):
        """idle_timeout: close a kept-alive connection after that many
        seconds without a request, as real servers do (default: never)."""
        self.host = host
        self.idle_timeout = idle_timeout
        self.port = None
        self._lock = threading.Condition()
        self._requests = []
        self._queues = collections.defaultdict(collections.deque)
        self._stopping = threading.Event()
        self._server = None
        self._thread = None

    @property
    def url(self):
        """Base URL, e.g. http://127.0.0.1:40123 (no trailing slash)."""
        return "http://%s:%d" % (self.host, self.port)

    def start(self):
        handler = _Handler
        if self.idle_timeout is not None:
            # The request handler's socket timeout: an idle read times out
            # and the handler closes the connection.
            handler = type("_IdleHandler", (_Handler,),
                           {"timeout": self.idle_timeout})
        self._server = _Server((self.host, 0), handler)
        self._server.mock = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name="mockprovider", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        """Stop serving and join the thread; delayed answers are cut short."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = None
        self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # ---- programming the answers ----

    def push(self, key, status=200, body=b"", headers=None, delay=0.0):
        """Queue one answer for key: an exact path ("/x/Messages.json") or a
        style ("twilio", "plivo", "exotel", "android").  Queued answers are
        used in order, before the default; an exact path wins over a style."""
        with self._lock:
            self._queues[key].append(Response(status, body, headers, delay))

    def clear(self):
        """Forget the recorded requests and the queued answers."""
        with self._lock:
            self._requests.clear()
            self._queues.clear()

    def _next_response(self, req):
        with self._lock:
            for key in (req.path, req.style):
                q = self._queues.get(key)
                if q:
                    return q.popleft()
        return default_response(req.style)

    def _record(self, req):
        with self._lock:
            self._requests.append(req)
            self._lock.notify_all()

    # ---- what was received ----

    @property
    def requests(self):
        """A snapshot of the requests received so far, in order."""
        with self._lock:
            return list(self._requests)

    def count(self, to=None, accepted=False):
        """Requests to number to (all when None); accepted=True counts only
        those answered 2xx (to check that nothing was sent twice)."""
        n = 0
        for r in self.requests:
            if accepted and not 200 <= (r.status or 0) < 300:
                continue
            if to is None or to in r.destinations():
                n += 1
        return n

    def counts(self, accepted=False):
        """{number: how many requests named it}."""
        c = collections.Counter()
        for r in self.requests:
            if accepted and not 200 <= (r.status or 0) < 300:
                continue
            c.update(r.destinations())
        return dict(c)

    def wait_for(self, count, timeout=10.0):
        """Wait until at least count requests have arrived (recorded on
        arrival, before any delay); returns the snapshot, or raises AssertionError after timeout seconds."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self._requests) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        "mock provider: %d of %d requests after %.1f s" % (
                            len(self._requests), count, timeout))
                self._lock.wait(left)
            return list(self._requests)
