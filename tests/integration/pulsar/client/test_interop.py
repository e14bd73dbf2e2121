"""Interop with an independent client (the Python pulsar-client, which wraps the official C++ client): what our
producer writes (keys, properties, event time, batches, each compression) reads back right through it, and what
it writes reads back right through ours. Our side is driven through pk_pulsar_tool (PK_PULSAR_TOOL)."""
import base64
import json
import os
import subprocess
import uuid

import pulsar
import pytest


def env(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run under `scripts/services/all run -- ...`")
    return value


def topic(stem):
    return f"persistent://public/default/interop-{stem}-{uuid.uuid4().hex[:10]}"


def tool(*args, timeout=120):
    result = subprocess.run([env("PK_PULSAR_TOOL"), *args], capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"pk_pulsar_tool {' '.join(args)} failed:\n{result.stderr}"
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


COMPRESSIONS = {
    "none": pulsar.CompressionType.NONE,
    "lz4": pulsar.CompressionType.LZ4,
    "zlib": pulsar.CompressionType.ZLib,
    "zstd": pulsar.CompressionType.ZSTD,
    "snappy": pulsar.CompressionType.SNAPPY,
}


@pytest.fixture
def client():
    c = pulsar.Client(env("PK_PULSAR_URL"), operation_timeout_seconds=30)
    yield c
    c.close()


@pytest.mark.parametrize("compression", sorted(COMPRESSIONS))
@pytest.mark.parametrize("batching", [True, False], ids=["batched", "single"])
def test_ours_to_python(client, compression, batching):
    t = topic(f"ours-{compression}")
    consumer = client.subscribe(t, "py", initial_position=pulsar.InitialPosition.Earliest)
    args = ["produce", "--url", env("PK_PULSAR_URL"), "--topic", t, "--count", "40", "--compression", compression,
            "--key-prefix", "k", "--property", "origin=pk", "--event-time", "1700000000000"]
    args += ["--batch-max", "8"] if batching else ["--no-batching"]
    receipts = tool(*args)
    assert len(receipts) == 40
    assert [r["index"] for r in receipts] == list(range(40))
    assert all((r["batch_index"] >= 0) == batching for r in receipts)
    for i in range(40):
        msg = consumer.receive(timeout_millis=10000)
        assert msg.data() == f"message-{i}".encode()
        assert msg.partition_key() == f"k{i % 5}"
        assert msg.properties() == {"origin": "pk", "index": str(i)}
        assert msg.event_timestamp() == 1700000000000 + i
        assert msg.publish_timestamp() > 0
        consumer.acknowledge(msg)
    consumer.close()


@pytest.mark.parametrize("compression", sorted(COMPRESSIONS))
@pytest.mark.parametrize("batching", [True, False], ids=["batched", "single"])
def test_python_to_ours(client, compression, batching):
    t = topic(f"py-{compression}")
    producer = client.create_producer(t, compression_type=COMPRESSIONS[compression], batching_enabled=batching,
                                      batching_max_messages=8, batching_max_publish_delay_ms=50)
    for i in range(40):
        producer.send_async(f"py-{i}".encode() * 10, lambda res, msg_id: None, properties={"origin": "python", "index": str(i)},
                            partition_key=f"pk{i % 3}", event_timestamp=1600000000000 + i)
    producer.flush()
    producer.close()
    messages = tool("consume", "--url", env("PK_PULSAR_URL"), "--topic", t, "--subscription", "ours", "--count", "40")
    assert len(messages) == 40
    for i, m in enumerate(messages):
        assert base64.b64decode(m["payload"]) == f"py-{i}".encode() * 10
        assert m["key"] == f"pk{i % 3}"
        assert m["properties"] == {"origin": "python", "index": str(i)}
        assert m["event_time"] == 1600000000000 + i
        assert m["publish_time"] > 0
        assert (m["batch_index"] >= 0) == batching


def test_tls_and_token_interop(client):
    """Ours over TLS with a token, theirs over plain: the same messages."""
    t = topic("tls")
    consumer = client.subscribe(t, "py", initial_position=pulsar.InitialPosition.Earliest)
    tool("produce", "--url", env("PK_PULSAR_TLS_URL"), "--tls-ca", env("PK_TLS_CA_FILE"), "--token-file",
         env("PK_PULSAR_TOKEN_FILE"), "--topic", t, "--count", "5")
    assert [consumer.receive(timeout_millis=10000).data() for _ in range(5)] == [f"message-{i}".encode()
                                                                                 for i in range(5)]
