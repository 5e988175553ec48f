"""Each resource is named after the detection policy it breaks, with the bypasses a hurried engineer would try: a
load balancer left at its default type and scheme, the `alb` alias module, an association naming another load
balancer by a literal ARN, a logging configuration on another web ACL, a recorder narrowed three ways and turned
off, one never turned on, and a suspended detector."""

import pulumi_aws as aws

SUBNETS = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]

aws.lb.LoadBalancer("unprotected-alb", load_balancer_type="application", internal=False, subnets=SUBNETS)
# Type and scheme left out: the API makes it an internet-facing Application Load Balancer.
aws.lb.LoadBalancer("default-type-alb", subnets=SUBNETS)
aws.alb.LoadBalancer("alias-module-alb", subnets=SUBNETS)

logged_acl = aws.wafv2.WebAcl(
    "logged-acl",
    scope="REGIONAL",
    default_action={"allow": {}},
    visibility_config={"cloudwatch_metrics_enabled": True, "metric_name": "logged", "sampled_requests_enabled": True},
)
unlogged_acl = aws.wafv2.WebAcl(
    "unlogged-acl",
    scope="REGIONAL",
    default_action={"allow": {}},
    visibility_config={"cloudwatch_metrics_enabled": True, "metric_name": "unlogged", "sampled_requests_enabled": True},
)
# Protects some other account's load balancer, not one of this stack's.
aws.wafv2.WebAclAssociation(
    "elsewhere-association",
    resource_arn="arn:aws:elasticloadbalancing:us-east-1:210987654321:loadbalancer/app/other/0123456789abcdef",
    web_acl_arn=unlogged_acl.arn,
)
waf_logs = aws.cloudwatch.LogGroup("waf-logs", name="aws-waf-logs-fixture", retention_in_days=365)
aws.wafv2.WebAclLoggingConfiguration(
    "logged-acl-logging", resource_arn=logged_acl.arn, log_destination_configs=[waf_logs.arn]
)

narrow_recorder = aws.cfg.Recorder(
    "narrow-recorder",
    name="narrow",
    role_arn="arn:aws:iam::123456789012:role/config",
    recording_group={
        "all_supported": False,
        "include_global_resource_types": False,
        "resource_types": ["AWS::EC2::Instance"],
    },
)
aws.cfg.RecorderStatus("stopped-recorder-status", name=narrow_recorder.name, is_enabled=False)
# Recording group left out: every regional type, but no global ones; and no status ever turns it on.
aws.cfg.Recorder("statusless-recorder", name="statusless", role_arn="arn:aws:iam::123456789012:role/config")

# Web ACLs that are there but stop nothing: no rules at all, or every rule set to count.
empty_acl_alb = aws.lb.LoadBalancer("empty-acl-alb", subnets=SUBNETS)
aws.wafv2.WebAclAssociation("empty-acl-association", resource_arn=empty_acl_alb.arn, web_acl_arn=logged_acl.arn)
count_only_alb = aws.lb.LoadBalancer("count-only-alb", subnets=SUBNETS)
VISIBILITY = {"cloudwatch_metrics_enabled": True, "metric_name": "count", "sampled_requests_enabled": True}
COMMON = {"managed_rule_group_statement": {"name": "AWSManagedRulesCommonRuleSet", "vendor_name": "AWS"}}
count_only_acl = aws.wafv2.WebAcl(
    "count-only-acl",
    scope="REGIONAL",
    default_action={"allow": {}},
    rules=[
        {
            "name": "common",
            "priority": 1,
            "override_action": {"count": {}},
            "visibility_config": VISIBILITY,
            "statement": COMMON,
        },
        {
            "name": "rate",
            "priority": 2,
            "action": {"count": {}},
            "visibility_config": VISIBILITY,
            "statement": {"rate_based_statement": {"limit": 2000}},
        },
    ],
    visibility_config=VISIBILITY,
)
aws.wafv2.WebAclAssociation("count-only-association", resource_arn=count_only_alb.arn, web_acl_arn=count_only_acl.arn)
# Logs to a group WAF refuses (its name lacks the aws-waf-logs- prefix), redacting only the cookie.
misnamed_logs = aws.cloudwatch.LogGroup("misnamed-waf-logs", name="/waf/count-only", retention_in_days=365)
aws.wafv2.WebAclLoggingConfiguration(
    "count-only-acl-logging",
    resource_arn=count_only_acl.arn,
    log_destination_configs=[misnamed_logs.arn],
    redacted_fields=[{"single_header": {"name": "cookie"}}],
)

aws.guardduty.Detector("suspended-detector", enable=False)
