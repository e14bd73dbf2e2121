"""Back-pressure, end to end: while Pulsar is down (the broker restarted, its data kept: some 30 s) records keep
being put into kinesis-mock; the daemon (enhanced fan-out, and polling) waits with at most receiveQueueSize records
sent and unconfirmed and one read batch per shard (its RSS stays near where it was), and once the broker is back
every record arrives. (kinesis-mock builds an enhanced fan-out event of everything since the last one and needs tens
of seconds for a few MiB on a busy machine, stalling a subscription for longer than our 30 s idle timeout, so the
volume stays modest: at most 800 records of 1 KiB, 8 times receiveQueueSize.) The in-flight count itself is not
observed here: the source's metrics (pulsar_kinesis_source_in_flight_messages) are not wired into the daemon yet."""
import os
import subprocess
import threading
import time
import urllib.request

import pytest

from daemon_fixtures import Daemon, TopicReader, create_stream, put_records, server_env, source_config, unique, wait_until

RECORD = 1024
PER_PUT = 25
MOST = 800
QUEUE = 100


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def broker_up():
    try:
        with urllib.request.urlopen(server_env("PK_PULSAR_ADMIN_URL") + "/admin/v2/namespaces/public/default",
                                    timeout=2) as r:
            return r.status == 200
    except Exception:  # noqa: BLE001 - down
        return False


def restart_broker(result):
    script = os.path.join(os.path.dirname(__file__), "..", "..", "..", "scripts", "services", "pulsar")
    result.append(subprocess.run([script, "restart"], capture_output=True, text=True, timeout=300))


@pytest.mark.parametrize("fan_out", [True, False], ids=["fan-out", "polling"])
def test_records_wait_while_pulsar_is_down_without_piling_up(tmp_path, fan_out):
    stream, topic, app = unique("pk-bp"), f"persistent://public/default/{unique('pk-bp')}", unique("app")
    create_stream(stream, 2)
    warm_up = [(f"key-{i % 16}", f"warm-{i:05}".encode()) for i in range(200)]
    put_records(stream, warm_up)
    reader = TopicReader(topic)
    daemon = Daemon(tmp_path, "source", source_config(tmp_path, unique("source"), stream, topic, app, fan_out=fan_out,
                                                      receiveQueueSize=QUEUE))
    restarted = []
    try:
        reader.read_until(len(warm_up), 120)
        assert len(reader.messages) == len(warm_up), daemon.output()
        baseline = peak = rss_kib(daemon.process.pid)

        def watch():
            nonlocal peak
            peak = max(peak, rss_kib(daemon.process.pid))

        restarter = threading.Thread(target=restart_broker, args=(restarted,))
        restarter.start()
        wait_until(lambda: not broker_up(), 60, "the broker to go down")
        # Records keep coming while the broker is down.
        backlog = []
        while restarter.is_alive() and len(backlog) < MOST:
            batch = [(f"key-{i % 16}", f"down-{i:05}-".encode().ljust(RECORD, b"x"))
                     for i in range(len(backlog), len(backlog) + PER_PUT)]
            put_records(stream, batch)
            backlog += batch
            watch()
            time.sleep(0.5)
        while restarter.is_alive():
            watch()
            time.sleep(0.5)
        assert restarted and restarted[0].returncode == 0, restarted and restarted[0].stderr
        assert daemon.process.poll() is None, daemon.output()

        expected = {d for _, d in warm_up + backlog}
        got = set()
        deadline = time.time() + 180
        while not got >= expected and time.time() < deadline:
            reader.read_until(len(reader.messages) + 1, 2)
            got = {m.data() for m in reader.messages}
        missing = sorted(d[:11] for d in expected - got)
        assert not missing, f"{len(missing)} records lost: {missing[:5]} .. {missing[-5:]}\n" + daemon.output()
        grown_mib = (peak - baseline) / 1024
        print(f"RSS baseline {baseline / 1024:.1f} MiB, "
              f"peak while the broker was down {peak / 1024:.1f} MiB")
        assert grown_mib < 16, f"RSS grew {grown_mib:.1f} MiB while the broker was down"
    finally:
        assert daemon.stop() == 0, daemon.output()
        reader.close()
