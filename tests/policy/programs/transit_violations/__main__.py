"""Each resource breaks the transit policies its name says (see tests/policy/test_transit.py)."""

import json

import pulumi_aws as aws

alb = aws.lb.LoadBalancer("alb", load_balancer_type="application", subnets=["subnet-1a", "subnet-1b"])
target_group = aws.lb.TargetGroup("app", port=8080, protocol="HTTP", vpc_id="vpc-0123456789abcdef0")
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0b7a2c33-2f5e-4c8e-9d31-4a1f7b0e9c11"

http_forwarding = aws.lb.Listener(
    "http-forwarding-listener",
    load_balancer_arn=alb.arn,
    port=80,
    protocol="HTTP",
    default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=target_group.arn)],
)
# A redirect without a protocol keeps the request's: HTTP stays HTTP.
aws.lb.Listener(
    "http-redirect-same-protocol-listener",
    load_balancer_arn=alb.arn,
    port=8081,
    default_actions=[
        aws.lb.ListenerDefaultActionArgs(
            type="redirect", redirect=aws.lb.ListenerDefaultActionRedirectArgs(port="8443", status_code="HTTP_302")
        )
    ],
)
aws.lb.Listener(
    "old-tls-listener",
    load_balancer_arn=alb.arn,
    port=443,
    protocol="HTTPS",
    ssl_policy="ELBSecurityPolicy-TLS-1-2-2017-01",
    certificate_arn=CERTIFICATE,
    default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=target_group.arn)],
)
aws.lb.Listener(
    "default-tls-listener",
    load_balancer_arn=alb.arn,
    port=8443,
    protocol="HTTPS",
    certificate_arn=CERTIFICATE,
    default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=target_group.arn)],
)
# A redirect-only HTTP listener whose rule forwards /api over plain HTTP anyway.
http_redirect = aws.lb.Listener(
    "http-redirect-listener",
    load_balancer_arn=alb.arn,
    port=80,
    protocol="HTTP",
    default_actions=[
        aws.lb.ListenerDefaultActionArgs(
            type="redirect",
            redirect=aws.lb.ListenerDefaultActionRedirectArgs(protocol="HTTPS", port="443", status_code="HTTP_301"),
        )
    ],
)
aws.lb.ListenerRule(
    "http-forwarding-rule",
    listener_arn=http_redirect.arn,
    priority=10,
    actions=[aws.lb.ListenerRuleActionArgs(type="forward", target_group_arn=target_group.arn)],
    conditions=[
        aws.lb.ListenerRuleConditionArgs(path_pattern=aws.lb.ListenerRuleConditionPathPatternArgs(values=["/api/*"]))
    ],
)

aws.s3.Bucket("policyless-bucket")
# Its policy denies plain HTTP only for the objects, not for the bucket itself.
aws.s3.Bucket(
    "objects-only-bucket",
    bucket="policy-tests-objects-only",
    policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": "arn:aws:s3:::policy-tests-objects-only/*",
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ],
        }
    ),
)

aws.sns.Topic("policyless-topic")
aws.sns.Topic(
    "allow-only-topic",
    policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudwatch.amazonaws.com"},
                    "Action": "sns:Publish",
                    "Resource": "*",
                }
            ],
        }
    ),
)

lax_params = aws.rds.ParameterGroup("lax-params", family="postgres16")
aws.rds.Instance(
    "lax-params-db",
    engine="postgres",
    engine_version="16",
    instance_class="db.t4g.medium",
    allocated_storage=20,
    username="appadmin",
    manage_master_user_password=True,
    parameter_group_name=lax_params.name,
)
# PostgreSQL 14's default parameter group does not force SSL.
aws.rds.Instance(
    "old-default-params-db",
    engine="postgres",
    engine_version="14.12",
    instance_class="db.t4g.medium",
    allocated_storage=20,
    username="appadmin",
    manage_master_user_password=True,
)
