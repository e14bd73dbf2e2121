"""Effectively-once, end to end: `effectivelyOnce: true` on a namespace with broker deduplication on. The daemon is
killed (SIGKILL) mid-stream, twice, the second time just after a split, while plain records and KPL aggregates keep
being put; the topic must hold every (sub-)record exactly once, each key's records in order. On a partitioned topic,
a crash that left the partitions at different sequence ids must not make the restart skip records that one partition
never stored."""
import signal
import struct
import time

import aws_kinesis_agg.aggregator as agg
import boto3
import pulsar

from daemon_fixtures import (Daemon, Putter, TopicReader, create_stream, dedup_namespace, kinesis, lease_items, moto_env,
                             pulsar_admin, server_env, source_config, unique, wait_until)

PLAIN_KEYS = 8
AGGREGATED = 12  # sub-records per aggregate


def mixed_round(r):
    """PLAIN_KEYS plain records ("key-<k>:<round>") and one KPL aggregate of AGGREGATED sub-records
    ("agg-<k>:<round>")."""
    aggregator = agg.RecordAggregator()
    for k in range(AGGREGATED):
        assert aggregator.add_user_record(f"agg-{k}", f"agg-{k}:{r:05}".encode()) is None
    pk, ehk, blob = aggregator.clear_and_get().get_contents()
    records = [{"PartitionKey": f"key-{k}", "Data": f"key-{k}:{r:05}".encode()} for k in range(PLAIN_KEYS)]
    records.append({"PartitionKey": pk, "Data": blob, **({"ExplicitHashKey": ehk} if ehk else {})})
    return records


def mixed_expected(rounds):
    return {f"{kind}-{k}:{r:05}".encode() for r in range(rounds)
            for kind, keys in (("key", PLAIN_KEYS), ("agg", AGGREGATED)) for k in range(keys)}


def skipped(daemon):
    """The 'N skipped as duplicates' of the daemon's final line."""
    for line in daemon.output().splitlines():
        if "skipped as duplicates" in line:
            return int(line.split(" records sent, ")[1].split(" ")[0])
    return None


