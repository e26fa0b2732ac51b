"""Run every integration test (tests/integration/test_*.py) against the
binary named by $SAMPARK_BIN and print one closing line "N passed, N failed".
Results are appended to build/test-results.txt for `make test`'s summary."""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)


def main():
    suite = unittest.defaultTestLoader.discover(HERE, pattern="test_*.py",
                                                top_level_dir=HERE)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed - len(result.skipped)
    label = "integration:" + os.environ.get("SAMPARK_BIN", "build/sampark")
    os.makedirs(os.path.join(ROOT, "build"), exist_ok=True)
    with open(os.path.join(ROOT, "build", "test-results.txt"), "a") as f:
        f.write("%s %d %d\n" % (label, passed, failed))
    print("%d passed, %d failed, %d skipped" % (passed, failed,
                                                len(result.skipped)))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
