"""Creates an IAM role on moto (PK_MOTO_* from the environment) that anyone may assume, by AssumeRole or
AssumeRoleWithWebIdentity, and that may do anything; prints its ARN. Used by sts_moto_test.cc: moto checks an
assumed role's existence and policies when its credentials sign a call."""
import json
import os
import sys

import boto3

iam = boto3.client("iam", endpoint_url=os.environ["PK_MOTO_ENDPOINT"], region_name="us-east-1",
                   aws_access_key_id=os.environ["PK_MOTO_ACCESS_KEY_ID"],
                   aws_secret_access_key=os.environ["PK_MOTO_SECRET_ACCESS_KEY"])
role = sys.argv[1]
trust = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"},
    {"Effect": "Allow", "Principal": {"Federated": "*"}, "Action": "sts:AssumeRoleWithWebIdentity"}]}
arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
iam.put_role_policy(RoleName=role, PolicyName="all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
print(arn)
