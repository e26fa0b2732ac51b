"""What the console tests share: a daemon that sends through the mock
provider (Twilio's API) with no quiet hours and no daily cap, so that the
tests pass at any hour; JSON calls to its admin API; and waits on the
mock.  Every wait is bounded."""
import datetime
import json
import os
import time

from outboundlib import broadcast_daemon, wait_until

COORD = "coordinator-token-0123456789ab"
ADMIN = "admin-token-0123456789abcdef"
IST = datetime.timezone(datetime.timedelta(hours=5, minutes=30))


def start_daemon(mock):
    """A started daemon whose broadcasts go to mock."""
    d = broadcast_daemon(mock, env={"SAMPARK_COORDINATOR_TOKEN": COORD,
                                    "SAMPARK_ADMIN_TOKEN": ADMIN})
    d.start()
    return d


def api(d, method, path, body=None, token=COORD, headers=None):
    """(status, JSON answer) of one admin API call with a bearer token."""
    h = {"Content-Type": "application/json"}
    h.update(headers or {})
    status, _, data = d.admin(method, path, token,
                              body=None if body is None else
                              json.dumps(body).encode("utf-8"), headers=h,
                              timeout=30)
    return status, json.loads(data.decode("utf-8"))


def in_days(days, hour=11):
    """An IST time `days` from now at hour:00, ISO 8601 with offset."""
    t = datetime.datetime.now(IST) + datetime.timedelta(days=days)
    return t.replace(hour=hour, minute=0, second=0, microsecond=0) \
        .strftime("%Y-%m-%dT%H:%M:%S+05:30")


def texts_to(mock, number):
    return [r.field("Body") for r in mock.requests
            if number in r.destinations()]


def wait_texts(mock, number, n, timeout=15):
    wait_until(lambda: len(texts_to(mock, number)) >= n, timeout,
               "%d messages to %s" % (n, number))
    return texts_to(mock, number)
