"""The daemon's log as its readers see it: JSON lines with the pipeline (and topic / shard) as fields, never a secret
nor a record payload, repeated warnings written once per 10 s window with the count of those left out, the file
reopened on SIGHUP (logrotate), and the live progress line only on a terminal."""
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import time

from daemon_fixtures import (Daemon, TopicReader, create_stream, http_get, publish, run_config, server_env,
                             sink_spec, source_spec, unique, wait_until)

SECRET = "CANARY-SECRET-IN-LOGS-0123456789"
PAYLOAD = "PAYLOAD-CANARY-IN-LOGS"


def busy_run(tmp_path, **top):
    """A sink (with a canary secret key: kinesis-mock does not check signatures) and a source, on fresh topics."""
    stream = unique("pk-logs")
    topic_in = f"persistent://public/default/{unique('pk-logs-in')}"
    topic_out = f"persistent://public/default/{unique('pk-logs-out')}"
    create_stream(stream, 2)
    sink = sink_spec("logs-sink", topic_in, stream,
                     awsCredentialPluginParam=json.dumps({"accessKey": "AKIDLOGS", "secretKey": SECRET}))
    source = source_spec("logs-source", stream, topic_out, unique("app"))
    return run_config(tmp_path, sinks=[sink], sources=[source], **top), topic_in, topic_out


def move_data(topic_in, topic_out, n=200):
    reader = TopicReader(topic_out)
    publish(topic_in, [(f"k{i}", f"{PAYLOAD}-{i}".encode()) for i in range(n)])
    assert len(reader.read_until(n, 120)) == n
    reader.close()


def test_json_lines_carry_the_pipeline_and_never_a_secret_or_payload(tmp_path):
    config, topic_in, topic_out = busy_run(tmp_path)
    daemon = Daemon(tmp_path, "run", config, "--log-format", "json")
    daemon.wait_ready()
    move_data(topic_in, topic_out)
    assert daemon.stop() == 0, daemon.output()
    lines = [json.loads(line) for line in daemon.output().splitlines()]  # every line is one JSON object
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    by_pipeline = {}
    for line in lines:
        by_pipeline.setdefault(line.get("pipeline"), []).append(line)
    assert set(by_pipeline) >= {"public/default/logs-sink", "public/default/logs-source", None}
    # Lines about a shard or a topic name it as a field, and the pipeline's clients' lines carry it too.
    source_lines = by_pipeline["public/default/logs-source"]
    assert any(l.get("shard", "").startswith("shardId-") and l["logger"] == "source" for l in source_lines)
    assert any(l["logger"] == "kcl" for l in source_lines)
    sink_lines = by_pipeline["public/default/logs-sink"]
    assert any(l.get("topic") == topic_in for l in sink_lines), sink_lines
    text = daemon.output()
    assert SECRET not in text and PAYLOAD not in text
    assert server_env("PK_MOTO_SECRET_ACCESS_KEY") not in text


def test_debug_logs_never_show_a_secret(tmp_path):
    config, topic_in, topic_out = busy_run(tmp_path)
    daemon = Daemon(tmp_path, "run", config, "--log-level", "debug")
    daemon.wait_ready()
    move_data(topic_in, topic_out, 20)
    assert daemon.stop() == 0, daemon.output()
    text = daemon.output()
    assert " DEBUG " in text
    assert SECRET not in text
    assert server_env("PK_MOTO_SECRET_ACCESS_KEY") not in text


