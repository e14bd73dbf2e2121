"""Running pulsar-kinesis as a user does, against the real test servers, with independent peers to feed and check it:
Python pulsar-client (the official C++ client underneath) publishes, boto3 reads the stream and aws-kinesis-agg
deaggregates it, the broker's admin REST API reports backlogs."""
import hashlib
import json
import os
import signal
import subprocess
import threading
import time
import urllib.request
import uuid

import boto3
import pulsar
import pytest
import aws_kinesis_agg.aggregator  # noqa: F401  (puts the KPL's generated protobuf modules on sys.path)
from aws_kinesis_agg import messages_pb2

KPL_MAGIC = b"\xf3\x89\x9a\xc2"


def user_records(partition_key, data):
    """A Kinesis record's user records: the sub-records of a KPL aggregate (MD5 checked, parsed with the KPL's own
    protobuf schema as aws-kinesis-agg ships it), or the record itself."""
    if not data.startswith(KPL_MAGIC):
        return [(partition_key, data)]
    body, digest = data[len(KPL_MAGIC):-16], data[-16:]
    assert hashlib.md5(body).digest() == digest, "aggregate with a bad MD5"
    aggregate = messages_pb2.AggregatedRecord()
    aggregate.ParseFromString(body)
    return [(aggregate.partition_key_table[r.partition_key_index], r.data) for r in aggregate.records]


def server_env(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run under `scripts/services/all run -- ...` (scripts/test does this)")
    return value


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def kinesis():
    return boto3.client("kinesis", endpoint_url=server_env("PK_KINESIS_PLAIN_ENDPOINT"), region_name="us-east-1",
                        aws_access_key_id="AKIDTEST", aws_secret_access_key="test-secret")


CREATED_STREAMS = []  # deleted after each test (conftest.py)


def create_stream(name, shards):
    client = kinesis()
    client.create_stream(StreamName=name, ShardCount=shards)
    CREATED_STREAMS.append(name)
    client.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 0.5, "MaxAttempts": 120})
    return client


def shard_records(name, shard_id):
    """The user records of one shard, from its oldest record: (partition key, data bytes)."""
    client = kinesis()
    iterator = client.get_shard_iterator(StreamName=name, ShardId=shard_id,
                                         ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    out = []
    while iterator:
        got = client.get_records(ShardIterator=iterator, Limit=10000)
        for r in got["Records"]:
            out.extend(user_records(r["PartitionKey"], r["Data"]))
        if not got["Records"] and got.get("MillisBehindLatest", 0) == 0:
            break
        iterator = got.get("NextShardIterator")
    return out


def read_stream(name):
    """Every user record in the stream: (partition key, data bytes), aggregates read back into their records."""
    out = []
    for shard in kinesis().list_shards(StreamName=name)["Shards"]:
        out.extend(shard_records(name, shard["ShardId"]))
    return out


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


def sink_config(tmp_path, name, topic, stream, **configs):
    """A pulsar-admin sink config file (YAML), as a user writes it, plus the `pulsar:` section."""
    merged = {"awsEndpoint": server_env("PK_KINESIS_PLAIN_ENDPOINT"), "awsRegion": "us-east-1",
              "awsKinesisStreamName": stream,
              "awsCredentialPluginParam": '{"accessKey":"AKIDTEST","secretKey":"test-secret"}'}
    merged.update(configs)
    lines = ["tenant: public", "namespace: default", f"name: {name}", "inputs:", f"  - {topic}",
             "sourceSubscriptionPosition: Earliest", "pulsar:", f"  serviceUrl: {server_env('PK_PULSAR_URL')}",
             "configs:"]
    for key, value in merged.items():
        lines.append(f"  {key}: {json.dumps(value)}")
    path = tmp_path / f"{name}.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


class Daemon:
    """pulsar-kinesis in a child process, its output captured in a file."""

    def __init__(self, tmp_path, command, config, *extra):
        self.log_path = tmp_path / f"daemon-{uuid.uuid4().hex[:6]}.log"
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen([server_env("PK_DAEMON"), *extra, command, "--config", str(config)],
                                        stdout=self.log, stderr=subprocess.STDOUT)

    def output(self):
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")

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
