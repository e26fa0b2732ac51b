"""What the analytics tests share: one seeded set of queries, sent through
the real daemon's console webhook, with the figures they must add up to;
a Prometheus text-format checker; and headless Chromium."""
import os
import re
import shutil
import subprocess
import tempfile

ANALYST = "analyst-token-0123456789abcdef"
ADMIN = "admin-token-0123456789abcdef"
COORD = "coordinator-token-0123456789ab"
TOKENS = {"SAMPARK_ANALYST_TOKEN": ANALYST, "SAMPARK_ADMIN_TOKEN": ADMIN,
          "SAMPARK_COORDINATOR_TOKEN": COORD}

# (text, how many women send it, first number): each from her own phone.
SEED = [
    ("loan bhadohi", 6, 100),
    ("ऋण bhadohi", 1, 110),
    ("training mirzapur", 3, 120),
    ("market samastipur", 1, 130),
    ("sabun banana", 2, 140),
    ("join bhadohi", 1, 150),
]
EXPECTED_KEYWORDS = {"loan": 7, "training": 3, "market": 1,
                     "(unmatched)": 2, "join": 1}
EXPECTED_INBOUND = 15           # the above and one STOP
EXPECTED_CONTACTS = 14          # the STOP comes from the woman who joined


def phone(n):
    return "+9198765%05d" % n


def seed(d):
    """Send the seeded queries; every webhook must be answered 200."""
    for text, n, first in SEED:
        for i in range(n):
            status, _ = d.console(phone(first + i), text)
            assert status == 200, (text, status)
    status, _ = d.console(phone(150), "stop")
    assert status == 200


# ---- Prometheus text exposition format (version 0.0.4) ----

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
VALUE = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]Inf|NaN"
SAMPLE_RE = re.compile(r"^(%s)(?:\{(%s(?:,%s)*)?\})? (%s)$" % (
    NAME, LABEL, LABEL, VALUE))
HELP_RE = re.compile(r"^# HELP (%s) (.*)$" % NAME)
TYPE_RE = re.compile(r"^# TYPE (%s) (counter|gauge|histogram|summary|"
                     r"untyped)$" % NAME)
LABEL_RE = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text, fail):
    """Check text line by line; return {(name, frozenset(labels)): value}.
    fail(msg) is called on the first problem."""
    types, helps, samples, seen_families = {}, set(), {}, []
    if not text.endswith("\n"):
        fail("exposition does not end with a newline")
    for n, line in enumerate(text.split("\n")[:-1], 1):
        if line.startswith("#"):
            m = HELP_RE.match(line)
            if m:
                if m.group(1) in helps:
                    fail("line %d: second HELP for %s" % (n, m.group(1)))
                helps.add(m.group(1))
                continue
            m = TYPE_RE.match(line)
            if m:
                if m.group(1) in types:
                    fail("line %d: second TYPE for %s" % (n, m.group(1)))
                types[m.group(1)] = m.group(2)
                seen_families.append(m.group(1))
                continue
            fail("line %d: bad comment %r" % (n, line))
        m = SAMPLE_RE.match(line)
        if not m:
            fail("line %d: not a sample %r" % (n, line))
        name, labels, value = m.group(1), m.group(2) or "", m.group(3)
        family = name
        if family not in types:
            for suffix in ("_bucket", "_sum", "_count"):
                if name.endswith(suffix) and \
                        types.get(name[:-len(suffix)]) == "histogram":
                    family = name[:-len(suffix)]
        if family not in types:
            fail("line %d: %s has no TYPE before it" % (n, name))
        if seen_families[-1] != family:
            fail("line %d: %s is not next to its family" % (n, name))
        pairs = LABEL_RE.findall(labels)
        if len(set(k for k, _ in pairs)) != len(pairs):
            fail("line %d: repeated label" % n)
        key = (name, frozenset(pairs))
        if key in samples:
            fail("line %d: duplicate sample %s" % (n, line))
        samples[key] = float(value)
    for family, kind in types.items():
        if kind != "histogram":
            continue
        groups = {}
        for (name, labels), v in samples.items():
            if name == family + "_bucket":
                rest = frozenset(p for p in labels if p[0] != "le")
                le = dict(labels)["le"]
                groups.setdefault(rest, []).append(
                    (float("inf") if le == "+Inf" else float(le), v))
        for rest, buckets in groups.items():
            buckets.sort()
            counts = [v for _, v in buckets]
            if counts != sorted(counts):
                fail("%s: buckets not cumulative" % family)
            if buckets[-1][0] != float("inf"):
                fail("%s: no +Inf bucket" % family)
            if samples.get((family + "_count", rest)) != counts[-1]:
                fail("%s: _count differs from the +Inf bucket" % family)
    return samples


def sample(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())))


# ---- headless Chromium ----

def chromium_path():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(name)
        if p:
            return p
    return None


def chromium(url, *extra, timeout=60):
    """Run headless Chromium on url with its own profile; return stdout."""
    profile = tempfile.mkdtemp(prefix="sampark-chromium-")
    try:
        args = [chromium_path(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--no-first-run", "--hide-scrollbars",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=5000"] + list(extra) + [url]
        r = subprocess.run(args, capture_output=True, timeout=timeout,
                           env=dict(os.environ, HOME=profile))
        return r.stdout.decode("utf-8", "replace")
    finally:
        shutil.rmtree(profile, ignore_errors=True)
