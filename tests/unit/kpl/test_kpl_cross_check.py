"""Our KPL aggregator and deaggregator against an independent implementation, PyPI aws-kinesis-agg (Amazon's
Python aggregation library, with the KPL's protobuf schema compiled for Python's protobuf runtime).

- its deaggregator reads our aggregates (magic, MD5, keys, explicit hash keys, data, order);
- its aggregator and ours write the same bytes for the same user records;
- we read its aggregates, and classify the corrupt ones (bad MD5, truncation) as it does not-aggregates.
Our side runs as kpl_tool (PK_KPL_TOOL), built next to the unit tests."""
import base64
import hashlib
import os
import random
import subprocess

import aws_kinesis_agg
import aws_kinesis_agg.aggregator as agg  # also puts the generated protobuf modules on sys.path
import aws_kinesis_agg.deaggregator as deagg
from aws_kinesis_agg import messages_pb2

TOOL = os.environ.get("PK_KPL_TOOL", "")


def hexed(b: bytes) -> str:
    return "x" + b.hex()


def unhexed(token: str) -> bytes:
    assert token.startswith("x"), token
    return bytes.fromhex(token[1:])


def our_aggregate(records):
    lines = "".join(f"{hexed(k.encode())} {'-' if e is None else hexed(e.encode())} {hexed(d)}\n"
                    for k, e, d in records)
    out = subprocess.run([TOOL, "aggregate"], input=lines, capture_output=True, text=True, check=True).stdout
    return unhexed(out.strip())


def our_deaggregate(data: bytes):
    out = subprocess.run([TOOL, "deaggregate"], input=hexed(data), capture_output=True, text=True,
                         check=True).stdout.splitlines()
    subs = []
    for line in out[1:]:
        seq, key, ehk, payload = line.split(" ")
        subs.append((int(seq), unhexed(key).decode(), None if ehk == "-" else unhexed(ehk).decode(), unhexed(payload)))
    return out[0], subs


def random_records(rng, n):
    keys = ["k", "user-42", "ключ", "🔑 emoji", "x" * 256] + [f"key-{i}" for i in range(20)]
    records = []
    for _ in range(n):
        key = rng.choice(keys)
        ehk = None if rng.random() < 0.5 else str(rng.randrange(0, 2**128))
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 400)))
        records.append((key, ehk, data))
    return records


def lambda_record(data: bytes):
    return {"kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": "outer", "sequenceNumber": "49590338271",
                        "approximateArrivalTimestamp": 1545084650.987, "data": base64.b64encode(data).decode()}}


def python_aggregate(records):
    a = agg.RecordAggregator(max_size=aws_kinesis_agg.MAX_BYTES_PER_RECORD)
    for key, ehk, data in records:
        assert a.add_user_record(key, data, ehk) is None, "the test keeps aggregates under the size limit"
    _pk, _ehk, data = a.clear_and_get().get_contents()
    return data


def test_tool_is_built():
    assert TOOL and os.access(TOOL, os.X_OK), "PK_KPL_TOOL must name the built kpl_tool"


def test_their_deaggregator_reads_our_aggregates():
    rng = random.Random(1)
    for n in (2, 3, 17, 200):
        records = random_records(rng, n)
        ours = our_aggregate(records)
        assert ours[:4] == aws_kinesis_agg.MAGIC
        assert hashlib.md5(ours[4:-16]).digest() == ours[-16:]
        subs = deagg.deaggregate_records([lambda_record(ours)])
        assert len(subs) == n
        # Their deaggregator verified the MD5 and parsed the protobuf, else it would return the record as is.
        assert all(s["kinesis"].get("aggregated") for s in subs)
        assert [s["kinesis"]["partitionKey"] for s in subs] == [k for k, _, _ in records]
        assert [base64.b64decode(s["kinesis"]["data"]) for s in subs] == [d for _, _, d in records]
        assert [s["kinesis"]["subSequenceNumber"] for s in subs] == list(range(n))
        # Explicit hash keys from the protobuf itself (their deaggregator reports table entry 0 for records without
        # one whenever the table is not empty).
        parsed = messages_pb2.AggregatedRecord()
        parsed.ParseFromString(ours[4:-16])
        got = [parsed.explicit_hash_key_table[r.explicit_hash_key_index] if r.HasField("explicit_hash_key_index")
               else None for r in parsed.records]
        assert got == [e for _, e, _ in records]
        assert len(set(parsed.partition_key_table)) == len(parsed.partition_key_table)


def test_same_bytes_as_their_aggregator():
    rng = random.Random(2)
    for n in (1, 2, 50, 300):
        records = random_records(rng, n)
        assert our_aggregate(records) == python_aggregate(records)


def test_we_read_their_aggregates():
    rng = random.Random(3)
    for n in (1, 2, 64, 500):
        records = random_records(rng, n)
        theirs = python_aggregate(records)
        outcome, subs = our_deaggregate(theirs)
        assert outcome == "aggregate"
        assert subs == [(i, k, e, d) for i, (k, e, d) in enumerate(records)]


def test_corrupt_aggregates_are_not_read_by_either():
    records = random_records(random.Random(4), 10)
    theirs = python_aggregate(records)
    bad_md5 = theirs[:-1] + bytes([theirs[-1] ^ 1])
    truncated = theirs[:-5]
    for data, expected in ((bad_md5, "digest mismatch"), (truncated, "digest mismatch"), (theirs[:19], "too short")):
        assert our_deaggregate(data) == (expected, [])
        # Theirs passes such bytes on as one plain record, as ours tells the source to.
        subs = deagg.deaggregate_records([lambda_record(data)])
        assert len(subs) == 1 and base64.b64decode(subs[0]["kinesis"]["data"]) == data
    assert our_deaggregate(b"plain bytes") == ("not an aggregate", [])
