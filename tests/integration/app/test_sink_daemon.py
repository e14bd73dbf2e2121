"""`pulsar-kinesis sink --config FILE` end to end: real Pulsar standalone -> our daemon -> kinesis-mock, fed by the
Python pulsar-client and checked with boto3 + aws-kinesis-agg (independent implementations)."""
import re
import signal
import time

from daemon_fixtures import (Daemon, backlog, create_stream, http_get, publish, read_stream, sink_config, unique,
                             user_records, wait_until)


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
    # The first process is held to 5% of each shard's record rate (50 records/s; a long recordTtl, so that what
    # waits for the limiter does not expire), so the kill surely comes mid-stream; the second runs at full speed
    # on the same subscription.
    slow = sink_config(tmp_path, name, topic, stream, aggregationEnabled=False, collectionMaxCount=100, rateLimit=5,
                       recordTtl=600000)
    first = Daemon(tmp_path, "sink", slow)
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
    config = sink_config(tmp_path, name, topic, stream, aggregationEnabled=False, collectionMaxCount=100)
    second = Daemon(tmp_path, "sink", config)
    wait_until(lambda: {d for _, d in read_stream(stream)} >= {p for _, p in messages}, 240,
               "every message after the restart")
    # Every payload in the stream is not yet every message acknowledged: what the first process had put but not
    # acknowledged is redelivered to the second, which puts it again (a duplicate) and acknowledges it.
    wait_until(lambda: backlog(topic, f"public/default/{name}") == 0, 120, "backlog 0")
    assert second.stop(signal.SIGTERM) == 0, second.output()


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


def test_motos_kinesis_receives_every_message_too(tmp_path):
    """The same daemon against moto's Kinesis (a second, independently written Kinesis; it checks signatures)."""
    import boto3

    from daemon_fixtures import moto_env, server_env

    stream, topic, name = unique("pk-moto"), f"persistent://public/default/{unique('pk-moto')}", unique("sink")
    client = boto3.client("kinesis", **moto_env())
    client.create_stream(StreamName=stream, ShardCount=3)
    client.get_waiter("stream_exists").wait(StreamName=stream, WaiterConfig={"Delay": 0.5, "MaxAttempts": 60})
    messages = keyed(2000, 40)
    publish(topic, messages)
    config = sink_config(tmp_path, name, topic, stream, awsEndpoint=server_env("PK_MOTO_ENDPOINT"),
                         awsCredentialPluginParam='{"accessKey":"%s","secretKey":"%s"}' % (
                             server_env("PK_MOTO_ACCESS_KEY_ID"), server_env("PK_MOTO_SECRET_ACCESS_KEY")))
    daemon = Daemon(tmp_path, "sink", config)
    try:
        wait_until(lambda: backlog(topic, f"public/default/{name}") == 0, 120, "backlog 0")
    finally:
        assert daemon.stop() == 0, daemon.output()
    got = []
    for shard in client.list_shards(StreamName=stream)["Shards"]:
        iterator = client.get_shard_iterator(StreamName=stream, ShardId=shard["ShardId"],
                                             ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while iterator:
            page = client.get_records(ShardIterator=iterator, Limit=10000)
            for r in page["Records"]:
                got.extend(user_records(r["PartitionKey"], r["Data"]))
            if not page["Records"]:
                break
            iterator = page.get("NextShardIterator")
    assert sorted(d for _, d in got) == sorted(p for _, p in messages)
    assert all(k == f"key-{int(d[:6]) % 40}" for k, d in got)
