"""End-to-end latency of the source (put -> consumed from Pulsar), at a steady rate well below capacity.

`fake`: fake_kinesis_endpoint --arrive N --rate R makes records arrive at R per second, each starting with its
arrival time (8 bytes, ns since the epoch, little-endian): our own latency. `kinesis-mock`: boto3 PutRecords to
kinesis-mock at R per second in batches every 100 ms, each record starting with the time its batch was sent: the
emulator's figure, reported next to ours. Either way a Python pulsar-client consumer reads the topic and takes
now - put time per message; arrivals of the first --warmup seconds (the daemon starting, taking its leases) are
not counted. Polling latency is bounded below by pollingIntervalMillis (default 1000 ms: a caught-up shard waits
that long before its next GetRecords) and 5 calls per second per shard."""
import os
import threading
import time
import uuid

import boto3
import pulsar

from proc_usage import env
from source_run import SHARDS, source_config, start_daemon, start_fake, stop

SIZE = 100
PUT_INTERVAL = 0.1


class Consumer(threading.Thread):
    """Reads a topic from its start; keeps (put ns, latency ns) per message."""

    def __init__(self, topic):
        super().__init__(daemon=True)
        self.client = pulsar.Client(env("PK_PULSAR_URL"))
        self.consumer = self.client.subscribe(topic, "latency", initial_position=pulsar.InitialPosition.Earliest,
                                              receiver_queue_size=20000)
        self.samples = []
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            try:
                message = self.consumer.receive(timeout_millis=200)
            except pulsar.Timeout:
                continue
            now = time.time_ns()
            put = int.from_bytes(message.data()[:8], "little")
            self.samples.append((put, now - put))
            self.consumer.acknowledge(message)

    def close(self):
        self.done.set()
        self.join(10)
        self.client.close()


def percentile(sorted_values, q):
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def summarize(samples, since_ns):
    counted = sorted(latency for put, latency in samples if put >= since_ns)
    if not counted:
        return {"counted": 0}
    return {"counted": len(counted), "p50_ms": percentile(counted, 0.50) / 1e6,
            "p99_ms": percentile(counted, 0.99) / 1e6, "max_ms": counted[-1] / 1e6}


def wait_for(consumer, count, seconds, daemon, log):
    deadline = time.time() + seconds
    while len(consumer.samples) < count and time.time() < deadline:
        if daemon.poll() is not None:
            raise RuntimeError(f"the daemon exited ({daemon.returncode}); see {log}")
        time.sleep(0.2)


def fake_run(args, reader, workdir):
    count = int(args.rate * args.seconds)
    topic = f"persistent://public/default/bench-latency-{uuid.uuid4().hex[:8]}"
    consumer = Consumer(topic)
    consumer.start()
    fake, url = start_fake("--arrive", count, "--rate", args.rate, "--size", SIZE)
    started = time.time_ns()
    config = os.path.join(workdir, f"latency-fake-{reader}.yaml")
    source_config(config, topic, url, f"latency-{uuid.uuid4().hex[:8]}", reader)
    log = os.path.join(workdir, f"latency-fake-{reader}.log")
    daemon = start_daemon(config, log)
    try:
        wait_for(consumer, count, args.seconds + 60, daemon, log)
    finally:
        stop(daemon)
        stop(fake, 10)
        consumer.close()
    return {"received": len(consumer.samples), "sent": count,
            **summarize(consumer.samples, started + int(args.warmup * 1e9))}


class Putter(threading.Thread):
    """PutRecords to kinesis-mock at `rate` per second, in one batch every PUT_INTERVAL; data = send time + padding."""

    def __init__(self, client, stream, rate, seconds):
        super().__init__(daemon=True)
        self.client, self.stream, self.rate, self.seconds = client, stream, rate, seconds
        self.sent = 0
        self.took = 0.0  # seconds the puts took (more than `seconds` when the emulator is slower than the rate)
        self.late = 0  # batches that left after their time (the emulator answering slower than the rate)

    def run(self):
        start = time.time()
        total = int(self.rate * self.seconds)
        while self.sent < total:
            due = min(total, int((time.time() - start) * self.rate) + 1)
            n = min(500, due - self.sent)
            if n > 0:
                stamp = time.time_ns().to_bytes(8, "little") + b"x" * (SIZE - 8)
                self.client.put_records(StreamName=self.stream, Records=[
                    {"Data": stamp, "PartitionKey": f"key-{(self.sent + i) % 1000}"} for i in range(n)])
                self.sent += n
            next_at = start + self.sent / self.rate
            if next_at < time.time() - PUT_INTERVAL:
                self.late += 1
            time.sleep(max(0.0, min(PUT_INTERVAL, next_at - time.time())))
        self.took = time.time() - start


def kinesis_mock_run(args, reader, workdir):
    endpoint = env("PK_KINESIS_PLAIN_ENDPOINT")
    client = boto3.client("kinesis", endpoint_url=endpoint, region_name=env("PK_KINESIS_REGION"),
                          aws_access_key_id="bench", aws_secret_access_key="bench")
    stream = f"latency-{uuid.uuid4().hex[:8]}"
    client.create_stream(StreamName=stream, ShardCount=SHARDS)
    client.get_waiter("stream_exists").wait(StreamName=stream, WaiterConfig={"Delay": 1})
    topic = f"persistent://public/default/bench-latency-{uuid.uuid4().hex[:8]}"
    consumer = Consumer(topic)
    consumer.start()
    config = os.path.join(workdir, f"latency-mock-{reader}.yaml")
    source_config(config, topic, endpoint, f"latency-{uuid.uuid4().hex[:8]}", reader, stream=stream)
    log = os.path.join(workdir, f"latency-mock-{reader}.log")
    daemon = start_daemon(config, log)
    putter = Putter(client, stream, args.rate, args.seconds)
    started = time.time_ns()
    putter.start()
    try:
        putter.join()
        wait_for(consumer, putter.sent, 120, daemon, log)
    finally:
        stop(daemon)
        consumer.close()
    return {"received": len(consumer.samples), "sent": putter.sent, "late_batches": putter.late,
            "put_seconds": putter.took,
            **summarize(consumer.samples, started + int(args.warmup * 1e9))}


def run(args, workdir, loadavg):
    runs = {"fake": fake_run, "kinesis-mock": kinesis_mock_run}
    lines = ["| Kinesis | reader | rate | received / put | counted (after warm-up) | p50 | p99 | max | load average |",
             "|---|---|---|---|---|---|---|---|---|"]
    for target in args.targets.split():
        for reader in args.readers.split():
            r = runs[target](args, reader, workdir)
            r.update(target=target, reader=reader, rate=args.rate, loadavg=loadavg())
            print(r, flush=True)
            head = f"| {target} | {reader} | {args.rate:,.0f}/s | {r['received']:,} / {r['sent']:,} | {r['counted']:,} |"
            if r["counted"] == 0:
                lines.append(f"{head} - | - | - | {r['loadavg']} |")
                continue
            lines.append(f"{head} {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms | {r['max_ms']:.1f} ms | {r['loadavg']} |")
    return "\n".join(lines)
