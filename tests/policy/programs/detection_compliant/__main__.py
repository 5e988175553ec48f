"""Detective and edge controls done right: an internet-facing ALB behind a logging WAFv2 web ACL, an internal ALB
and an internet-facing NLB (no WAF needed), a Config recorder of every type that is on, and an enabled detector."""

import pulumi
import pulumi_aws as aws

SUBNETS = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]

public_alb = aws.lb.LoadBalancer("public-alb", load_balancer_type="application", subnets=SUBNETS)
# No WAF needed: not reachable from the internet, or not HTTP.
aws.lb.LoadBalancer("internal-alb", internal=True, subnets=SUBNETS)
aws.lb.LoadBalancer("public-nlb", load_balancer_type="network", subnets=SUBNETS)


def visibility(metric):
    return {"cloudwatch_metrics_enabled": True, "metric_name": metric, "sampled_requests_enabled": True}


web_acl = aws.wafv2.WebAcl(
    "web-acl",
    scope="REGIONAL",
    default_action={"allow": {}},
    rules=[
        {
            "name": "common",
            "priority": 1,
            "override_action": {"none": {}},
            "visibility_config": visibility("common"),
            "statement": {
                "managed_rule_group_statement": {"name": "AWSManagedRulesCommonRuleSet", "vendor_name": "AWS"}
            },
        }
    ],
    visibility_config=visibility("web-acl"),
)
aws.wafv2.WebAclAssociation("web-acl-association", resource_arn=public_alb.arn, web_acl_arn=web_acl.arn)
waf_logs = aws.cloudwatch.LogGroup("waf-logs", name="aws-waf-logs-fixture", retention_in_days=365)
REDACTED = [{"single_header": {"name": "authorization"}}, {"single_header": {"name": "cookie"}}]
aws.wafv2.WebAclLoggingConfiguration(
    "web-acl-logging", resource_arn=web_acl.arn, log_destination_configs=[waf_logs.arn], redacted_fields=REDACTED
)

# Other forms that protect: a web ACL whose blocking rule is a resource of its own, logging too; and an
# organization's web ACL named by its ARN (its rules are its owner's business).
separate_rule_alb = aws.lb.LoadBalancer("separate-rule-alb", subnets=SUBNETS)
separate_rule_acl = aws.wafv2.WebAcl(
    "separate-rule-acl", scope="REGIONAL", default_action={"allow": {}}, visibility_config=visibility("separate")
)
aws.wafv2.WebAclRule(
    "separate-rule-acl-rate-limit",
    web_acl_arn=separate_rule_acl.arn,
    name="rate-limit",
    priority=1,
    action={"block": {}},
    statement={"rate_based_statement": {"limit": 2000, "aggregate_key_type": "IP"}},
    visibility_config=visibility("rate-limit"),
)
aws.wafv2.WebAclAssociation(
    "separate-rule-association", resource_arn=separate_rule_alb.arn, web_acl_arn=separate_rule_acl.arn
)
# A log group named by prefix; headers given in another case.
prefixed_logs = aws.cloudwatch.LogGroup(
    "prefixed-waf-logs", name_prefix="aws-waf-logs-separate-", retention_in_days=365
)
aws.wafv2.WebAclLoggingConfiguration(
    "separate-rule-acl-logging",
    resource_arn=separate_rule_acl.arn,
    log_destination_configs=[prefixed_logs.arn],
    redacted_fields=[{"single_header": {"name": "Cookie"}}, {"single_header": {"name": "Authorization"}}],
)
org_acl_alb = aws.lb.LoadBalancer("org-acl-alb", subnets=SUBNETS)
aws.wafv2.WebAclAssociation(
    "org-acl-association",
    resource_arn=org_acl_alb.arn,
    web_acl_arn="arn:aws:wafv2:us-east-1:123456789012:regional/webacl/org-baseline/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
)

role = aws.iam.ServiceLinkedRole("config-role", aws_service_name="config.amazonaws.com")
recorder = aws.cfg.Recorder(
    "recorder",
    name="fixture",
    role_arn=role.arn,
    recording_group={"all_supported": True, "include_global_resource_types": True},
)
channel = aws.cfg.DeliveryChannel("delivery-channel", s3_bucket_name="config-bucket-fixture")
aws.cfg.RecorderStatus("recorder-status", name=recorder.name, is_enabled=True)
# Another form: a recorder left at the default name, turned on by that name as a literal string.
default_recorder = aws.cfg.Recorder(
    "default-name-recorder", role_arn=role.arn, recording_group={"include_global_resource_types": True}
)
aws.cfg.RecorderStatus(
    "default-name-recorder-status",
    name="default",
    is_enabled=True,
    opts=pulumi.ResourceOptions(depends_on=[default_recorder]),
)

# enable left out: the provider's default is true.
aws.guardduty.Detector("detector", finding_publishing_frequency="FIFTEEN_MINUTES")
