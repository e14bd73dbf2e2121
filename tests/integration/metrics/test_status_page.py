"""The status page in headless Chromium, against status_page_fixture (the admin endpoint with numbers on a known
schedule). The test pauses the schedule, lets the page refresh, and checks that every number the page shows - its
raw value (data-value) and the text a person reads - is what /status served and what the schedule says, then moves
one step and checks again, and that the rate charts are drawn. A page that shows a wrong, stale or misplaced number
fails; so does a checker that would accept one (it is run once against a tampered page).

Chromium is driven through the DevTools protocol over a pipe (--remote-debugging-pipe: commands on fd 3, answers on
fd 4, each message ending in a NUL byte), so nothing but the Python standard library is needed.
  PK_STATUS_PAGE_FIXTURE     the fixture binary (set by ctest)
  PK_STATUS_PAGE_SCREENSHOT  optional: where to save a PNG of the page
"""

import base64
import json
import os
import queue
import select
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
from decimal import ROUND_HALF_UP, Decimal

import pytest

# ---- The schedule (status_page_fixture.cc): a series grows at step j by base + slope * (j % 4)


def total(base, slope, k):
    return sum(base + slope * (j % 4) for j in range(1, k + 1))


WINDOW = 5  # the board's rate window, in steps (one step = one second of report time)


def rate(base, slope, k):
    """The board's rate after step k: the growth since the report `WINDOW` steps back (or the first) per second."""
    then = max(0, k - WINDOW)
    if k == then:
        return 0.0
    return (total(base, slope, k) - total(base, slope, then)) / (k - then)


SINK_SHARDS = ["shardId-000000000000", "shardId-000000000001", "shardId-000000000002"]
SINK_TOPICS = [("persistent://public/default/orders", 120, 20), ("persistent://public/default/payments", 45, 5)]
SOURCE_SHARDS = ["shardId-000000000000", "shardId-000000000001"]
SOURCE_TOPIC = "persistent://public/default/orders-copy"


def expected_sink(k):
    shards = {}
    for i, sid in enumerate(SINK_SHARDS):
        base = 40 + 30 * i
        shards[sid] = {
            "records_per_s": rate(base, 10, k),
            "bytes_per_s": rate(base * 250, 1000, k),
            "records": total(base, 10, k),
            "throttles": k if i == 2 else 0,
        }
    topics = {name: {"records_per_s": rate(b, s, k), "records": total(b, s, k)} for name, b, s in SINK_TOPICS}
    records_in = sum(t["records"] for t in topics.values())
    records_out = sum(s["records"] for s in shards.values())
    bytes_out = sum(total((40 + 30 * i) * 250, 1000, k) for i in range(3))
    records_out_rate = sum(rate(40 + 30 * i, 10, k) for i in range(3))
    fields = {
        "state": "running",
        "records_in_per_s": sum(rate(b, s, k) for _, b, s in SINK_TOPICS),
        "records_out_per_s": records_out_rate,
        "bytes_out_per_s": sum(rate((40 + 30 * i) * 250, 1000, k) for i in range(3)),
        "records_in": records_in,
        "records_out": records_out,
        "bytes_out": bytes_out,
        "in_flight_messages": 1000 + 10 * k,
        "in_flight_bytes": (1000 + 10 * k) * 300,
        "backlog_messages": 5000 + 25 * k,
        "failures": 3 * k,
        "failures_per_s": 0.0 if k == 0 else 3.0,
        "retries": 7 * k,
        "throttles": k,
    }
    errors = []
    if k >= 2:
        errors.append({"message": "PutRecords: ProvisionedThroughputExceededException for shardId-000000000002",
                       "count": k - 1})
    return {"fields": fields, "shards": shards, "topics": topics, "errors": errors}


