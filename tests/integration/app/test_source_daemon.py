"""`pulsar-kinesis source --config FILE` end to end: records put into kinesis-mock by boto3 (plain, binary and KPL
aggregates written by aws-kinesis-agg) -> our daemon (leases in moto's DynamoDB) -> real Pulsar, read back by the
Python pulsar-client."""
import signal
import time

import aws_kinesis_agg.aggregator as agg
import pytest

from daemon_fixtures import (Daemon, TopicReader, create_stream, lease_items, put_records, source_config, unique,
                             wait_until)


def numbered(n, keys):
    return [(f"key-{i % keys}", f"{i:06}".encode() + bytes([i % 256, 0, 255])) for i in range(n)]


@pytest.mark.parametrize("fan_out", [False, True], ids=["polling", "fan-out"])
def test_every_record_reaches_pulsar_with_key_bytes_and_properties(tmp_path, fan_out):
    stream, topic, app = unique("pk-src"), f"persistent://public/default/{unique('pk-src')}", unique("app")
    create_stream(stream, 2)
    records = numbered(500, 20)
    put_records(stream, records)
    reader = TopicReader(topic)
    daemon = Daemon(tmp_path, "source", source_config(tmp_path, unique("source"), stream, topic, app, fan_out=fan_out))
    try:
        got = reader.read_until(len(records), 120)
        assert len(got) == len(records), daemon.output()
        by_data = {m.data(): m for m in got}
        assert set(by_data) == {d for _, d in records}
        for key, data in records:
            m = by_data[data]
            assert m.partition_key() == key
            props = m.properties()
            assert props["kinesis.partition.key"] == key
            assert props["kinesis.encryption.type"] == "NONE"
            assert props["kinesis.sequence.number"].isdigit()
            assert props["kinesis.arrival.timestamp"].endswith("Z")
            assert m.event_timestamp() > 0
        # Per key, Pulsar holds the records in stream order.
        per_key = {}
        for m in got:
            per_key.setdefault(m.partition_key(), []).append(int(m.data()[:6]))
        assert all(v == sorted(v) for v in per_key.values())
        # Checkpoints reach the lease table (checkpointInterval 1 s).
        wait_until(lambda: all(i["checkpoint"]["S"].isdigit() for i in lease_items(app) if "checkpoint" in i)
                   and len(lease_items(app)) == 2, 30, "both shards checkpointed")
    finally:
        assert daemon.stop() == 0, daemon.output()
        reader.close()
    # A clean stop releases the leases.
    assert all("leaseOwner" not in i for i in lease_items(app))


def test_aggregated_records_arrive_as_their_user_records(tmp_path):
    stream, topic, app = unique("pk-src"), f"persistent://public/default/{unique('pk-src')}", unique("app")
    create_stream(stream, 1)
    aggregator = agg.RecordAggregator()
    user_records = [(f"user-{i % 7}", f"sub-{i:04}".encode()) for i in range(300)]
    put = []
    for key, data in user_records:
        full = aggregator.add_user_record(key, data)
        if full:
            pk, _ehk, blob = full.get_contents()
            put.append((pk, blob))
    pk, _ehk, blob = aggregator.clear_and_get().get_contents()
    put.append((pk, blob))
    put.append(("plain", b"not aggregated"))
    put_records(stream, put)
    reader = TopicReader(topic)
    daemon = Daemon(tmp_path, "source", source_config(tmp_path, unique("source"), stream, topic, app))
    try:
        got = reader.read_until(len(user_records) + 1, 120)
        assert sorted((m.partition_key(), m.data()) for m in got) == sorted(user_records + [("plain", b"not aggregated")])
    finally:
        assert daemon.stop() == 0, daemon.output()
        reader.close()


def test_kill_9_resumes_from_the_checkpoint(tmp_path):
    stream, topic, app = unique("pk-src"), f"persistent://public/default/{unique('pk-src')}", unique("app")
    create_stream(stream, 2)
    first_half = numbered(400, 10)
    put_records(stream, first_half)
    config = source_config(tmp_path, unique("source"), stream, topic, app)
    reader = TopicReader(topic)
    first = Daemon(tmp_path, "source", config)
    reader.read_until(len(first_half), 120)
    wait_until(lambda: sum(1 for i in lease_items(app) if i["checkpoint"]["S"].isdigit()) == 2, 30, "checkpoints")
    first.stop(signal.SIGKILL)
    second_half = [(k, d + b"-2") for k, d in numbered(400, 10)]
    put_records(stream, second_half)
    second = Daemon(tmp_path, "source", config)  # takes the dead worker's leases after failoverTimeMillis
    try:
        reader.read_until(len(first_half) + len(second_half), 120)
        reader.drain()
        datas = [m.data() for m in reader.messages]
        assert set(datas) == {d for _, d in first_half + second_half}, second.output()
        # Resumed from the checkpoint: at most the records after the last checkpoint come twice.
        assert len(datas) - len(set(datas)) < len(first_half)
    finally:
        assert second.stop() == 0, second.output()
        reader.close()
