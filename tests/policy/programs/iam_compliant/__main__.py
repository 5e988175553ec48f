"""Least privilege done right: specific actions on specific resources, trust policies naming a service, an
account or an identity provider, resource policies granting only to named or account-bound principals, and a KMS
key policy in its standard shape (root administers; `{"AWS": "*"}` only through kms:CallerAccount + ViaService).
"""

import json

import pulumi
import pulumi_aws as aws

ACCOUNT = "123456789012"


def document(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def trust(principal):
    return document({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": principal})


app_role = aws.iam.Role(
    "app-role",
    assume_role_policy=trust({"Service": "ec2.amazonaws.com"}),
    inline_policies=[
        aws.iam.RoleInlinePolicyArgs(
            name="metrics",
            policy=document(
                {
                    "Effect": "Allow",
                    "Action": "cloudwatch:PutMetricData",
                    "Resource": "*",
                    "Condition": {"StringEquals": {"cloudwatch:namespace": "App"}},
                }
            ),
        )
    ],
)
aws.iam.Role("break-glass-role", assume_role_policy=trust({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}))
aws.iam.Role(
    "ci-role",
    assume_role_policy=document(
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Principal": {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"},
            "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}},
        }
    ),
)

key = aws.kms.Key(
    "key",
    enable_key_rotation=True,
    policy=document(
        {
            "Sid": "EnableRootAccountAdministration",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": "kms:*",
            "Resource": "*",
        },
        {
            "Sid": "AllowS3OfThisAccount",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*",
            "Condition": {
                "StringEquals": {"kms:CallerAccount": ACCOUNT, "kms:ViaService": "s3.us-east-1.amazonaws.com"}
            },
        },
        {
            "Sid": "AllowCloudWatchLogs",
            "Effect": "Allow",
            "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
            "Action": ["kms:Decrypt*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
            "Resource": "*",
            # Its source: log groups of this account only (CloudWatch Logs binds the data key to the group's ARN).
            "Condition": {
                "ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:123456789012:log-group:*"}
            },
        },
    ),
)

bucket = aws.s3.Bucket("data-bucket")
# Embeds the bucket's and the key's ARNs: unknown at a first preview (undecided), judged at apply.
aws.iam.RolePolicy(
    "app-data-access",
    role=app_role.id,
    policy=pulumi.Output.all(bucket.arn, key.arn).apply(
        lambda arns: document(
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{arns[0]}/*"},
            {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": arns[1]},
        )
    ),
)
aws.iam.Policy(
    "read-reports",
    policy=document(
        {
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:List*"],
            "Resource": ["arn:aws:s3:::policy-tests-reports", "arn:aws:s3:::policy-tests-reports/*"],
        }
    ),
)
aws.s3.BucketPolicy(
    "data-bucket-policy",
    bucket=bucket.id,
    policy=document(
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::policy-tests-data", "arn:aws:s3:::policy-tests-data/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
        {
            "Sid": "LogDelivery",
            "Effect": "Allow",
            "Principal": {"Service": "logging.s3.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": "arn:aws:s3:::policy-tests-data/logs/*",
            "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
        },
    ),
)
topic = aws.sns.Topic("alerts")
aws.sns.TopicPolicy(
    "alerts-policy",
    arn=topic.arn,
    policy=document(
        {
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": "sns:Publish",
            "Resource": f"arn:aws:sns:us-east-1:{ACCOUNT}:alerts",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
        }
    ),
)