def expected_source(k):
    shards = {}
    for i, sid in enumerate(SOURCE_SHARDS):
        base = 80 - 60 * i
        shards[sid] = {
            "records_per_s": rate(base, 8, k),
            "bytes_per_s": rate(base * 512, 512, k),
            "records": total(base, 8, k),
            "throttles": 0,
            "millis_behind_latest": 2000 + 100 * k if i == 0 else 250,
            "lease_owner": ["worker-a", "worker-b"][i],
        }
    fields = {
        "state": "running",
        "records_in_per_s": rate(80, 8, k) + rate(20, 8, k),
        "records_out_per_s": rate(95, 9, k),
        "bytes_out_per_s": rate(95 * 512, 900, k),
        "records_in": total(80, 8, k) + total(20, 8, k),
        "records_out": total(95, 9, k),
        "bytes_out": total(95 * 512, 900, k),
        "in_flight_messages": 64,
        "in_flight_bytes": 0,
        "millis_behind_latest": 2000 + 100 * k,
        "checkpoint_lag_records": 420,
        "failures": 0,
        "failures_per_s": 0.0,
        "retries": 0,
        "throttles": 0,
    }
    topics = {SOURCE_TOPIC: {"records_per_s": rate(95, 9, k), "records": total(95, 9, k)}}
    errors = [{"message": "GetRecords shardId-000000000001: connection reset by peer", "count": 1}] if k >= 3 else []
    return {"fields": fields, "shards": shards, "topics": topics, "errors": errors}


# ---- The page's number formats (status_page.html), written again here

def js_fixed(v, digits):
    """Number.prototype.toFixed: the exact binary value, ties away from zero."""
    return str(Decimal(v).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def fmt_int(v):
    return f"{int(v):,}"


def fmt_rate(v):
    """toLocaleString("en-US", 1 fraction digit): the shortest decimal of the double, ties away from zero."""
    return f"{Decimal(repr(float(v))).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):,.1f}"


def fmt_bytes(v):
    units = ["B", "KiB", "MiB", "GiB", "TiB"]
    v = float(v)
    i = 0
    while v >= 1024 and i < len(units) - 1:
        v /= 1024
        i += 1
    return f"{int(v + 0.5)} B" if i == 0 else f"{js_fixed(v, 1)} {units[i]}"


def fmt_millis(ms):
    if ms is None:
        return "\u2013"
    if ms < 1000:
        return f"{ms} ms"
    if ms < 60000:
        return f"{js_fixed(ms / 1000, 1)} s"
    return f"{js_fixed(ms / 60000, 1)} min"


FORMATS = {
    "records_in_per_s": fmt_rate, "records_out_per_s": fmt_rate, "failures_per_s": fmt_rate, "records_per_s": fmt_rate,
    "bytes_out_per_s": lambda v: fmt_bytes(v) + "/s", "bytes_per_s": lambda v: fmt_bytes(v) + "/s",
    "bytes_out": fmt_bytes, "in_flight_bytes": fmt_bytes,
    "millis_behind_latest": fmt_millis,
}


def shown_text(field, value):
    if field in ("state", "lease_owner"):
        return value
    return FORMATS.get(field, fmt_int)(value)


# ---- Chromium over the DevTools pipe

def find_chromium():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """One headless Chromium; send() waits for the answer to its command and returns its result."""

    def __init__(self, chromium, profile):
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                 "--disable-backgrounding-occluded-windows", "--window-size=1400,1300",
                 f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"]
        # The protocol wants its pipe on fds 3 and 4 of the browser.
        script = f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w}'
        self._process = subprocess.Popen(["bash", "-c", script, chromium] + flags,
                                         pass_fds=(to_browser_r, from_browser_w),
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._next_id = 0
        self._buffer = b""

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except Exception:  # noqa: BLE001 - closing anyway
            pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)

    def _read_message(self, deadline):
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=None, timeout=30):
        self._next_id += 1
        command = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            command["sessionId"] = session
        os.write(self._to_browser, json.dumps(command).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            message = self._read_message(deadline)
            if message.get("id") != self._next_id:
                continue  # an event, or the answer to an earlier command
            if "error" in message:
                raise RuntimeError(f"{method}: {message['error']}")
            return message["result"]

    def open(self, url):
        target = self.send("Target.createTarget", {"url": url})["targetId"]
        return self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]

    def evaluate(self, session, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, session)
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")


