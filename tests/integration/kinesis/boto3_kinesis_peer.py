"""boto3 as the independent Kinesis peer of kinesis_boto3_test.cc (kinesis-mock's plain port,
PK_KINESIS_PLAIN_ENDPOINT from the environment).

  boto3_kinesis_peer.py read STREAM SHARD...   every record of the shards from TRIM_HORIZON
  boto3_kinesis_peer.py write STREAM FILE      PutRecords of FILE's entries (lines: data-hex key-hex hash-key|-),
                                               then every record of the shards the answer named

Output, one line per record: shard sequence-number partition-key-hex data-hex arrival-epoch-ms.
"""
import os
import sys

import boto3
from botocore.config import Config


def client():
    return boto3.client("kinesis", endpoint_url=os.environ["PK_KINESIS_PLAIN_ENDPOINT"], region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=Config(retries={"max_attempts": 3}))


def read_shard(kinesis, stream, shard):
    it = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard,
                                    ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    for _ in range(50):
        got = kinesis.get_records(ShardIterator=it, Limit=10000)
        for r in got["Records"]:
            arrival_ms = round(r["ApproximateArrivalTimestamp"].timestamp() * 1000)
            print(shard, r["SequenceNumber"], r["PartitionKey"].encode().hex(), r["Data"].hex() or "-", arrival_ms)
        it = got.get("NextShardIterator")
        if not it or (not got["Records"] and got.get("MillisBehindLatest", 0) == 0):
            return


def main():
    op, stream = sys.argv[1:3]
    kinesis = client()
    if op == "read":
        shards = sys.argv[3:]
    elif op == "write":
        entries = []
        with open(sys.argv[3]) as f:
            for line in f:
                data, key, hash_key = line.split()
                entry = {"Data": bytes.fromhex(data), "PartitionKey": bytes.fromhex(key).decode()}
                if hash_key != "-":
                    entry["ExplicitHashKey"] = hash_key
                entries.append(entry)
        put = kinesis.put_records(StreamName=stream, Records=entries)
        if put["FailedRecordCount"]:
            raise SystemExit(f"boto3 PutRecords failed: {put}")
        shards = sorted({r["ShardId"] for r in put["Records"]})
    else:
        raise SystemExit(f"unknown operation {op}")
    for shard in shards:
        read_shard(kinesis, stream, shard)


if __name__ == "__main__":
    main()
