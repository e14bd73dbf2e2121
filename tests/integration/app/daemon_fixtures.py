"""Running pulsar-kinesis as a user does, against the real test servers, with independent peers to feed and check it:
Python pulsar-client (the official C++ client underneath) publishes, boto3 reads the stream and aws-kinesis-agg
deaggregates it, the broker's admin REST API reports backlogs."""
import functools
import json
import os
import re
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid

import boto3
import pulsar
import pytest
import stream_reader
from stream_reader import user_records  # noqa: F401 - for the tests that read a stream themselves


def server_env(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run under `scripts/services/all run -- ...` (scripts/test does this)")
    return value


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@functools.cache
def kinesis():
    """One boto3 client for the whole run: a client per call would open (and drop) connections to kinesis-mock at a
    rate it handles badly."""
    return boto3.client("kinesis", endpoint_url=server_env("PK_KINESIS_PLAIN_ENDPOINT"), region_name="us-east-1",
                        aws_access_key_id="AKIDTEST", aws_secret_access_key="test-secret")
    _KINESIS.append(boto3.client("kinesis", endpoint_url=server_env("PK_KINESIS_PLAIN_ENDPOINT"),
                                 region_name="us-east-1", aws_access_key_id="AKIDTEST",
                                 aws_secret_access_key="test-secret"))
    return _KINESIS[0]


CREATED_STREAMS = []  # deleted after each test (conftest.py)


def create_stream(name, shards):
    client = kinesis()
    client.create_stream(StreamName=name, ShardCount=shards)
    CREATED_STREAMS.append(name)
    client.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 0.5, "MaxAttempts": 120})
    return client


def shard_records(name, shard_id):
    """The user records of one shard, from its oldest record: (partition key, data bytes)."""
    return stream_reader.read_shard(kinesis(), name, shard_id)


def read_stream(name):
    """Every user record in the stream: (partition key, data bytes), aggregates read back into their records."""
    return stream_reader.read_stream(kinesis(), name)


def publish(topic, messages, batching=True):
    """messages: list of (key or None, bytes). Waits for every receipt; fails the test if any send failed."""
    client = pulsar.Client(server_env("PK_PULSAR_URL"))
    producer = client.create_producer(topic, batching_enabled=batching, batching_max_publish_delay_ms=5,
                                      block_if_queue_full=True)
    failures = []

    def sent(result, _message_id):
        if result != pulsar.Result.Ok:
            failures.append(result)

    for key, payload in messages:
        if key is None:
            producer.send_async(payload, sent)
        else:
            producer.send_async(payload, sent, partition_key=key)
    producer.flush()
    client.close()
    assert not failures, f"{len(failures)} sends failed: {failures[:3]}"


