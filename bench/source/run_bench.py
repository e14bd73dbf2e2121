"""Drives the source benchmark (scripts/bench-source sets up the build and the servers): for each record size and
plain/aggregated stream, a fake Kinesis endpoint (bench/sink/fake_kinesis_endpoint --records) holds N user records
spread over its shards; `pulsar-kinesis source` (polling, leases in moto's DynamoDB) moves them into a Pulsar topic.
The daemon's CPU and peak RSS are read from /proc once the topic holds all N; the same with N/10 gives the
whole-process CPU per record without start-up. Prints a Markdown table."""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from proc_usage import cpu_seconds, env, peak_rss_mib  # noqa: E402

BUILD = os.environ["PK_BENCH_BUILD"]
DAEMON = f"{BUILD}/src/app/pulsar-kinesis"
FAKE = f"{BUILD}/bench/sink/fake_kinesis_endpoint"
SHARDS = 4


def topic_messages(topic):
    url = env("PK_PULSAR_ADMIN_URL") + "/admin/v2/persistent/" + topic.split("://", 1)[1] + "/stats"
    try:
        with urllib.request.urlopen(url) as response:
            return json.load(response).get("msgInCounter", 0)
    except urllib.error.HTTPError:
        return 0  # not created yet


def source_config(path, topic, endpoint, application):
    configs = {"awsEndpoint": endpoint, "awsRegion": "us-east-1", "awsKinesisStreamName": "bench",
               "dynamoEndpoint": env("PK_MOTO_ENDPOINT"), "applicationName": application,
               "awsCredentialPluginParam": json.dumps({"accessKey": env("PK_MOTO_ACCESS_KEY_ID"),
                                                        "secretKey": env("PK_MOTO_SECRET_ACCESS_KEY")}),
               "initialPositionInStream": "TRIM_HORIZON", "useEnhancedFanOut": False}
    lines = ["tenant: public", "namespace: default", "name: bench", f"topicName: {topic}",
             "pulsar:", f"  serviceUrl: {env('PK_PULSAR_URL')}", "admin:", "  enabled: false", "configs:"]
    lines += [f"  {k}: {json.dumps(v)}" for k, v in configs.items()]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def one_run(size, aggregate, count, workdir):
    fake = subprocess.Popen([FAKE, "--port", "0", "--shards", str(SHARDS), "--records", str(count), "--size",
                             str(size), "--aggregate", str(aggregate)], stdout=subprocess.PIPE, text=True)
    url = fake.stdout.readline().split()[-1]
    topic = f"persistent://public/default/bench-source-{uuid.uuid4().hex[:8]}"
    config = os.path.join(workdir, "source.yaml")
    source_config(config, topic, url, f"bench-{uuid.uuid4().hex[:8]}")
    log = open(os.path.join(workdir, f"daemon-{size}-{aggregate}-{count}.log"), "w")
    started = time.time()
    daemon = subprocess.Popen([DAEMON, "source", "--log-level", "warn", "--config", config], stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        while topic_messages(topic) < count:
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
        fake.send_signal(signal.SIGTERM)
        fake.wait(10)
    return {"seconds": seconds, "cpu": cpu, "rss_mib": rss}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--sizes", default="100 1024")
    parser.add_argument("--kinds", default="plain aggregated")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="bench-source-", dir=BUILD)
    rows = []
    for size in [int(s) for s in args.sizes.split()]:
        for kind in args.kinds.split():
            aggregate = 1 if kind == "plain" else max(2, 51200 // (size + 16))
            big = one_run(size, aggregate, args.count, workdir)
            small = one_run(size, aggregate, args.count // 10, workdir)
            us = (big["cpu"] - small["cpu"]) / (args.count - args.count // 10) * 1e6
            row = {"size": size, "kind": kind, "records_per_s": args.count / big["seconds"], "us_per_record": us,
                   "rss_mib": big["rss_mib"], "big": big, "small": small}
            rows.append(row)
            print(json.dumps(row), flush=True)
    lines = ["| size | stream | records/s | CPU s / 1M records | peak RSS |", "|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['size']} B | {r['kind']} | {r['records_per_s']:,.0f} | {r['us_per_record']:.2f} | "
                     f"{r['rss_mib']:.1f} MiB |")
    table = "\n".join(lines)
    print(table)
    os.makedirs(os.path.join(BUILD, "results"), exist_ok=True)
    with open(os.path.join(BUILD, "results", "source-summary.md"), "w") as f:
        f.write(table + "\n")


if __name__ == "__main__":
    main()
