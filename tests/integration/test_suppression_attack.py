"""Small-count suppression attacked the way an analyst with a spreadsheet
would: every figure that `sampark report --format json` (each --by, for
the whole region and for each --district) and the report API (summary and
every crosstab pair, region-wide and per district) publish for the same
period is gathered, and with them the outcomes and unanswered tables and
the referrals (`--by stakeholder`, in JSON and CSV) of each; each is a sum
of unknown counts, one per combination of district, day, channel,
language and kind of message -- keyword, matched/unmatched, outcome,
category and the stakeholders its reply gave (the attacker knows how the
gateway answers: which of those go together is no secret).  Then the
published numbers are solved together as linear equations: no number
shown as "<5" anywhere may follow from the others.  The attacker also
knows that a view lists only the groups that have queries: a district,
keyword, day, week, category or stakeholder row missing from a view is a
0 there.

The data is what made subtraction work before: a district whose own
report showed a figure that `--by district` had hidden as a complement,
and a district total that the crosstab's margins and the unsuppressed
region-wide views gave away; and districts whose unanswered messages
(no stakeholder for the category there, not understood) and referrals are
shown by the outcomes and referrals sections next to the same district's
figures in every other view."""
import csv
import datetime
import io
import itertools
import json
import signal
import harness
import unittest
import urllib.parse

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
UNANSWERED = ("not_understood", "no_stakeholder", "limited")
# The outcomes table's rows, every one always listed.
OUTCOMES = ["answered", "no_stakeholder", "asked_district", "asked_category",
            "not_understood", "limited", "opted_out", "control", "rsvp",
            "notice", "error", "(unknown)"]


def week_of(day):
    y, w, _ = datetime.date.fromisoformat(day).isocalendar()
    return "%04d-W%02d" % (y, w)


class Published:
    """Every number gathered: visible ones as equations, hidden ones as
    the sums an attacker wants."""

    def __init__(self):
        self.visible = []           # (frozenset of cells, value)
        self.public = []            # those of views without a district
        self.hidden = []            # (frozenset of cells, where)
        self.rounded = 0

    def add(self, cells, value, where, public=False):
        cells = frozenset(cells)
        if isinstance(value, str) and value.startswith("~"):
            # Rounded: a range, not an equation (the threshold and the
            # rounding are what keep such bounds wide).
            assert int(value[1:]) % 5 == 0 and int(value[1:]) >= 5, \
                (value, where)
            self.rounded += 1
        elif isinstance(value, str):
            self.assert_hidden_mark(value, where)
            self.hidden.append((cells, where))
        elif value is not None:
            self.visible.append((cells, value))
            if public:
                self.public.append((cells, value))

    @staticmethod
    def assert_hidden_mark(value, where):
        assert value.startswith("<"), (value, where)


PRIME = (1 << 61) - 1


class Solver:
    """Whether a sum of unknowns follows from the visible sums: its vector
    lies in the span of theirs.  Unknowns that every visible sum takes
    alike are one unknown (a target that splits them follows from
    nothing); the rest is elimination modulo a 61-bit prime, which gives
    the rank over the rationals for 0/1 rows but with vanishing chance."""

    def __init__(self, visible):
        eqs = list({cells for cells, _ in visible if cells})
        sig = {}
        for i, cells in enumerate(eqs):
            for c in cells:
                sig.setdefault(c, []).append(i)
        self.cls = {}
        self.size = {}
        ids = {}
        for c, v in sig.items():
            k = ids.setdefault(tuple(v), len(ids))
            self.cls[c] = k
            self.size[k] = self.size.get(k, 0) + 1
        self.basis = {}             # pivot -> row (dict col -> int)
        for cells in eqs:
            row = self.reduce({self.cls[c]: 1 for c in cells})
            if row:
                p = min(row)
                inv = pow(row[p], PRIME - 2, PRIME)
                self.basis[p] = {k: v * inv % PRIME for k, v in row.items()}

    def reduce(self, row):
        row = dict(row)
        while row:
            for p in sorted(row):
                if p in self.basis:
                    break
            else:
                return row
            f = row[p]
            for k, v in self.basis[p].items():
                x = (row.get(k, 0) - f * v) % PRIME
                if x:
                    row[k] = x
                else:
                    row.pop(k, None)
        return row

    def determined(self, target):
        if any(c not in self.cls for c in target):
            return False            # in no visible sum at all
        counts = {}
        for c in target:
            counts[self.cls[c]] = counts.get(self.cls[c], 0) + 1
        if any(n != self.size[k] for k, n in counts.items()):
            return False
        return not self.reduce({k: 1 for k in counts})


