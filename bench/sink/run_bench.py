"""Drives the sink benchmark (scripts/bench-sink sets up the build and the servers): for each message size,
aggregation setting and endpoint, fills a topic with N keyed messages, runs `pulsar-kinesis sink` until all of them
were accepted, and reads the daemon's CPU time and peak RSS from /proc just before stopping it; the same with N/10
gives the whole-process CPU per record without start-up. Prints a Markdown table.

Endpoints: `fake` (bench/fake_kinesis/fake_kinesis_endpoint, plain HTTP), `moto` (the moto service, plain HTTP, signatures
checked), and the two that speak TLS, which the Java connector's KPL requires: `kinesis-mock` (its TLS port) and
`moto-tls` (a moto server of this run behind TLS, java_connector.TlsMoto, also the KPL's STS). With --java, the Java
connector (java_connector.py: LocalRunner + the KPL's kinesis_producer) runs after ours on each TLS endpoint, on the
same input and with the same `configs`, measured the same way over its JVM and the JVM's child processes, and a
second table compares the two."""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid

import boto3

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench_paths import BUILD, DAEMON, FAKE  # noqa: E402
from java_connector import JavaSink, TlsMoto  # noqa: E402
from proc_usage import env, tree_usage  # noqa: E402

FLOOR = f"{BUILD}/bench/sink/sink_floor_bench"
FILL = f"{BUILD}/bench/pulsar/client/pulsar_client_bench"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARDS = 64
# The streams of the TLS endpoints (the ones the Java connector can use): kinesis-mock allows 50 shards per account
# in all, so each run gets a fresh stream of 16, deleted after it; moto's TLS Kinesis gets the same.
TLS_SHARDS = 16
TLS_ENDPOINTS = ("kinesis-mock", "moto-tls")
KEYS = 1000
SINK_NAME = "bench"
SUBSCRIPTION = f"public/default/{SINK_NAME}"  # what both sinks subscribe as (tenant/namespace/name)


def fill(topic, count, size):
    out = subprocess.run([FILL, "produce", "--url", env("PK_PULSAR_URL"), "--topic", topic, "--count", str(count),
                          "--size", str(size), "--keys", str(KEYS)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def backlog(topic, subscription):
    url = env("PK_PULSAR_ADMIN_URL") + "/admin/v2/persistent/" + topic.split("://", 1)[1] + "/stats"
    with urllib.request.urlopen(url) as response:
        return json.load(response)["subscriptions"].get(subscription, {}).get("msgBacklog", -1)


def load_average():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


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


def kinesis_client(endpoint, access, secret):
    return boto3.client("kinesis", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=access,
                        aws_secret_access_key=secret, verify=os.environ.get("PK_TLS_CA_FILE", True))


def create_stream(client, name, shards):
    client.create_stream(StreamName=name, ShardCount=shards)
    client.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 0.5, "MaxAttempts": 120})


def delete_stream(client, name):
    client.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
    client.get_waiter("stream_not_exists").wait(StreamName=name, WaiterConfig={"Delay": 0.5, "MaxAttempts": 120})


def tls_configs(endpoint_url, stream, sts_port):
    """The connector's own keys, as a user of the Java connector writes them for a local Kinesis (host and port of
    its TLS listener, no certificate check, an STS of our own, no CloudWatch metrics); our daemon reads the same map."""
    tls = urllib.parse.urlsplit(endpoint_url)
    return {"awsEndpoint": tls.hostname, "awsEndpointPort": tls.port, "skipCertificateValidation": True,
            "awsRegion": "us-east-1", "awsKinesisStreamName": stream,
            "awsCredentialPluginParam": json.dumps({"accessKey": "AKIDBENCH", "secretKey": "bench-secret"}),
            "awsStsEndpoint": "127.0.0.1", "awsStsPort": sts_port,
            "extraKinesisProducerConfig": {"metricsLevel": "none"}}


def sink_config(path, topic, configs):
    lines = ["tenant: public", "namespace: default", f"name: {SINK_NAME}", "inputs:", f"  - {topic}",
             "sourceSubscriptionPosition: Earliest", "pulsar:", f"  serviceUrl: {env('PK_PULSAR_URL')}",
             "admin:", "  enabled: false", "configs:"]
    lines += [f"  {k}: {json.dumps(v)}" for k, v in configs.items()]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


class Daemon:
    """Our `pulsar-kinesis sink` on a config file."""

    def __init__(self, config, log_path):
        self.log = open(log_path, "w")
        self.process = subprocess.Popen([DAEMON, "sink", "--log-level", "warn", "--config", config], stdout=self.log,
                                        stderr=subprocess.STDOUT)
        self.pid = self.process.pid

    def poll(self):
        return self.process.poll()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(60)
        self.log.close()


