"""Drives the source benchmark (scripts/bench-source sets up the build and the servers): for each record size,
plain/aggregated stream and reader (polling, enhanced fan-out), a fake Kinesis endpoint
(bench/fake_kinesis/fake_kinesis_endpoint --records) holds N user records spread over its shards; `pulsar-kinesis
source` (leases in moto's DynamoDB) moves them into a Pulsar topic. The daemon's CPU and peak RSS are read from /proc
once the topic holds all N; the same with N/10 gives the whole-process CPU per record without start-up. Prints a
Markdown table. With --latency, runs latency.py instead (end-to-end latency at a steady rate)."""
import argparse
import json
import os
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import latency  # noqa: E402
from proc_usage import cpu_seconds, peak_rss_mib  # noqa: E402
from source_run import BUILD, READERS, source_config, start_daemon, start_fake, stop, topic_messages  # noqa: E402


def one_run(size, aggregate, count, reader, workdir):
    fake, url = start_fake("--records", count, "--size", size, "--aggregate", aggregate)
    topic = f"persistent://public/default/bench-source-{uuid.uuid4().hex[:8]}"
    config = os.path.join(workdir, "source.yaml")
    source_config(config, topic, url, f"bench-{uuid.uuid4().hex[:8]}", reader)
    log = os.path.join(workdir, f"daemon-{size}-{aggregate}-{reader}-{count}.log")
    started = time.time()
    daemon = start_daemon(config, log)
    try:
        while topic_messages(topic) < count:
            if daemon.poll() is not None:
                raise RuntimeError(f"the daemon exited ({daemon.returncode}); see {log}")
            if time.time() - started > 1800:
                raise RuntimeError("no end after 30 minutes")
            time.sleep(0.05)
        seconds = time.time() - started
        cpu, rss = cpu_seconds(daemon.pid), peak_rss_mib(daemon.pid)
    finally:
        stop(daemon)
        stop(fake, 10)
    return {"seconds": seconds, "cpu": cpu, "rss_mib": rss}


def throughput(args, workdir):
    rows = []
    for size in [int(s) for s in args.sizes.split()]:
        for kind in args.kinds.split():
            aggregate = 1 if kind == "plain" else max(2, 51200 // (size + 16))
            for reader in args.readers.split():
                big = one_run(size, aggregate, args.count, reader, workdir)
                small = one_run(size, aggregate, args.count // 10, reader, workdir)
                us = (big["cpu"] - small["cpu"]) / (args.count - args.count // 10) * 1e6
                row = {"size": size, "kind": kind, "reader": reader, "records_per_s": args.count / big["seconds"],
                       "us_per_record": us, "rss_mib": big["rss_mib"], "loadavg": loadavg(), "big": big,
                       "small": small}
                rows.append(row)
                print(json.dumps(row), flush=True)
    lines = ["| size | stream | reader | records/s | CPU s / 1M records | peak RSS | load average |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['size']} B | {r['kind']} | {r['reader']} | {r['records_per_s']:,.0f} | "
                     f"{r['us_per_record']:.2f} | {r['rss_mib']:.1f} MiB | {r['loadavg']} |")
    return "\n".join(lines)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--sizes", default="100 1024")
    parser.add_argument("--kinds", default="plain aggregated")
    parser.add_argument("--readers", default="polling efo")
    parser.add_argument("--latency", action="store_true", help="measure latency at a steady rate instead")
    parser.add_argument("--rate", type=float, default=2000, help="latency: records per second")
    parser.add_argument("--seconds", type=float, default=40, help="latency: how long records arrive")
    parser.add_argument("--warmup", type=float, default=10, help="latency: seconds of arrivals not counted")
    parser.add_argument("--targets", default="fake kinesis-mock", help="latency: which Kinesis to read")
    args = parser.parse_args()
    for reader in args.readers.split():
        if reader not in READERS:
            parser.error(f"--readers: \"{reader}\" is not one of {' '.join(READERS)}")
    workdir = tempfile.mkdtemp(prefix="bench-source-", dir=BUILD)
    table = latency.run(args, workdir, loadavg) if args.latency else throughput(args, workdir)
    print(table)
    os.makedirs(os.path.join(BUILD, "results"), exist_ok=True)
    name = "source-latency.md" if args.latency else "source-summary.md"
    with open(os.path.join(BUILD, "results", name), "w") as f:
        f.write(table + "\n")


if __name__ == "__main__":
    main()
