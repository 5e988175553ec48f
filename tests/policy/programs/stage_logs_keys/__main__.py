"""API stage access logs, IAM access keys and wildcard principals (tests/policy/test_stage_logs_keys.py): what a
hurried engineer adds (a stage without access logs, an access key for a CI user, a key policy for `arn:aws:iam::*:root`)
beside the way it should be done ("ok-")."""

import json

import pulumi_aws as aws

logs = aws.cloudwatch.LogGroup("api-logs", retention_in_days=365)
FORMAT = json.dumps({"requestId": "$context.requestId", "ip": "$context.identity.sourceIp"})

http_api = aws.apigatewayv2.Api("http-api", protocol_type="HTTP")
aws.apigatewayv2.Stage("http-stage-no-logs", api_id=http_api.id, name="prod")
aws.apigatewayv2.Stage(
    "ok-http-stage",
    api_id=http_api.id,
    name="prod2",
    access_log_settings=aws.apigatewayv2.StageAccessLogSettingsArgs(destination_arn=logs.arn, format=FORMAT),
)
aws.apigatewayv2.Api(
    "quick-create-api", protocol_type="HTTP", target="arn:aws:lambda:us-east-1:123456789012:function:handler"
)
rest_api = aws.apigateway.RestApi("rest-api", security_policy="TLS_1_2")
deployment = aws.apigateway.Deployment("deployment", rest_api=rest_api.id)
aws.apigateway.Stage("rest-stage-no-logs", rest_api=rest_api.id, deployment=deployment.id, stage_name="prod")
aws.apigateway.Stage(
    "ok-rest-stage",
    rest_api=rest_api.id,
    deployment=deployment.id,
    stage_name="prod2",
    access_log_settings=aws.apigateway.StageAccessLogSettingsArgs(destination_arn=logs.arn, format=FORMAT),
)

ci = aws.iam.User("ci-user")
aws.iam.AccessKey("ci-access-key", user=ci.name)
aws.iam.AccessKey("ok-retired-access-key", user=ci.name, status="Inactive")


def key_policy(principal: object) -> str:
    statement = {"Effect": "Allow", "Principal": principal, "Action": "kms:Decrypt", "Resource": "*"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


aws.kms.Key("key-any-account-root", enable_key_rotation=True, policy=key_policy({"AWS": "arn:aws:iam::*:root"}))
aws.kms.Key(
    "key-any-account-role", enable_key_rotation=True, policy=key_policy({"AWS": ["arn:aws:iam::12345678901?:role/x"]})
)
aws.kms.Key(
    "ok-key-own-account", enable_key_rotation=True, policy=key_policy({"AWS": "arn:aws:iam::123456789012:root"})
)