# What the page shows, read from its DOM: per pipeline, the top-level numbers, the shard and topic rows, the errors
# and the chart canvases (with how many of their pixels are painted).
READ_PAGE = r"""
(() => {
  if (!document.body) return {updates: 0, pipelines: {}};  // still loading
  const fields = root => {
    const out = {};
    for (const e of root.querySelectorAll("[data-field]")) {
      if (root.tagName !== "TR" && e.closest("tr")) continue;
      if (e.closest("[data-error]")) continue;
      out[e.dataset.field] = {value: e.dataset.value ?? null, text: e.textContent};
    }
    return out;
  };
  const painted = c => {
    if (!c.width || !c.height) return 0;
    const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
    return n;
  };
  const pipelines = {};
  for (const card of document.querySelectorAll("[data-pipeline]")) {
    pipelines[card.dataset.pipeline] = {
      fields: fields(card),
      shards: Object.fromEntries([...card.querySelectorAll("tr[data-shard]")].map(r => [r.dataset.shard, fields(r)])),
      topics: Object.fromEntries([...card.querySelectorAll("tr[data-topic]")].map(r => [r.dataset.topic, fields(r)])),
      errors: [...card.querySelectorAll("[data-error]")].map(li => ({
        message: li.querySelector('[data-field="message"]').textContent,
        count: li.querySelector('[data-field="count"]')?.textContent ?? "1\u00d7"})),
      charts: [...card.querySelectorAll("canvas[data-chart]")].map(painted),
      sparks: [...card.querySelectorAll("canvas[data-spark]")].length,
    };
  }
  return {updates: Number(document.body.dataset.updates), pipelines};
})()
"""


def check_shown(where, shown, field, expected):
    assert field in shown, f"{where}: the page shows no {field}"
    if field not in ("state", "lease_owner"):
        raw = shown[field]["value"]
        assert raw is not None and raw != "", f"{where}: {field} has no value"
        assert float(raw) == pytest.approx(float(expected), abs=1e-9), f"{where}: {field} value {raw} != {expected}"
    want = shown_text(field, expected)
    assert shown[field]["text"] == want, f"{where}: {field} shows {shown[field]['text']!r}, expected {want!r}"


def check_page(page, expected, served):
    """Every number of `expected` (per pipeline) is on the page, as value and as text, and equals /status."""
    assert set(page["pipelines"]) == set(expected), f"pipelines on the page: {sorted(page['pipelines'])}"
    by_name = {p["name"]: p for p in served["pipelines"]}
    for name, want in expected.items():
        shown = page["pipelines"][name]
        status = by_name[name]
        for field, value in want["fields"].items():
            check_shown(name, shown["fields"], field, value)
        # /status agrees with the schedule (so the page is compared with the truth, not only with the server).
        assert status["rates"]["records_in_per_s"] == pytest.approx(want["fields"]["records_in_per_s"])
        assert status["counters"]["records_out"] == want["fields"]["records_out"]
        assert list(shown["shards"]) == sorted(want["shards"]), f"{name}: shard rows {list(shown['shards'])}"
        for sid, fields in want["shards"].items():
            served_shard = next(s for s in status["shards"] if s["id"] == sid)
            for field, value in fields.items():
                check_shown(f"{name} {sid}", shown["shards"][sid], field, value)
                assert served_shard[field] == (pytest.approx(value) if isinstance(value, float) else value), \
                    f"/status {name} {sid} {field}: {served_shard[field]} != {value}"
        assert list(shown["topics"]) == sorted(want["topics"]), f"{name}: topic rows {list(shown['topics'])}"
        for topic, fields in want["topics"].items():
            for field, value in fields.items():
                check_shown(f"{name} {topic}", shown["topics"][topic], field, value)
        errors = [{"message": e["message"], "count": e["count"]} for e in status["recent_errors"]]
        assert errors == want["errors"], f"/status errors of {name}: {errors}"
        assert [(e["message"], e["count"]) for e in shown["errors"]] == \
            [(e["message"], f"{e['count']}\u00d7") for e in want["errors"]], f"{name}: errors shown {shown['errors']}"
        assert len(shown["charts"]) == 1, f"{name}: {len(shown['charts'])} rate charts"
        assert shown["charts"][0] > 500, f"{name}: the rate chart has {shown['charts'][0]} painted pixels"
        assert shown["sparks"] == len(want["shards"]) + len(want["topics"])


