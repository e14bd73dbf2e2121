"""The daemon's lifecycle with a sink and a source in one `run` process, on the real servers: SIGTERM in the middle
of a busy stream drains within the deadline and loses nothing, a second signal exits at once, a drain that cannot
finish is cut at the deadline, and a fatal error (the stream deleted under a running sink, an endpoint that does not
answer at start) is logged with its context and exits non-zero."""
import signal
import socket
import threading
import time

from daemon_fixtures import (Daemon, TopicReader, backlog, create_stream, kinesis, lease_items, publish, put_records,
                             read_stream, run_config, sink_spec, source_spec, unique, wait_until)


class Feeder(threading.Thread):
    """Sends numbered items in chunks, pacing itself, until it has sent them all."""

    def __init__(self, send_chunk, items, chunk, pause):
        super().__init__(daemon=True)
        self.send_chunk, self.items, self.chunk, self.pause = send_chunk, items, chunk, pause
        self.sent = 0
        self.error = None

    def run(self):
        try:
            for i in range(0, len(self.items), self.chunk):
                self.send_chunk(self.items[i:i + self.chunk])
                self.sent = i + len(self.items[i:i + self.chunk])
                time.sleep(self.pause)
        except Exception as e:  # noqa: BLE001 - reported by the test
            self.error = e


def test_sigterm_mid_stream_drains_in_time_and_loses_nothing(tmp_path):
    topic_in = f"persistent://public/default/{unique('pk-life-in')}"
    topic_out = f"persistent://public/default/{unique('pk-life-out')}"
    stream_out, stream_in, app = unique("pk-life-out"), unique("pk-life-in"), unique("app")
    create_stream(stream_out, 2)
    create_stream(stream_in, 2)
    config = run_config(tmp_path, sinks=[sink_spec("life-sink", topic_in, stream_out)],
                        sources=[source_spec("life-source", stream_in, topic_out, app)])
    reader = TopicReader(topic_out)
    first = Daemon(tmp_path, "run", config)
    first.wait_ready()

    messages = [(f"key-{i % 40}", f"msg-{i:06}".encode()) for i in range(12000)]
    records = [(f"rk-{i % 30}", f"rec-{i:06}".encode()) for i in range(4000)]
    publisher = Feeder(lambda chunk: publish(topic_in, chunk), messages, 400, 0.1)
    putter = Feeder(lambda chunk: put_records(stream_in, chunk), records, 100, 0.05)
    publisher.start()
    putter.start()
    # Mid-stream: both directions moving, neither feeder done.
    wait_until(lambda: len(read_stream(stream_out)) >= 1500 and len(reader.read_until(300, 1)) >= 300, 120,
               "both directions moving")
    assert publisher.is_alive() and putter.is_alive(), "the feeders finished before the signal: make them longer"
    stopped_at = time.time()
    code = first.stop(signal.SIGTERM, timeout=60)
    elapsed = time.time() - stopped_at
    out = first.output()
    assert code == 0, out
    assert elapsed < 30, f"the drain took {elapsed:.1f} s (deadline 30 s)"
    assert "signal 15: draining" in out
    # Leases released on a clean stop.
    assert lease_items(app) and all("leaseOwner" not in item for item in lease_items(app)), lease_items(app)
    publisher.join(120)
    putter.join(120)
    assert publisher.error is None and putter.error is None, (publisher.error, putter.error)

    # What the first process did not take, the second one does: everything arrives, nothing twice.
    second = Daemon(tmp_path, "run", config)
    sent_payloads = {p for _, p in messages}
    wait_until(lambda: {d for _, d in read_stream(stream_out)} >= sent_payloads, 240, "every message in the stream")
    reader.read_until(len(records) + 1, 120)
    reader.drain()
    assert second.stop() == 0, second.output()
    in_stream = [d for _, d in read_stream(stream_out)]
    assert set(in_stream) == sent_payloads
    back = [m.data() for m in reader.messages]
    assert set(back) == {d for _, d in records}, f"{len(set(back))} of {len(records)} records came back"
    # A clean drain acknowledges and checkpoints everything confirmed: the restart repeats nothing.
    assert len(in_stream) == len(set(in_stream)), f"{len(in_stream) - len(set(in_stream))} messages written twice"
    assert len(back) == len(set(back)), f"{len(back) - len(set(back))} records published twice"
    reader.close()


