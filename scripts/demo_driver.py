"""The demo's driver (scripts/demo runs it with the servers' addresses): one pulsar-kinesis daemon with a sink
(topic -> stream) and a source (the same stream -> another topic), sample data published with the Python
pulsar-client, live counts while it moves Pulsar -> Kinesis -> Pulsar, then the final counts checked with independent
readers (boto3 + aws-kinesis-agg for the stream, pulsar-client for the topic). Exits 1 when they differ."""
import argparse
import fcntl
import json
import os
import pathlib
import pty
import shutil
import signal
import socket
import struct
import subprocess
import sys
import termios
import threading
import time
import urllib.error
import urllib.request
import uuid

import boto3
import pulsar

# The end-to-end tests' independent stream reader (boto3 + aws-kinesis-agg).
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests/integration/app"))
from stream_reader import read_stream  # noqa: E402

TTY = sys.stdout.isatty()


def say(text=""):
    print(text, flush=True)


def env(name):
    value = os.environ.get(name)
    if not value:
        sys.exit(f"demo: {name} is not set (scripts/demo sets it)")
    return value


def kinesis():
    return boto3.client("kinesis", endpoint_url=env("PK_KINESIS_PLAIN_ENDPOINT"), region_name="us-east-1",
                        aws_access_key_id="AKIDDEMO", aws_secret_access_key="demo-secret")


def free_admin_address():
    """127.0.0.1:9100 (the default) when it is free, else a port the system picks."""
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", 9100))
            return "127.0.0.1:9100"
        except OSError:
            return "127.0.0.1:0"


def write_config(path, stream, topic_in, topic_out, application, admin):
    """The run file a user would write: one sink and one source in one daemon (YAML, pulsar-admin keys)."""
    moto_keys = json.dumps({"accessKey": env("PK_MOTO_ACCESS_KEY_ID"), "secretKey": env("PK_MOTO_SECRET_ACCESS_KEY")})
    path.write_text(f"""# pulsar-kinesis demo: {topic_in} -> Kinesis stream {stream} -> {topic_out}
admin:
  address: "{admin}"
pulsar:
  serviceUrl: "{env('PK_PULSAR_URL')}"
sinks:
  - name: demo-sink
    inputs: ["{topic_in}"]
    sourceSubscriptionPosition: Earliest
    configs:
      awsEndpoint: "{env('PK_KINESIS_PLAIN_ENDPOINT')}"
      awsRegion: us-east-1
      awsKinesisStreamName: "{stream}"
      awsCredentialPluginParam: '{{"accessKey":"AKIDDEMO","secretKey":"demo-secret"}}'
sources:
  - name: demo-source
    topicName: "{topic_out}"
    configs:
      awsEndpoint: "{env('PK_KINESIS_PLAIN_ENDPOINT')}"
      dynamoEndpoint: "{env('PK_MOTO_ENDPOINT')}"
      awsRegion: us-east-1
      awsKinesisStreamName: "{stream}"
      applicationName: "{application}"
      initialPositionInStream: TRIM_HORIZON
      useEnhancedFanOut: false
      pollingIntervalMillis: 200
      checkpointInterval: 1000
      awsCredentialPluginParam: '{moto_keys}'
""")


