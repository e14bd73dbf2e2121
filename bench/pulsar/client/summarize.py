"""Turns the runs of scripts/bench-pulsar (one JSON line per client run) into a Markdown table.

Per (client, mode, size) there are two runs, with N/10 and N messages. Figures:
- msg/s: the N run, timed inside the client (pk / Python: their own window; pulsar-perf: its log timestamps from
  "Created 1 producers" or "Start receiving" to "DONE").
- CPU s / 1M (window): CPU the client used inside that window (pk and Python measure it with getrusage).
- CPU s / 1M (process diff): whole-process CPU of the N run minus the N/10 run, per message; the same method for
  all three clients (start-up, JVM warm-up and connecting cancel out).
- client cores: CPU per message x msg/s, i.e. how many cores the client kept busy at that rate.
- broker CPU s / 1M and broker cores: the broker process, differenced the same way.
"""
import json
import sys
from datetime import datetime


def java_window(lines):
    def stamp(line):
        return datetime.strptime(line[:23], "%Y-%m-%dT%H:%M:%S,%f")
    start = [l for l in lines if "Created 1 producers" in l or "Start receiving" in l]
    done = [l for l in lines if "DONE" in l]
    if not start or not done:
        return None
    return (stamp(done[0]) - stamp(start[0])).total_seconds()


def main(path):
    runs = {}
    for line in open(path):
        r = json.loads(line)
        runs.setdefault((r["size"], r["client"], r["mode"]), []).append(r)
    print("| client | mode | size | msg/s | CPU s / 1M msgs (window) | CPU s / 1M msgs (process diff) "
          "| client cores | broker CPU s / 1M msgs | broker cores |")
    print("|---|---|---|---|---|---|---|---|---|")
    failures = []
    for (size, client, mode), pair in runs.items():
        small, full = sorted(pair, key=lambda r: r["n"])
        for r in pair:
            if r["rc"] != 0:
                failures.append(f"{client} {mode} {size} B x {r['n']} exited with {r['rc']}")
        dn = full["n"] - small["n"]
        res = full["result"]
        if res is not None:
            seconds, window_cpu = res["seconds"], res["cpu_seconds"] * 1e6 / max(res["messages"], 1)
        else:
            seconds, window_cpu = java_window(full["log"]), None
        rate = full["n"] / seconds if seconds else float("nan")
        cpu_diff = (full["process_cpu"] - small["process_cpu"]) * 1e6 / dn
        broker = (full["broker_cpu"] - small["broker_cpu"]) * 1e6 / dn
        per_msg = window_cpu if window_cpu is not None else cpu_diff
        window_text = f"{window_cpu:.2f}" if window_cpu is not None else "-"
        print(f"| {client} | {mode} | {size} B | {rate:,.0f} | {window_text} | {cpu_diff:.2f} "
              f"| {per_msg * rate / 1e6:.2f} | {broker:.2f} | {broker * rate / 1e6:.2f} |")
    for f in failures:
        print(f"\nwarning: {f}")


if __name__ == "__main__":
    main(sys.argv[1])
