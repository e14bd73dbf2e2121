"""The admin endpoint of a running daemon (a sink and a source in one process, real servers): /healthz, /readyz
(ready once every pipeline runs and is connected), /status with both pipelines and their numbers, /metrics that
promtool accepts and that counts what moved, the status page in headless Chromium showing the daemon's own numbers;
a busy port is a clear start-up error (exit 1) and --no-admin turns the endpoint off.

The browser is driven by the status page test's own helpers (tests/integration/metrics/test_status_page.py checks
every number of the page against a fixture with a known schedule; here the same reader runs against the real
daemon)."""
import json
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from daemon_fixtures import (Daemon, TopicReader, create_stream, http_get, publish, run_config, sink_spec,
                             source_spec, unique, wait_until)


def test_endpoints_of_a_running_daemon(tmp_path):
    stream = unique("pk-admin")
    topic_in = f"persistent://public/default/{unique('pk-admin-in')}"
    topic_out = f"persistent://public/default/{unique('pk-admin-out')}"
    create_stream(stream, 2)
    config = run_config(tmp_path, sinks=[sink_spec("admin-sink", topic_in, stream)],
                        sources=[source_spec("admin-source", stream, topic_out, unique("app"))])
    reader = TopicReader(topic_out)
    daemon = Daemon(tmp_path, "run", config)
    try:
        url = daemon.admin_url()
        assert http_get(url + "healthz")[0] == 200
        daemon.wait_ready()
        status, body = http_get(url + "readyz")
        assert json.loads(body) == {"ready": True, "reason": "2 pipelines running and connected"}

        publish(topic_in, [(f"k{i % 10}", f"m{i:04}".encode()) for i in range(500)])
        assert len(reader.read_until(500, 120)) == 500

        def counts():
            doc = json.loads(http_get(url + "status")[1])
            return {p["name"]: p for p in doc["pipelines"]}
        wait_until(lambda: counts()["public/default/admin-source"]["counters"]["records_out"] == 500, 30,
                   "the source's report to count 500")
        pipelines = counts()
        sink, source = pipelines["public/default/admin-sink"], pipelines["public/default/admin-source"]
        assert sink["kind"] == "sink" and sink["state"] == "running"
        assert sink["counters"]["records_in"] == 500 and sink["counters"]["records_out"] == 500
        assert sorted(s["id"] for s in sink["shards"]) == ["shardId-000000000000", "shardId-000000000001"]
        assert sum(s["records"] for s in sink["shards"]) == 500
        assert [t["name"] for t in sink["topics"]] == [topic_in]
        assert source["kind"] == "source" and source["counters"]["records_in"] == 500
        assert len(source["shards"]) == 2 and all(s["lease_owner"] for s in source["shards"])
        assert source["lag"]["millis_behind_latest"] is not None

        metrics = http_get(url + "metrics")[1]
        check = subprocess.run(["promtool", "check", "metrics"], input=metrics, capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        assert f'pulsar_kinesis_sink_messages_received_total{{pipeline="public/default/admin-sink",topic="{topic_in}"}} 500' in metrics
        assert 'pulsar_kinesis_sink_messages_acknowledged_total{pipeline="public/default/admin-sink"} 500' in metrics
        put = re.findall(r'pulsar_kinesis_sink_user_records_put_total\{pipeline="public/default/admin-sink",shard="[^"]+"\} (\d+)', metrics)
        assert sum(int(n) for n in put) == 500
        assert f'pulsar_kinesis_source_messages_published_total{{pipeline="public/default/admin-source",topic="{topic_out}"}} 500' in metrics
        assert 'pulsar_kinesis_source_leases_held{pipeline="public/default/admin-source"} 2' in metrics
        assert 'pulsar_kinesis_pipeline_up{pipeline="public/default/admin-sink",kind="sink"} 1' in metrics

        page = http_get(url)[1]
        assert page.startswith("<!DOCTYPE html>") or page.startswith("<!doctype html>")
        check_page_in_browser(url, topic_in, topic_out, counts())
    finally:
        assert daemon.stop() == 0, daemon.output()
        reader.close()


def check_page_in_browser(url, topic_in, topic_out, served):
    """Loads the status page in headless Chromium and reads what it shows: both pipelines running, the totals
    (500 each way), a row per shard with its count and lease owner, a row per topic, the rate charts drawn."""
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "metrics"))
    from test_status_page import READ_PAGE, Browser, find_chromium, shown_text  # noqa: E402 - the helpers above

    chromium = find_chromium()
    assert chromium, "chromium not found on PATH (Debian package chromium; scripts/setup installs it)"
    profile = tempfile.mkdtemp(prefix="pk-chromium-")
    browser = Browser(chromium, profile)
    try:
        session = browser.open(url)
        sink_name, source_name = "public/default/admin-sink", "public/default/admin-source"
        deadline = time.monotonic() + 30
        while True:
            page = browser.evaluate(session, READ_PAGE)
            if (page["updates"] or 0) >= 3 and set(page["pipelines"]) == {sink_name, source_name}:
                break
            assert time.monotonic() < deadline, f"the page shows no pipelines: {json.dumps(page)[:2000]}"
            time.sleep(0.2)
        sink, source = page["pipelines"][sink_name], page["pipelines"][source_name]
        for shown in (sink, source):
            assert shown["fields"]["state"]["text"] == "running"
        # The totals as numbers (data-value) and as the text a person reads.
        for shown, field in ((sink, "records_in"), (sink, "records_out"), (source, "records_in"),
                             (source, "records_out")):
            assert float(shown["fields"][field]["value"]) == 500, (field, shown["fields"][field])
            assert shown["fields"][field]["text"] == shown_text(field, 500) == "500"
        assert list(sink["shards"]) == ["shardId-000000000000", "shardId-000000000001"]
        assert sum(float(row["records"]["value"]) for row in sink["shards"].values()) == 500
        for sid, row in sink["shards"].items():
            want = next(s["records"] for s in served[sink_name]["shards"] if s["id"] == sid)
            assert row["records"]["text"] == shown_text("records", want)
        assert list(source["shards"]) == ["shardId-000000000000", "shardId-000000000001"]
        assert sum(float(row["records"]["value"]) for row in source["shards"].values()) == 500
        owners = {s["id"]: s["lease_owner"] for s in served[source_name]["shards"]}
        assert {sid: row["lease_owner"]["text"] for sid, row in source["shards"].items()} == owners
        assert list(sink["topics"]) == [topic_in] and float(sink["topics"][topic_in]["records"]["value"]) == 500
        assert list(source["topics"]) == [topic_out] and float(source["topics"][topic_out]["records"]["value"]) == 500
        assert sink["errors"] == [] and source["errors"] == []
        assert all(len(p["charts"]) == 1 and p["charts"][0] > 500 for p in (sink, source)), "rate charts not drawn"
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)


def test_a_busy_admin_port_is_a_start_up_error(tmp_path):
    stream = unique("pk-admin")
    create_stream(stream, 1)
    config = run_config(tmp_path, sinks=[sink_spec("busy", "persistent://public/default/busy", stream)])
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        daemon = Daemon(tmp_path, "run", config, "--admin", f"127.0.0.1:{port}")
        code = daemon.wait(30)
    out = daemon.output()
    assert code == 1, out
    assert f"admin endpoint: cannot listen on 127.0.0.1:{port}" in out, out
    assert "--no-admin" in out


def test_no_admin_turns_it_off(tmp_path):
    stream = unique("pk-admin")
    create_stream(stream, 1)
    config = run_config(tmp_path, sinks=[sink_spec("quiet", "persistent://public/default/quiet", stream)],
                        admin={"enabled": True, "address": "127.0.0.1:0"})
    daemon = Daemon(tmp_path, "run", config, "--no-admin")
    wait_until(lambda: "quiet: running" in daemon.output(), 60, "the sink running")
    assert daemon.stop(signal.SIGTERM) == 0, daemon.output()
    assert "admin endpoint" not in daemon.output()
