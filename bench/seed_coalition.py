#!/usr/bin/env python3
"""seed_coalition: a Sampark database seeded like a grown coalition, for the
benchmarks of `make bench` (bench/run.sh).

    seed_coalition.py --sampark build/sampark --db OUT.db
        [--contacts 100000] [--stakeholders 1000]
        [--interactions 1000000] [--broadcasts 50] [--groups 200]
        [--group-size 10000] [--seed 1] [--now UNIX_MS]

The schema is the daemon's own: `sampark import stakeholders
config/stakeholders.csv --db OUT.db` creates it (all migrations) and
imports the sample directory.  The rest is bulk-inserted here in large
transactions, with the journal and fsync off while seeding only; the
database is put back in WAL mode at the end, as the daemon expects.

What it holds (deterministic for a given --seed):
  - contacts: entrepreneurs across the districts of config/districts.csv
    (only keys the config knows), Hindi or English, about 3% opted out,
    about 1% coordinators, first/last seen over 18 months;
  - interests (loan, training, market) for about 60% of the contacts;
  - --groups groups of varied sizes (tens to a few thousand), one of them
    `bench-10k` with exactly --group-size members (the broadcast
    benchmark's audience);
  - --stakeholders stakeholders in total (the sample directory plus
    generated ones in the same districts and categories);
  - --interactions interactions over 18 months, half inbound and half
    replies (reply_to the inbound, ids right after it, as the daemon
    writes them), realistic texts, keywords and handlers, unique
    provider message ids;
  - --broadcasts past broadcasts to groups, with their outbox rows,
    events and attempts, all in final states.

Phones: contacts are +91 7xxxxxxxxx, so they never collide with the
numbers bench/inbound.lua (+91 9...) and bench/outbox_fill.py use.
"""

import argparse
import csv
import os
import random
import sqlite3
import subprocess
import sys
import time

DAY_MS = 86400 * 1000
SPAN_MS = 548 * DAY_MS          # 18 months
FIRST_PHONE = 7000000000

INBOUND = [
    # (text, keyword, handler, language)
    ("loan bhadohi", "loan", "keyword", "en"),
    ("loan", "loan", "keyword", "en"),
    ("training mirzapur", "training", "keyword", "en"),
    ("market samastipur", "market", "keyword", "en"),
    ("help", "help", "keyword", "en"),
    ("1", "more", "keyword", "en"),
    ("join", "join", "keyword", "en"),
    ("stop", "stop", "keyword", "en"),
    ("yes", "yes", "keyword", "en"),
    ("लोन", "loan", "keyword", "hi"),
    ("लोन चाहिए भदोही में", "loan", "sentence", "hi"),
    ("mujhe silai ki training chahiye", "training", "sentence", "hi"),
    ("karz kaise milega mirzapur", "loan", "sentence", "hi"),
    ("मंडी कहाँ है", "market", "sentence", "hi"),
    ("namaste", None, "unmatched", "hi"),
    ("kab milegi meeting", None, "unmatched", "hi"),
]

REPLY = {
    "en": "Sampark: DIC Bhadohi - PMEGP desk +910000010102, LDM Bhadohi "
          "+910000010101. Reply 1 for more, HELP for menu.",
    "hi": "संपर्क: DIC भदोही PMEGP डेस्क +910000010102, LDM भदोही "
          "+910000010101। और के लिए 1 भेजें।",
}

CATEGORIES = ["loan", "training", "market"]


def log(msg):
    print(f"seed_coalition: {msg}", file=sys.stderr, flush=True)


