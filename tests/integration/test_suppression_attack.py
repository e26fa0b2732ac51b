"""Small-count suppression attacked the way an analyst with a spreadsheet
would: every figure that `sampark report --format json` (each --by, for
the whole region and for each --district) and the report API (summary and
every crosstab pair, region-wide and per district) publish for the same
period is gathered; each is a sum of unknown counts, one per combination of
district, keyword, day, channel, language and matched/unmatched.  Then the
published numbers are solved together as linear equations: no number shown
as "<5" anywhere may follow from the others.  The attacker also knows
that a view lists only the groups that have queries: a district, keyword
or day missing from a view's rows is a 0 there.

The data is what made subtraction work before: a district whose own
report showed a figure that `--by district` had hidden as a complement,
and a district total that the crosstab's margins and the unsuppressed
region-wide views gave away."""
import datetime
import itertools
import json
import signal
import sqlite3
import unittest
import urllib.parse
from fractions import Fraction

from harness import Daemon
import analyticslib as al

# (text, how many women send it): each from her own phone.
SEED = [
    ("loan bhadohi", 9),
    ("training bhadohi", 3),
    ("training mirzapur", 3),
    ("market samastipur", 6),
    ("loan", 7),                   # no district: (unknown)
    ("sabun banana", 4),           # not understood
]
IST = datetime.timezone(datetime.timedelta(hours=5, minutes=30))
DIMS = ["keyword", "district", "day", "week", "channel", "language"]


def week_of(day):
    y, w, _ = datetime.date.fromisoformat(day).isocalendar()
    return "%04d-W%02d" % (y, w)


class Published:
    """Every number gathered: visible ones as equations, hidden ones as
    the sums an attacker wants."""

    def __init__(self):
        self.visible = []           # (frozenset of cells, value)
        self.hidden = []            # (frozenset of cells, where)

    def add(self, cells, value, where):
        cells = frozenset(cells)
        if isinstance(value, str):
            self.assert_hidden_mark(value, where)
            self.hidden.append((cells, where))
        elif value is not None:
            self.visible.append((cells, value))

    @staticmethod
    def assert_hidden_mark(value, where):
        assert value.startswith("<"), (value, where)


def determined(visible, target, universe):
    """Whether the sum over target follows from the visible sums: target's
    vector lies in the span of theirs (exact arithmetic)."""
    index = {c: i for i, c in enumerate(sorted(universe))}
    basis = {}                      # pivot -> row (dict col -> Fraction)

    def reduce(row):
        row = dict(row)
        changed = True
        while changed and row:
            changed = False
            for p in sorted(row):
                if p in basis:
                    f = row[p]
                    for k, v in basis[p].items():
                        row[k] = row.get(k, 0) - f * v
                        if row[k] == 0:
                            del row[k]
                    changed = True
                    break
        return row

    for cells, _ in visible:
        row = reduce({index[c]: Fraction(1) for c in cells})
        if row:
            p = min(row)
            f = row[p]
            basis[p] = {k: v / f for k, v in row.items()}
    return not reduce({index[c]: Fraction(1) for c in target})