class SuppressionAttack(unittest.TestCase):
    SEED = SEED
    DAYS = None             # all on the day the test runs
    RETIRE = []             # directory ids retired before the messages
    NEED_NO_STAKEHOLDER = False

    @classmethod
    def setUpClass(cls):
        cls.d = Daemon(env=al.TOKENS).start()
        for sid in cls.RETIRE:
            r = cls.d.cli("directory", "retire", str(sid))
            assert r.returncode == 0, r.stderr
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
            db = harness.db_connect(cls.d.db)
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

    def cli_csv(self, *args):
        r = self.d.cli("report", "--format", "csv", *args)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        return list(csv.DictReader(io.StringIO(
            r.stdout.decode("utf-8-sig"))))

    def directory(self):
        """Who serves which district and category: {id: (district,
        category)}, district "*" for every one.  Public: any coordinator
        can list it, and every reply names it."""
        r = self.d.cli("directory")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = {}
        for line in r.stdout.decode().splitlines():
            f = line.split()
            if len(f) > 3 and f[0].isdigit():
                out[int(f[0])] = (f[1], f[2])
        self.assertTrue(out)
        return out

    def truth(self):
        """Each inbound message as the unknown it counts in: district,
        day, channel, language, and its kind (keyword, matched, outcome,
        category); with the ids of the stakeholders its reply gave."""
        out, given = {}, {}
        for r in self.d.export():
            if r["direction"] != "in":
                continue
            day = datetime.datetime.fromisoformat(r["time"]).astimezone(
                IST).date().isoformat()
            ids = sorted(int(x.split(":", 1)[0])
                         for x in (r.get("stakeholders") or "").split("|")
                         if ":" in x)
            c = (r["district"] or "(unknown)", day, r["channel"],
                 r["language"] or "(unknown)",
                 (r["keyword"] or "(unmatched)",
                  "m" if r["status"] == "matched" else "u",
                  r.get("outcome") or "(unknown)",
                  r.get("category") or "(none)"))
            out[c] = out.get(c, 0) + 1
            given[c] = tuple(ids)
        return out, given

    def test_no_hidden_count_can_be_worked_out(self):
        # The labels of every dimension, from the views that show them all.
        labels = {}
        for by in DIMS:
            rep = self.cli_report("--by", by)
            labels[by] = [g["key"] for g in rep["groups"]]
        districts = [x for x in labels["district"] if x != "(unknown)"]
        self.assertEqual(len(labels["day"]), len(self.DAYS or [0]),
                         "seeded across midnight")
        truth, given = self.truth()
        # Whom an answer names follows from the directory: those of its
        # category in its district and those for every district.
        directory = self.directory()
        labels["stakeholder"] = sorted(directory)

        def serves(district, category):
            return tuple(sorted(i for i, (x, c) in directory.items()
                                if c == category and x in (district, "*")))

        def possible(district, kind):
            """A question of a category is answered where somebody
            serves it, and finds no stakeholder where nobody does."""
            if kind[3] == "(none)":
                return True
            if kind[2] == "answered":
                return bool(serves(district, kind[3]))
            if kind[2] == "no_stakeholder":
                return not serves(district, kind[3])
            return True

        # The kinds of message there are: how the gateway answers is no
        # secret (a keyword's category, which outcomes it can have).
        kinds = sorted({c[4] for c in truth})
        universe = set(c for c in itertools.product(
            labels["district"], labels["day"], labels["channel"],
            labels["language"], kinds) if possible(c[0], c[4]))
        for c in truth:
            self.assertIn(c, universe)
        labels["category"] = sorted({k[3] for k in kinds})
        self.assertTrue(any(k[2] == "no_stakeholder" for k in kinds) or
                        not self.NEED_NO_STAKEHOLDER, kinds)

        attrs = {}
        for c in universe:
            k = c[4]
            attrs[c] = {"district": c[0], "day": c[1], "week": week_of(c[1]),
                        "channel": c[2], "language": c[3],
                        "keyword": k[0], "match": k[1], "outcome": k[2],
                        "category": k[3], "unanswered": k[2] in UNANSWERED,
                        "stakeholder": serves(c[0], k[3])
                        if k[2] == "answered" else ()}
        for c, ids in given.items():
            self.assertEqual(attrs[c]["stakeholder"], ids, c)

        def cells(match=None, **where):
            """The unknowns a figure adds up: those with every attribute
            in where (week through its days; stakeholder: among those the
            reply gave), and match if given."""
            out = []
            for c, a in attrs.items():
                if match is not None and a["match"] != match:
                    continue
                if all(v in a[k] if k == "stakeholder" else a[k] == v
                       for k, v in where.items()):
                    out.append(c)
            return out

        pub = Published()

        def absent(by, keys, where, name, public=False, **also):
            """A label missing from a view's axis: none there (a view of
            one district lists no other district, of course)."""
            if by in where:
                return
            for k in labels[by]:
                if k not in keys:
                    pub.add(cells(**dict(where, **{by: k}, **also)), 0,
                            name + " (no " + str(k) + ")", public)

        def add_report(rep, where, name):
            rows = [(g, dict(where, **{rep["by"]: g["key"]}))
                    for g in rep["groups"]] + [(rep["total"], where)]
            public = not where and rep["by"] != "district"
            absent(rep["by"], [g["key"] for g in rep["groups"]], where,
                   name, public=public)
            for g, w in rows:
                for col, match in (("inbound", None), ("matched", "m"),
                                   ("unmatched", "u")):
                    pub.add(cells(match, **w), g[col],
                            "%s %s %s" % (name, g["key"], col), public)
            add_sections(rep, where, name)

        def add_sections(rep, where, name):
            """The outcomes, the unanswered and the referrals of a JSON
            report: the same in every --by, so each is added once."""
            key = json.dumps([rep["outcomes"], rep["unanswered"],
                              rep["referrals"], sorted(where.items())],
                             sort_keys=True)
            if key in seen_sections:
                return
            seen_sections.add(key)
            for o in OUTCOMES:
                pub.add(cells(**dict(where, outcome=o)), rep["outcomes"][o],
                        "%s outcome %s" % (name, o))
            un = rep["unanswered"]
            pub.add(cells(**dict(where, unanswered=True)), un["total"],
                    name + " unanswered total")
            for by in ("district", "category", "week"):
                rows = un["by_" + by]
                absent(by, [g["key"] for g in rows], where,
                       name + " unanswered by " + by, unanswered=True)
                for g in rows:
                    pub.add(cells(**dict(where, unanswered=True,
                                         **{by: g["key"]})),
                            g["messages"], "%s unanswered by %s %s" % (
                                name, by, g["key"]))
            ref = rep["referrals"]
            add_referrals([(s["id"], s["referrals"])
                           for s in ref["stakeholders"]],
                          [(g["id"], g["week"], g["district"],
                            g["category"], g["referrals"])
                           for g in ref["rows"]], where, name)

        def add_referrals(per, rows, where, name):
            """per: the totals per stakeholder (None: the view has none,
            as the CSV); rows: by stakeholder, week, district and
            category."""
            listed = {i for i, _ in per or []}
            for i in labels["stakeholder"] if per is not None else []:
                if i not in listed:
                    pub.add(cells(**dict(where, stakeholder=i)), 0,
                            "%s referrals (no %d)" % (name, i))
            for i, n in per or []:
                pub.add(cells(**dict(where, stakeholder=i)), n,
                        "%s referrals of %d" % (name, i))
            listed = {r[:4] for r in rows}
            for i, wk, x, cat in itertools.product(
                    labels["stakeholder"], labels["week"],
                    [where["district"]] if "district" in where
                    else labels["district"], labels["category"]):
                if (i, wk, x, cat) not in listed:
                    pub.add(cells(stakeholder=i, week=wk, district=x,
                                  category=cat), 0,
                            "%s referrals (no %d %s %s %s)" % (
                                name, i, wk, x, cat))
            for i, wk, x, cat, n in rows:
                pub.add(cells(stakeholder=i, week=wk, district=x,
                              category=cat), n,
                        "%s referrals of %d %s %s %s" % (name, i, wk, x,
                                                         cat))

        def count(v):
            return v if v[:1] in "<~" else int(v)

        def add_csv(where, name, *args):
            """The CSV renderings of the outcomes and of `--by
            stakeholder`: the same figures as the JSON, so the same
            plan."""
            rows = self.cli_csv("--section", "outcomes", *args)
            for r in rows:
                t, k, v = r["table"], r["key"], count(r["messages"])
                if t == "outcome":
                    pub.add(cells(**dict(where, outcome=k)), v,
                            "%s csv outcome %s" % (name, k))
                elif t == "unanswered":
                    pub.add(cells(**dict(where, unanswered=True)), v,
                            name + " csv unanswered")
                elif t.startswith("unanswered_by_"):
                    by = t[len("unanswered_by_"):]
                    pub.add(cells(**dict(where, unanswered=True, **{by: k})),
                            v, "%s csv %s %s" % (name, t, k))
            rows = self.cli_csv("--by", "stakeholder", *args)
            add_referrals(None, [(int(r["stakeholder_id"]), r["week"],
                                r["district"], r["category"],
                                count(r["referrals"])) for r in rows],
                          where, name + " csv")

        seen_sections = set()
        for by in DIMS:
            add_report(self.cli_report("--by", by), {}, "report --by " + by)
            add_report(self.api("/api/v1/reports/summary", by=by), {},
                       "summary by=" + by)
            for x in districts:
                add_report(self.cli_report("--by", by, "--district", x),
                           {"district": x},
                           "report --by %s --district %s" % (by, x))
                add_report(self.api("/api/v1/reports/summary", by=by,
                                    district=x), {"district": x},
                           "summary by=%s district=%s" % (by, x))
        add_sections(self.cli_report("--by", "stakeholder"), {},
                     "report --by stakeholder")
        add_csv({}, "report")
        for x in districts:
            add_sections(self.cli_report("--by", "stakeholder", "--district",
                                         x), {"district": x},
                         "report --by stakeholder --district " + x)
            add_csv({"district": x}, "report --district " + x, "--district",
                    x)
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
                public = x is None and "district" not in (rows, cols)
                absent(rows, xt["rows"], where, name, public)
                absent(cols, xt["cols"], where, name, public)
                for i, r in enumerate(xt["rows"]):
                    for j, c in enumerate(xt["cols"]):
                        pub.add(cells(**dict(where, **{rows: r, cols: c})),
                                xt["cells"][i][j], name, public)
                    pub.add(cells(**dict(where, **{rows: r})),
                            xt["row_totals"][i], name + " row total",
                            public)
                for j, c in enumerate(xt["cols"]):
                    pub.add(cells(**dict(where, **{cols: c})),
                            xt["col_totals"][j], name + " col total",
                            public)
                pub.add(cells(**where), xt["total"], name + " total",
                        public)

        # The truth tells a small count from a complement.
        small = [(t, w) for t, w in pub.hidden
                 if 0 < sum(truth.get(c, 0) for c in t) < 5]
        self.assertTrue(small, "nothing small was suppressed: no attack")
        self.assertTrue([w for _, w in small if "referrals" in w or
                         "unanswered" in w or "outcome" in w],
                        "no small outcome or referral count: no attack")
        # A figure that the views without a district publish is public:
        # hiding it elsewhere protects nothing, and working it out is no
        # leak (the whole region's not understood, from `--by keyword`).
        solver, public = Solver(pub.visible), Solver(pub.public)
        leaks, seen = [], set()
        for target, where in small:
            if target in seen:
                continue
            seen.add(target)
            if solver.determined(target) and not public.determined(target):
                leaks.append("%s = %d" % (where, sum(truth.get(c, 0)
                                                     for c in target)))
        self.maxDiff = None
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


class SuppressionAttackUnanswered(SuppressionAttack):
    """Messages that went unanswered next to the district figures: the
    region-wide help desks for loans and training retired, so that
    training in Muzaffarpur (which has no such office) and loans in a
    district the line does not serve find no stakeholder; texts nobody
    understood; districts asked for their category; small districts whose
    replies named their few stakeholders."""
    SEED = [
        ("loan bhadohi", 9),
        ("Training Bhadohi", 3),
        ("training mirzapur", 3),
        ("market samastipur", 6),
        ("muzaffarpur me training chahiye", 6),
        ("loan muzaffarpur", 2),
        ("loan", 5),
        ("sabun banana", 6),
        ("loan gorakhpur", 2),
        ("mirzapur", 2),
        ("bhadohi kuch nahi", 1),
    ]
    RETIRE = [38, 39]           # Mudra help desk, Skill India helpline
    NEED_NO_STAKEHOLDER = True


if __name__ == "__main__":
    unittest.main()