def districts(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [row["key"] for row in csv.DictReader(f)]


def phone(i):
    return f"+91{FIRST_PHONE + i}"


def seed_contacts(con, rnd, n, dkeys, now):
    def rows():
        for i in range(n):
            first = now - rnd.randrange(SPAN_MS)
            last = first + rnd.randrange(max(1, now - first))
            lang = "hi" if rnd.random() < 0.7 else "en"
            role = "coordinator" if rnd.random() < 0.01 else "entrepreneur"
            opted = last if rnd.random() < 0.03 else 0
            name = f"Didi {i}" if rnd.random() < 0.4 else None
            yield (phone(i), name, lang, rnd.choice(dkeys), role,
                   opted, first, last)
    con.executemany(
        "INSERT INTO contacts (phone, name, language, district, role,"
        " opted_out_ms, first_seen_ms, last_seen_ms)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows())

    def interests():
        for i in range(n):
            if rnd.random() < 0.6:
                for c in rnd.sample(CATEGORIES, rnd.randint(1, 3)):
                    t = now - rnd.randrange(SPAN_MS)
                    yield (phone(i), c, t, t)
    con.executemany(
        "INSERT INTO contact_interests (phone, interest, first_ms, last_ms)"
        " VALUES (?, ?, ?, ?)", interests())


def seed_groups(con, rnd, n, ngroups, big, now):
    """ngroups groups: `bench-10k` with `big` members, the others of
    varied sizes (log-uniform, 20 to 3,000).  Returns {name: size}."""
    sizes = {"bench-10k": min(big, n)}
    for g in range(ngroups - 1):
        sizes[f"shg-{g:03d}"] = min(n, int(20 * 150 ** rnd.random()))
    con.executemany(
        "INSERT INTO contact_groups (name, created_ms) VALUES (?, ?)",
        ((g, now - rnd.randrange(SPAN_MS)) for g in sizes))

    def members():
        for g, size in sizes.items():
            t = now - rnd.randrange(SPAN_MS)
            for i in sorted(rnd.sample(range(n), size)):
                yield (g, phone(i), t)
    con.executemany(
        "INSERT INTO group_members (group_name, phone, added_ms)"
        " VALUES (?, ?, ?)", members())
    return sizes


def seed_stakeholders(con, rnd, total, dkeys, now):
    have = con.execute("SELECT count(*) FROM stakeholders").fetchone()[0]

    def rows():
        for i in range(have, total):
            d = rnd.choice(dkeys)
            c = rnd.choice(CATEGORIES)
            yield (f"{c.title()} desk {i}, {d.title()}", c, d,
                   f"+9100000{i:05d}", rnd.choice(["hi|en", "hi", "en"]),
                   f"{c.title()} help in {d.title()}; visit Mon-Sat",
                   f"{d} में मदद", "bench", now)
    con.executemany(
        "INSERT INTO stakeholders (name, category, district, phone,"
        " languages, description_en, description_hi, source, imported_ms)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())


def seed_interactions(con, rnd, n, ncontacts, dkeys, now):
    """n rows: pairs of inbound + reply, oldest first, ids consecutive."""
    pairs = n // 2
    step = SPAN_MS / max(1, pairs)

    def rows():
        t0 = now - SPAN_MS
        for k in range(pairs):
            t = int(t0 + k * step)
            ph = phone(rnd.randrange(ncontacts))
            text, kw, handler, lang = rnd.choice(INBOUND)
            d = rnd.choice(dkeys)
            inbound_id = 2 * k + 1
            yield (inbound_id, t, "sms", "in", "exotel", f"seed-{k}", ph,
                   text, kw, handler, d, lang, "GSM-7" if lang == "en"
                   else "UCS-2", 1, None, None, "received")
            reply = REPLY[lang]
            yield (inbound_id + 1, t + 40, "sms", "out", "exotel", None, ph,
                   reply, kw, handler, d, lang, "GSM-7" if lang == "en"
                   else "UCS-2", 1 if lang == "en" else 2,
                   rnd.randint(2, 60), inbound_id, "sent")
    con.executemany(
        "INSERT INTO interactions (id, time_ms, channel, direction,"
        " provider, provider_msg_id, phone, text, keyword, handler,"
        " district, language, encoding, segments, latency_ms, reply_to,"
        " status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows())


def seed_broadcasts(con, rnd, nb, sizes, now):
    """nb past broadcasts to groups (not bench-10k), every message final:
    outbox row, its events and its attempt."""
    groups = sorted(g for g in sizes if g != "bench-10k")
    texts = {
        "en": "Sampark: PMEGP forms due 15 Dec at Gyanpur block office. "
              "Reply STOP to stop messages.",
        "hi": "संपर्क: PMEGP फॉर्म 15 दिसंबर तक ज्ञानपुर ब्लॉक कार्यालय में। "
              "संदेश बंद करने के लिए STOP भेजें।",
    }
    sid = 0
    for b in range(nb):
        g = groups[b % len(groups)]
        created = now - SPAN_MS + (b + 1) * (SPAN_MS // (nb + 1))
        members = [r[0] for r in con.execute(
            "SELECT phone FROM group_members WHERE group_name = ?", (g,))]
        bid = con.execute(
            "INSERT INTO broadcasts (kind, audience, template, category,"
            " vars, provider, created_by, state, created_ms, send_at_ms,"
            " recipients, segments, skipped_opted_out)"
            " VALUES ('broadcast', ?, 'scheme_deadline', 'service', ?,"
            " 'exotel', 'coordinator', 'queued', ?, ?, ?, ?, 0)",
            (f"group:{g}", '{"scheme":"PMEGP","date":"15 Dec",'
             '"place":"Gyanpur block office"}', created, created,
             len(members), 2 * len(members))).lastrowid
        outbox = []
        for k, ph in enumerate(members):
            lang = "hi" if k % 10 < 7 else "en"
            r = rnd.random()
            final = ("delivered" if r < 0.85 else "sent" if r < 0.92
                     else "undelivered" if r < 0.97 else "failed")
            t = created + k * 20
            sid += 1
            pid = None if final == "failed" else f"seedbc{sid:026x}"
            outbox.append((ph, texts[lang], "GSM-7" if lang == "en"
                           else "UCS-2", 1 if lang == "en" else 2, final,
                           t, t, t + 5000, pid, bid, final))
        first = con.execute("SELECT coalesce(max(id), 0) FROM outbox") \
            .fetchone()[0] + 1
        con.executemany(
            "INSERT INTO outbox (provider, to_phone, from_addr, body,"
            " encoding, segments, state, attempts, created_ms,"
            " next_attempt_ms, updated_ms, provider_id, broadcast_id,"
            " error, sms_type) VALUES ('exotel', ?, '', ?, ?, ?, ?, 1, ?,"
            " ?, ?, ?, ?, CASE ? WHEN 'failed' THEN 'HTTP 400' END,"
            " 'transactional')", outbox)

        def events():
            for k, o in enumerate(outbox):
                oid, t, final = first + k, o[5], o[4]
                yield (oid, t, None, "queued")
                yield (oid, t + 100, "queued", "sending")
                if final == "failed":
                    yield (oid, t + 300, "sending", "failed")
                    continue
                yield (oid, t + 300, "sending", "sent")
                if final != "sent":
                    yield (oid, t + 5000, "sent", final)
        con.executemany(
            "INSERT INTO outbox_events (outbox_id, time_ms, from_state,"
            " to_state) VALUES (?, ?, ?, ?)", events())
        con.executemany(
            "INSERT INTO outbox_attempts (outbox_id, time_ms, attempt,"
            " http_status, latency_ms) VALUES (?, ?, 1, ?, ?)",
            ((first + k, o[5] + 100, 400 if o[4] == "failed" else 200,
              rnd.randint(80, 900)) for k, o in enumerate(outbox)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sampark", default="build/sampark")
    ap.add_argument("--db", required=True)
    ap.add_argument("--config-dir", default="config")
    ap.add_argument("--contacts", type=int, default=100000)
    ap.add_argument("--stakeholders", type=int, default=1000)
    ap.add_argument("--interactions", type=int, default=1000000)
    ap.add_argument("--broadcasts", type=int, default=50)
    ap.add_argument("--groups", type=int, default=200)
    ap.add_argument("--group-size", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--now", type=int, default=None,
                    help="end of the seeded history, Unix ms")
    a = ap.parse_args()
    if a.contacts < 1 or a.groups < 2:
        sys.exit("seed_coalition: need --contacts >= 1 and --groups >= 2")

    started = time.monotonic()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(a.db + suffix):
            os.unlink(a.db + suffix)
    r = subprocess.run([a.sampark, "import", "stakeholders",
                        os.path.join(a.config_dir, "stakeholders.csv"),
                        "--db", a.db], stdout=subprocess.DEVNULL)
    if r.returncode != 0:
        sys.exit(f"seed_coalition: sampark import failed ({r.returncode})")
    dkeys = districts(os.path.join(a.config_dir, "districts.csv"))
    rnd = random.Random(a.seed)
    # The 18 months end at --now (default: today's midnight UTC), so the
    # file is the same for the same parameters on the same day, and
    # everything seeded is in the past of the daemon's clock.
    now = a.now if a.now is not None else \
        int(time.time()) // 86400 * 86400 * 1000

    con = sqlite3.connect(a.db, isolation_level=None)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-262144")
    steps = [
        ("contacts", lambda: seed_contacts(con, rnd, a.contacts, dkeys,
                                           now)),
        ("stakeholders", lambda: seed_stakeholders(con, rnd, a.stakeholders,
                                                   dkeys, now)),
        ("groups", lambda: sizes.update(seed_groups(
            con, rnd, a.contacts, a.groups, a.group_size, now))),
        ("interactions", lambda: seed_interactions(
            con, rnd, a.interactions, a.contacts, dkeys, now)),
        ("broadcasts", lambda: seed_broadcasts(con, rnd, a.broadcasts,
                                               sizes, now)),
    ]
    sizes = {}
    for name, fn in steps:
        t = time.monotonic()
        con.execute("BEGIN")
        fn()
        con.execute("COMMIT")
        log(f"{name}: {time.monotonic() - t:.1f}s")
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    con = sqlite3.connect(a.db)
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("contacts", "group_members", "stakeholders",
                        "interactions", "broadcasts", "outbox",
                        "outbox_events")}
    con.close()
    log(" ".join(f"{k}={v}" for k, v in counts.items()) +
        f" in {time.monotonic() - started:.1f}s")


if __name__ == "__main__":
    main()
