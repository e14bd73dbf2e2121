"""The record formats through the real daemon: what the stream holds for messages published by the Python client
(the official C++ client), compared with the documented layouts (docs/formats.md)."""
import base64
import json
import subprocess

import pulsar
from pulsar.schema import JsonSchema, Record, String, Integer

from daemon_fixtures import (Daemon, create_stream, read_stream, server_env, sink_config, unique, wait_until)


class Order(Record):
    item = String()
    quantity = Integer()


def run_sink(tmp_path, topic, stream, count, **configs):
    daemon = Daemon(tmp_path, "sink", sink_config(tmp_path, unique("sink"), topic, stream, **configs))
    try:
        wait_until(lambda: len(read_stream(stream)) >= count, 120, f"{count} records in the stream")
        return read_stream(stream)
    finally:
        assert daemon.stop() == 0, daemon.output()


def test_full_message_in_json_carries_payload_and_properties(tmp_path):
    stream, topic = unique("pk-fmt"), f"persistent://public/default/{unique('pk-fmt')}"
    create_stream(stream, 1)
    client = pulsar.Client(server_env("PK_PULSAR_URL"))
    producer = client.create_producer(topic, batching_enabled=False)
    producer.send(b"\x00\xffbytes", properties={"a": "1", "html": "<&>"}, partition_key="k")
    client.close()
    [(key, data)] = run_sink(tmp_path, topic, stream, 1, messageFormat="FULL_MESSAGE_IN_JSON",
                             aggregationEnabled=False)
    assert key == "k"
    record = json.loads(data)
    assert base64.b64decode(record["payloadBase64"]) == b"\x00\xffbytes"
    assert record["properties"] == {"a": "1", "html": "<&>"}
    assert b"<&>" in data  # no HTML escaping, as Gson is configured in the Java connector
    assert "encryptionCtx" not in record


def test_expand_value_decodes_the_topics_json_schema(tmp_path):
    stream, topic = unique("pk-fmt"), f"persistent://public/default/{unique('pk-fmt')}"
    create_stream(stream, 1)
    client = pulsar.Client(server_env("PK_PULSAR_URL"))
    producer = client.create_producer(topic, schema=JsonSchema(Order))
    for i in range(3):
        producer.send(Order(item=f"item-{i}", quantity=i), partition_key=f"o{i}")
    client.close()
    records = run_sink(tmp_path, topic, stream, 3, messageFormat="FULL_MESSAGE_IN_JSON_EXPAND_VALUE")
    by_key = {k: json.loads(d) for k, d in records}
    for i in range(3):
        value = by_key[f"o{i}"]
        assert value["topicName"] == topic
        assert value["key"] == f"o{i}"
        assert value["payload"] == {"item": f"item-{i}", "quantity": i}
        # No properties and no event time: both null, left out (jsonIncludeNonNulls defaults to true).
        assert "properties" not in value and "eventTime" not in value


def test_an_encrypted_message_keeps_its_encryption_context(tmp_path):
    stream, topic = unique("pk-fmt"), f"persistent://public/default/{unique('pk-fmt')}"
    create_stream(stream, 1)
    private, public = tmp_path / "private.pem", tmp_path / "public.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(private), "2048"], check=True, capture_output=True)
    subprocess.run(["openssl", "rsa", "-in", str(private), "-pubout", "-out", str(public)], check=True,
                   capture_output=True)
    client = pulsar.Client(server_env("PK_PULSAR_URL"))
    producer = client.create_producer(topic, encryption_key="app-key", batching_enabled=False,
                                      crypto_key_reader=pulsar.CryptoKeyReader(str(public), str(private)))
    producer.send(b"secret payload", partition_key="enc")
    client.close()
    [(key, data)] = run_sink(tmp_path, topic, stream, 1, messageFormat="FULL_MESSAGE_IN_JSON",
                             aggregationEnabled=False)
    record = json.loads(data)
    assert key == "enc"
    context = record["encryptionCtx"]
    assert list(context["keysMapBase64"]) == ["app-key"]
    assert "algorithm" in context  # the C++ client (under Python) sets none: written as null, as in Java
    assert context["encParamBase64"]
    assert base64.b64decode(record["payloadBase64"]) != b"secret payload"  # still ciphertext: we cannot decrypt
