"""The same measurement as pulsar_client_bench, with the Python pulsar-client (the official C++ client inside):
produce COUNT messages of SIZE bytes with send_async (batching on, 1 ms window, 10000 pending, blocking when full),
or consume COUNT messages from the earliest position acking each. Prints one JSON line; CPU is this process's
(getrusage, which includes the client's native threads)."""
import argparse
import json
import resource
import sys
import time

import pulsar


def cpu_seconds():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["produce", "consume"])
    p.add_argument("--url", required=True)
    p.add_argument("--topic", required=True)
    p.add_argument("--count", type=int, default=100000)
    p.add_argument("--size", type=int, default=100)
    p.add_argument("--subscription", default="bench")
    p.add_argument("--max-pending", type=int, default=10000)
    a = p.parse_args()
    client = pulsar.Client(a.url, operation_timeout_seconds=30, io_threads=1, message_listener_threads=1)
    done = {"ok": 0, "failed": 0}
    if a.mode == "produce":
        producer = client.create_producer(a.topic, batching_enabled=True, batching_max_messages=1000,
                                          batching_max_publish_delay_ms=1, max_pending_messages=a.max_pending,
                                          block_if_queue_full=True)
        payload = b"x" * a.size

        def sent(result, _msg_id):
            if result == pulsar.Result.Ok:
                done["ok"] += 1
            else:
                done["failed"] += 1

        cpu0, t0 = cpu_seconds(), time.monotonic()
        for _ in range(a.count):
            producer.send_async(payload, sent)
        producer.flush()
        seconds, cpu = time.monotonic() - t0, cpu_seconds() - cpu0
        producer.close()
    else:
        consumer = client.subscribe(a.topic, a.subscription, initial_position=pulsar.InitialPosition.Earliest,
                                    receiver_queue_size=1000)
        cpu0, t0 = cpu_seconds(), time.monotonic()
        while done["ok"] < a.count:
            try:
                msg = consumer.receive(timeout_millis=30000)
            except Exception:  # noqa: BLE001 - a timeout ends the run
                print(f"no message for 30 s after {done['ok']}", file=sys.stderr)
                break
            consumer.acknowledge(msg)
            done["ok"] += 1
        seconds, cpu = time.monotonic() - t0, cpu_seconds() - cpu0
        consumer.close()
    client.close()
    n = done["ok"]
    print(json.dumps({"client": "python", "mode": a.mode, "size": a.size, "messages": n, "failures": done["failed"],
                      "seconds": round(seconds, 3), "msgs_per_sec": round(n / seconds) if seconds else 0,
                      "cpu_seconds": round(cpu, 3), "cpu_sec_per_million": round(cpu * 1e6 / n, 2) if n else 0}))
    return 0 if n == a.count and done["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
