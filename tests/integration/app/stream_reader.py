"""An independent reader of a Kinesis stream, for the end-to-end tests and the demo (scripts/demo_driver.py): boto3
reads every shard from TRIM_HORIZON, aws-kinesis-agg's protobuf schema reads KPL aggregates back into their user
records. It knows nothing of pulsar-kinesis's own code."""
import hashlib

import aws_kinesis_agg.aggregator  # noqa: F401  (puts the KPL's generated protobuf modules on sys.path)
from aws_kinesis_agg import messages_pb2

KPL_MAGIC = b"\xf3\x89\x9a\xc2"


def user_records(partition_key, data):
    """A Kinesis record's user records: (partition key, data) of each sub-record of a KPL aggregate (MD5 checked,
    parsed with the KPL's own protobuf schema as aws-kinesis-agg ships it), or the record itself."""
    if not data.startswith(KPL_MAGIC):
        return [(partition_key, data)]
    body, digest = data[len(KPL_MAGIC):-16], data[-16:]
    if hashlib.md5(body).digest() != digest:
        raise ValueError(f"an aggregate with a bad MD5 (key {partition_key!r}, {len(data)} bytes)")
    aggregate = messages_pb2.AggregatedRecord()
    aggregate.ParseFromString(body)
    return [(aggregate.partition_key_table[r.partition_key_index], r.data) for r in aggregate.records]


def read_shard(client, name, shard_id):
    """The user records of one shard, from its oldest record, in order: (partition key, data bytes)."""
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


def read_stream(client, name):
    """Every user record in the stream (a boto3 Kinesis client's view): (partition key, data bytes), shard by shard,
    in order within each shard."""
    out = []
    for shard in client.list_shards(StreamName=name)["Shards"]:
        out.extend(read_shard(client, name, shard["ShardId"]))
    return out
