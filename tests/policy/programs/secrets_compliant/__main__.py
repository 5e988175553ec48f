"""Configuration that is not secret, and secrets passed by reference: nothing here may be reported."""

import base64

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

# User data that reads its secrets at boot, names where they live, or is unknown until another resource exists.
AMI = "ami-0123456789abcdef0"
BOOT_SCRIPT = """#!/bin/bash
set -euo pipefail
export DB_PASSWORD="$(aws secretsmanager get-secret-value --secret-id prod/db --query SecretString --output text)"
export API_TOKEN=${API_TOKEN:-}
DB_SECRET_ARN=arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf
PASSWORD_PARAMETER=/app/db/password
TOKEN_TTL=3600
echo "password: {{resolve:secretsmanager:prod/db:SecretString:password}}" > /etc/app.yaml
curl -fsS https://example.com/token/refresh
"""
aws.ec2.Instance("instance-reads-secrets-at-boot", ami=AMI, instance_type="t3.micro", user_data=BOOT_SCRIPT)
aws.ec2.LaunchTemplate(
    "template-reads-secrets-at-boot", image_id=AMI, user_data=base64.b64encode(BOOT_SCRIPT.encode()).decode()
)
aws.ec2.Instance(
    "instance-user-data-from-output",
    ami=AMI,
    instance_type="t3.micro",
    user_data=secret.arn.apply(lambda arn: f"#!/bin/bash\nexport API_KEY_SECRET_ARN={arn}\n"),
)

# CodeBuild: secrets by reference (the value is the secret's or parameter's name), ordinary plaintext settings.
aws.codebuild.Project(
    "build-with-references",
    service_role="arn:aws:iam::123456789012:role/build",
    artifacts=aws.codebuild.ProjectArtifactsArgs(type="NO_ARTIFACTS"),
    source=aws.codebuild.ProjectSourceArgs(type="NO_SOURCE", buildspec="version: 0.2\n"),
    environment=aws.codebuild.ProjectEnvironmentArgs(
        compute_type="BUILD_GENERAL1_SMALL",
        image="aws/codebuild/standard:7.0",
        type="LINUX_CONTAINER",
        environment_variables=[
            aws.codebuild.ProjectEnvironmentEnvironmentVariableArgs(
                name="DB_PASSWORD", value="/app/db/password", type="PARAMETER_STORE"
            ),
            aws.codebuild.ProjectEnvironmentEnvironmentVariableArgs(
                name="GITHUB_TOKEN", value="prod/github:token", type="SECRETS_MANAGER"
            ),
            aws.codebuild.ProjectEnvironmentEnvironmentVariableArgs(name="API_KEY_SECRET_ARN", value=secret.arn),
            aws.codebuild.ProjectEnvironmentEnvironmentVariableArgs(name="LOG_LEVEL", value="INFO"),
        ],
    ),
)
