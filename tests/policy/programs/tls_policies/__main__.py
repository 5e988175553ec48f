"""One HTTPS listener per ELB security policy the test passes in `tlsPolicies` (a JSON list), each named after its
policy, so a test can put every policy the program's settings accept through the real pack."""

import json

import pulumi
import pulumi_aws as aws

policies = json.loads(pulumi.Config().require("tlsPolicies"))
alb = aws.lb.LoadBalancer("alb", load_balancer_type="application", subnets=["subnet-1a", "subnet-1b"])
target_group = aws.lb.TargetGroup("app", port=8080, protocol="HTTP", vpc_id="vpc-0123456789abcdef0")
for index, policy in enumerate(policies):
    aws.lb.Listener(
        policy,
        load_balancer_arn=alb.arn,
        port=443 + index,
        protocol="HTTPS",
        ssl_policy=policy,
        certificate_arn="arn:aws:acm:us-east-1:123456789012:certificate/0b7a2c33-2f5e-4c8e-9d31-4a1f7b0e9c11",
        default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=target_group.arn)],
    )
