#!/usr/bin/env python3
"""outbox_fill: queue COUNT messages in a Sampark database for the outbound
benchmark, straight into the outbox table.

    outbox_fill.py DB COUNT TEXT

`sampark send` queues one message per process (about 12 ms each), far too
slow for 20,000.  This writes the same rows store_outbox_add() writes (an
outbox row in state 'queued' and its 'queued' event) in one transaction.
The schema must exist already (`sampark import stakeholders` creates it).
Message i goes to +91 98 0000 0000 + i, like bench/bare_sender.c; the sender
number is left empty so the daemon uses twilio.from.
"""

import sqlite3
import sys
import time

FIRST_TO = 9800000000


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: outbox_fill.py DB COUNT TEXT")
    db, count, text = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    con = sqlite3.connect(db, timeout=10)
    version = con.execute("PRAGMA user_version").fetchone()[0]
    if version < 2:
        sys.exit(f"outbox_fill: {db} has schema version {version}, "
                 "no outbox yet (run sampark import first)")
    now = int(time.time() * 1000)
    with con:
        for i in range(count):
            cur = con.execute(
                "INSERT INTO outbox (provider, to_phone, from_addr, body,"
                " encoding, segments, state, created_ms, next_attempt_ms,"
                " updated_ms) VALUES ('twilio', ?, '', ?, 'GSM-7', 1,"
                " 'queued', ?, ?, ?)",
                (f"+91{FIRST_TO + i}", text, now, now, now))
            con.execute(
                "INSERT INTO outbox_events (outbox_id, time_ms, from_state,"
                " to_state, detail) VALUES (?, ?, NULL, 'queued', NULL)",
                (cur.lastrowid, now))
    con.close()


if __name__ == "__main__":
    main()