def one_run(size, aggregation, endpoint_kind, count, workdir, sink_kind="ours", moto_tls=None):
    topic = f"persistent://public/default/bench-sink-{uuid.uuid4().hex[:8]}"
    fill(topic, count, size)
    fake = stream_client = None
    stream = f"bench-{uuid.uuid4().hex[:8]}"
    done = lambda: backlog(topic, SUBSCRIPTION) == 0  # noqa: E731
    if endpoint_kind == "fake":
        fake = FakeEndpoint()
        configs = {"awsEndpoint": fake.url, "awsRegion": "us-east-1", "awsKinesisStreamName": "bench",
                   "awsCredentialPluginParam": json.dumps({"accessKey": "AKIDBENCH", "secretKey": "bench-secret"})}
        done = lambda: fake.user_records() >= count  # noqa: E731
    elif endpoint_kind == "moto":
        access, secret = env("PK_MOTO_ACCESS_KEY_ID"), env("PK_MOTO_SECRET_ACCESS_KEY")
        create_stream(kinesis_client(env("PK_MOTO_ENDPOINT"), access, secret), stream, SHARDS)
        configs = {"awsEndpoint": env("PK_MOTO_ENDPOINT"), "awsRegion": "us-east-1", "awsKinesisStreamName": stream,
                   "awsCredentialPluginParam": json.dumps({"accessKey": access, "secretKey": secret})}
    else:
        kinesis = env("PK_KINESIS_ENDPOINT") if endpoint_kind == "kinesis-mock" else moto_tls.url
        stream_client = kinesis_client(kinesis, "AKIDBENCH", "bench-secret")
        create_stream(stream_client, stream, TLS_SHARDS)
        configs = tls_configs(kinesis, stream, moto_tls.port)
    configs["aggregationEnabled"] = aggregation
    label = f"{sink_kind}-{size}-{aggregation}-{endpoint_kind}-{count}"
    log_path = os.path.join(workdir, f"{label}.log")
    started = time.time()
    if sink_kind == "java":
        sink = JavaSink(SINK_NAME, topic, configs, log_path, os.path.join(BUILD, "java-tmp"))
    else:
        config = os.path.join(workdir, f"{label}.yaml")
        sink_config(config, topic, configs)
        sink = Daemon(config, log_path)
    try:
        while not done():
            if sink.poll() is not None:
                raise RuntimeError(f"the {sink_kind} sink exited ({sink.poll()}); see {log_path}")
            if time.time() - started > 1800:
                raise RuntimeError(f"no end after 30 minutes; see {log_path}")
            time.sleep(0.05)
        seconds = time.time() - started
        usage = tree_usage(sink.pid)
        load = load_average()
    finally:
        sink.stop()
        if fake:
            fake.stop()
        if stream_client:
            delete_stream(stream_client, stream)
    return {"seconds": seconds, "cpu": usage["cpu"], "rss_mib": usage["rss_mib"], "processes": usage["processes"],
            "load_1min": load}


