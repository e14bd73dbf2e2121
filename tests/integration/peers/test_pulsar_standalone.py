"""The Pulsar standalone broker works for an independent client (the official C++ client in the Python wheel):
plain, token and TLS (CA-verified, hostname checked) round trips; a bad token is refused."""
import pulsar
import pytest

from conftest import server_env


def round_trip(client: pulsar.Client, topic: str, payloads):
    consumer = client.subscribe(topic, "foundation", initial_position=pulsar.InitialPosition.Earliest)
    producer = client.create_producer(topic)
    for p in payloads:
        producer.send(p, properties={"k": "v"})
    got = []
    for _ in payloads:
        msg = consumer.receive(timeout_millis=10000)
        got.append(msg.data())
        assert msg.properties() == {"k": "v"}
        consumer.acknowledge(msg)
    return got


def test_plain_round_trip(unique):
    client = pulsar.Client(server_env("PK_PULSAR_URL"), operation_timeout_seconds=20)
    try:
        payloads = [b"m%d" % i for i in range(20)]
        assert round_trip(client, f"foundation-plain-{unique}", payloads) == payloads
    finally:
        client.close()


def test_token_round_trip(unique):
    token = open(server_env("PK_PULSAR_TOKEN_FILE")).read().strip()
    client = pulsar.Client(server_env("PK_PULSAR_URL"), authentication=pulsar.AuthenticationToken(token),
                           operation_timeout_seconds=20)
    try:
        assert round_trip(client, f"foundation-token-{unique}", [b"a", b"b"]) == [b"a", b"b"]
    finally:
        client.close()


def test_tls_round_trip_with_hostname_verification(unique):
    client = pulsar.Client(server_env("PK_PULSAR_TLS_URL"), tls_trust_certs_file_path=server_env("PK_TLS_CA_FILE"),
                           tls_validate_hostname=True, operation_timeout_seconds=20)
    try:
        assert round_trip(client, f"foundation-tls-{unique}", [b"secure"]) == [b"secure"]
    finally:
        client.close()


def test_bad_token_is_refused(unique):
    client = pulsar.Client(server_env("PK_PULSAR_URL"), authentication=pulsar.AuthenticationToken("not.a.token"),
                           operation_timeout_seconds=10)
    try:
        with pytest.raises(Exception):
            client.create_producer(f"foundation-badtoken-{unique}")
    finally:
        client.close()