def pulsar_admin(method, path, body=None):
    """A call to the broker's admin REST API (with the admin token when the servers use one); the parsed answer."""
    request = urllib.request.Request(server_env("PK_PULSAR_ADMIN_URL") + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    token_file = os.environ.get("PK_PULSAR_ADMIN_TOKEN_FILE")
    if token_file:
        with open(token_file) as f:
            request.add_header("Authorization", "Bearer " + f.read().strip())
    with urllib.request.urlopen(request) as response:
        text = response.read()
    return json.loads(text) if text else None


def dedup_namespace():
    """A new namespace with broker deduplication on: "public/<name>"."""
    namespace = "public/" + unique("pk-dedup")
    pulsar_admin("PUT", f"/admin/v2/namespaces/{namespace}", {})
    pulsar_admin("POST", f"/admin/v2/namespaces/{namespace}/deduplication", True)
    return namespace


def backlog(topic, subscription):
    url = server_env("PK_PULSAR_ADMIN_URL") + "/admin/v2/persistent/" + topic.split("://", 1)[1] + "/stats"
    with urllib.request.urlopen(url) as response:
        stats = json.load(response)
    if subscription not in stats["subscriptions"]:
        return -1  # not subscribed yet
    return stats["subscriptions"][subscription]["msgBacklog"]


def wait_until(predicate, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def sink_configs(stream, **configs):
    """The `configs:` of a sink writing to `stream` on kinesis-mock, with the test's own keys on top."""
    return {"awsEndpoint": server_env("PK_KINESIS_PLAIN_ENDPOINT"), "awsRegion": "us-east-1",
            "awsKinesisStreamName": stream,
            "awsCredentialPluginParam": '{"accessKey":"AKIDTEST","secretKey":"test-secret"}', **configs}


def sink_config(tmp_path, name, topic, stream, **configs):
    """A pulsar-admin sink config file (YAML), as a user writes it, plus the `pulsar:` section."""
    merged = sink_configs(stream, **configs)
    lines = ["tenant: public", "namespace: default", f"name: {name}", "inputs:", f"  - {topic}",
             "sourceSubscriptionPosition: Earliest", "pulsar:", f"  serviceUrl: {server_env('PK_PULSAR_URL')}",
             "configs:"]
    for key, value in merged.items():
        lines.append(f"  {key}: {json.dumps(value)}")
    path = tmp_path / f"{name}.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


class Daemon:
    """pulsar-kinesis in a child process, its output (stdout and stderr) captured in a file. Unless the flags say
    otherwise, its admin endpoint listens on a port the system picks (admin_url() finds it in the log). One a test
    leaves running (it failed before stopping it) is killed after the test (conftest.py)."""

    started = []

    def __init__(self, tmp_path, command, config, *extra, env=None):
        self.log_path = tmp_path / f"daemon-{uuid.uuid4().hex[:6]}.log"
        self.log = open(self.log_path, "wb")
        flags = list(extra)
        if command != "validate" and not any(f in ("--admin", "--no-admin") for f in flags):
            flags += ["--admin", "127.0.0.1:0"]
        self.args = [server_env("PK_DAEMON"), command, "--config", str(config), *flags]
        self.process = subprocess.Popen(self.args, stdout=self.log, stderr=subprocess.STDOUT,
                                        env=None if env is None else {**os.environ, **env})
        Daemon.started.append(self)

    @classmethod
    def kill_leftovers(cls):
        for daemon in cls.started:
            if daemon.process.poll() is None:
                daemon.process.kill()
                daemon.process.wait()
            daemon.log.close()
        cls.started.clear()

    def output(self):
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")

    def admin_url(self, timeout=30):
        """The status page URL the daemon logged ("http://127.0.0.1:PORT/")."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            match = re.search(r"status page (http://[0-9.]+:[0-9]+/)", self.output())
            if match:
                return match.group(1)
            if self.process.poll() is not None:
                pytest.fail(f"the daemon exited with {self.process.returncode}:\n{self.output()}")
            time.sleep(0.2)
        pytest.fail(f"no admin endpoint in the log after {timeout} s:\n{self.output()}")

    def wait_ready(self, timeout=60):
        url = self.admin_url() + "readyz"
        wait_until(lambda: http_get(url)[0] == 200, timeout, f"{url} answering 200")

    def stop(self, sig=signal.SIGTERM, timeout=60):
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=timeout)
        finally:
            self.log.close()

    def wait(self, timeout):
        try:
            return self.process.wait(timeout=timeout)
        finally:
            self.log.close()


def http_get(url):
    """(status, body) of a GET; connection errors as (0, reason)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except (urllib.error.URLError, ConnectionError) as e:
        return 0, str(e)


def run_config(tmp_path, sinks=(), sources=(), **top):
    """A run file (JSON, which the YAML loader reads too) with the given pipelines; the Pulsar URL is shared."""
    doc = {"pulsar": {"serviceUrl": server_env("PK_PULSAR_URL")}, "sinks": list(sinks), "sources": list(sources)}
    doc.update(top)
    path = tmp_path / f"run-{uuid.uuid4().hex[:6]}.json"
    path.write_text(json.dumps(doc, indent=2))
    return path


def sink_spec(name, topic, stream, **configs):
    """One sink of a run file: `topic` -> `stream` on kinesis-mock."""
    merged = sink_configs(stream, **configs)
    return {"name": name, "inputs": [topic], "sourceSubscriptionPosition": "Earliest", "configs": merged}


def source_spec(name, stream, topic, application, **configs):
    """One source of a run file: `stream` (kinesis-mock, polling) -> `topic`, leases in moto's DynamoDB."""
    merged = {"awsEndpoint": server_env("PK_KINESIS_PLAIN_ENDPOINT"), "awsRegion": "us-east-1",
              "dynamoEndpoint": server_env("PK_MOTO_ENDPOINT"), "awsKinesisStreamName": stream,
              "applicationName": application, "initialPositionInStream": "TRIM_HORIZON", "useEnhancedFanOut": False,
              "checkpointInterval": 1000, "failoverTimeMillis": 3000, "pollingIntervalMillis": 200,
              "awsCredentialPluginParam": json.dumps({"accessKey": server_env("PK_MOTO_ACCESS_KEY_ID"),
                                                       "secretKey": server_env("PK_MOTO_SECRET_ACCESS_KEY")})}
    merged.update(configs)
    return {"name": name, "topicName": topic, "configs": merged}


def moto_env():
    return dict(endpoint_url=server_env("PK_MOTO_ENDPOINT"), region_name="us-east-1",
                aws_access_key_id=server_env("PK_MOTO_ACCESS_KEY_ID"),
                aws_secret_access_key=server_env("PK_MOTO_SECRET_ACCESS_KEY"))


def put_records(stream, records):
    """records: list of (partition key, bytes), put in order (one PutRecords per 100; order per key kept)."""
    client = kinesis()
    for i in range(0, len(records), 100):
        chunk = records[i:i + 100]
        answer = client.put_records(StreamName=stream,
                                    Records=[{"PartitionKey": k, "Data": d} for k, d in chunk])
        assert answer["FailedRecordCount"] == 0, answer


class Putter:
    """Puts records in the background until stopped: round r puts records_of_round(r) (a list of PutRecords
    entries) in one call, then waits `period` seconds."""

    def __init__(self, stream, records_of_round, period):
        self.stream, self.records_of_round, self.period = stream, records_of_round, period
        self.rounds = 0
        self.errors = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        client = kinesis()
        try:
            while not self.stopping.is_set():
                answer = client.put_records(StreamName=self.stream, Records=self.records_of_round(self.rounds))
                assert answer["FailedRecordCount"] == 0, answer
                self.rounds += 1
                self.stopping.wait(self.period)
        except Exception as e:  # noqa: BLE001 - reported by stop()
            self.errors.append(e)

    def stop(self):
        """Stops putting; the number of rounds put (fails the test if a put failed)."""
        self.stopping.set()
        self.thread.join(timeout=60)
        assert not self.errors, self.errors
        return self.rounds


def source_config(tmp_path, name, stream, topic, application, fan_out=False, **configs):
    """A pulsar-admin source config file (YAML) for kinesis-mock + moto's DynamoDB, plus the `pulsar:` section.
    kinesis-mock does not check signatures, moto does: the credentials are moto's."""
    merged = {"awsEndpoint": server_env("PK_KINESIS_PLAIN_ENDPOINT"), "awsRegion": "us-east-1",
              "dynamoEndpoint": server_env("PK_MOTO_ENDPOINT"), "cloudwatchEndpoint": server_env("PK_MOTO_ENDPOINT"),
              "awsKinesisStreamName": stream, "applicationName": application,
              "initialPositionInStream": "TRIM_HORIZON", "useEnhancedFanOut": fan_out,
              "checkpointInterval": 1000, "failoverTimeMillis": 3000, "pollingIntervalMillis": 200,
              "awsCredentialPluginParam": json.dumps({"accessKey": server_env("PK_MOTO_ACCESS_KEY_ID"),
                                                       "secretKey": server_env("PK_MOTO_SECRET_ACCESS_KEY")})}
    merged.update(configs)
    lines = ["tenant: public", "namespace: default", f"name: {name}", f"topicName: {topic}",
             "pulsar:", f"  serviceUrl: {server_env('PK_PULSAR_URL')}", "configs:"]
    for key, value in merged.items():
        lines.append(f"  {key}: {json.dumps(value)}")
    path = tmp_path / f"{name}.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


class TopicReader:
    """Everything published to a topic, read by the Python client from the earliest message."""

    def __init__(self, topic):
        self.client = pulsar.Client(server_env("PK_PULSAR_URL"))
        self.consumer = self.client.subscribe(topic, f"check-{uuid.uuid4().hex[:6]}",
                                              initial_position=pulsar.InitialPosition.Earliest)
        self.messages = []

    def read_until(self, count, timeout):
        deadline = time.time() + timeout
        while len(self.messages) < count and time.time() < deadline:
            try:
                m = self.consumer.receive(timeout_millis=500)
            except Exception:  # noqa: BLE001 - the client raises Timeout
                continue
            self.messages.append(m)
            self.consumer.acknowledge(m)
        return self.messages

    def drain(self, quiet_seconds=3):
        """Reads until nothing came for `quiet_seconds`."""
        while True:
            before = len(self.messages)
            self.read_until(before + 1, quiet_seconds)
            if len(self.messages) == before:
                return self.messages

    def close(self):
        self.client.close()


def topic_now(topic):
    """Every message the topic holds at this moment (a Reader from the earliest one up to the last one stored)."""
    client = pulsar.Client(server_env("PK_PULSAR_URL"))
    try:
        reader = client.create_reader(topic, pulsar.MessageId.earliest)
        out = []
        while reader.has_message_available():
            out.append(reader.read_next(timeout_millis=10000))
        return out
    finally:
        client.close()


def lease_items(application):
    client = boto3.client("dynamodb", **moto_env())
    return client.scan(TableName=application, ConsistentRead=True)["Items"]
