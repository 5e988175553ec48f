"""Encryption in transit done right: redirect-only HTTP, HTTPS with a TLS 1.3 policy, TLS-only bucket and topic
policies, PostgreSQL that forces SSL. Policy documents embed ARNs, so at preview most are unknown (undecided) and
are judged at apply; `named-bucket`'s inline policy is a literal and is judged in both modes.
"""

import json

import pulumi
import pulumi_aws as aws

alb = aws.lb.LoadBalancer("alb", load_balancer_type="application", subnets=["subnet-1a", "subnet-1b"])
target_group = aws.lb.TargetGroup("app", port=8080, protocol="HTTP", vpc_id="vpc-0123456789abcdef0")
http_listener = aws.lb.Listener(
    "http-redirect",
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
https_listener = aws.lb.Listener(
    "https",
    load_balancer_arn=alb.arn,
    port=443,
    protocol="HTTPS",
    ssl_policy="ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    certificate_arn="arn:aws:acm:us-east-1:123456789012:certificate/0b7a2c33-2f5e-4c8e-9d31-4a1f7b0e9c11",
    default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=target_group.arn)],
)

# Rules: the HTTP listener's only redirects (a legacy path, to HTTPS); forwarding rules sit on the HTTPS listener.
aws.lb.ListenerRule(
    "legacy-path-redirect",
    listener_arn=http_listener.arn,
    priority=10,
    actions=[
        aws.lb.ListenerRuleActionArgs(
            type="redirect",
            redirect=aws.lb.ListenerRuleActionRedirectArgs(
                protocol="HTTPS", port="443", path="/app/#{path}", status_code="HTTP_301"
            ),
        )
    ],
    conditions=[
        aws.lb.ListenerRuleConditionArgs(path_pattern=aws.lb.ListenerRuleConditionPathPatternArgs(values=["/legacy/*"]))
    ],
)
aws.lb.ListenerRule(
    "api-forward",
    listener_arn=https_listener.arn,
    priority=10,
    actions=[aws.lb.ListenerRuleActionArgs(type="forward", target_group_arn=target_group.arn)],
    conditions=[
        aws.lb.ListenerRuleConditionArgs(path_pattern=aws.lb.ListenerRuleConditionPathPatternArgs(values=["/api/*"]))
    ],
)


def tls_only_bucket_policy(bucket_arn):
    return aws.iam.get_policy_document_output(
        statements=[
            aws.iam.GetPolicyDocumentStatementArgs(
                sid="DenyInsecureTransport",
                effect="Deny",
                principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="*", identifiers=["*"])],
                actions=["s3:*"],
                resources=[bucket_arn, pulumi.Output.concat(bucket_arn, "/*")],
                conditions=[
                    aws.iam.GetPolicyDocumentStatementConditionArgs(
                        test="Bool", variable="aws:SecureTransport", values=["false"]
                    )
                ],
            )
        ]
    ).json


data = aws.s3.Bucket("data-bucket")
aws.s3.BucketPolicy("data-bucket-policy", bucket=data.id, policy=tls_only_bucket_policy(data.arn))

# A literal document, known at preview (the deprecated inline `policy` of a v7 bucket).
aws.s3.Bucket(
    "named-bucket",
    bucket="policy-tests-named",
    policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Deny",
                    "Principal": {"AWS": "*"},
                    "Action": "*",
                    "Resource": ["arn:aws:s3:::policy-tests-named", "arn:aws:s3:::policy-tests-named/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": False}},
                }
            ],
        }
    ),
)

topic = aws.sns.Topic("alerts")
aws.sns.TopicPolicy(
    "alerts-policy",
    arn=topic.arn,
    policy=aws.iam.get_policy_document_output(
        statements=[
            aws.iam.GetPolicyDocumentStatementArgs(
                sid="DenyInsecureTransport",
                effect="Deny",
                principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="*", identifiers=["*"])],
                actions=["sns:Publish"],
                resources=[topic.arn],
                conditions=[
                    aws.iam.GetPolicyDocumentStatementConditionArgs(
                        test="Bool", variable="aws:SecureTransport", values=["false"]
                    )
                ],
            )
        ]
    ).json,
)

params = aws.rds.ParameterGroup(
    "postgres-tls",
    family="postgres16",
    parameters=[aws.rds.ParameterGroupParameterArgs(name="rds.force_ssl", value="1", apply_method="immediate")],
)
aws.rds.Instance(
    "tls-db",
    engine="postgres",
    engine_version="16",
    instance_class="db.t4g.medium",
    allocated_storage=20,
    username="appadmin",
    manage_master_user_password=True,
    parameter_group_name=params.name,
)
# PostgreSQL 15+ default parameter groups force SSL.
aws.rds.Instance(
    "default-params-db",
    engine="postgres",
    engine_version="17.2",
    instance_class="db.t4g.medium",
    allocated_storage=20,
    username="appadmin",
    manage_master_user_password=True,
)

# A gateway load balancer's listener has neither protocol nor port: it forwards GENEVE, not HTTP.
gateway = aws.lb.LoadBalancer("gwlb", load_balancer_type="gateway", subnets=["subnet-1a"])
appliances = aws.lb.TargetGroup("appliances", port=6081, protocol="GENEVE", vpc_id="vpc-0123456789abcdef0")
aws.lb.Listener(
    "gwlb-listener",
    load_balancer_arn=gateway.arn,
    default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=appliances.arn)],
)
