"""boto3 as the independent DynamoDB peer of dynamodb_boto3_test.cc (moto, PK_MOTO_* from the environment).

  boto3_dynamodb_peer.py read TABLE KEY    prints the item (consistent read) in the canonical form below
  boto3_dynamodb_peer.py write TABLE KEY   writes an item with every attribute type, prints it the same way

Canonical form: strings and binary as hex of their bytes, sets sorted, map members sorted by the bytes of their
names: S:<hex> N:<text> B:<hex> BOOL:true|false NULL SS[..] NS[..] BS[..] L[..] M{<hex name>=<value>,..}.
"""
import os
import sys

import boto3


def canon(value):
    (kind, v), = value.items()
    if kind == "S":
        return "S:" + v.encode().hex()
    if kind == "N":
        return "N:" + v
    if kind == "B":
        return "B:" + bytes(v).hex()
    if kind == "BOOL":
        return "BOOL:" + ("true" if v else "false")
    if kind == "NULL":
        return "NULL"
    if kind == "SS":
        return "SS[" + ",".join(sorted(s.encode().hex() for s in v)) + "]"
    if kind == "NS":
        return "NS[" + ",".join(sorted(v)) + "]"
    if kind == "BS":
        return "BS[" + ",".join(sorted(bytes(b).hex() for b in v)) + "]"
    if kind == "L":
        return "L[" + ",".join(canon(e) for e in v) + "]"
    if kind == "M":
        names = sorted(v, key=lambda n: n.encode())
        return "M{" + ",".join(n.encode().hex() + "=" + canon(v[n]) for n in names) + "}"
    raise ValueError(f"unknown attribute type {kind}")


def client():
    return boto3.client("dynamodb", endpoint_url=os.environ["PK_MOTO_ENDPOINT"], region_name="us-east-1",
                        aws_access_key_id=os.environ["PK_MOTO_ACCESS_KEY_ID"],
                        aws_secret_access_key=os.environ["PK_MOTO_SECRET_ACCESS_KEY"])


def boto3_item(key):
    return {
        "leaseKey": {"S": key},
        "text": {"S": "h\u00e9llo \"w\u00f6rld\" \\ \n\t \U0001F600"},
        "count": {"N": "-1234567.125"},
        "blob": {"B": b"\x00\xff\x80\x00 not utf-8 \xc3\x28"},
        "yes": {"BOOL": True},
        "no": {"BOOL": False},
        "nothing": {"NULL": True},
        "names": {"SS": ["alpha", "b\u00e9ta", "\U0001F600"]},
        "numbers": {"NS": ["1", "-2", "3.25"]},
        "blobs": {"BS": [b"\x00", b"\xff\xfe", b"\x01\x02\x03"]},
        "list": {"L": [{"S": "x"}, {"N": "7"}, {"B": b"\x00\x01"}, {"L": [{"BOOL": True}, {"NULL": True}]},
                       {"M": {"k": {"S": "v"}}}]},
        "map": {"M": {"inner": {"S": "value"}, "deep": {"M": {"b": {"B": b"\xfa\xce"}, "n": {"N": "0"}}},
                      "\u00e9": {"SS": ["one"]}}},
    }


def main():
    op, table, key = sys.argv[1:4]
    ddb = client()
    if op == "read":
        item = ddb.get_item(TableName=table, Key={"leaseKey": {"S": key}}, ConsistentRead=True).get("Item")
        print("absent" if item is None else canon({"M": item}))
    elif op == "write":
        item = boto3_item(key)
        ddb.put_item(TableName=table, Item=item)
        print(canon({"M": item}))
    else:
        raise SystemExit(f"unknown operation {op}")


if __name__ == "__main__":
    main()