def test_repeated_warnings_are_rate_limited(tmp_path):
    """Three messages too big for Kinesis, negatively acknowledged and redelivered every 0.5 s: dozens of warnings
    "message X not delivered" (other ids, other sizes: the same line by shape), of which the log shows one per 10 s,
    the next one with the count left out; /status counts every failure."""
    stream, topic = unique("pk-limit"), f"persistent://public/default/{unique('pk-limit')}"
    create_stream(stream, 1)
    sink = sink_spec("limit-sink", topic, stream)
    sink["negativeAckRedeliveryDelayMs"] = 500
    daemon = Daemon(tmp_path, "run", run_config(tmp_path, sinks=[sink]))
    daemon.wait_ready()
    url = daemon.admin_url()
    publish(topic, [(None, f"{PAYLOAD}-{i}-".encode() + b"x" * (1100000 + i)) for i in range(3)], batching=False)

    def rejected():
        return [line for line in daemon.output().splitlines() if "not delivered" in line]
    wait_until(lambda: rejected(), 30, "the first warning")
    first_at = time.time()
    wait_until(lambda: len(rejected()) >= 2, 20, "the next warning after the 10 s window")
    elapsed = time.time() - first_at
    lines = rejected()
    assert len(lines) == 2, "\n".join(lines)
    assert 8 <= elapsed < 15, f"the second line came {elapsed:.1f} s after the first"
    assert "over the Kinesis limit of 1048576 bytes" in lines[0], lines[0]
    assert "suppressed" not in lines[0]
    left_out = int(re.search(r"\(\+(\d+) similar lines suppressed\)$", lines[1]).group(1))
    assert left_out >= 3 * 5, f"only {left_out} warnings left out in 10 s of redeliveries every 0.5 s"

    def counted():  # /status is the report of the last second
        return json.loads(http_get(url + "status")[1])["pipelines"][0]["counters"]["failures"]
    wait_until(lambda: counted() >= left_out + 2, 5, f"/status to count the 2 failures written and {left_out} left out")
    assert daemon.stop() == 0, daemon.output()
    assert PAYLOAD not in daemon.output()


def test_sighup_reopens_the_log_file(tmp_path):
    config, topic_in, topic_out = busy_run(tmp_path)
    log_file = tmp_path / "pk.log"
    daemon = Daemon(tmp_path, "run", config, "--log-file", str(log_file))
    wait_until(lambda: log_file.exists() and "logs-sink: running" in log_file.read_text(), 60, "the sink running")
    rotated = tmp_path / "pk.log.1"
    log_file.rename(rotated)  # what logrotate does before it signals
    daemon.process.send_signal(signal.SIGHUP)
    wait_until(lambda: log_file.exists() and "SIGHUP: log file reopened" in log_file.read_text(), 10,
               "a new log file")
    assert daemon.stop() == 0
    old, new = rotated.read_text(), log_file.read_text()
    assert "logs-sink: running" in old and "SIGHUP" not in old
    assert "signal 15: draining" in new and "stopped" in new
    assert daemon.output() == "", "with a log file, nothing goes to stderr off a terminal"


def read_pty(fd, seconds):
    out = b""
    deadline = time.time() + seconds
    while time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                out += os.read(fd, 65536)
            except OSError:
                break
    return out.decode(errors="replace")


def run_on_terminal(config, *flags, seconds=6):
    """Runs the daemon with stderr on a pseudo-terminal for a while; returns what the terminal showed."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 200, 0, 0))  # 200 columns
    process = subprocess.Popen([server_env("PK_DAEMON"), "run", "--config", str(config), "--admin", "127.0.0.1:0",
                                *flags], stdin=subprocess.DEVNULL, stdout=follower, stderr=follower)
    os.close(follower)
    shown = read_pty(leader, seconds)
    process.send_signal(signal.SIGTERM)
    shown += read_pty(leader, 3)
    assert process.wait(30) == 0, shown
    os.close(leader)
    return shown


def test_the_progress_line_shows_on_a_terminal_only(tmp_path):
    config, _, _ = busy_run(tmp_path)
    shown = run_on_terminal(config)
    assert "\r\x1b[K" in shown, shown
    assert "Pulsar->Kinesis" in shown and "Kinesis->Pulsar" in shown and "errors" in shown, shown
    quiet = run_on_terminal(config, "--no-progress", seconds=4)
    assert "\x1b[K" not in quiet and "Pulsar->Kinesis" not in quiet, quiet
    # Off a terminal (the other tests' files) there is never one.
    daemon = Daemon(tmp_path, "run", config)
    daemon.wait_ready()
    time.sleep(2)
    assert daemon.stop() == 0
    assert "\x1b[K" not in daemon.output()