def http_json(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")
    except (urllib.error.URLError, ConnectionError, json.JSONDecodeError):
        return 0, {}


def admin_url(log_path, daemon, tap, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for line in (log_path.read_text(errors="replace") if log_path.exists() else "").splitlines():
            if "status page http://" in line:
                return line.split("status page ", 1)[1].split(" ", 1)[0]
        if daemon.poll() is not None:
            break
        time.sleep(0.2)
    fail_start(log_path, tap, "did not start")


def fail_start(log_path, tap, what):
    say(log_path.read_text(errors="replace") if log_path.exists() else "")
    say(tap.console())
    sys.exit(f"demo: the daemon {what} (its log and console are above)")


class ProgressTap:
    """The daemon's own live progress line (src/app/progress_line.h): its stderr is a pseudo-terminal this driver
    reads, so the daemon draws the line there ("\r\x1b[K" + line, once a second) while its log goes to a file.
    line is the latest one drawn; console() is everything else it wrote (start-up errors)."""

    CLEAR = "\r\x1b[K"

    def __init__(self):
        self.leader, self.follower = pty.openpty()
        fcntl.ioctl(self.follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 200, 0, 0))  # 200 columns
        self.line = ""
        self._other = []
        self._pending = ""
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            try:
                chunk = os.read(self.leader, 65536)
            except OSError:
                return
            if not chunk:
                return
            pieces = (self._pending + chunk.decode(errors="replace")).split(self.CLEAR)
            self._pending = pieces[-1]
            for piece in pieces[:-1]:
                if "\n" in piece:  # a line written on the console, not a progress line
                    self._other.append(piece)
                elif piece:
                    self.line = piece
            if self._pending and not self._pending.endswith("\n"):
                self.line = self._pending  # the daemon writes the whole line at once

    def console(self):
        return "".join(self._other) + self._pending

    def close_follower(self):
        os.close(self.follower)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--daemon", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--publish-seconds", type=float, default=5.0, help="spread the publishing over this long")
    parser.add_argument("--once", action="store_true")
    args = parser.parse_args()
    workdir = pathlib.Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)

    run = uuid.uuid4().hex[:8]
    stream = f"pk-demo-{run}"
    topic_in = f"persistent://public/default/demo-in-{run}"
    topic_out = f"persistent://public/default/demo-out-{run}"
    client = kinesis()
    client.create_stream(StreamName=stream, ShardCount=2)
    client.get_waiter("stream_exists").wait(StreamName=stream, WaiterConfig={"Delay": 0.5, "MaxAttempts": 120})
    config = workdir / "demo-run.yaml"
    write_config(config, stream, topic_in, topic_out, f"pk-demo-{run}", free_admin_address())
    say(f"demo: Kinesis stream {stream} (2 shards); the daemon's config: {config}")

    log_path = workdir / "daemon.log"
    log_path.unlink(missing_ok=True)
    tap = ProgressTap()
    # Its own session: Ctrl-C reaches only this driver, which then stops the daemon with one SIGTERM.
    daemon = subprocess.Popen([args.daemon, "run", "--config", str(config), "--log-file", str(log_path)],
                              stdout=tap.follower, stderr=tap.follower, stdin=subprocess.DEVNULL,
                              start_new_session=True)
    tap.close_follower()
    try:
        ok = run_demo(args, daemon, tap, log_path, stream, topic_in, topic_out)
    finally:
        code = stop(daemon)
    if code != 0:
        say(f"demo: the daemon exited with {code} (log: {log_path})")
        say(tap.console())
        return 1
    return 0 if ok else 1


def stop(daemon):
    """One SIGTERM (the daemon drains), then its exit code; killed when it does not stop within a minute."""
    if daemon.poll() is None:
        daemon.send_signal(signal.SIGTERM)
    try:
        return daemon.wait(60)
    except subprocess.TimeoutExpired:
        daemon.kill()
        daemon.wait()
        return -1


