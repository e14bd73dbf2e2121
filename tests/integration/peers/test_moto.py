"""moto serves DynamoDB (conditional writes), STS and CloudWatch with SigV4 signatures verified."""
import boto3
import pytest
from botocore.exceptions import ClientError

from conftest import server_env


def client(service: str, **keys):
    return boto3.client(service, endpoint_url=server_env("PK_MOTO_ENDPOINT"), region_name="us-east-1", **keys)


def test_dynamodb_table_and_conditional_write(moto_keys, unique):
    ddb = client("dynamodb", **moto_keys)
    table = f"foundation-{unique}"
    ddb.create_table(TableName=table, KeySchema=[{"AttributeName": "leaseKey", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "leaseKey", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    ddb.put_item(TableName=table, Item={"leaseKey": {"S": "shard-0"}, "leaseCounter": {"N": "1"}},
                 ConditionExpression="attribute_not_exists(leaseKey)")
    ddb.update_item(TableName=table, Key={"leaseKey": {"S": "shard-0"}},
                    UpdateExpression="SET leaseCounter = :next", ConditionExpression="leaseCounter = :n",
                    ExpressionAttributeValues={":n": {"N": "1"}, ":next": {"N": "2"}})
    with pytest.raises(ClientError) as lost:
        ddb.update_item(TableName=table, Key={"leaseKey": {"S": "shard-0"}},
                        UpdateExpression="SET leaseCounter = :next", ConditionExpression="leaseCounter = :n",
                        ExpressionAttributeValues={":n": {"N": "1"}, ":next": {"N": "2"}})
    assert lost.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    item = ddb.get_item(TableName=table, Key={"leaseKey": {"S": "shard-0"}}, ConsistentRead=True)["Item"]
    assert item["leaseCounter"] == {"N": "2"}


def test_wrong_secret_is_refused(moto_keys):
    bad = client("dynamodb", aws_access_key_id=moto_keys["aws_access_key_id"], aws_secret_access_key="wrong-secret")
    with pytest.raises(ClientError) as refused:
        bad.list_tables()
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_sts_assume_role_and_cloudwatch(moto_keys, unique):
    creds = client("sts", **moto_keys).assume_role(RoleArn="arn:aws:iam::123456789012:role/test",
                                                   RoleSessionName=f"s{unique}")["Credentials"]
    assert creds["AccessKeyId"] and creds["SecretAccessKey"] and creds["SessionToken"]
    client("cloudwatch", **moto_keys).put_metric_data(
        Namespace="pulsar-kinesis-test", MetricData=[{"MetricName": "records", "Value": 1.0, "Unit": "Count"}])
