"""`pulsar-kinesis sink --config FILE` end to end: real Pulsar standalone -> our daemon -> kinesis-mock, fed by the
Python pulsar-client and checked with boto3 + aws-kinesis-agg (independent implementations)."""
import re
import signal
import time

from daemon_fixtures import (Daemon, backlog, create_stream, http_get, publish, read_stream, sink_config, unique,
                             wait_until)


def keyed(n, keys):
    return [(f"key-{i % keys}", f"{i:06}".encode()) for i in range(n)]


def test_moves_every_message_and_stops_cleanly_on_sigterm(tmp_path):
    stream, topic, name = unique("pk-e2e"), f"persistent://public/default/{unique('pk-e2e')}", unique("sink")
    create_stream(stream, 2)
    messages = keyed(3000, 50) + [(None, b"no key \x00\xff binary")]
    publish(topic, messages)
    daemon = Daemon(tmp_path, "sink", sink_config(tmp_path, name, topic, stream))
    wait_until(lambda: len(read_stream(stream)) >= len(messages), 120, "every message in the stream")
    records = read_stream(stream)
    assert sorted(data for _, data in records) == sorted(payload for _, payload in messages)
    keys = {data: key for key, data in records}
    for key, payload in messages:
        assert keys[payload] == (key if key is not None else topic)
    wait_until(lambda: backlog(topic, f"public/default/{name}") == 0, 30, "backlog 0")
    started = time.time()
    assert daemon.stop(signal.SIGTERM) == 0, daemon.output()
    assert time.time() - started < 30
    assert "draining" in daemon.output()


def test_kill_9_mid_stream_loses_nothing(tmp_path):
    stream, topic, name = unique("pk-e2e"), f"persistent://public/default/{unique('pk-e2e')}", unique("sink")
    create_stream(stream, 2)
    messages = keyed(20000, 200)
    publish(topic, messages)
    config = sink_config(tmp_path, name, topic, stream, aggregationEnabled=False, collectionMaxCount=100)
    first = Daemon(tmp_path, "sink", config)
    # Killed as soon as its counters show the first records put (cheap to poll, unlike reading the stream back).
    metrics = first.admin_url() + "metrics"

    def put_so_far():
        text = http_get(metrics)[1]
        return sum(int(m) for m in re.findall(r"^pulsar_kinesis_sink_user_records_put_total\{[^}]*\} (\d+)$", text,
                                              re.MULTILINE))
    deadline = time.time() + 60
    while put_so_far() == 0:
        assert time.time() < deadline, f"no record put within 60 s:\n{first.output()}"
        time.sleep(0.05)
    first.stop(signal.SIGKILL)
    delivered_before = len(read_stream(stream))
    assert delivered_before < len(messages), "the kill came too late to test anything"
    second = Daemon(tmp_path, "sink", config)
    wait_until(lambda: {d for _, d in read_stream(stream)} >= {p for _, p in messages}, 240,
               "every message after the restart")
    assert second.stop(signal.SIGTERM) == 0, second.output()
    wait_until(lambda: backlog(topic, f"public/default/{name}") == 0, 30, "backlog 0")


def test_two_processes_on_one_subscription_deliver_every_message(tmp_path):
    stream, topic, name = unique("pk-e2e"), f"persistent://public/default/{unique('pk-e2e')}", unique("sink")
    create_stream(stream, 2)
    config = sink_config(tmp_path, name, topic, stream)
    a = Daemon(tmp_path, "sink", config)
    b = Daemon(tmp_path, "sink", config)
    time.sleep(3)  # both subscribed (Shared) before the messages come
    messages = keyed(5000, 100)
    publish(topic, messages)
    wait_until(lambda: {d for _, d in read_stream(stream)} >= {p for _, p in messages}, 120, "every message")
    assert a.stop() == 0 and b.stop() == 0
    acked = []
    for d in (a, b):
        line = [l for l in d.output().splitlines() if "stopped (" in l][-1]
        acked.append(int(line.split("stopped (")[1].split(" acked")[0]))
    assert all(n > 0 for n in acked), acked
    assert sum(acked) == len(messages)


def test_a_bad_file_exits_2_naming_the_key(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text("tenant: public\nnamespace: default\nname: bad\ninputs: [x]\n"
                      "configs:\n  awsRegion: us-east-1\n  rateLimitt: 5\n")
    daemon = Daemon(tmp_path, "sink", config)
    assert daemon.wait(30) == 2
    out = daemon.output()
    assert "awsKinesisStreamName" in out, out
    assert "rateLimitt" in out and "rateLimit" in out, out