class Fixture:
    def __init__(self, path):
        self._process = subprocess.Popen([path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self._lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        first = self.expect("listening ")
        self.url = first.split(" ", 1)[1]

    def _read(self):
        for line in self._process.stdout:
            self._lines.put(line.rstrip("\n"))

    def expect(self, prefix, timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            line = self._lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line.startswith(prefix):
                return line

    def command(self, text, answer_prefix):
        self._process.stdin.write(text + "\n")
        self._process.stdin.flush()
        return int(self.expect(answer_prefix).rsplit(" ", 1)[1])

    def status(self):
        with urllib.request.urlopen(self.url + "status", timeout=10) as r:
            assert r.status == 200
            return json.loads(r.read())

    def close(self):
        try:
            self._process.stdin.write("quit\n")
            self._process.stdin.flush()
            self._process.wait(timeout=20)
        except Exception:  # noqa: BLE001
            self._process.kill()
            self._process.wait()


def wait_for(browser, session, condition, timeout=20):
    deadline = time.monotonic() + timeout
    while True:
        page = browser.evaluate(session, READ_PAGE)
        if condition(page):
            return page
        if time.monotonic() > deadline:
            raise AssertionError(f"the page did not get there in {timeout} s: {json.dumps(page)[:2000]}")
        time.sleep(0.2)


@pytest.fixture(name="setup")
def fixture_setup():
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("chromium not found on PATH (Debian package chromium; scripts/setup installs it): "
                    "the status page was not tested in a browser")
    path = os.environ.get("PK_STATUS_PAGE_FIXTURE")
    assert path and os.access(path, os.X_OK), "PK_STATUS_PAGE_FIXTURE must name the built status_page_fixture"
    fixture = Fixture(path)
    profile = tempfile.mkdtemp(prefix="pk-chromium-")
    browser = Browser(chromium, profile)
    try:
        yield fixture, browser
    finally:
        browser.close()
        fixture.close()
        shutil.rmtree(profile, ignore_errors=True)


def test_the_page_shows_what_status_serves(setup):
    fixture, browser = setup
    session = browser.open(fixture.url)
    # Live: the page refreshes while the schedule steps.
    wait_for(browser, session, lambda p: (p["updates"] or 0) >= 3 and len(p["pipelines"]) == 2)

    for round_ in range(2):
        k = fixture.command("pause", "paused at step ") if round_ == 0 else fixture.command("step", "step ")
        served = fixture.status()
        seen = browser.evaluate(session, READ_PAGE)["updates"]
        page = wait_for(browser, session, lambda p, seen=seen: (p["updates"] or 0) >= seen + 2)  # refreshed since the step
        expected = {"orders-sink": expected_sink(k), "orders-source": expected_source(k)}
        check_page(page, expected, served)

    screenshot = os.environ.get("PK_STATUS_PAGE_SCREENSHOT")
    if screenshot:
        shot = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session)
        with open(screenshot, "wb") as f:
            f.write(base64.b64decode(shot["data"]))

    # The checker itself catches a wrong number: change one shard's rate on the page and read it back at once (in
    # one script, so that no refresh comes between).
    tampered = browser.evaluate(session, """(() => {
        const e = document.querySelector('[data-pipeline="orders-sink"] tr[data-shard] [data-field="records_per_s"]');
        e.textContent = "999.9";
        e.dataset.value = "999.9";
        return %s;
      })()""" % READ_PAGE.strip())
    with pytest.raises(AssertionError, match="records_per_s"):
        check_page(tampered, expected, served)