def measure(size, aggregation, endpoint, count, workdir, sink_kind="ours", moto_tls=None):
    """An N run and an N/10 run: CPU and time per record without start-up, peak RSS of the N run."""
    big = one_run(size, aggregation, endpoint, count, workdir, sink_kind, moto_tls)
    small = one_run(size, aggregation, endpoint, count // 10, workdir, sink_kind, moto_tls)
    n = count - count // 10
    return {"sink": sink_kind, "endpoint": endpoint, "size": size, "aggregation": aggregation, "count": count,
            "records_per_s": count / big["seconds"],
            "records_per_s_net": n / (big["seconds"] - small["seconds"]) if big["seconds"] > small["seconds"] else None,
            "us_per_record": (big["cpu"] - small["cpu"]) / n * 1e6, "rss_mib": big["rss_mib"], "big": big,
            "small": small}


def floors():
    out = subprocess.run([FLOOR, "--benchmark_format=json", "--benchmark_min_time=0.5"], capture_output=True,
                         text=True, check=True)
    result = {}
    for b in json.loads(out.stdout)["benchmarks"]:
        m = re.match(r"BM_SinkFloor(Aggregated|Plain)/(\d+)", b["name"])
        result[(int(m.group(2)), m.group(1) == "Aggregated")] = 1e9 / b["items_per_second"]  # ns per record
    return result


def rss_parts(row):
    parts = row["big"]["processes"]
    if len(parts) == 1:
        return f"{row['rss_mib']:.1f} MiB"
    return f"{row['rss_mib']:.1f} MiB (" + " + ".join(f"{p['name']} {p['rss_mib']:.0f}" for p in parts) + ")"


def ours_table(rows, floor):
    lines = ["| endpoint | size | aggregation | records/s | CPU s / 1M records | x floor | peak RSS |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        floor_us = floor[(r["size"], r["aggregation"])] / 1000
        lines.append(f"| {r['endpoint']} | {r['size']} B | {'on' if r['aggregation'] else 'off'} | "
                     f"{r['records_per_s']:,.0f} | {r['us_per_record']:.2f} | "
                     f"{r['us_per_record'] / floor_us:.2f} (floor {floor_us * 1000:.0f} ns) | {r['rss_mib']:.1f} MiB |")
    return lines


def ratio_text(value, unit=""):
    """A figure, or n/a where the N/10 run took as long (or as much CPU) as the N run: N too small to measure."""
    if value is None:
        return "n/a"
    return f"{value:,.1f}{unit}" if unit else f"{value:,.0f}"


def java_table(pairs):
    lines = ["| endpoint | size | aggregation | N | sink | records/s (N run) | records/s (N minus N/10) | "
             "CPU us / record | peak RSS | load avg 1 min (N, N/10) |", "|---|---|---|---|---|---|---|---|---|---|"]
    for ours, java in pairs:
        for r in (ours, java):
            name = "pulsar-kinesis" if r["sink"] == "ours" else "Java connector (JVM + kinesis_producer)"
            net = ratio_text(r["records_per_s_net"])
            lines.append(f"| {r['endpoint']} | {r['size']} B | {'on' if r['aggregation'] else 'off'} | "
                         f"{r['count']:,} | {name} | {r['records_per_s']:,.0f} | {net} | "
                         f"{r['us_per_record']:.2f} | {rss_parts(r)} | "
                         f"{r['big']['load_1min']:.2f}, {r['small']['load_1min']:.2f} |")
        cpu = java["us_per_record"] / ours["us_per_record"] if ours["us_per_record"] > 0 else None
        lines.append(f"| | | | | **Java / ours** | | | **{ratio_text(cpu, 'x')}** | "
                     f"**{java['rss_mib'] / ours['rss_mib']:.1f}x** | |")
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, help="messages per run (default 1000000; 100000 with --java)")
    parser.add_argument("--sizes", help='message sizes (default "100 1024"; "100" with --java)')
    parser.add_argument("--aggregation", help='"on", "off" or both (default "on off"; "on" with --java)')
    parser.add_argument("--endpoints", help='"fake", "moto", "kinesis-mock", "moto-tls" (default "fake moto"; '
                                            '"moto-tls kinesis-mock" with --java: the KPL speaks TLS only)')
    parser.add_argument("--java", action="store_true",
                        help="also run the Java connector on the TLS endpoints and compare")
    args = parser.parse_args()
    count = args.count or (100_000 if args.java else 1_000_000)
    sizes = [int(s) for s in (args.sizes or ("100" if args.java else "100 1024")).split()]
    aggregations = [a == "on" for a in (args.aggregation or ("on" if args.java else "on off")).split()]
    endpoints = (args.endpoints or ("moto-tls kinesis-mock" if args.java else "fake moto")).split()
    workdir = tempfile.mkdtemp(prefix="bench-sink-", dir=BUILD)
    floor = floors()
    moto_tls = TlsMoto(workdir, ROOT) if any(e in TLS_ENDPOINTS for e in endpoints) else None
    rows, pairs = [], []
    try:
        for endpoint in endpoints:
            for size in sizes:
                for aggregation in aggregations:
                    row = measure(size, aggregation, endpoint, count, workdir, "ours", moto_tls)
                    rows.append(row)
                    print(json.dumps(row), flush=True)
                    if args.java and endpoint in TLS_ENDPOINTS:
                        java = measure(size, aggregation, endpoint, count, workdir, "java", moto_tls)
                        pairs.append((row, java))
                        print(json.dumps(java), flush=True)
    finally:
        if moto_tls:
            moto_tls.stop()
    table = "\n".join(ours_table(rows, floor))
    if pairs:
        table += "\n\n" + "\n".join(java_table(pairs))
    print(table)
    os.makedirs(os.path.join(BUILD, "results"), exist_ok=True)
    with open(os.path.join(BUILD, "results", "summary.md"), "w") as f:
        f.write(table + "\n")
    print(f"logs and configs in {workdir}")


if __name__ == "__main__":
    main()
