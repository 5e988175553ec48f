"""Identity policies that amount to admin without saying "Action": "*" (issue 10 item 8), and their least-privilege
neighbours. Each resource is named after what it does; `ok-*` resources must pass."""

import json

import pulumi_aws as aws

ACCOUNT = "123456789012"


def document(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", **s} for s in statements]})


def policy(name: str, *statements: dict) -> aws.iam.Policy:
    return aws.iam.Policy(name, policy=document(*statements))


policy("s3-get-everything-policy", {"Action": "s3:Get*", "Resource": "*"})
policy("kms-prefix-wildcard-policy", {"Action": ["kms:Decr*"], "Resource": "*"})
policy(
    "passrole-runinstances-policy",
    {"Action": "iam:PassRole", "Resource": "*"},
    {"Action": "ec2:RunInstances", "Resource": "*"},
)
policy(
    "iam-writes-on-all-roles-policy", {"Action": "iam:AttachRolePolicy", "Resource": f"arn:aws:iam::{ACCOUNT}:role/*"}
)
policy("iam-question-mark-policy", {"Action": "iam:Put?olePolicy", "Resource": "*"})
policy("service-wildcard-spelling-policy", {"Action": ["i*:*", "se?retsmanager:Get*"], "Resource": "*"})

role = aws.iam.Role(
    "role",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
)
aws.iam.RolePolicyAttachment(
    "s3-full-access-attachment", role=role.name, policy_arn="arn:aws:iam::aws:policy/AmazonS3FullAccess"
)
aws.iam.RolePolicyAttachment(
    "ok-ssm-core-attachment", role=role.name, policy_arn="arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
)

policy("ok-describe-policy", {"Action": ["ec2:Describe*", "rds:List*"], "Resource": "*"})
policy(
    "ok-scoped-passrole-policy",
    {"Action": "iam:PassRole", "Resource": f"arn:aws:iam::{ACCOUNT}:role/app-role"},
    {"Action": "ec2:RunInstances", "Resource": "*"},
)
policy("ok-named-actions-policy", {"Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::data/*"})

# Taking over other principals without an IAM write: each on every resource, and scoped to one named resource.
policy("assume-any-role-policy", {"Action": "sts:AssumeRole", "Resource": "*"})
policy("update-any-function-policy", {"Action": "lambda:UpdateFunctionCode", "Resource": "*"})
policy(
    "command-any-instance-policy",
    {"Action": "ssm:SendCommand", "Resource": f"arn:aws:ssm:us-east-1:{ACCOUNT}:*"},
)
policy("read-every-secret-policy", {"Action": "secretsmanager:Get*", "Resource": "*"})
policy("ok-assume-one-role-policy", {"Action": "sts:AssumeRole", "Resource": f"arn:aws:iam::{ACCOUNT}:role/deploy"})
policy(
    "ok-read-one-secret-policy",
    {
        "Action": "secretsmanager:GetSecretValue",
        "Resource": f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:db-AbCdEf",
    },
)
