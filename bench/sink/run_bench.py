"""Drives the sink benchmark (scripts/bench-sink sets up the build and the servers): for each message size,
aggregation setting and endpoint, fills a topic with N keyed messages, runs `pulsar-kinesis sink` until all of them
were accepted, and reads the daemon's CPU time and peak RSS from /proc just before stopping it; the same with N/10
gives the whole-process CPU per record without start-up. Prints a Markdown table."""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

import boto3

BUILD = os.environ["PK_BENCH_BUILD"]
DAEMON = f"{BUILD}/src/app/pulsar-kinesis"
FAKE = f"{BUILD}/bench/sink/fake_kinesis_endpoint"
FLOOR = f"{BUILD}/bench/sink/sink_floor_bench"
FILL = f"{BUILD}/bench/pulsar/client/pulsar_client_bench"
TICKS = os.sysconf("SC_CLK_TCK")
SHARDS = 64
KEYS = 1000


def env(name):
    value = os.environ.get(name)
    if not value:
        sys.exit(f"{name} is not set (scripts/bench-sink starts the servers)")
    return value


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def fill(topic, count, size):
    out = subprocess.run([FILL, "produce", "--url", env("PK_PULSAR_URL"), "--topic", topic, "--count", str(count),
                          "--size", str(size), "--keys", str(KEYS)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def backlog(topic, subscription):
    url = env("PK_PULSAR_ADMIN_URL") + "/admin/v2/persistent/" + topic.split("://", 1)[1] + "/stats"
    with urllib.request.urlopen(url) as response:
        return json.load(response)["subscriptions"].get(subscription, {}).get("msgBacklog", -1)


class FakeEndpoint:
    def __init__(self):
        self.process = subprocess.Popen([FAKE, "--port", "0", "--shards", str(SHARDS), "--stream", "bench"],
                                        stdout=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().split()[-1]

    def user_records(self):
        with urllib.request.urlopen(self.url + "/stats") as response:
            return json.load(response)["user_records"]

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(10)


def moto_stream(name):
    client = boto3.client("kinesis", endpoint_url=env("PK_MOTO_ENDPOINT"), region_name="us-east-1",
                          aws_access_key_id=env("PK_MOTO_ACCESS_KEY_ID"),
                          aws_secret_access_key=env("PK_MOTO_SECRET_ACCESS_KEY"))
    client.create_stream(StreamName=name, ShardCount=SHARDS)
    client.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 0.5, "MaxAttempts": 120})


def sink_config(path, topic, endpoint, stream, access, secret, aggregation):
    configs = {"awsEndpoint": endpoint, "awsRegion": "us-east-1", "awsKinesisStreamName": stream,
               "awsCredentialPluginParam": json.dumps({"accessKey": access, "secretKey": secret}),
               "aggregationEnabled": aggregation}
    lines = ["tenant: public", "namespace: default", "name: bench", "inputs:", f"  - {topic}",
             "sourceSubscriptionPosition: Earliest", "pulsar:", f"  serviceUrl: {env('PK_PULSAR_URL')}",
             "admin:", "  enabled: false", "configs:"]
    lines += [f"  {k}: {json.dumps(v)}" for k, v in configs.items()]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def one_run(size, aggregation, endpoint_kind, count, workdir):
    topic = f"persistent://public/default/bench-sink-{uuid.uuid4().hex[:8]}"
    fill(topic, count, size)
    fake = None
    if endpoint_kind == "fake":
        fake = FakeEndpoint()
        endpoint, stream, access, secret = fake.url, "bench", "AKIDBENCH", "bench-secret"
        done = lambda: fake.user_records() >= count  # noqa: E731
    else:
        stream = f"bench-{uuid.uuid4().hex[:8]}"
        moto_stream(stream)
        endpoint, access, secret = env("PK_MOTO_ENDPOINT"), env("PK_MOTO_ACCESS_KEY_ID"), env("PK_MOTO_SECRET_ACCESS_KEY")
        done = lambda: backlog(topic, "public/default/bench") == 0  # noqa: E731
    config = os.path.join(workdir, "sink.yaml")
    sink_config(config, topic, endpoint, stream, access, secret, aggregation)
    log = open(os.path.join(workdir, f"daemon-{size}-{aggregation}-{endpoint_kind}-{count}.log"), "w")
    started = time.time()
    daemon = subprocess.Popen([DAEMON, "--log-level", "warn", "sink", "--config", config], stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        while not done():
            if daemon.poll() is not None:
                raise RuntimeError(f"the daemon exited ({daemon.returncode}); see {log.name}")
            if time.time() - started > 1800:
                raise RuntimeError("no end after 30 minutes")
            time.sleep(0.05)
        seconds = time.time() - started
        cpu, rss = cpu_seconds(daemon.pid), peak_rss_mib(daemon.pid)
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(60)
        if fake:
            fake.stop()
    return {"seconds": seconds, "cpu": cpu, "rss_mib": rss}


def floors():
    out = subprocess.run([FLOOR, "--benchmark_format=json", "--benchmark_min_time=0.5"], capture_output=True,
                         text=True, check=True)
    result = {}
    for b in json.loads(out.stdout)["benchmarks"]:
        m = re.match(r"BM_SinkFloor(Aggregated|Plain)/(\d+)", b["name"])
        result[(int(m.group(2)), m.group(1) == "Aggregated")] = 1e9 / b["items_per_second"]  # ns per record
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--sizes", default="100 1024")
    parser.add_argument("--aggregation", default="on off")
    parser.add_argument("--endpoints", default="fake moto")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="bench-sink-", dir=BUILD)
    floor = floors()
    rows = []
    for endpoint in args.endpoints.split():
        for size in [int(s) for s in args.sizes.split()]:
            for aggregation in [a == "on" for a in args.aggregation.split()]:
                big = one_run(size, aggregation, endpoint, args.count, workdir)
                small = one_run(size, aggregation, endpoint, args.count // 10, workdir)
                n = args.count - args.count // 10
                us_per_record = (big["cpu"] - small["cpu"]) / n * 1e6
                row = {"endpoint": endpoint, "size": size, "aggregation": aggregation,
                       "records_per_s": args.count / big["seconds"], "cpu_s_per_million": us_per_record,
                       "us_per_record": us_per_record, "floor_us": floor[(size, aggregation)] / 1000,
                       "rss_mib": big["rss_mib"], "big": big, "small": small}
                rows.append(row)
                print(json.dumps(row), flush=True)
    lines = ["| endpoint | size | aggregation | records/s | CPU s / 1M records | x floor | peak RSS |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['endpoint']} | {r['size']} B | {'on' if r['aggregation'] else 'off'} | "
                     f"{r['records_per_s']:,.0f} | {r['cpu_s_per_million']:.2f} | "
                     f"{r['us_per_record'] / r['floor_us']:.2f} (floor {r['floor_us'] * 1000:.0f} ns) | "
                     f"{r['rss_mib']:.1f} MiB |")
    table = "\n".join(lines)
    print(table)
    os.makedirs(os.path.join(BUILD, "results"), exist_ok=True)
    with open(os.path.join(BUILD, "results", "summary.md"), "w") as f:
        f.write(table + "\n")


if __name__ == "__main__":
    main()
