"""Helpers shared by the outbound delivery tests: a daemon wired to the
mock provider for one provider, reading `sampark outbox`, the Plivo V3
signer, and read-only looks into the database.

Every wait here is bounded.
"""
import base64
import hashlib
import hmac
import json
import os
import time
import urllib.parse

import harness
from harness import ROOT, TWILIO_TOKEN, Daemon

PUBLIC = "https://gw.example.in"
TO = "+919812345678"
HINDI = "नमस्ते, आपका ऋण आवेदन मिल गया"
ENGLISH = "Hello, your loan request was received"

# Per provider: its settings (besides api_base), its secrets (environment)
# and the answers we expect in its requests.
TWILIO_SID = "AC0123456789abcdef0123456789abcdef"
EXOTEL_SID = "sampark1"
EXOTEL_KEY = "exokey0123"
EXOTEL_TOKEN = "exotel_api_token"
EXOTEL_URL_TOKEN = "exo-url-token-42"
PLIVO_ID = "MAXXXXXXXXXXXXXXXXXX"
PLIVO_TOKEN = "plivo_auth_token_for_tests"
ANDROID_USER = "smsgw"
ANDROID_PASS = "android-password"
ANDROID_URL_TOKEN = "and-url-token-7"

PROVIDERS = {
    "twilio": {
        "set": {"account_sid": TWILIO_SID, "from": "+15005550006"},
        "env": {"SAMPARK_TWILIO_AUTH_TOKEN": TWILIO_TOKEN},
        "auth": (TWILIO_SID, TWILIO_TOKEN),
        "path": "/2010-04-01/Accounts/%s/Messages.json" % TWILIO_SID,
        "status_url": PUBLIC + "/status/twilio",
    },
    "exotel": {
        "set": {"account_sid": EXOTEL_SID, "api_key": EXOTEL_KEY,
                "from": "SMPARK", "dlt_entity_id": "1101000000000001"},
        "env": {"SAMPARK_EXOTEL_AUTH_TOKEN": EXOTEL_TOKEN,
                "SAMPARK_EXOTEL_URL_TOKEN": EXOTEL_URL_TOKEN},
        "auth": (EXOTEL_KEY, EXOTEL_TOKEN),
        "path": "/v1/Accounts/%s/Sms/send.json" % EXOTEL_SID,
        "status_url": PUBLIC + "/status/exotel/" + EXOTEL_URL_TOKEN,
    },
    "plivo": {
        "set": {"account_sid": PLIVO_ID, "from": "+918045678901"},
        "env": {"SAMPARK_PLIVO_AUTH_TOKEN": PLIVO_TOKEN},
        "auth": (PLIVO_ID, PLIVO_TOKEN),
        "path": "/v1/Account/%s/Message/" % PLIVO_ID,
        "status_url": PUBLIC + "/status/plivo",
    },
    "android": {
        "set": {"account_sid": ANDROID_USER},
        "env": {"SAMPARK_ANDROID_AUTH_TOKEN": ANDROID_PASS,
                "SAMPARK_ANDROID_URL_TOKEN": ANDROID_URL_TOKEN},
        "auth": (ANDROID_USER, ANDROID_PASS),
        "path": "/messages",
        "status_url": None,     # the app's webhooks are registered apart
    },
}

# Fast retries and polling unless a test says otherwise.
FAST = {"retry_base_ms": "50", "retry_max_ms": "400", "outbox_poll_ms": "50"}


def provider_daemon(provider, mock, settings=None, globals_=None, env=None,
                    **kw):
    """A Daemon (not started) with provider enabled and pointed at mock,
    unlimited rate; settings override "<provider>.<key>", globals_ the
    global keys."""
    p = PROVIDERS[provider]
    conf = dict(p["set"])
    conf.update({"enabled": "yes", "api_base": mock.url, "rate": "0"})
    conf.update(settings or {})
    g = dict(FAST)
    g.update(globals_ or {})
    args = []
    for k, v in conf.items():
        args += ["--set", "%s.%s=%s" % (provider, k, v)]
    for k, v in g.items():
        args += ["--set", "%s=%s" % (k, v)]
    e = dict(p["env"])
    e.update(env or {})
    d = Daemon(extra_args=args, env=e, **kw)
    # The CLI reads only the config file, where this provider is not set
    # up (its settings are --set for the daemon): send() names it.
    d.provider = provider
    return d


def send(d, text, to=TO, provider=None):
    args = ["send", "--to", to, "--text", text]
    provider = provider or getattr(d, "provider", None)
    if provider:
        args += ["--provider", provider]
    r = d.cli(*args)
    assert r.returncode == 0, r.stderr.decode()
    return int(r.stdout.decode().strip())


class Row:
    def __init__(self, f):
        self.id = int(f[0])
        self.state = f[2]
        self.provider = f[3]
        self.to = f[4]
        self.attempts = int(f[5])
        self.segments = int(f[6])
        self.provider_id = None if f[7] == "-" else f[7]
        self.due_ist = None if f[8] == "-" else f[8]
        self.error = f[9] if len(f) > 9 else ""

    def __repr__(self):
        return "Row(%d %s try=%d pid=%s err=%r)" % (
            self.id, self.state, self.attempts, self.provider_id, self.error)


