"""kinesis-mock works for boto3 over TLS (certificate verified with the test CA) and plain HTTP:
a PutRecords/GetRecords round trip and a shard split."""
import time

import boto3
from botocore.config import Config

from conftest import server_env


def kinesis(endpoint_var: str):
    return boto3.client("kinesis", endpoint_url=server_env(endpoint_var), region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test",
                        verify=server_env("PK_TLS_CA_FILE"), config=Config(retries={"max_attempts": 2}))


def wait_active(client, stream: str):
    for _ in range(120):
        status = client.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]["StreamStatus"]
        if status == "ACTIVE":
            return
        time.sleep(0.25)
    raise AssertionError(f"stream {stream} not ACTIVE")


def read_all(client, stream: str):
    records = []
    for shard in client.list_shards(StreamName=stream)["Shards"]:
        it = client.get_shard_iterator(StreamName=stream, ShardId=shard["ShardId"],
                                       ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        records += client.get_records(ShardIterator=it, Limit=10000)["Records"]
    return records


def test_put_get_round_trip_over_tls(unique):
    client = kinesis("PK_KINESIS_ENDPOINT")
    stream = f"foundation-{unique}"
    client.create_stream(StreamName=stream, ShardCount=2)
    wait_active(client, stream)
    entries = [{"Data": bytes([i % 256]) * (i + 1), "PartitionKey": f"key-{i}"} for i in range(50)]
    result = client.put_records(StreamName=stream, Records=entries)
    assert result["FailedRecordCount"] == 0
    assert {r["ShardId"] for r in result["Records"]} <= {s["ShardId"] for s in client.list_shards(StreamName=stream)["Shards"]}
    got = sorted(((r["PartitionKey"], r["Data"]) for r in read_all(client, stream)))
    assert got == sorted(((e["PartitionKey"], e["Data"]) for e in entries))


def test_plain_port_and_split_shard(unique):
    client = kinesis("PK_KINESIS_PLAIN_ENDPOINT")
    stream = f"foundation-split-{unique}"
    client.create_stream(StreamName=stream, ShardCount=1)
    wait_active(client, stream)
    shard = client.list_shards(StreamName=stream)["Shards"][0]
    client.split_shard(StreamName=stream, ShardToSplit=shard["ShardId"], NewStartingHashKey=str(2**127))
    wait_active(client, stream)
    shards = client.list_shards(StreamName=stream)["Shards"]
    assert len(shards) == 3
    assert sum(1 for s in shards if s.get("ParentShardId") == shard["ShardId"]) == 2