def test_kill_9_twice_and_a_split_leave_every_record_once_in_order(tmp_path):
    namespace = dedup_namespace()
    stream, topic, app = unique("pk-eo"), f"persistent://{namespace}/{unique('pk-eo')}", unique("app")
    create_stream(stream, 2)
    reader = TopicReader(topic)
    config = source_config(tmp_path, unique("source"), stream, topic, app, effectivelyOnce=True,
                           checkpointInterval=2000)
    putter = Putter(stream, mixed_round, 0.3)
    daemons = []

    def start():
        daemons.append(Daemon(tmp_path, "source", config))
        return daemons[-1]

    try:
        a = start()
        reader.read_until(300, 120)
        assert len(reader.messages) >= 300, a.output()
        a.stop(signal.SIGKILL)  # mid-stream: records in flight, the last checkpoint up to 2 s old

        b = start()  # takes the dead worker's leases after failoverTimeMillis
        reader.read_until(len(reader.messages) + 300, 120)
        client = kinesis()
        shard0 = client.list_shards(StreamName=stream)["Shards"][0]
        low, high = (int(shard0["HashKeyRange"][k]) for k in ("StartingHashKey", "EndingHashKey"))
        client.split_shard(StreamName=stream, ShardToSplit=shard0["ShardId"],
                           NewStartingHashKey=str((low + high) // 2))
        wait_until(lambda: "reading shard shardId-000000000002" in b.output(), 90, "a child shard being read")
        time.sleep(2)
        b.stop(signal.SIGKILL)

        c = start()
        wait_until(lambda: "reading shard shardId-000000000002" in c.output(), 90, "the restart reading the child")
        rounds = putter.stop()
        expected = mixed_expected(rounds)
        reader.read_until(len(expected), 120)
        got = reader.drain()
        assert c.stop() == 0, c.output()
    finally:
        putter.stopping.set()
        for d in daemons:
            if d.process.poll() is None:
                d.stop(signal.SIGKILL)
        reader.close()
    datas = [m.data() for m in got]
    assert set(datas) == expected, f"{len(expected - set(datas))} of {len(expected)} records missing\n" + c.output()
    assert len(datas) == len(expected), f"{len(datas) - len(expected)} duplicates"
    # Each key's records in stream order (plain keys stay on one shard or its child; the children started after the
    # parent's end).
    per_key = {}
    for m in got:
        key, n = m.data().decode().split(":")
        assert key == m.partition_key()
        per_key.setdefault(key, []).append(int(n))
    for k in range(PLAIN_KEYS):
        assert per_key[f"key-{k}"] == list(range(rounds)), f"key-{k}"
    # The restarts replayed from checkpoints: records the broker already had were not sent again.
    assert skipped(c) > 0, c.output()
    # Every checkpoint carries the record count it belongs to.
    for item in lease_items(app):
        checkpoint = item["checkpoint"]["S"]
        if checkpoint.isdigit():
            assert item["pkRecordCounterCheckpoint"]["S"] == f"{checkpoint}/{item['checkpointSubSequenceNumber']['N']}"
            assert int(item["pkRecordCounter"]["N"]) > 0


def test_kill_9_before_the_first_periodic_checkpoint_sends_nothing_twice(tmp_path):
    """A new shard read from TRIM_HORIZON has no record count until its first checkpoint; with the default
    checkpointInterval (60 s) a crash in that first minute must not send everything read so far a second time."""
    namespace = dedup_namespace()
    stream, topic, app = unique("pk-eo"), f"persistent://{namespace}/{unique('pk-eo')}", unique("app")
    create_stream(stream, 2)
    records = [(f"key-{i % 8}", f"key-{i % 8}:{i:05}".encode()) for i in range(400)]
    client = kinesis()
    for i in range(0, len(records), 100):
        client.put_records(StreamName=stream, Records=[{"PartitionKey": k, "Data": d} for k, d in records[i:i + 100]])
    reader = TopicReader(topic)
    config = source_config(tmp_path, unique("source"), stream, topic, app, effectivelyOnce=True,
                           checkpointInterval=60000)
    first = Daemon(tmp_path, "source", config)
    reader.read_until(len(records), 120)
    assert len(reader.messages) == len(records), first.output()
    first.stop(signal.SIGKILL)
    second = Daemon(tmp_path, "source", config)
    try:
        wait_until(lambda: second.output().count("reading shard") == 2, 60, "the restart reading both shards")
        reader.drain(quiet_seconds=5)
    finally:
        assert second.stop() == 0, second.output()
        reader.close()
    datas = [m.data() for m in reader.messages]
    assert sorted(datas) == sorted(d for _, d in records), f"{len(datas) - len(records)} duplicates"
    assert skipped(second) == len(records) - 2, second.output()  # all but each shard's first record


def murmur3_32(data, seed=0):
    """MurmurHash3_x86_32, to know which partition the Pulsar clients route a key to (Murmur3_32Hash)."""
    c1, c2, mask = 0xcc9e2d51, 0x1b873593, 0xffffffff

    def rotl(x, r):
        return ((x << r) | (x >> (32 - r))) & mask

    h = seed
    blocks = len(data) // 4
    for i in range(blocks):
        (k,) = struct.unpack_from("<I", data, 4 * i)
        k = rotl((k * c1) & mask, 15) * c2 & mask
        h = (rotl(h ^ k, 13) * 5 + 0xe6546b64) & mask
    k = 0
    for j, b in enumerate(data[4 * blocks:]):
        k ^= b << (8 * j)
    if k:
        h ^= rotl((k * c1) & mask, 15) * c2 & mask
    h ^= len(data)
    for shift, mul in ((16, 0x85ebca6b), (13, 0xc2b2ae35)):
        h = ((h ^ (h >> shift)) * mul) & mask
    return h ^ (h >> 16)


def test_partitioned_topic_restart_skips_only_what_every_partition_stored(tmp_path):
    """A crash leaves the partitions of a partitioned topic at different last sequence ids for the shard's producer
    (each partition persists on its own). The restart must not skip, client-side, records above what one partition
    stored, just because another partition stored more. The crash state is made by hand: the lease checkpointed at
    record 9 (count 10), partition 0 stored the shard's records up to number 29, partition 1 only up to 19."""
    assert murmur3_32(b"hello") == 0x248BFA47
    namespace = dedup_namespace()
    stream, app = unique("pk-eo"), unique("app")
    topic = f"persistent://{namespace}/{unique('pk-eo')}"
    pulsar_admin("PUT", f"/admin/v2/persistent/{topic.split('://', 1)[1]}/partitions", 2)
    client = create_stream(stream, 1)
    records = [(f"key-{i % 8}", f"key-{i % 8}:{i:05}".encode()) for i in range(40)]
    client.put_records(StreamName=stream, Records=[{"PartitionKey": k, "Data": d} for k, d in records])
    shard = client.list_shards(StreamName=stream)["Shards"][0]
    iterator = client.get_shard_iterator(StreamName=stream, ShardId=shard["ShardId"],
                                         ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    sequences = [r["SequenceNumber"] for r in client.get_records(ShardIterator=iterator, Limit=100)["Records"]]
    assert len(sequences) == len(records)
    partition = [(murmur3_32(k.encode()) & 0x7FFFFFFF) % 2 for k, _ in records]
    stored = [i for i in range(30) if partition[i] == 0 or i < 20]
    assert any(partition[i] == 1 for i in range(20, 30)), "no record of partition 1 in the gap: change the keys"

    # What the crashed run left: the stored records, sent as our producer sends them (name, sequence id = number).
    pulsar_client = pulsar.Client(server_env("PK_PULSAR_URL"))
    for p in (0, 1):
        producer = pulsar_client.create_producer(f"{topic}-partition-{p}", producer_name=f"{app}/{shard['ShardId']}",
                                                 batching_enabled=False)
        for i in stored:
            if partition[i] == p:
                producer.send(records[i][1], partition_key=records[i][0], sequence_id=i)
        producer.close()
    pulsar_client.close()
    dynamodb = boto3.client("dynamodb", **moto_env())
    dynamodb.create_table(TableName=app, KeySchema=[{"AttributeName": "leaseKey", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "leaseKey", "AttributeType": "S"}],
                          BillingMode="PAY_PER_REQUEST")
    dynamodb.put_item(TableName=app, Item={
        "leaseKey": {"S": shard["ShardId"]}, "leaseCounter": {"N": "1"}, "ownerSwitchesSinceCheckpoint": {"N": "0"},
        "checkpoint": {"S": sequences[9]}, "checkpointSubSequenceNumber": {"N": "0"},
        "startingHashKey": {"S": shard["HashKeyRange"]["StartingHashKey"]},
        "endingHashKey": {"S": shard["HashKeyRange"]["EndingHashKey"]},
        "pkRecordCounter": {"N": "10"}, "pkRecordCounterCheckpoint": {"S": f"{sequences[9]}/0"}})

    reader = TopicReader(topic)
    daemon = Daemon(tmp_path, "source", source_config(tmp_path, unique("source"), stream, topic, app,
                                                      effectivelyOnce=True))
    try:
        reader.read_until(len(records), 60)
        reader.drain(quiet_seconds=3)
    finally:
        assert daemon.stop() == 0, daemon.output()
        reader.close()
    datas = sorted(m.data() for m in reader.messages)
    missing = sorted({d for _, d in records} - set(datas))
    assert not missing, f"lost: {missing}\n" + daemon.output()
    assert datas == sorted(d for _, d in records), "duplicates"


def test_a_shard_whose_producer_is_still_connected_elsewhere_waits_for_it(tmp_path):
    """The previous reader of a shard (another process that lost the lease and is still winding down) may still hold
    the shard's producer name; the new holder must wait for it to close, not fail."""
    namespace = dedup_namespace()
    stream, topic, app = unique("pk-eo"), f"persistent://{namespace}/{unique('pk-eo')}", unique("app")
    client = create_stream(stream, 1)
    shard = client.list_shards(StreamName=stream)["Shards"][0]["ShardId"]
    records = [(f"key-{i % 4}", f"key-{i % 4}:{i:05}".encode()) for i in range(50)]
    client.put_records(StreamName=stream, Records=[{"PartitionKey": k, "Data": d} for k, d in records])
    pulsar_client = pulsar.Client(server_env("PK_PULSAR_URL"))
    other = pulsar_client.create_producer(topic, producer_name=f"{app}/{shard}")
    reader = TopicReader(topic)
    daemon = Daemon(tmp_path, "source", source_config(tmp_path, unique("source"), stream, topic, app,
                                                      effectivelyOnce=True, backoffTime=500))
    try:
        wait_until(lambda: "is still connected elsewhere" in daemon.output(), 60, "the daemon to find the name busy")
        time.sleep(1)
        assert daemon.process.poll() is None, daemon.output()
        assert not reader.read_until(1, 1), "nothing is sent while the name is busy"
        other.close()
        reader.read_until(len(records), 60)
        reader.drain(quiet_seconds=2)
    finally:
        pulsar_client.close()
        assert daemon.stop() == 0, daemon.output()
        reader.close()
    assert sorted(m.data() for m in reader.messages) == sorted(d for _, d in records)


def test_without_broker_deduplication_a_restart_says_that_replays_may_come_twice(tmp_path):
    stream, topic, app = unique("pk-eo"), f"persistent://public/default/{unique('pk-eo')}", unique("app")
    client = create_stream(stream, 1)
    client.put_records(StreamName=stream, Records=[{"PartitionKey": "k", "Data": b"r%d" % i} for i in range(20)])
    config = source_config(tmp_path, unique("source"), stream, topic, app, effectivelyOnce=True)
    reader = TopicReader(topic)
    try:
        first = Daemon(tmp_path, "source", config)
        reader.read_until(20, 60)
        wait_until(lambda: lease_items(app)[0].get("pkRecordCounter", {}).get("N") == "20", 30, "the count stored")
        assert first.stop() == 0, first.output()
        second = Daemon(tmp_path, "source", config)
        wait_until(lambda: "reading shard" in second.output(), 60, "the restart reading")
        assert second.stop() == 0, second.output()
    finally:
        reader.close()
    assert "the broker knows no sequence id of producer" in second.output(), second.output()
    assert "deduplication is off on the topic" in second.output()
    assert "the broker knows no sequence id" not in first.output()