def run_demo(args, daemon, tap, log_path, stream, topic_in, topic_out):
    """Publishes, shows the counts moving, checks the final counts; True when they agree. Without --once it then
    keeps showing the live line until Ctrl-C."""
    url = admin_url(log_path, daemon, tap)
    deadline = time.time() + 60
    while http_json(url + "readyz")[0] != 200:
        if time.time() > deadline or daemon.poll() is not None:
            fail_start(log_path, tap, "did not become ready")
        time.sleep(0.3)
    say(f"demo: pulsar-kinesis runs a sink and a source in one process (log: {log_path})")
    say(f"demo: status page {url}")

    pulsar_client = pulsar.Client(env("PK_PULSAR_URL"), logger=pulsar.ConsoleLogger(pulsar.LoggerLevel.Warn))
    consumer = pulsar_client.subscribe(topic_out, "demo-check", initial_position=pulsar.InitialPosition.Earliest)
    producer = pulsar_client.create_producer(topic_in, batching_enabled=True, batching_max_publish_delay_ms=5,
                                             block_if_queue_full=True)
    payloads = [f"demo message {i:05} of {args.messages}".encode() for i in range(args.messages)]
    failures = []
    say(f"demo: publishing {args.messages} messages to {topic_in} over {args.publish_seconds:.0f} s; "
        f"the line below is the daemon's own progress line")
    back = set()
    received = 0
    sent = 0
    last_print = 0.0
    started = time.time()

    def receive_some(wait_ms):
        nonlocal received
        try:
            while True:
                m = consumer.receive(timeout_millis=wait_ms)
                consumer.acknowledge(m)
                back.add(m.data())
                received += 1
                wait_ms = 1
        except pulsar.Timeout:
            pass

    def show(final=False):
        nonlocal last_print
        if not final and time.time() - last_print < (0.5 if TTY else 2.0):
            return
        last_print = time.time()
        line = f"published {sent:,} | read back {len(back):,} | daemon: {tap.line or '(starting)'}"
        if TTY:
            width = shutil.get_terminal_size().columns
            print("\r\033[K" + line[:width - 1], end="\n" if final else "", flush=True)
        else:
            say(line)

    def delivered(kind):
        pipelines = http_json(url + "status")[1].get("pipelines", [])
        return sum(p["counters"]["records_out"] for p in pipelines if p["kind"] == kind)

    slice_size = max(1, args.messages // 20)
    for i in range(0, len(payloads), slice_size):
        for p in payloads[i:i + slice_size]:
            producer.send_async(p, lambda result, _id: failures.append(result) if result != pulsar.Result.Ok else None,
                                partition_key=f"key-{hash(p) % 64}")
        producer.flush()
        sent = min(i + slice_size, len(payloads))
        pause_until = started + args.publish_seconds * sent / len(payloads)
        while True:
            receive_some(20)
            show()
            if time.time() >= pause_until:
                break
    deadline = time.time() + 180
    while len(back) < len(payloads) and time.time() < deadline and daemon.poll() is None:
        receive_some(200)
        show()
    # The daemon reports once a second: the last line once its counts have caught up.
    settle = time.time() + 5
    while time.time() < settle and (delivered("sink") < len(payloads) or delivered("source") < len(payloads)):
        receive_some(200)
        show()
    time.sleep(1.2)  # the progress line is drawn once a second
    show(final=True)
    if failures:
        say(f"demo: {len(failures)} publishes failed: {failures[:3]}")

    # The final counts, each from an independent reader.
    in_kinesis = [data for _, data in read_stream(kinesis(), stream)]
    sent_set = set(payloads) if not failures else set()
    ok = (not failures and set(in_kinesis) == sent_set and back == sent_set)
    say("")
    say(f"  sent to Pulsar        {len(payloads):>6}   ({topic_in})")
    say(f"  in Kinesis            {len(set(in_kinesis)):>6}   (stream {stream}, read with boto3; "
        f"{len(in_kinesis) - len(set(in_kinesis))} duplicates)")
    say(f"  back in Pulsar        {len(back):>6}   ({topic_out}; {received - len(back)} duplicates)")
    say(f"  took                  {time.time() - started:>6.1f} s")
    say("")
    say("demo: OK - every message went Pulsar -> Kinesis -> Pulsar" if ok else
        "demo: FAILED - the counts differ (daemon log: " + str(log_path) + ")")
    say(f"demo: status page {url} (also {url}metrics, {url}status)")

    if not args.once and ok:
        say(f"demo: the daemon keeps running; publish more to {topic_in} and watch the page. Ctrl-C stops it.")
        try:
            while daemon.poll() is None:
                receive_some(500)
                show()
        except (KeyboardInterrupt, pulsar.Interrupted):  # Ctrl-C, in Python or inside the client
            pass
        if TTY:
            print(flush=True)
    pulsar_client.close()
    return ok


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (KeyboardInterrupt, pulsar.Interrupted):
        sys.exit(130)
