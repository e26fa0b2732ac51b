"""An admin job that outlives request_timeout does not take the daemon down.

POST /api/v1/broadcasts queues the whole audience off the event loop and
answers when that is done.  A coordinator creating a broadcast to a big
district can wait longer than request_timeout, and her curl may give up
and reset the connection meanwhile.  The daemon used to cut such a
request off at request_timeout and, when the job ended, answer on the
freed request and abort.  Now the timeout bounds only the client's
sending and reading: a client that waits gets its 201, one that went
away gets nothing, and either way the daemon stays up and the broadcast
is created whole, since the coordinator will look for it.

request_timeout is 1 s here and the audience large enough (150,000
women, as a state-wide scheme deadline would reach; 40,000 on
PostgreSQL, see N) that creating it takes longer: seconds, more under
ASan.  The contacts are written straight into the table, a fixture
only.
"""
import json
import re
import socket
import struct
import time
import unittest

from harness import PG_BASE
from mockprovider import MockProvider
from outboundlib import broadcast_daemon, db_query, seed_contacts

# On PostgreSQL each recipient is still its own round trip to the server
# (statements are not pipelined yet, docs/scaling.md): there 40,000
# already take several seconds, well past request_timeout, and 150,000
# would take most of the test's budget on a slow machine.
N = 40000 if PG_BASE is not None else 150000
BUDGET_S = 55
COORD_TOKEN = "coordinator-token-0123456789ab"
DISTRICT = "varanasi"


def women(n):
    return (("+9196%08d" % i, "Sunita %d" % i if i % 3 else
             "सुनीता देवी %d" % i, "hi" if i % 2 else "en", DISTRICT)
            for i in range(n))


# Tomorrow at noon IST, so that nothing is sent while the test looks.
def later():
    t = time.gmtime(time.time() + 5.5 * 3600 + 86400)
    return "%04d-%02d-%02dT12:00:00+05:30" % (t.tm_year, t.tm_mon,
                                              t.tm_mday)


def complete(answer):
    """Is answer a whole HTTP response (headers and Content-Length)?"""
    if b"\r\n\r\n" not in answer:
        return False
    head, body = answer.split(b"\r\n\r\n", 1)
    m = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
    return m is not None and len(body) >= int(m.group(1))


class SlowJobTimeout(unittest.TestCase):
    def setUp(self):
        self.t0 = time.monotonic()
        self.mock = MockProvider().start()
        self.mock._server.handle_error = lambda request, address: None
        self.d = broadcast_daemon(
            self.mock, settings={"rate": "0"},
            globals_={"request_timeout": "1"},
            env={"SAMPARK_COORDINATOR_TOKEN": COORD_TOKEN})
        seed_contacts(self.d.db, women(N))
        self.d.start()
        self.sock = None

    def tearDown(self):
        if self.sock is not None:
            self.sock.close()
        self.d.stop()
        self.mock.stop()

    def written(self):
        return db_query(self.d, "SELECT count(*) FROM outbox"
                                " WHERE broadcast_id IS NOT NULL")[0][0]

    def post_create(self):
        """Send the create request on a raw socket (kept in self.sock)
        and return once its job has started."""
        body = json.dumps({"to": "district:" + DISTRICT,
                           "template": "scheme_deadline",
                           "vars": {"scheme": "PMEGP", "date": "31 Dec",
                                    "place": "DIC Varanasi"},
                           "at": later()}).encode()
        head = ("POST /api/v1/broadcasts HTTP/1.1\r\n"
                "Host: 127.0.0.1:%d\r\n"
                "Authorization: Bearer %s\r\n"
                "Content-Type: application/json\r\n"
                "Content-Length: %d\r\n\r\n"
                % (self.d.admin_port, COORD_TOKEN, len(body))).encode()
        self.sock = socket.create_connection(("127.0.0.1",
                                              self.d.admin_port), timeout=5)
        # One write, as curl does: the request arrives with the connection.
        self.sock.sendall(head + body)
        deadline = time.monotonic() + 20
        while b"answer=after_job" not in self.d.read_log():
            self.assertLess(time.monotonic(), deadline,
                            "the creation did not start")
            self.assertIsNone(self.d.proc.poll(), "the daemon exited")
            time.sleep(0.01)

    def wait_created(self):
        """Wait for the job to end; the daemon must live through it."""
        deadline = time.monotonic() + 40
        while True:
            self.assertIsNone(self.d.proc.poll(), "the daemon died:\n" +
                              self.d.read_log().decode("utf-8", "replace")
                              [-4000:])
            rows = db_query(self.d, "SELECT id FROM broadcasts"
                                    " WHERE state != 'creating'")
            if rows and b"event=http_client_gone" in self.d.read_log():
                break
            self.assertLess(time.monotonic(), deadline,
                            "the creation did not end")
            time.sleep(0.05)
        self.assertIsNone(self.d.proc.poll(), "the daemon died:\n" +
                          self.d.read_log().decode("utf-8", "replace")
                          [-4000:])
        return rows[0][0]

    def check_created_and_alive(self, bid):
        # The next request is answered, and the broadcast is all there.
        status, _, data = self.d.admin("GET", "/api/v1/broadcasts/%d" % bid,
                                       token=COORD_TOKEN)
        self.assertEqual(status, 200, data)
        b = json.loads(data)
        self.assertEqual(b["recipients"], N, b)
        self.assertNotEqual(b["state"], "creating", b)
        self.assertNotEqual(b["state"], "cancelled", b)
        self.assertEqual(self.written(), N)
        self.assertLess(time.monotonic() - self.t0, BUDGET_S)

    def test_job_outlasts_request_timeout(self):
        """The client waits: the job's time is not hers to be cut off
        for, and she gets her 201 once the audience is queued."""
        start = time.monotonic()
        self.post_create()
        self.sock.settimeout(40)
        answer = b""
        while not complete(answer):
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            answer += chunk
        took = time.monotonic() - start
        self.assertIsNone(self.d.proc.poll(), "the daemon died:\n" +
                          self.d.read_log().decode("utf-8", "replace")
                          [-4000:])
        self.assertTrue(answer.startswith(b"HTTP/1.1 201 "),
                        "no 201 after %.1f s: %r" % (took, answer[:300]))
        # Else request_timeout never came into play: nothing tested.
        self.assertGreater(took, 1.5, "the creation was faster than "
                           "request_timeout; make N larger")
        bid = json.loads(answer.split(b"\r\n\r\n", 1)[1])["id"]
        self.sock.close()
        self.sock = None
        self.check_created_and_alive(bid)

    def test_client_closes_mid_job(self):
        """curl aborted (Ctrl-C): the socket is reset while the job runs."""
        self.post_create()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                             struct.pack("ii", 1, 0))
        self.sock.close()
        self.sock = None
        bid = self.wait_created()
        self.check_created_and_alive(bid)


if __name__ == "__main__":
    unittest.main()
