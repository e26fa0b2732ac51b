"""`sampark export` streams: its peak RSS on a large interaction log is
that on a small one.  The log is written straight into the database (the
schema made by the binary itself), so the test takes seconds.

SAMPARK_EXPORT_ROWS sets the large size (default 200,000; the issue's
1,000,000 is `SAMPARK_EXPORT_ROWS=1000000 python3 -m unittest
test_export_stream`, which also prints the figures)."""
import os
import sqlite3
import subprocess
import sys
import tempfile
import shutil
import unittest

from harness import BIN, ROOT

BIG = int(os.environ.get("SAMPARK_EXPORT_ROWS", "200000"))
SMALL = 10000

# Runs the export with its output counted and thrown away, and prints
# the line count and the child's peak RSS in kB (ru_maxrss on Linux).
MEASURE = r"""
import resource, subprocess, sys
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE,
                     stderr=subprocess.DEVNULL)
lines = 0
while True:
    chunk = p.stdout.read(1 << 16)
    if not chunk:
        break
    lines += chunk.count(b"\n")
rc = p.wait()
print(rc, lines, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def make_db(path, rows):
    # The schema, made as any database is made: by a command that writes
    # (one that only reads, such as report, refuses a missing database).
    r = subprocess.run([BIN, "import", "stakeholders",
                        "config/stakeholders.csv", "-c", "config/sampark.conf",
                        "--db", path], capture_output=True, cwd=ROOT,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    db = sqlite3.connect(path)
    districts = ("bhadohi", "mirzapur", "samastipur")

    def gen():
        for i in range(rows):
            yield (1795687200000 + i * 1000, "sms", "in", "console",
                   "m%d" % i, "+9198765%05d" % (i % 50000),
                   "loan %s please, मदद" % districts[i % 3], "loan", "info",
                   districts[i % 3], "hi", "UCS-2", 1, None, None, "matched")
    db.executemany(
        "INSERT INTO interactions (time_ms, channel, direction, provider,"
        " provider_msg_id, phone, text, keyword, handler, district,"
        " language, encoding, segments, latency_ms, reply_to, status)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", gen())
    db.commit()
    db.close()


class ExportStreams(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sampark-export-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    @staticmethod
    def env():
        """Under ASan, freed memory is held in a quarantine (256 MB) that
        would show as growth: measure without it."""
        e = dict(os.environ, SAMPARK_PSEUDONYM_KEY="k")
        asan = e.get("ASAN_OPTIONS", "")
        e["ASAN_OPTIONS"] = (asan + ":" if asan else "") + \
            "quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
        return e

    def measure(self, rows, fmt):
        path = os.path.join(self.tmp, "%d.db" % rows)
        if not os.path.exists(path):
            make_db(path, rows)
        out = subprocess.run(
            [sys.executable, "-c", MEASURE, BIN, "export", "--db", path,
             "--format", fmt], capture_output=True, timeout=600,
            cwd=self.tmp, env=self.env())
        rc, lines, rss_kb = (int(x) for x in out.stdout.split())
        self.assertEqual(rc, 0)
        self.assertEqual(lines, rows + (1 if fmt == "csv" else 0))
        return rss_kb

    def test_peak_rss_is_flat(self):
        for fmt in ("jsonl", "csv"):
            small = self.measure(SMALL, fmt)
            big = self.measure(BIG, fmt)
            print("\nexport %s: peak RSS %d kB for %d rows, %d kB for %d "
                  "rows" % (fmt, small, SMALL, big, BIG), file=sys.stderr)
            # Constant memory: what grows with the rows would show as
            # megabytes here (the rows alone are ~100 bytes each).
            self.assertLess(big, small + 4096, fmt)


if __name__ == "__main__":
    unittest.main()
