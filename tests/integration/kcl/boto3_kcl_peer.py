"""boto3 as the independent DynamoDB peer of the kcl integration tests (moto, PK_MOTO_* from the environment): it
makes tables and items the way the Java KCL 3.1.2 does (docs/leases.md) and reads back what we wrote.

  kcl-table TABLE                    creates a lease table as KCL 3 does: CreateTable (leaseKey S hash,
                                     PAY_PER_REQUEST), then UpdateTable adding LeaseOwnerToLeaseKeyIndex
  layout TABLE                       prints the table's layout (keys, attribute definitions, billing, indexes)
  put-kcl-leases TABLE               writes leases in the KCL 3.1.2 shape, plus an item of another entity
  put-lease-with-unknown TABLE KEY   writes a lease (owner "java-worker", counter 7) with attributes we do not know
  get TABLE HASHNAME KEY             prints {"Item": {...}} (DynamoDB JSON, binary as base64) or {}
  coordinator-table APP              creates APP-CoordinatorState as KCL 3 does (hash key "key" S)
  put-leader TABLE DURATION_MS RVN [released]   writes the lock client's "Leader" item
  heartbeat TABLE DURATION_MS PERIOD_MS SECONDS  renews the "Leader" lock's record version every PERIOD_MS
"""
import base64
import json
import os
import sys
import time
import uuid

import boto3


def client():
    return boto3.client("dynamodb", endpoint_url=os.environ["PK_MOTO_ENDPOINT"], region_name="us-east-1",
                        aws_access_key_id=os.environ["PK_MOTO_ACCESS_KEY_ID"],
                        aws_secret_access_key=os.environ["PK_MOTO_SECRET_ACCESS_KEY"])


def to_json(value):
    (kind, v), = value.items()
    if kind == "B":
        return {"B": base64.b64encode(bytes(v)).decode()}
    if kind == "BS":
        return {"BS": [base64.b64encode(bytes(b)).decode() for b in v]}
    if kind == "M":
        return {"M": {k: to_json(x) for k, x in v.items()}}
    if kind == "L":
        return {"L": [to_json(x) for x in v]}
    return {kind: v}


def wait_active(ddb, table, index=None):
    for _ in range(600):
        t = ddb.describe_table(TableName=table)["Table"]
        indexes = {i["IndexName"]: i.get("IndexStatus") for i in t.get("GlobalSecondaryIndexes", [])}
        if t["TableStatus"] == "ACTIVE" and (index is None or indexes.get(index) == "ACTIVE"):
            return
        time.sleep(0.1)
    raise SystemExit(f"{table} not active")


