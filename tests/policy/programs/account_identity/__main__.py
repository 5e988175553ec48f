"""Who a key, grant or Lambda permission gives access to (issue 10 item 6). The explicit provider may deploy only
to account 123456789012 (allowed_account_ids), which the pack takes as the account it guards; 999999999999 is
someone else's. Each resource is named after what it does; `ok-*` resources must pass."""

import json

import pulumi
import pulumi_aws as aws

OURS, THEIRS = "123456789012", "999999999999"
provider = aws.Provider(
    "guarded",
    region="us-east-1",
    allowed_account_ids=[OURS],
    default_tags=aws.ProviderDefaultTagsArgs(tags={"Environment": "Production"}),
)
opts = pulumi.ResourceOptions(provider=provider)


def policy(*statements: dict) -> str:
    admin = {
        "Sid": "AccountAdmin",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{OURS}:root"},
        "Action": "kms:*",
        "Resource": "*",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [admin, *statements]})


def key(name: str, *statements: dict) -> aws.kms.Key:
    return aws.kms.Key(name, enable_key_rotation=True, policy=policy(*statements), opts=opts)


ok_key = key("ok-own-account-key")
key(
    "other-account-key",
    {
        "Sid": "TheirDecrypt",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{THEIRS}:root"},
        "Action": "kms:Decrypt",
        "Resource": "*",
    },
)
aws.kms.KeyPolicy(
    "other-caller-account-key-policy",
    key_id=ok_key.id,
    policy=policy(
        {
            "Sid": "AnyoneFromTheirAccount",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "kms:Decrypt",
            "Resource": "*",
            "Condition": {"StringEquals": {"kms:CallerAccount": THEIRS}},
        }
    ),
    opts=opts,
)
key(
    "username-narrowed-key",
    {
        "Sid": "AnyoneNamedAdmin",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "kms:Decrypt",
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:username": "admin"}},
    },
)
OUR_CALLERS_VIA_S3 = {"StringEquals": {"kms:CallerAccount": OURS, "kms:ViaService": "s3.us-east-1.amazonaws.com"}}
key(
    "ok-own-caller-account-key",
    {
        "Sid": "OurAccountViaS3",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "kms:Decrypt",
        "Resource": "*",
        "Condition": OUR_CALLERS_VIA_S3,
    },
)
aws.kms.Grant(
    "other-account-grant",
    key_id=ok_key.id,
    grantee_principal=f"arn:aws:iam::{THEIRS}:role/reader",
    operations=["Decrypt"],
    opts=opts,
)
aws.kms.Grant(
    "ok-own-account-grant",
    key_id=ok_key.id,
    grantee_principal=f"arn:aws:iam::{OURS}:role/reader",
    operations=["Decrypt"],
    opts=opts,
)

# Lambda permissions: a service principal with no source lets any account's resource of that service invoke.
for name, kwargs in (
    ("unsourced-events-permission", {"principal": "events.amazonaws.com"}),
    (
        "ok-sourced-events-permission",
        {"principal": "events.amazonaws.com", "source_arn": f"arn:aws:events:us-east-1:{OURS}:rule/nightly"},
    ),
    ("ok-s3-account-permission", {"principal": "s3.amazonaws.com", "source_account": OURS}),
    ("ok-org-permission", {"principal": "*", "principal_org_id": "o-a1b2c3d4e5"}),
):
    aws.lambda_.Permission(name, action="lambda:InvokeFunction", function="auditor", opts=opts, **kwargs)
