"""Connection limits: the systemd unit raises the descriptor limit, and the
daemon raises its soft limit to the hard one and logs the cap at start.

Under systemd's default (soft 1024) the daemon held some 480 connections
and a crowd of slow clients delayed every provider by seconds.
"""
import os
import re
import resource
import unittest

from harness import ROOT, Daemon

UNIT = os.path.join(ROOT, "dist", "sampark.service.in")


def unit_sections(path):
    """{section: [(key, value)]} of a systemd unit file."""
    sections, current = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line[0] in "#;":
                continue
            m = re.fullmatch(r"\[(.+)\]", line)
            if m:
                current = sections.setdefault(m.group(1), [])
                continue
            key, sep, value = line.partition("=")
            assert sep and current is not None, line
            current.append((key.strip(), value.strip()))
    return sections


def fd_limit_line(d):
    m = re.search(rb"level=(\w+) event=fd_limit soft=(\d+) hard=(\d+) "
                  rb"max_connections=(\d+)", d.read_log())
    assert m is not None, d.read_log().decode()
    return (m.group(1).decode(), int(m.group(2)), int(m.group(3)),
            int(m.group(4)))


class UnitFile(unittest.TestCase):
    def test_service_sets_limit_nofile(self):
        service = unit_sections(UNIT)["Service"]
        values = [v for k, v in service if k == "LimitNOFILE"]
        self.assertEqual(len(values), 1, service)
        # One number (soft = hard), far above systemd's default 1024.
        self.assertRegex(values[0], r"^\d+$")
        self.assertGreaterEqual(int(values[0]), 65536)


class StartLog(unittest.TestCase):
    def start(self, soft, hard):
        d = Daemon(import_directory=False)
        self.addCleanup(d.stop)
        d.start(preexec_fn=lambda: resource.setrlimit(
            resource.RLIMIT_NOFILE, (soft, hard)))
        return d

    def test_systemd_default_is_raised_and_logged(self):
        # systemd's default: soft 1024 under a hard 524288; here whatever
        # hard limit this test may give.
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        if hard == resource.RLIM_INFINITY or hard > 1 << 20:
            hard = 1 << 20
        if hard < 2048:
            self.skipTest("hard descriptor limit %d is too low to show "
                          "the raise" % hard)
        d = self.start(1024, hard)
        level, soft, logged_hard, conns = fd_limit_line(d)
        self.assertEqual((soft, logged_hard), (hard, hard))
        self.assertEqual(conns, (hard - 64) // 2)
        self.assertEqual(level, "info" if hard >= 4096 else "warn")
        self.assertEqual(d.console("+919812300001", "help")[0], 200)

    def test_low_hard_limit_is_a_warning_with_the_cap(self):
        d = self.start(256, 1024)
        level, soft, hard, conns = fd_limit_line(d)
        self.assertEqual((level, soft, hard, conns), ("warn", 1024, 1024,
                                                      480))
        self.assertIn(b"LimitNOFILE", d.read_log())


if __name__ == "__main__":
    unittest.main()