def slow_sink(tmp_path):
    """A sink that can only drain slowly: 1% of a shard's rate (10 records/s) for a few thousand messages."""
    stream, topic, name = unique("pk-slow"), f"persistent://public/default/{unique('pk-slow')}", unique("slow")
    create_stream(stream, 1)
    publish(topic, [(None, f"{i:05}".encode()) for i in range(3000)])
    config = run_config(tmp_path, sinks=[sink_spec(name, topic, stream, rateLimit=1, aggregationEnabled=False)])
    return config, topic, f"public/default/{name}"


def test_a_second_signal_exits_at_once_and_leaves_the_rest_in_pulsar(tmp_path):
    config, topic, subscription = slow_sink(tmp_path)
    daemon = Daemon(tmp_path, "run", config)
    daemon.wait_ready()
    daemon.process.send_signal(signal.SIGTERM)
    wait_until(lambda: "signal 15: draining" in daemon.output(), 10, "the drain to start")
    time.sleep(1)
    assert daemon.process.poll() is None, "the drain ended early: nothing to cut short"
    second_at = time.time()
    code = daemon.stop(signal.SIGINT, timeout=10)
    assert code == 1, daemon.output()
    assert time.time() - second_at < 3
    assert "exiting without draining" in daemon.output()
    # Nothing unacknowledged is lost: it waits in the subscription.
    assert backlog(topic, subscription) > 0


def test_a_drain_past_the_deadline_exits_1(tmp_path):
    config, topic, subscription = slow_sink(tmp_path)
    daemon = Daemon(tmp_path, "run", config, "--drain-timeout-ms", "2000")
    daemon.wait_ready()
    started = time.time()
    code = daemon.stop(signal.SIGTERM, timeout=30)
    assert code == 1, daemon.output()
    assert 2 <= time.time() - started < 10
    assert "the drain did not finish within 2000 ms" in daemon.output()
    assert backlog(topic, subscription) > 0


def test_a_stream_deleted_under_a_running_sink_is_fatal(tmp_path):
    stream, topic = unique("pk-gone"), f"persistent://public/default/{unique('pk-gone')}"
    create_stream(stream, 1)
    daemon = Daemon(tmp_path, "run", run_config(tmp_path, sinks=[sink_spec("gone-sink", topic, stream)]))
    daemon.wait_ready()
    publish(topic, [(None, b"before")])
    wait_until(lambda: len(read_stream(stream)) == 1, 60, "the first message in the stream")
    kinesis().delete_stream(StreamName=stream)
    wait_until(lambda: stream not in kinesis().list_streams()["StreamNames"], 60, "the stream deleted")
    publish(topic, [(None, f"after-{i}".encode()) for i in range(20)], batching=False)  # a backlog of 20 entries
    code = daemon.wait(60)
    out = daemon.output()
    assert code == 1, out
    assert f"PutRecords on Kinesis stream {stream}: the stream is gone" in out, out
    assert "ResourceNotFoundException" in out
    assert "gone-sink: failed:" in out
    # What could not be written stays in Pulsar.
    assert backlog(topic, "public/default/gone-sink") == 20


def test_an_endpoint_that_does_not_answer_at_start_is_fatal(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = run_config(tmp_path, sinks=[sink_spec("dead-end", "persistent://public/default/dead", "nowhere",
                                                   awsEndpoint=f"http://127.0.0.1:{port}")])
    daemon = Daemon(tmp_path, "run", config)
    code = daemon.wait(120)
    out = daemon.output()
    assert code == 1, out
    assert "dead-end: could not start" in out, out
    assert f"127.0.0.1:{port}" in out, out
