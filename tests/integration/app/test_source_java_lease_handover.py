"""Lease hand-over with the real Java connector: Apache Pulsar's KinesisSource (pulsar-io-kinesis from Maven Central,
KCL 3.1.2 inside; run by run_java_source around java/KinesisSourcePeer.java, polling) and our daemon take turns on one
lease table (applicationName), reading one stream into one Pulsar topic. Each continues at the other's checkpoints:
nothing is lost, and a record comes twice only if it lies after the checkpoint its first reader left. The lease
items keep the attributes the other wrote. (KCL 3 starts slowly: it waits for its lease table, then for its
leader's first assignment, a minute or two against the emulators.)"""
import json
import os
import subprocess
import threading
import time
from collections import Counter

import boto3
import pytest

from daemon_fixtures import (Daemon, TopicReader, create_stream, kinesis, lease_items, moto_env, put_records,
                             server_env, source_config, unique, wait_until)

HERE = os.path.dirname(os.path.abspath(__file__))


class JavaSource:
    """The Java connector in a child process; stops (close()) when its standard input closes."""

    def __init__(self, tmp_path, stream, topic, application):
        configs = {"awsEndpoint": server_env("PK_KINESIS_PLAIN_ENDPOINT"), "awsRegion": "us-east-1",
                   "dynamoEndpoint": server_env("PK_MOTO_ENDPOINT"),
                   "cloudwatchEndpoint": server_env("PK_MOTO_ENDPOINT"),
                   "awsKinesisStreamName": stream, "applicationName": application,
                   "initialPositionInStream": "TRIM_HORIZON", "useEnhancedFanOut": False,
                   "checkpointInterval": 1000,
                   "awsCredentialPluginParam": json.dumps({"accessKey": server_env("PK_MOTO_ACCESS_KEY_ID"),
                                                            "secretKey": server_env("PK_MOTO_SECRET_ACCESS_KEY")})}
        path = tmp_path / f"java-{unique('configs')}.json"
        path.write_text(json.dumps(configs))
        self.log_path = tmp_path / f"java-{unique('log')}.log"
        self.log = open(self.log_path, "wb")
        work = os.path.join(os.environ.get("PK_SERVICES_DIR", str(tmp_path)), "java-source-peer")
        self.process = subprocess.Popen([os.path.join(HERE, "run_java_source"), str(path), server_env("PK_PULSAR_URL"),
                                         topic, work], stdin=subprocess.PIPE, stdout=self.log,
                                        stderr=subprocess.STDOUT)

    def output(self):
        self.log.flush()
        return self.log_path.read_text(errors="replace")

    def published(self):
        return sum(1 for line in self.output().splitlines() if line.startswith("published "))

    def stop(self):
        self.process.stdin.close()
        try:
            return self.process.wait(timeout=120)
        finally:
            self.log.close()

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if not self.log.closed:
            self.log.close()


