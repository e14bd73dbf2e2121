"""Resharding mid-stream, end to end: records with many keys keep being put into kinesis-mock while boto3 splits a
shard and then merges two; our daemon (polling, and fan-out, where kinesis-mock never signals the shard end and the
reader probes with GetRecords) must deliver every record once, each key's records in order (a parent's before its
child's), and write SHARD_END on a parent only after every record of that parent is in Pulsar."""
import threading
import time

import pulsar
import pytest

from daemon_fixtures import (Daemon, TopicReader, create_stream, kinesis, lease_items, server_env, shard_records,
                             source_config, unique, wait_until)

KEYS = 40
ROUNDS = 36
SPLIT_AFTER = 10  # rounds
MERGE_AFTER = 22


def wait_active(client, stream):
    deadline = time.time() + 60
    while client.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]["StreamStatus"] != "ACTIVE":
        assert time.time() < deadline, "stream not ACTIVE again after resharding"
        time.sleep(0.2)


def put_while_resharding(stream, errors):
    """ROUNDS rounds of one record per key (data "<key>:<round>"); splits shard 0 after SPLIT_AFTER rounds and merges
    its upper child with shard 1 after MERGE_AFTER rounds."""
    try:
        client = kinesis()
        for r in range(ROUNDS):
            answer = client.put_records(StreamName=stream, Records=[
                {"PartitionKey": f"key-{k}", "Data": f"key-{k}:{r:04}".encode()} for k in range(KEYS)])
            assert answer["FailedRecordCount"] == 0, answer
            if r + 1 == SPLIT_AFTER:
                shard0 = client.list_shards(StreamName=stream)["Shards"][0]
                low, high = (int(shard0["HashKeyRange"][k]) for k in ("StartingHashKey", "EndingHashKey"))
                client.split_shard(StreamName=stream, ShardToSplit=shard0["ShardId"],
                                   NewStartingHashKey=str((low + high) // 2))
                wait_active(client, stream)
            if r + 1 == MERGE_AFTER:
                # The upper child of the split and shard 1 are adjacent: one of them was itself a child.
                client.merge_shards(StreamName=stream, ShardToMerge="shardId-000000000003",
                                    AdjacentShardToMerge="shardId-000000000001")
                wait_active(client, stream)
            time.sleep(0.15)
    except Exception as e:  # noqa: BLE001 - reported by the test
        errors.append(e)


class ShardEndWatch:
    """Polls the lease table; whenever a lease is first seen at SHARD_END, reads everything the topic holds at that
    moment and checks that every record of that (closed) shard is in it."""

    def __init__(self, app, stream, topic):
        self.app, self.stream, self.topic = app, stream, topic
        self.seen = {}  # shard id -> number of its records found in the topic at SHARD_END
        self.problems = []
        self.stopping = False
        self.client = pulsar.Client(server_env("PK_PULSAR_URL"))
        self.reader = self.client.create_reader(topic, pulsar.MessageId.earliest)
        self.by_shard = {}
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def catch_up(self):
        while self.reader.has_message_available():
            m = self.reader.read_next(timeout_millis=5000)
            self.by_shard.setdefault(m.properties()["kinesis.shard.id"], set()).add(m.data())

    def run(self):
        while not self.stopping:
            try:
                for item in lease_items(self.app):
                    shard = item["leaseKey"]["S"]
                    if item["checkpoint"]["S"] != "SHARD_END" or shard in self.seen:
                        continue
                    self.catch_up()
                    expected = {d for _, d in shard_records(self.stream, shard)}
                    got = self.by_shard.get(shard, set())
                    self.seen[shard] = len(got)
                    if got != expected:
                        self.problems.append(f"{shard} at SHARD_END with {len(expected - got)} of its "
                                             f"{len(expected)} records not in Pulsar")
            except Exception as e:  # noqa: BLE001 - reported by the test
                if "ResourceNotFoundException" not in repr(e):  # the daemon has not created the table yet
                    self.problems.append(repr(e))
            time.sleep(0.3)

    def close(self):
        self.stopping = True
        self.thread.join(timeout=30)
        self.client.close()


@pytest.mark.parametrize("fan_out", [False, True], ids=["polling", "fan-out"])
def test_split_and_merge_mid_stream_keep_every_key_in_order(tmp_path, fan_out):
    stream, topic, app = unique("pk-reshard"), f"persistent://public/default/{unique('pk-reshard')}", unique("app")
    create_stream(stream, 2)
    reader = TopicReader(topic)
    config = source_config(tmp_path, unique("source"), stream, topic, app, fan_out=fan_out,
                           kinesisRecordProperties="kinesis.partition.key,kinesis.sequence.number,kinesis.shard.id")
    daemon = Daemon(tmp_path, "source", config)
    watch = ShardEndWatch(app, stream, topic)
    errors = []
    putter = threading.Thread(target=put_while_resharding, args=(stream, errors))
    putter.start()
    try:
        putter.join(timeout=300)
        assert not errors, errors
        total = KEYS * ROUNDS
        got = reader.read_until(total, 240)
        assert len(got) == total, f"{len(got)} of {total} records in Pulsar\n" + daemon.output()
        # Each parent's lease shows SHARD_END (or was cleaned up after its children started).
        parents = ["shardId-000000000000", "shardId-000000000001", "shardId-000000000003"]
        wait_until(lambda: all(p in watch.seen or p not in {i["leaseKey"]["S"] for i in lease_items(app)}
                               for p in parents), 60, "SHARD_END on every parent")
        reader.drain(quiet_seconds=2)
    finally:
        watch.close()
        assert daemon.stop() == 0, daemon.output()
        reader.close()
    datas = [m.data() for m in reader.messages]
    assert len(datas) == len(set(datas)) == KEYS * ROUNDS, "duplicates or missing records"
    # Per key: every round once, in order, across the split and the merge.
    per_key = {}
    for m in reader.messages:
        key, n = m.data().decode().split(":")
        assert key == m.partition_key()
        per_key.setdefault(key, []).append(int(n))
    assert per_key == {f"key-{k}": list(range(ROUNDS)) for k in range(KEYS)}
    # Records really went through the children: the split's children and the merge's child each delivered some.
    shards = {m.properties()["kinesis.shard.id"] for m in reader.messages}
    assert {"shardId-000000000002", "shardId-000000000003", "shardId-000000000004"} <= shards, shards
    assert not watch.problems, watch.problems
    assert set(parents) <= set(watch.seen), f"SHARD_END seen on {sorted(watch.seen)}"
    # The clean stop checkpointed the open shards and released everything.
    items = {i["leaseKey"]["S"]: i for i in lease_items(app)}
    assert all("leaseOwner" not in i for i in items.values())
    for shard in ("shardId-000000000002", "shardId-000000000004"):
        assert items[shard]["checkpoint"]["S"].isdigit(), items[shard]
        assert {p for p in items[shard]["parentShardId"]["SS"]} <= set(parents) | {"shardId-000000000000"}
