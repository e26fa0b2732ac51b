"""Run every integration test (tests/integration/test_*.py) against the
binary named by $SAMPARK_BIN and print one closing line "N passed, N failed".
Results are appended to build/test-results.txt for `make test`'s summary."""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)


def plan_scans(path):
    """The distinct full scans of growing tables that the daemons and
    commands of the run prepared (SAMPARK_PLAN_LOG, see store.h)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return sorted(set(line.rstrip("\n") for line in f if line.strip()))
    except FileNotFoundError:
        return []


def main():
    label = "integration:" + os.environ.get("SAMPARK_BIN", "build/sampark")
    if os.environ.get("SAMPARK_TEST_PG"):
        label += ":postgresql"
    os.makedirs(os.path.join(ROOT, "build"), exist_ok=True)
    plan_log = os.path.join(ROOT, "build", "plan-scans-%d.txt" % os.getpid())
    os.environ["SAMPARK_PLAN_LOG"] = plan_log
    if os.path.exists(plan_log):
        os.unlink(plan_log)
    suite = unittest.defaultTestLoader.discover(HERE, pattern="test_*.py",
                                                top_level_dir=HERE)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed - len(result.skipped)
    # Every statement a process of the run prepared, checked once more:
    # a per-message statement that scans a growing table fails the run.
    scans = plan_scans(plan_log)
    if scans:
        print("FAIL: query plans: full scans of tables that grow with use "
              "(mark a bulk statement 'batch:' or 'report:', see store.h):")
        for line in scans:
            print("  " + line)
        failed += 1
    else:
        passed += 1
        print("query plans: no statement scans a growing table")
    if os.path.exists(plan_log):
        os.unlink(plan_log)
    with open(os.path.join(ROOT, "build", "test-results.txt"), "a") as f:
        f.write("%s %d %d\n" % (label, passed, failed))
    print("%d passed, %d failed, %d skipped" % (passed, failed,
                                                len(result.skipped)))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
