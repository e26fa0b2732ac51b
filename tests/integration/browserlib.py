"""Headless Chromium driven by Selenium (Debian's python3-selenium and
chromium-driver), with no route off the machine: every host name but
127.0.0.1 resolves to nothing, every other connection goes to a proxy
on a loopback port where nothing listens, and the browser's net log is
kept so that a test can prove that no connection left loopback.

    why = browserlib.missing()      # None, or why the tests must skip
    b = browserlib.Browser(out_dir)
    try: b.driver.get(url) ... finally: b.quit()
    b.remote_connections()          # after quit(): [] when all stayed local
"""
import glob
import ipaddress
import json
import os
import re
import shutil
import sys
import tempfile

# Debian installs python3-selenium for its own python3; a python3 of the
# same minor version elsewhere on PATH (pyenv) can use it too.
try:
    import selenium  # noqa: F401
except ImportError:
    for p in glob.glob("/usr/lib/python3/dist-packages"):
        if p not in sys.path:
            sys.path.append(p)
try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait
    from selenium.common.exceptions import (NoSuchElementException,
                                            StaleElementReferenceException)
    HAVE_SELENIUM = True
except ImportError:
    HAVE_SELENIUM = False

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
DRIVERS = ("chromedriver", "/usr/lib/chromium/chromedriver")


def chromium_path():
    for name in CHROMIUM:
        p = shutil.which(name)
        if p:
            return p
    return None


def driver_path():
    for name in DRIVERS:
        p = shutil.which(name) or (name if os.access(name, os.X_OK) else None)
        if p:
            return p
    return None


def missing():
    """Why browser tests cannot run here, or None."""
    if not HAVE_SELENIUM:
        return "python3-selenium is not installed (make deps installs it)"
    if not chromium_path():
        return "chromium is not installed (make deps installs it)"
    if not driver_path():
        return "chromedriver is not installed (chromium-driver; make deps)"
    return None


class Browser:
    def __init__(self, width=1280, height=900, timeout=20):
        self.dir = tempfile.mkdtemp(prefix="sampark-browser-")
        self.netlog = os.path.join(self.dir, "netlog.json")
        o = webdriver.ChromeOptions()
        o.binary_location = chromium_path()
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
                  "--disable-dev-shm-usage", "--no-first-run",
                  "--disable-background-networking",
                  "--disable-component-update", "--disable-sync",
                  "--disable-default-apps", "--disable-extensions",
                  "--disable-features=Translate,OptimizationHints,"
                  "MediaRouter,AutofillServerCommunication",
                  "--hide-scrollbars", "--lang=en-US",
                  "--user-data-dir=" + os.path.join(self.dir, "profile"),
                  # No route off the machine: names resolve to nothing
                  # but 127.0.0.1, and whatever is not loopback goes to a
                  # proxy port where nothing listens.
                  "--host-resolver-rules=MAP * ~NOTFOUND, "
                  "EXCLUDE 127.0.0.1",
                  "--proxy-server=http://127.0.0.1:9",
                  "--log-net-log=" + self.netlog,
                  "--window-size=%d,%d" % (width, height)):
            o.add_argument(a)
        self.driver = webdriver.Chrome(
            service=Service(driver_path(),
                            log_path=os.path.join(self.dir, "driver.log")),
            options=o)
        self.driver.set_page_load_timeout(timeout)
        self.driver.set_script_timeout(timeout)
        self.timeout = timeout
        self.closed = False

    def wait(self, cond, timeout=None, what="condition"):
        # The page may replace an element while it is being read (the
        # console redraws after login): look again, as a person would.
        return WebDriverWait(self.driver, timeout or self.timeout,
                             ignored_exceptions=(
                                 NoSuchElementException,
                                 StaleElementReferenceException)).until(
            lambda d: cond(d), message=what)

    def quit(self):
        if not self.closed:
            self.closed = True
            try:
                self.driver.quit()
            except Exception:
                pass

    def cleanup(self):
        self.quit()
        shutil.rmtree(self.dir, ignore_errors=True)

    def net_log(self):
        """The net log (read after quit(), when it is whole): its events,
        and the names of event types by number."""
        with open(self.netlog, encoding="utf-8", errors="replace") as f:
            text = f.read()
        try:
            log = json.loads(text)
        except ValueError:
            # A log cut short ends without "]}"; take what is there.
            log = json.loads(re.sub(r",?\s*$", "", text) + "]}")
        names = {v: k for k, v in
                 log.get("constants", {}).get("logEventTypes", {}).items()}
        return log.get("events", []), names

    def connections(self):
        """[(kind, "ip:port")] of every socket the browser connected:
        kind "tcp", or "udp" for a UDP socket that sent bytes.  A UDP
        socket that only connected sent nothing: Chromium connects one
        to a public address to learn whether IPv6 is reachable, and no
        packet leaves for it."""
        events, names = self.net_log()
        out, udp_peer, udp_sent = [], {}, set()
        for e in events:
            kind = names.get(e.get("type"), "")
            p = e.get("params") or {}
            src = (e.get("source") or {}).get("id")
            if kind in ("TCP_CONNECT_ATTEMPT", "TCP_CONNECT"):
                addrs = [p["address"]] if isinstance(p.get("address"),
                                                      str) else []
                addrs += [a for a in p.get("address_list") or []
                          if isinstance(a, str)]
                out += [("tcp", a) for a in addrs]
            elif kind == "UDP_CONNECT" and isinstance(p.get("address"),
                                                      str):
                udp_peer[src] = p["address"]
            elif kind == "UDP_BYTES_SENT":
                udp_sent.add(src)
        out += [("udp", a) for s, a in udp_peer.items() if s in udp_sent]
        return out

    def requested_urls(self):
        """Every URL the browser asked for (some never reached a server:
        the proxy refuses what is not loopback)."""
        events, names = self.net_log()
        return sorted(set(str((e.get("params") or {}).get("url")) for e in events
                          if names.get(e.get("type")) ==
                          "URL_REQUEST_START_JOB"))

    def remote_connections(self):
        """The connections that were not to a loopback address."""
        bad = []
        for kind, a in self.connections():
            host = a.rsplit(":", 1)[0].strip("[]")
            try:
                if not ipaddress.ip_address(host).is_loopback:
                    bad.append(kind + " " + a)
            except ValueError:
                bad.append(kind + " " + a)
        return bad