class SuppressionAttack(unittest.TestCase):
    SEED = SEED
    DAYS = None             # all on the day the test runs

    @classmethod
    def setUpClass(cls):
        cls.d = Daemon(env=al.TOKENS).start()
        n = 300
        sent = []
        for text, count in cls.SEED:
            for _ in range(count):
                status, _ = cls.d.console(al.phone(n), text)
                assert status == 200, (text, status)
                sent.append(al.phone(n))
                n += 1
        if cls.DAYS:
            # Spread over the given days (noon in India), in turn.
            cls.d.signal(signal.SIGTERM)
            cls.d.wait()
            cls.d.log.close()
            db = sqlite3.connect(cls.d.db)
            for i, phone in enumerate(sent):
                day = datetime.datetime.fromisoformat(
                    cls.DAYS[i % len(cls.DAYS)] + "T12:00:00+05:30")
                db.execute("UPDATE interactions SET time_ms = ? WHERE "
                           "phone = ?", (int(day.timestamp() * 1000),
                                         phone))
            db.commit()
            db.close()
            cls.d.start()

    @classmethod
    def tearDownClass(cls):
        cls.d.stop()

    def cli_report(self, *args):
        r = self.d.cli("report", "--format", "json", *args)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        return json.loads(r.stdout)

    def api(self, path, **query):
        status, _, body = self.d.admin(
            "GET", path + "?" + urllib.parse.urlencode(query), al.ANALYST)
        self.assertEqual(status, 200, body)
        return json.loads(body)

    def test_no_hidden_count_can_be_worked_out(self):
        # The labels of every dimension, from the views that show them all.
        labels = {}
        for by in DIMS:
            rep = self.cli_report("--by", by)
            labels[by] = [g["key"] for g in rep["groups"]]
        districts = [x for x in labels["district"] if x != "(unknown)"]
        self.assertEqual(len(labels["day"]), len(self.DAYS or [0]),
                         "seeded across midnight")
        universe = set(itertools.product(
            labels["district"], labels["keyword"], labels["day"],
            labels["channel"], labels["language"], ("m", "u")))

        def cells(match=None, **where):
            """The unknowns a figure adds up: those with every attribute
            in where (week through its days), and match if given."""
            out = []
            for c in universe:
                attrs = {"district": c[0], "keyword": c[1], "day": c[2],
                         "week": week_of(c[2]), "channel": c[3],
                         "language": c[4]}
                if all(attrs[k] == v for k, v in where.items()) and \
                        (match is None or c[5] == match):
                    out.append(c)
            return out

        pub = Published()

        def absent(by, keys, where, name):
            """A label missing from a view's axis: none there (a view of
            one district lists no other district, of course)."""
            if by in where:
                return
            for k in labels[by]:
                if k not in keys:
                    pub.add(cells(**dict(where, **{by: k})), 0,
                            name + " (no " + k + ")")

        def add_report(rep, where, name):
            rows = [(g, dict(where, **{rep["by"]: g["key"]}))
                    for g in rep["groups"]] + [(rep["total"], where)]
            absent(rep["by"], [g["key"] for g in rep["groups"]], where,
                   name)
            for g, w in rows:
                for col, match in (("inbound", None), ("matched", "m"),
                                   ("unmatched", "u")):
                    pub.add(cells(match, **w), g[col],
                            "%s %s %s" % (name, g["key"], col))

        for by in DIMS:
            add_report(self.cli_report("--by", by), {}, "report --by " + by)
            add_report(self.api("/api/v1/reports/summary", by=by), {},
                       "summary by=" + by)
            for x in districts:
                add_report(self.cli_report("--by", by, "--district", x),
                           {"district": x},
                           "report --by %s --district %s" % (by, x))
        for rows, cols in itertools.permutations(DIMS, 2):
            for x in [None] + districts:
                q = {"rows": rows, "cols": cols}
                where = {}
                if x is not None:
                    q["district"] = x
                    where["district"] = x
                xt = self.api("/api/v1/reports/crosstab", **q)
                name = "crosstab %s x %s%s" % (rows, cols,
                                               " in " + x if x else "")
                absent(rows, xt["rows"], where, name)
                absent(cols, xt["cols"], where, name)
                for i, r in enumerate(xt["rows"]):
                    for j, c in enumerate(xt["cols"]):
                        pub.add(cells(**dict(where, **{rows: r, cols: c})),
                                xt["cells"][i][j], name)
                    pub.add(cells(**dict(where, **{rows: r})),
                            xt["row_totals"][i], name + " row total")
                for j, c in enumerate(xt["cols"]):
                    pub.add(cells(**dict(where, **{cols: c})),
                            xt["col_totals"][j], name + " col total")
                pub.add(cells(**where), xt["total"], name + " total")

        # The truth, to tell a small count from a complement.
        truth = {}
        for r in self.d.export():
            if r["direction"] != "in":
                continue
            day = datetime.datetime.fromisoformat(r["time"]).astimezone(
                IST).date().isoformat()
            c = (r["district"] or "(unknown)", r["keyword"] or "(unmatched)",
                 day, r["channel"], r["language"] or "(unknown)",
                 "m" if r["status"] == "matched" else "u")
            self.assertIn(c, universe)
            truth[c] = truth.get(c, 0) + 1

        small = [(t, w) for t, w in pub.hidden
                 if 0 < sum(truth.get(c, 0) for c in t) < 5]
        self.assertTrue(small, "nothing small was suppressed: no attack")
        leaks, seen = [], set()
        for target, where in small:
            if target in seen:
                continue
            seen.add(target)
            if determined(pub.visible, target, universe):
                leaks.append("%s = %d" % (where, sum(truth.get(c, 0)
                                                     for c in target)))
        self.assertEqual(leaks, [], "small counts that subtraction gives "
                         "away (%d of %d)" % (len(leaks), len(seen)))


class SuppressionAttackOverDays(SuppressionAttack):
    """The same attack on three days that straddle a week's end, with
    districts whose keywords change from day to day."""
    SEED = [
        ("loan bhadohi", 10),
        ("training bhadohi", 4),
        ("market bhadohi", 2),
        ("training mirzapur", 5),
        ("loan mirzapur", 1),
        ("market samastipur", 7),
        ("loan samastipur", 3),
        ("loan", 5),
        ("sabun banana", 3),
    ]
    DAYS = ["2026-11-29", "2026-11-30", "2026-12-01"]


if __name__ == "__main__":
    unittest.main()
