"""Configuration that is not secret, and secrets passed by reference: nothing here may be reported."""

import pulumi
import pulumi_aws as aws

secret = aws.secretsmanager.Secret("api-key")
code = pulumi.AssetArchive({"index.py": pulumi.StringAsset("def handler(event, context):\n    return None\n")})
aws.lambda_.Function(
    "function",
    role="arn:aws:iam::123456789012:role/function",
    runtime="python3.12",
    handler="index.handler",
    code=code,
    environment=aws.lambda_.FunctionEnvironmentArgs(
        variables={
            "API_KEY_SECRET_ARN": secret.arn,  # a reference: unknown at preview, an ARN at apply
            "DB_PASSWORD_PARAMETER": "/app/db/password",  # names where the secret lives
            "TOKEN_TTL": "3600",
            "LOG_LEVEL": "INFO",
            "QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/work-queue",
            "BUCKET_ARN": "arn:aws:s3:::my-application-artifacts-bucket-0123456789",
            "REQUEST_ID": "0b7a2c33-2f5e-4c8e-9d31-4a1f7b0e9c11",
        }
    ),
)
aws.ssm.Parameter("region-param", type="String", value="us-east-1")
aws.ssm.Parameter("password-secure", name="/app/db/password", type="SecureString", value="correct-horse-battery")
aws.ssm.Parameter("token-by-reference", name="/app/token", type="String", value=secret.arn)