def kcl_table(ddb, table):
    # DynamoDBLeaseRefresher.createLeaseTableIfNotExists, then createLeaseOwnerToLeaseKeyIndexIfNotExists.
    ddb.create_table(TableName=table, KeySchema=[{"AttributeName": "leaseKey", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "leaseKey", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST", DeletionProtectionEnabled=False)
    wait_active(ddb, table)
    ddb.update_table(TableName=table,
                     AttributeDefinitions=[{"AttributeName": "leaseOwner", "AttributeType": "S"},
                                           {"AttributeName": "leaseKey", "AttributeType": "S"}],
                     GlobalSecondaryIndexUpdates=[{"Create": {
                         "IndexName": "LeaseOwnerToLeaseKeyIndex",
                         "KeySchema": [{"AttributeName": "leaseOwner", "KeyType": "HASH"},
                                       {"AttributeName": "leaseKey", "KeyType": "RANGE"}],
                         "Projection": {"ProjectionType": "KEYS_ONLY"}}}])
    wait_active(ddb, table, "LeaseOwnerToLeaseKeyIndex")


def layout(ddb, table):
    t = ddb.describe_table(TableName=table)["Table"]
    return {
        "KeySchema": t["KeySchema"],
        "AttributeDefinitions": sorted(t["AttributeDefinitions"], key=lambda d: d["AttributeName"]),
        "BillingMode": t.get("BillingModeSummary", {}).get("BillingMode"),
        "GlobalSecondaryIndexes": sorted(
            [{"IndexName": i["IndexName"], "KeySchema": i["KeySchema"], "Projection": i["Projection"]}
             for i in t.get("GlobalSecondaryIndexes", [])], key=lambda i: i["IndexName"]),
    }


# Leases as the Java connector's KCL 3.1.2 leaves them (DynamoDBLeaseSerializer.toDynamoRecord plus what its
# updates add): a shard read mid-stream (sub-sequence checkpoint, throughput), a finished parent with its children,
# a merge child waiting at TRIM_HORIZON with both parents, a lease in a KCL 3 graceful hand-off, and a lease just
# created by shard sync (no owner). And one item of another entity (a newer KCL's single-table layout).
KCL_LEASES = [
    {"leaseKey": {"S": "shardId-000000000000"}, "leaseOwner": {"S": "d7c3a1f0-5b2e-4c8a-9f1d-2e3b4c5d6e7f"},
     "leaseCounter": {"N": "3121"}, "ownerSwitchesSinceCheckpoint": {"N": "0"},
     "checkpoint": {"S": "SHARD_END"}, "checkpointSubSequenceNumber": {"N": "0"},
     "childShardIds": {"SS": ["shardId-000000000002"]},
     "startingHashKey": {"S": "0"}, "endingHashKey": {"S": "170141183460469231731687303715884105727"},
     "throughputKBps": {"N": "0.0"}},
    {"leaseKey": {"S": "shardId-000000000001"}, "leaseOwner": {"S": "d7c3a1f0-5b2e-4c8a-9f1d-2e3b4c5d6e7f"},
     "leaseCounter": {"N": "3120"}, "ownerSwitchesSinceCheckpoint": {"N": "0"},
     "checkpoint": {"S": "SHARD_END"}, "checkpointSubSequenceNumber": {"N": "0"},
     "childShardIds": {"SS": ["shardId-000000000002"]},
     "startingHashKey": {"S": "170141183460469231731687303715884105728"},
     "endingHashKey": {"S": "340282366920938463463374607431768211455"}},
    {"leaseKey": {"S": "shardId-000000000002"}, "leaseCounter": {"N": "0"},
     "ownerSwitchesSinceCheckpoint": {"N": "0"}, "checkpoint": {"S": "TRIM_HORIZON"},
     "checkpointSubSequenceNumber": {"N": "0"},
     "parentShardId": {"SS": ["shardId-000000000000", "shardId-000000000001"]},
     "startingHashKey": {"S": "0"}, "endingHashKey": {"S": "340282366920938463463374607431768211455"}},
    {"leaseKey": {"S": "shardId-000000000003"}, "leaseOwner": {"S": "0"},
     "leaseCounter": {"N": "98"}, "ownerSwitchesSinceCheckpoint": {"N": "1"},
     "checkpoint": {"S": "49654046542364372823410483474137893658461463421473456178"},
     "checkpointSubSequenceNumber": {"N": "4"},
     "pendingCheckpoint": {"S": "49654046542364372823410483474137893658461463421473456200"},
     "pendingCheckpointSubSequenceNumber": {"N": "0"},
     "startingHashKey": {"S": "340282366920938463463374607431768211455"},
     "endingHashKey": {"S": "340282366920938463463374607431768211455"},
     "throughputKBps": {"N": "12.345678"}, "checkpointOwner": {"S": "java-worker-b"}},
    {"leaseKey": {"S": "shardId-000000000004"}, "leaseCounter": {"N": "0"},
     "ownerSwitchesSinceCheckpoint": {"N": "0"}, "checkpoint": {"S": "LATEST"},
     "checkpointSubSequenceNumber": {"N": "0"}},
    {"leaseKey": {"S": "Leader"}, "entityType": {"S": "LEADER"}, "ownerName": {"S": "someone"}},
]


def main():
    op, args = sys.argv[1], sys.argv[2:]
    ddb = client()
    if op == "kcl-table":
        kcl_table(ddb, args[0])
    elif op == "layout":
        print(json.dumps(layout(ddb, args[0]), sort_keys=True))
    elif op == "put-kcl-leases":
        for item in KCL_LEASES:
            ddb.put_item(TableName=args[0], Item=item)
    elif op == "put-lease-with-unknown":
        ddb.put_item(TableName=args[0], Item={
            "leaseKey": {"S": args[1]}, "leaseOwner": {"S": "java-worker"}, "leaseCounter": {"N": "7"},
            "ownerSwitchesSinceCheckpoint": {"N": "2"}, "checkpoint": {"S": "TRIM_HORIZON"},
            "checkpointSubSequenceNumber": {"N": "0"},
            "pendingCheckpoint": {"S": "1234"}, "pendingCheckpointSubSequenceNumber": {"N": "1"},
            "pendingCheckpointState": {"B": b"\x00\x01state"},
            "javaOnly": {"M": {"note": {"S": "kept"}, "n": {"NS": ["1", "2"]}, "b": {"B": b"\xff\x00"}}},
            "throughputKBps": {"N": "3.5"}})
    elif op == "get":
        item = ddb.get_item(TableName=args[0], Key={args[1]: {"S": args[2]}}, ConsistentRead=True).get("Item")
        print(json.dumps({} if item is None else {"Item": {k: to_json(v) for k, v in item.items()}}, sort_keys=True))
    elif op == "coordinator-table":
        table = args[0] + "-CoordinatorState"
        ddb.create_table(TableName=table, KeySchema=[{"AttributeName": "key", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "key", "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST")
        wait_active(ddb, table)
        ddb.put_item(TableName=table, Item={"key": {"S": "Migration3.0"}, "cv": {"S": "CLIENT_VERSION_3X"},
                                            "mb": {"S": "java-worker-a"}, "mts": {"N": str(int(time.time() * 1000))}})
    elif op == "put-leader":
        item = {"key": {"S": "Leader"}, "ownerName": {"S": "java-worker-a"}, "leaseDuration": {"S": args[1]},
                "recordVersionNumber": {"S": args[2]}}
        if len(args) > 3 and args[3] == "released":
            item["isReleased"] = {"S": "1"}
        ddb.put_item(TableName=args[0], Item=item)
    elif op == "heartbeat":
        table, duration, period, seconds = args[0], args[1], int(args[2]), float(args[3])
        end = time.time() + seconds
        while time.time() < end:
            # The lock client's heartbeat: a new record version (and the lease duration) on the existing item.
            ddb.update_item(TableName=table, Key={"key": {"S": "Leader"}},
                            UpdateExpression="SET #rvn = :rvn, #ld = :ld",
                            ExpressionAttributeNames={"#rvn": "recordVersionNumber", "#ld": "leaseDuration"},
                            ExpressionAttributeValues={":rvn": {"S": str(uuid.uuid4())}, ":ld": {"S": duration}})
            time.sleep(period / 1000.0)
    else:
        raise SystemExit(f"unknown operation {op}")


if __name__ == "__main__":
    main()