def outbox(d, state=None):
    """{id: Row} from `sampark outbox --reveal-phones`."""
    args = ["outbox", "--reveal-phones"]
    if state:
        args += ["--state", state]
    r = d.cli(*args)
    assert r.returncode == 0, r.stderr.decode()
    rows = {}
    for line in r.stdout.decode("utf-8", "replace").splitlines():
        f = line.split(None, 9)
        if len(f) >= 9 and f[0].isdigit():
            row = Row(f)
            rows[row.id] = row
    return rows


def wait_state(d, msg_id, states, timeout=10.0):
    """Wait until message msg_id is in one of states; returns its Row."""
    if isinstance(states, str):
        states = (states,)
    deadline = time.monotonic() + timeout
    row = None
    while time.monotonic() < deadline:
        row = outbox(d).get(msg_id)
        if row is not None and row.state in states:
            return row
        time.sleep(0.05)
    raise AssertionError("message %d is %r, not %s after %.0f s\n%s" % (
        msg_id, row, "/".join(states), timeout,
        d.read_log().decode("utf-8", "replace")[-3000:]))


def wait_until(cond, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = cond()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError("timed out after %.0f s: %s" % (timeout, what))


def db_query(d, sql, args=()):
    """Rows of a read-only query on the daemon's database."""
    c = harness.db_connect(d.db, read_only=True)
    try:
        return c.execute(sql, args).fetchall()
    finally:
        c.close()


def broadcast_daemon(mock, settings=None, globals_=None, env=None):
    """A daemon (not started) whose broadcasts go through Twilio's API to
    mock, with no quiet hours and no daily cap, so that a test passes at
    any hour."""
    d = provider_daemon("twilio", mock, settings=settings,
                        globals_=globals_, env=env)
    with open(d.conf, encoding="utf-8") as f:
        text = f.read()
    with open(d.conf, "w", encoding="utf-8") as f:
        f.write("quiet_hours = \ndaily_cap = 0\n"
                "broadcast_provider = twilio\n")
        f.write(text)
    return d


def seed_contacts(db, rows):
    """Contacts written straight into the database, (phone, name,
    language, district) each: a grown coalition in seconds."""
    c = harness.db_connect(db, timeout=10)
    try:
        with c:
            c.executemany(
                "INSERT INTO contacts (phone, name, language, district,"
                " role) VALUES (?, ?, ?, ?, 'entrepreneur')", rows)
    finally:
        c.close()


# ---- Plivo signature V3 (providers.md section 3.2) ----

def plivo_v3_string(method, uri, params, nonce):
    base, _, query = uri.split("#")[0].partition("?")
    q = urllib.parse.parse_qsl(query, keep_blank_values=True)
    items = sorted(params.items()) if isinstance(params, dict) \
        else sorted(params)
    if method == "GET":
        qs = "&".join("%s=%s" % kv for kv in sorted(q + items))
        return base + ("?" + qs if qs else "") + "." + nonce
    qs = "&".join("%s=%s" % kv for kv in sorted(q))
    s = base
    if qs or items:
        s += "?" + qs
    if qs and items:
        s += "."
    s += "".join(k + v for k, v in items)
    return s + "." + nonce


def plivo_v3_signature(token, method, uri, params, nonce):
    mac = hmac.new(token.encode(), plivo_v3_string(
        method, uri, params, nonce).encode("utf-8"), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def vectors_path():
    """shared/specs/test-vectors.json: next to the repository in CI."""
    for p in (os.path.join(ROOT, "..", "shared", "specs",
                           "test-vectors.json"),
              os.path.join(ROOT, "shared", "specs", "test-vectors.json")):
        if os.path.isfile(p):
            return os.path.abspath(p)
    return None


def plivo_post(d, path, params, token=PLIVO_TOKEN, nonce="12345678901234567890",
               signature=None):
    """POST a form to path, signed as Plivo would sign it."""
    if signature is None:
        signature = plivo_v3_signature(token, "POST", PUBLIC + path, params,
                                       nonce)
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "X-Plivo-Signature-V3": signature,
               "X-Plivo-Signature-V3-Nonce": nonce}
    status, ctype, data = d.request("POST", path,
                                    urllib.parse.urlencode(params), headers)
    return status, ctype, data.decode("utf-8", "replace")


def form_post(d, path, params, headers=None):
    h = {"Content-Type": "application/x-www-form-urlencoded"}
    h.update(headers or {})
    status, ctype, data = d.request("POST", path,
                                    urllib.parse.urlencode(params), h)
    return status, ctype, data.decode("utf-8", "replace")


def json_post(d, path, obj):
    status, ctype, data = d.request(
        "POST", path, json.dumps(obj, ensure_ascii=False).encode("utf-8"),
        {"Content-Type": "application/json"})
    return status, ctype, data.decode("utf-8", "replace")


def sent_to(mock, number):
    """Requests the mock got that name number (with or without '+')."""
    bare = number.lstrip("+")
    return [r for r in mock.requests
            if number in r.destinations() or bare in r.destinations()]

