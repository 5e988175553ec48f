"""Plaintext secrets, each resource or variable named after how it gives itself away. Values are fake (the AWS
access key id is AWS's documented example)."""

import pulumi
import pulumi_aws as aws

code = pulumi.AssetArchive({"index.py": pulumi.StringAsset("def handler(event, context):\n    return None\n")})
aws.lambda_.Function(
    "function-with-secrets",
    role="arn:aws:iam::123456789012:role/function",
    runtime="python3.12",
    handler="index.handler",
    code=code,
    environment=aws.lambda_.FunctionEnvironmentArgs(
        variables={
            "DB_PASSWORD": "correct-horse-battery",
            "ACCESS": "AKIAIOSFODNN7EXAMPLE",
            "NOTIFY": "xoxb-000000000000-0000000000000-fakefakefakefakefake",
            "CI": "ghp_" + "0123456789abcdefghijklmnopqrstuvwxyz",
            "SIGNING": "-----BEGIN PRIVATE KEY-----\nMIIEfake\n-----END PRIVATE KEY-----",
            "OPAQUE": "q8Zr3vX1bN7mK2pL9sT4wY6cF0hJ5dGa",
        }
    ),
)
aws.ssm.Parameter("password-as-string", name="/app/db/password", type="String", value="correct-horse-battery")
aws.ssm.Parameter("key-in-string-list", name="/app/keys", type="StringList", value="AKIAIOSFODNN7EXAMPLE,other")
opaque = "q8Zr3vX1bN7mK2pL9sT4wY6cF0hJ5dGa"
aws.ssm.Parameter("insecure-value", name="/app/signing", type="String", insecure_value=opaque)
