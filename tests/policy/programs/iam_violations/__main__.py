"""Each resource breaks the IAM policies its name says (see tests/policy/test_iam.py)."""

import json

import pulumi_aws as aws

ACCOUNT = "123456789012"


def document(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def trust(principal):
    return document({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": principal})


aws.iam.Policy("admin-policy", policy=document({"Effect": "Allow", "Action": "*", "Resource": "*"}))
role = aws.iam.Role("app-role", assume_role_policy=trust({"Service": "ec2.amazonaws.com"}))
aws.iam.RolePolicy(
    "notaction-role-policy", role=role.id, policy=document({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})
)
aws.iam.RolePolicy(
    "s3-wildcard-role-policy",
    role=role.id,
    policy=document({"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::r/*"}),
)
aws.iam.Policy(
    "decrypt-everything-policy", policy=document({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"})
)
aws.iam.Role(
    "decrypt-all-keys-role",
    assume_role_policy=trust({"Service": "lambda.amazonaws.com"}),
    inline_policies=[
        aws.iam.RoleInlinePolicyArgs(
            name="decrypt",
            policy=document(
                {"Effect": "Allow", "Action": "kms:Decrypt*", "Resource": f"arn:aws:kms:*:{ACCOUNT}:key/*"}
            ),
        )
    ],
)
aws.iam.RolePolicy("broken-json-policy", role=role.id, policy='{"Version": "2012-10-17", "Statement": [')

aws.iam.UserPolicy(
    "user-policy", user="alice", policy=document({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})
)
aws.iam.UserPolicyAttachment("user-attachment", user="alice", policy_arn="arn:aws:iam::aws:policy/ReadOnlyAccess")
aws.iam.PolicyAttachment(
    "users-attachment", users=["alice", "bob"], policy_arn="arn:aws:iam::aws:policy/ReadOnlyAccess"
)

aws.iam.Role("open-trust-role", assume_role_policy=trust("*"))
aws.iam.Role("open-aws-trust-role", assume_role_policy=trust({"AWS": "*"}))

bucket = aws.s3.Bucket("public-bucket")
aws.s3.BucketPolicy(
    "public-bucket-policy",
    bucket=bucket.id,
    policy=document(
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::policy-tests-public/*",
        }
    ),
)
# A source IP range still lets anyone (any account) in from there: it is not an account boundary.
aws.sns.Topic(
    "public-topic",
    policy=document(
        {
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": "sns:Subscribe",
            "Resource": "*",
            "Condition": {"IpAddress": {"aws:SourceIp": "198.51.100.0/24"}},
        }
    ),
)
aws.kms.Key(
    "loose-key",
    policy=document(
        {
            "Sid": "Root",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": "kms:*",
            "Resource": "*",
        },
        {
            "Sid": "AppAdmin",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/app"},
            "Action": "kms:*",
            "Resource": "*",
        },
        {
            "Sid": "AnyoneViaS3",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": "kms:Decrypt",
            "Resource": "*",
            "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}},
        },
    ),
)