def positions(stream):
    """data -> (shard id, sequence number as int) for every record of the stream."""
    client = kinesis()
    out = {}
    for shard in client.list_shards(StreamName=stream)["Shards"]:
        iterator = client.get_shard_iterator(StreamName=stream, ShardId=shard["ShardId"],
                                             ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while iterator:
            got = client.get_records(ShardIterator=iterator, Limit=10000)
            for r in got["Records"]:
                out[r["Data"]] = (shard["ShardId"], int(r["SequenceNumber"]))
            if not got["Records"]:
                break
            iterator = got.get("NextShardIterator")
    return out


def checkpoints(application):
    """shard id -> checkpoint (int sequence number, or the sentinel text)."""
    out = {}
    for item in lease_items(application):
        value = item["checkpoint"]["S"]
        out[item["leaseKey"]["S"]] = int(value) if value.isdigit() else value
    return out


def last_sequences(stream):
    last = {}
    for shard, seq in positions(stream).values():
        last[shard] = max(last.get(shard, 0), seq)
    return last


def wait_checkpointed_to_end(stream, application, timeout, owner_check=None):
    """Until every shard's checkpoint is its last record's sequence number."""
    def done():
        have = checkpoints(application)
        want = last_sequences(stream)
        return all(have.get(shard) == seq for shard, seq in want.items())
    wait_until(done, timeout, "every shard checkpointed at its last record")


def read_all(reader, expected, timeout):
    deadline = time.time() + timeout
    got = Counter()
    while not set(got) >= expected and time.time() < deadline:
        reader.read_until(len(reader.messages) + 1, 2)
        got = Counter(m.data() for m in reader.messages)
    reader.drain(quiet_seconds=3)
    return Counter(m.data() for m in reader.messages)


def duplicates_only_after(counts, where, left):
    """Every record read more than once lies after the checkpoint `left` of its shard."""
    for data, n in counts.items():
        if n > 1:
            shard, seq = where[data]
            at = left.get(shard)
            assert not isinstance(at, int) or seq > at, \
                f"{data!r} ({shard} {seq}) came {n} times though checkpoint {at} covered it"


def mark_unknown_attribute(application):
    client = boto3.client("dynamodb", **moto_env())
    for item in lease_items(application):
        client.update_item(TableName=application, Key={"leaseKey": item["leaseKey"]},
                           UpdateExpression="SET pkTestMarker = :m", ExpressionAttributeValues={":m": {"S": "kept"}})


def attribute_names(application):
    return {item["leaseKey"]["S"]: set(item) for item in lease_items(application)}


def assert_attributes_kept(application, names_before):
    names_after = attribute_names(application)
    for shard, names in names_before.items():
        assert names <= names_after[shard], f"{shard}: attributes dropped: {names - names_after[shard]}"


@pytest.fixture
def servers_ready():
    for name in ("PK_KINESIS_PLAIN_ENDPOINT", "PK_MOTO_ENDPOINT", "PK_PULSAR_URL"):
        server_env(name)


def test_ours_continues_at_the_java_connectors_checkpoints(tmp_path, servers_ready):
    stream, topic, app = unique("pk-jh"), f"persistent://public/default/{unique('pk-jh')}", unique("app")
    create_stream(stream, 2)
    first = [(f"key-{i % 8}", f"java-{i:04}".encode()) for i in range(100)]
    put_records(stream, first)
    reader = TopicReader(topic)
    java = JavaSource(tmp_path, stream, topic, app)
    daemon = None
    try:
        wait_until(lambda: java.published() >= len(first) or java.process.poll() is not None, 300,
                   "the Java connector to publish the first records")
        assert java.process.poll() is None, java.output()[-5000:]
        wait_checkpointed_to_end(stream, app, 60)
        # More records while the Java connector still runs: some of them read (and maybe not checkpointed) by it.
        second = [(f"key-{i % 8}", f"more-{i:04}".encode()) for i in range(100)]
        put_records(stream, second)
        time.sleep(2)
        assert java.stop() == 0, java.output()[-5000:]
        left = checkpoints(app)
        assert all(isinstance(c, int) for c in left.values()), left
        mark_unknown_attribute(app)
        names_before = attribute_names(app)

        third = [(f"key-{i % 8}", f"ours-{i:04}".encode()) for i in range(100)]
        put_records(stream, third)
        daemon = Daemon(tmp_path, "source", source_config(tmp_path, unique("source"), stream, topic, app,
                                                          failoverTimeMillis=10000))
        expected = {d for _, d in first + second + third}
        counts = read_all(reader, expected, 240)
        missing = expected - set(counts)
        assert not missing, f"{len(missing)} records lost\n" + daemon.output()
        duplicates_only_after(counts, positions(stream), left)
        wait_checkpointed_to_end(stream, app, 60)
        assert_attributes_kept(app, names_before)
        print(f"Java left {left}; {sum(counts.values()) - len(counts)} duplicates")
    finally:
        java.kill()
        if daemon is not None:
            assert daemon.stop() == 0, daemon.output()
        reader.close()


def test_the_java_connector_continues_at_our_checkpoints(tmp_path, servers_ready):
    stream, topic, app = unique("pk-jh"), f"persistent://public/default/{unique('pk-jh')}", unique("app")
    create_stream(stream, 2)
    first = [(f"key-{i % 8}", f"ours-{i:04}".encode()) for i in range(100)]
    put_records(stream, first)
    reader = TopicReader(topic)
    daemon = Daemon(tmp_path, "source", source_config(tmp_path, unique("source"), stream, topic, app))
    java = None
    try:
        reader.read_until(len(first), 120)
        wait_checkpointed_to_end(stream, app, 60)
        assert daemon.stop() == 0, daemon.output()  # a clean stop: final checkpoints, leases released
        left = checkpoints(app)
        mark_unknown_attribute(app)
        names_before = attribute_names(app)

        second = [(f"key-{i % 8}", f"java-{i:04}".encode()) for i in range(100)]
        put_records(stream, second)
        java = JavaSource(tmp_path, stream, topic, app)
        expected = {d for _, d in first + second}
        counts = read_all(reader, expected, 300)
        missing = expected - set(counts)
        assert not missing, f"{len(missing)} records lost\n" + java.output()[-5000:]
        duplicates_only_after(counts, positions(stream), left)
        wait_checkpointed_to_end(stream, app, 60)
        assert_attributes_kept(app, names_before)
        assert java.stop() == 0, java.output()[-5000:]
        print(f"ours left {left}; {sum(counts.values()) - len(counts)} duplicates")
    finally:
        if java is not None:
            java.kill()
        if daemon.process.poll() is None:
            daemon.stop()
        reader.close()
