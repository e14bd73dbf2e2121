"""Scale-out, end to end: several `pulsar-kinesis source` processes with one applicationName share the shards of a
stream through the lease table (owners checked in moto's DynamoDB); when one is killed (SIGKILL) another takes its
shards after the failover time, when one stops cleanly it hands its leases over at once; records keep being put
meanwhile and none is lost, and no two processes ever read one shard at once (each key's first deliveries stay in
order)."""
import collections
import signal
import time

import pytest

from daemon_fixtures import (Daemon, Putter, TopicReader, create_stream, dedup_namespace, lease_items, source_config, topic_now, unique,
                             wait_until)

SHARDS = 4
KEYS = 24
FAILOVER_MS = 3000
TAKE_INTERVAL_S = 2 * (FAILOVER_MS + 25) / 1000


def plain_round(r):
    return [{"PartitionKey": f"key-{k}", "Data": f"key-{k}:{r:05}".encode()} for k in range(KEYS)]


def owners(app):
    """Unfinished leases per owner (None: unowned)."""
    out = collections.Counter()
    for item in lease_items(app):
        if item["checkpoint"]["S"] != "SHARD_END":
            out[item.get("leaseOwner", {}).get("S")] += 1
    return out


def worker_id(daemon):
    # "worker <id> started on stream ..." is the pipeline's first line once it runs.
    for line in daemon.output().splitlines():
        if "worker " in line and " started on stream " in line:
            return line.split("worker ", 1)[1].split(" ", 1)[0]
    return None


def wait_for_worker_id(daemon):
    wait_until(lambda: worker_id(daemon) is not None, 60, "the daemon to start")
    return worker_id(daemon)


@pytest.mark.parametrize("fan_out,effectively_once", [(False, False), (True, False), (False, True)],
                         ids=["polling", "fan-out", "polling-effectively-once"])
def test_processes_share_the_shards_and_take_over_from_a_killed_or_stopped_one(tmp_path, fan_out, effectively_once):
    namespace = dedup_namespace() if effectively_once else "public/default"
    stream, topic, app = unique("pk-scale"), f"persistent://{namespace}/{unique('pk-scale')}", unique("app")
    create_stream(stream, SHARDS)
    reader = TopicReader(topic)
    config = source_config(tmp_path, unique("source"), stream, topic, app, fan_out=fan_out, failoverTimeMillis=FAILOVER_MS,
                           kinesisRecordProperties="kinesis.sequence.number,kinesis.shard.id",
                           effectivelyOnce=effectively_once)
    putter = Putter(stream, plain_round, 0.4)
    daemons = []

    def start():
        d = Daemon(tmp_path, "source", config)
        daemons.append(d)
        return d, wait_for_worker_id(d)

    try:
        a, a_id = start()
        wait_until(lambda: owners(app) == {a_id: SHARDS}, 60, "the first process to take every shard")
        # A second process: the leases end up split 2 / 2 (stolen one at a time).
        b, b_id = start()
        wait_until(lambda: owners(app) == {a_id: SHARDS // 2, b_id: SHARDS // 2}, 90, "the shards split 2 / 2")

        # SIGKILL the first: the second takes its shards, but not before they expired (failover time).
        killed_at = time.time()
        a.stop(signal.SIGKILL)
        wait_until(lambda: owners(app) == {b_id: SHARDS}, 90, "the survivor to take every shard")
        assert time.time() - killed_at >= FAILOVER_MS / 1000

        # A third process takes half; then a clean stop of the second hands its leases over at once: released
        # (no owner) when it exits, taken by the third at its next take round, not after an expiry, and resumed
        # exactly at the final checkpoints (nothing the second delivered comes again).
        c, c_id = start()
        wait_until(lambda: owners(app) == {b_id: SHARDS // 2, c_id: SHARDS // 2}, 90, "the shards split 2 / 2 again")
        b_shards = {i["leaseKey"]["S"] for i in lease_items(app) if i.get("leaseOwner", {}).get("S") == b_id}
        assert b.stop() == 0, b.output()
        stopped_at = time.time()
        assert b_id not in owners(app), owners(app)
        assert b.output().count("released lease") >= SHARDS // 2
        stored = topic_now(topic)
        before_stop = {m.data() for m in stored if m.properties()["kinesis.shard.id"] in b_shards}
        wait_until(lambda: owners(app) == {c_id: SHARDS}, 60, "the third process to take every shard")
        assert time.time() - stopped_at <= TAKE_INTERVAL_S + 3

        rounds = putter.stop()
        expected = {f"key-{k}:{r:05}".encode() for k in range(KEYS) for r in range(rounds)}
        reader.read_until(len(expected), 120)
        got = reader.drain()  # the putter stopped: the topic goes quiet
        datas = [m.data() for m in got]
        assert set(datas) == expected, f"{len(expected - set(datas))} records lost\n" + c.output()
        # Duplicates come from the kill and the steals (what the previous holder delivered after its last
        # checkpoint, about a checkpoint interval of puts per shard), never from the clean stop's hand-over.
        # With effectively-once the broker drops every one of them.
        duplicates = len(datas) - len(set(datas))
        assert duplicates <= (0 if effectively_once else KEYS / 0.4 * 3 * 2), duplicates
        again = [m.data() for m in topic_now(topic)[len(stored):] if m.data() in before_stop]
        assert not again, f"{len(again)} records of the cleanly stopped process delivered again: {again[:5]}"
        # Per key, first deliveries in stream order: two processes never read one shard at the same time.
        first = collections.OrderedDict()
        for d in datas:
            first.setdefault(d, None)
        per_key = collections.defaultdict(list)
        for d in first:
            key, n = d.decode().split(":")
            per_key[key].append(int(n))
        assert all(v == sorted(v) for v in per_key.values())
    finally:
        if not putter.stopping.is_set():
            putter.stopping.set()
        for d in daemons:
            if d.process.poll() is None:
                assert d.stop() == 0, d.output()
        reader.close()
    assert all("leaseOwner" not in i for i in lease_items(app))
