"""The alert rules of docs/operations.md, checked with Prometheus's own
promtool: the block loads (`promtool check rules`), and run over figures
scraped from a live daemon after forced failures (`promtool test rules`)
it fires exactly the alerts an operator must see, with their labels."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from mockprovider import MockProvider
from outboundlib import ENGLISH, provider_daemon, send, wait_state

HERE = os.path.dirname(os.path.abspath(__file__))
DOC = os.path.join(HERE, "..", "..", "docs", "operations.md")
ADMIN = "alert-rules-test-admin-token"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
SAMPLE = re.compile(r'^(\w+)(\{[^}]*\})? (\S+)$')


def rules_block():
    """The YAML block of the doc that holds the alert rules."""
    with open(DOC, encoding="utf-8") as f:
        text = f.read()
    for block in re.findall(r"```yaml\n(.*?)```", text, re.S):
        if block.lstrip().startswith("groups:"):
            return block
    raise AssertionError("no alert rules block in docs/operations.md")


def scrape(d):
    status, _, body = d.admin("GET", "/metrics", ADMIN)
    assert status == 200, body
    out = {}
    for line in body.decode().splitlines():
        m = SAMPLE.match(line)
        if m:
            out[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    return out


def series(samples, *families):
    """promtool input series: 0 before the failures, then the scraped
    value held for half an hour (one sample a minute)."""
    lines = []
    for name, value in sorted(samples.items()):
        if name.split("{")[0] in families:
            lines.append("      - series: '%s'\n        values: '0 %gx40'"
                         % (name, value))
    return "\n".join(lines)


@unittest.skipIf(shutil.which("promtool") is None,
                 "promtool (Debian package prometheus) not installed")
class AlertRules(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sampark-alerts-")
        self.mock = MockProvider().start()
        self.d = None

    def tearDown(self):
        if self.d is not None:
            self.d.stop()
        self.mock.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def promtool(self, *args):
        return subprocess.run(["promtool"] + list(args), cwd=self.tmp,
                              capture_output=True, timeout=60)

    def test_rules_load_and_fire_on_a_live_scrape(self):
        with open(os.path.join(self.tmp, "rules.yml"), "w") as f:
            f.write(rules_block())
        r = self.promtool("check", "rules", "rules.yml")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

        # Exotel without its api_key: every send fails before a request;
        # webhooks without its URL token are refused.
        self.d = provider_daemon("exotel", self.mock,
                                 settings={"api_key": ""},
                                 env={"SAMPARK_ADMIN_TOKEN": ADMIN}).start()
        for _ in range(3):
            wait_state(self.d, send(self.d, ENGLISH, provider="exotel"),
                       "failed", timeout=10)
        for i in range(8):
            status, _, _ = self.d.request(
                "POST", "/sms/exotel", "From=09876500001&Body=x&SmsSid=f%d" % i,
                FORM)
            self.assertEqual(status, 403)
        samples = scrape(self.d)
        self.assertIn('sampark_send_errors_total{provider="exotel",'
                      'reason="config",outcome="failed"}', samples)

        with open(os.path.join(self.tmp, "test.yml"), "w") as f:
            f.write(TEST_TEMPLATE % {
                "series": series(samples, "sampark_send_errors_total",
                                 "sampark_webhook_requests_total",
                                 "sampark_outbox_messages")})
        r = self.promtool("test", "rules", "test.yml")
        self.assertEqual(r.returncode, 0,
                         (r.stdout + r.stderr).decode("utf-8", "replace"))
        self.assertIn(b"SUCCESS", r.stdout + r.stderr)


# At 10 minutes the live failures have lasted past every rule's "for";
# the queued count scraped is small, so the backlog alert stays silent;
# SamparkDown is fed a target that stops answering at 3 minutes.
TEST_TEMPLATE = """rule_files:
  - rules.yml
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
%(series)s
      - series: 'up{job="sampark",instance="127.0.0.1:8081"}'
        values: '1 1 1 0x40'
    alert_rule_test:
      - eval_time: 10m
        alertname: SamparkSendErrors
        exp_alerts:
          - exp_labels:
              severity: warning
              provider: exotel
              reason: config
            exp_annotations:
              summary: "exotel: sends failing (config)"
              description: "See `sampark outbox --state failed` for the provider's error."
      - eval_time: 10m
        alertname: SamparkWebhooksForbidden
        exp_alerts:
          - exp_labels:
              severity: warning
              provider: exotel
            exp_annotations:
              summary: "exotel: webhooks answered 403"
      - eval_time: 35m
        alertname: SamparkOutboxBacklog
        exp_alerts: []
      - eval_time: 10m
        alertname: SamparkDown
        exp_alerts:
          - exp_labels:
              severity: critical
              job: sampark
              instance: "127.0.0.1:8081"
            exp_annotations:
              summary: "Sampark's admin listener does not answer scrapes"
"""
