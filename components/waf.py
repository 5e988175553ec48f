"""The web tier's web application firewall: a regional WAFv2 web ACL in front of the load balancer.

AWS's managed rule groups (the core rule set, known bad inputs, Amazon's IP reputation list, SQL injection) block
what scanners and exploit kits send; a rate-based rule blocks any single IP above `wafRateLimit` requests in five
minutes; everything else is allowed (the default action). Every rule publishes CloudWatch metrics and sampled
requests, and the web ACL logs every request to a KMS-encrypted log group named as WAF requires
(`aws-waf-logs-...`) with the Cookie and Authorization headers redacted, so no session or credential is ever
written to a log. An alarm mails the alert topic when blocked requests spike.

Built by the web tier (its children), so the load balancer and its firewall are always one unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.alarms import metric_alarm
from components.policy_documents import condition

# AWS managed rule groups (vendor AWS), in evaluation order: cheapest and most decisive first.
MANAGED_RULE_GROUPS = (
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
)
RATE_LIMIT_WINDOW_SECONDS = 300
# The headers that carry sessions and credentials (WAF wants them lowercase).
REDACTED_HEADERS = ("authorization", "cookie")
# WAF only delivers to a log group whose name starts with this.
LOG_GROUP_NAME_PREFIX = "aws-waf-logs-"
# Scanners hit every public endpoint all day; a hundred blocked requests in five minutes is an attack, not noise.
BLOCKED_REQUESTS_ALARM_THRESHOLD = 100


@dataclass(kw_only=True)
class WebAclArgs:
    """What the firewall needs from its web tier."""

    web_acl_name: str
    """Unique per account and region; names its metrics too."""
    load_balancer_arn: pulumi.Input[str]
    kms_key_arn: pulumi.Input[str]
    alert_topic_arn: pulumi.Input[str]
    rate_limit: int
    """Requests per client IP per five minutes above which that IP is blocked."""
    log_retention_days: int
    region: str
    is_production: bool
    """Production keeps the request log from accidental deletion."""


def _visibility(metric_name: str) -> dict[str, object]:
    return {"cloudwatch_metrics_enabled": True, "metric_name": metric_name, "sampled_requests_enabled": True}


def web_acl_rules(rate_limit: int) -> list[aws.wafv2.WebAclRuleArgs]:
    """The managed rule groups (their own actions, not overridden) and the rate-based rule. Exported for testing."""
    rules = [
        aws.wafv2.WebAclRuleArgs(
            name=group,
            priority=priority,
            override_action=aws.wafv2.WebAclRuleOverrideActionArgs(none=aws.wafv2.WebAclRuleOverrideActionNoneArgs()),
            statement=aws.wafv2.WebAclRuleStatementArgs(
                managed_rule_group_statement=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs(
                    name=group, vendor_name="AWS"
                )
            ),
            visibility_config=aws.wafv2.WebAclRuleVisibilityConfigArgs(**_visibility(group)),
        )
        for priority, group in enumerate(MANAGED_RULE_GROUPS, start=10)
    ]
    rules.append(
        aws.wafv2.WebAclRuleArgs(
            name="rate-limit-per-ip",
            priority=100,
            action=aws.wafv2.WebAclRuleActionArgs(block=aws.wafv2.WebAclRuleActionBlockArgs()),
            statement=aws.wafv2.WebAclRuleStatementArgs(
                rate_based_statement=aws.wafv2.WebAclRuleStatementRateBasedStatementArgs(
                    limit=rate_limit, aggregate_key_type="IP", evaluation_window_sec=RATE_LIMIT_WINDOW_SECONDS
                )
            ),
            visibility_config=aws.wafv2.WebAclRuleVisibilityConfigArgs(**_visibility("rate-limit-per-ip")),
        )
    )
    return rules


def create_web_acl(parent: pulumi.Resource, name: str, args: WebAclArgs) -> aws.wafv2.WebAcl:
    """The web ACL, its association with the load balancer, its logging and its alarm, as children of `parent`."""
    child = pulumi.ResourceOptions(parent=parent)
    web_acl = aws.wafv2.WebAcl(
        name,
        name=args.web_acl_name,
        description="Load balancer: AWS managed rule groups and a per-IP rate limit",
        scope="REGIONAL",
        default_action=aws.wafv2.WebAclDefaultActionArgs(allow=aws.wafv2.WebAclDefaultActionAllowArgs()),
        rules=web_acl_rules(args.rate_limit),
        visibility_config=aws.wafv2.WebAclVisibilityConfigArgs(**_visibility(args.web_acl_name)),
        opts=child,
    )
    aws.wafv2.WebAclAssociation(
        f"{name}-association", resource_arn=args.load_balancer_arn, web_acl_arn=web_acl.arn, opts=child
    )
    _create_logging(parent, name, web_acl, args)
    metric_alarm(
        parent,
        f"{name}-blocked-requests",
        description=f"Web ACL: more than {BLOCKED_REQUESTS_ALARM_THRESHOLD} requests blocked in 5 minutes "
        "(an attack or a misbehaving client); the WAF log group shows which rule and which source",
        namespace="AWS/WAFV2",
        metric_name="BlockedRequests",
        dimensions={"WebACL": web_acl.name, "Region": args.region, "Rule": "ALL"},
        statistic="Sum",
        comparison_operator="GreaterThanThreshold",
        threshold=BLOCKED_REQUESTS_ALARM_THRESHOLD,
        period=300,
        evaluation_periods=1,
        # No datapoint means nothing was blocked.
        treat_missing_data="notBreaching",
        topic_arn=args.alert_topic_arn,
        notify_ok=True,
    )
    return web_acl


def _create_logging(parent: pulumi.Resource, name: str, web_acl: aws.wafv2.WebAcl, args: WebAclArgs) -> None:
    log_group = aws.cloudwatch.LogGroup(
        f"{name}-logs",
        name_prefix=f"{LOG_GROUP_NAME_PREFIX}{name}-",
        kms_key_id=args.kms_key_arn,
        retention_in_days=args.log_retention_days,
        deletion_protection_enabled=args.is_production,
        opts=pulumi.ResourceOptions(parent=parent, protect=args.is_production),
    )
    account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=parent)).account_id
    # WAF delivers through CloudWatch Logs' log-delivery service. Without a policy of our own, WAF edits the
    # account-wide `AWSWAF-LOGS` policy, which outgrows its size limit in busy accounts (the provider's
    # WebAclLoggingConfiguration docs warn of this); this one admits delivery to this log group only, from this
    # account only.
    delivery_policy = aws.iam.get_policy_document_output(
        statements=[
            aws.iam.GetPolicyDocumentStatementArgs(
                sid="WafLogDelivery",
                effect="Allow",
                principals=[
                    aws.iam.GetPolicyDocumentStatementPrincipalArgs(
                        type="Service", identifiers=["delivery.logs.amazonaws.com"]
                    )
                ],
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[pulumi.Output.concat(log_group.arn, ":*")],
                conditions=[
                    condition("StringEquals", "aws:SourceAccount", account_id),
                    condition(
                        "ArnLike",
                        "aws:SourceArn",
                        pulumi.Output.concat("arn:aws:logs:", args.region, ":", account_id, ":*"),
                    ),
                ],
            )
        ],
        opts=pulumi.InvokeOutputOptions(parent=parent),
    )
    resource_policy = aws.cloudwatch.LogResourcePolicy(
        f"{name}-log-delivery-policy",
        policy_name=pulumi.Output.concat(log_group.name, "-delivery"),
        policy_document=delivery_policy.json,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    aws.wafv2.WebAclLoggingConfiguration(
        f"{name}-logging",
        resource_arn=web_acl.arn,
        # The log group's ARN without the `:*` suffix, as WAF wants it.
        log_destination_configs=[log_group.arn],
        redacted_fields=[
            aws.wafv2.WebAclLoggingConfigurationRedactedFieldArgs(
                single_header=aws.wafv2.WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs(name=header)
            )
            for header in REDACTED_HEADERS
        ],
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[resource_policy]),
    )
