"""Plaintext secrets, each resource or variable named after how it gives itself away. Values are fake (the AWS
access key id is AWS's documented example)."""

import base64
import gzip
import json

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

# User data: plain, base64 and gzipped, in every argument form; key names in other cases and with prefixes.
AMI = "ami-0123456789abcdef0"
aws.ec2.Instance(
    "instance-plain-user-data",
    ami=AMI,
    instance_type="t3.micro",
    user_data=(
        "#!/bin/bash\nexport DB_PASSWORD=correct-horse-battery\nmysql -u admin --password=correct-horse-battery\n"
    ),
)
aws.ec2.Instance(
    "instance-base64-user-data",
    ami=AMI,
    instance_type="t3.micro",
    user_data_base64=base64.b64encode(b"#cloud-config\napp:\n  App_Db_Password: 'correct-horse-battery'\n").decode(),
)
gzipped = gzip.compress(b"#!/bin/bash\naws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE\n")
aws.ec2.LaunchTemplate("template-gzip-user-data", image_id=AMI, user_data=base64.b64encode(gzipped).decode())
aws.ec2.LaunchTemplate(
    "template-json-user-data",
    image_id=AMI,
    user_data=base64.b64encode(b'{"service": {"apiKey": "q8Zr3vX1bN7mK2pL9sT4wY6cF0hJ5dGa"}}').decode(),
)
aws.ec2.SpotInstanceRequest(
    "spot-user-data",
    ami=AMI,
    instance_type="t3.micro",
    user_data="#!/bin/bash\ndocker run -e SLACK_HOOK=xoxb-000000000000-0000000000000-fakefakefakefakefake app\n",
)
aws.ec2.SpotFleetRequest(
    "fleet-user-data",
    iam_fleet_role="arn:aws:iam::123456789012:role/fleet",
    target_capacity=1,
    launch_specifications=[
        aws.ec2.SpotFleetRequestLaunchSpecificationArgs(
            ami=AMI, instance_type="t3.micro", user_data="#!/bin/bash\nexport api_token=correct-horse-battery\n"
        )
    ],
)

# CodeBuild: PLAINTEXT written out and left out (the default), the AWS keys CodeBuild.2 names.
aws.codebuild.Project(
    "build-with-secrets",
    service_role="arn:aws:iam::123456789012:role/build",
    artifacts=aws.codebuild.ProjectArtifactsArgs(type="NO_ARTIFACTS"),
    source=aws.codebuild.ProjectSourceArgs(type="NO_SOURCE", buildspec="version: 0.2\n"),
    environment=aws.codebuild.ProjectEnvironmentArgs(
        compute_type="BUILD_GENERAL1_SMALL",
        image="aws/codebuild/standard:7.0",
        type="LINUX_CONTAINER",
        environment_variables=[
            aws.codebuild.ProjectEnvironmentEnvironmentVariableArgs(name="GITHUB_TOKEN", value="ghp_" + "0" * 36),
            aws.codebuild.ProjectEnvironmentEnvironmentVariableArgs(
                name="db_password", value="correct-horse-battery", type="PLAINTEXT"
            ),
            aws.codebuild.ProjectEnvironmentEnvironmentVariableArgs(
                name="AWS_ACCESS_KEY_ID", value="AKIAIOSFODNN7EXAMPLE"
            ),
        ],
    ),
)

# ECS: the same reader as everywhere, so a token under an innocent name is found too.
aws.ecs.TaskDefinition(
    "task-with-secrets",
    family="secrets",
    container_definitions=json.dumps(
        [
            {
                "name": "app",
                "image": "app:1",
                "environment": [
                    {"name": "NOTIFY", "value": "xoxb-000000000000-0000000000000-fakefakefakefakefake"},
                    {"name": "Db_Password", "value": "correct-horse-battery"},
                ],
            }
        ]
    ),
)
