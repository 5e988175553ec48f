"""WAF: every internet-facing Application Load Balancer sits behind a WAFv2 web ACL, and every web ACL logs.

Both join resources through the engine's property dependencies (`resourceArn` is an unknown ARN at a first
preview), and also by value once the ARNs are known, so an association or logging configuration given a literal
ARN is recognised too. WAF Classic (`aws.waf`, `aws.wafregional`) is not accepted: AWS has retired it.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..props import UNKNOWN, Deferred, is_set, peek, truthy, value
from ..registry import SECURITY_HUB, Category, stack_policy
from ..types import (
    CLASSIC_LOAD_BALANCER,
    LOAD_BALANCERS,
    WAF_LOGGING_CONFIGURATION,
    WAF_WEB_ACL,
    WAF_WEB_ACL_ASSOCIATION,
)

OWNED_ELSEWHERE = "managedByFirewallManager"


def attached_to(target: Any, candidates: list[Any], key: str) -> list[Any] | None:
    """The candidates whose `key` input names `target`: by the engine's dependency, or by value once the target's
    ARN is known. None when a candidate gives a literal ARN and the target's ARN is not known yet."""
    linked = [c for c in candidates if any(d.urn == target.urn for d in c.property_dependencies.get(key, []))]
    if linked:
        return linked
    literal = [c for c in candidates if not c.property_dependencies.get(key)]
    arn = peek(target.props, "arn")
    if literal and arn is UNKNOWN:
        return None
    return [c for c in literal if peek(c.props, key) == arn]


def _internet_facing_alb(props: Any) -> bool:
    # An ELBv2 load balancer without a type is an Application Load Balancer, and without `internal` it is
    # internet-facing (the API's defaults).
    application = value(props, "loadBalancerType", "application") == "application"
    return application and not truthy(value(props, "internal", False))


@stack_policy(
    name="waf-protects-internet-facing-alb",
    description="Every internet-facing Application Load Balancer is associated with a WAFv2 web ACL "
    "(aws.wafv2.WebAclAssociation), unless the pack's config says AWS Firewall Manager associates one.",
    types=[*sorted(LOAD_BALANCERS - {CLASSIC_LOAD_BALANCER}), WAF_WEB_ACL_ASSOCIATION],
    severity=Severity.MEDIUM,
    category=Category.NETWORK,
    controls=[SECURITY_HUB("ELB.16")],
    remediation="Create an aws.wafv2.WebAcl (scope='REGIONAL', AWS managed rule groups, a rate-based rule) and an "
    "aws.wafv2.WebAclAssociation(resource_arn=<load balancer>.arn, web_acl_arn=<web ACL>.arn). Where AWS Firewall "
    f"Manager attaches the organization's web ACL, set {OWNED_ELSEWHERE}: true in this policy's config.",
    config={
        OWNED_ELSEWHERE: {
            "type": "boolean",
            "default": False,
            "description": "AWS Firewall Manager associates a web ACL with every load balancer of the account.",
        }
    },
)
def waf_protects_internet_facing_alb(args: Any, report: Any, config: dict) -> None:
    if config[OWNED_ELSEWHERE]:
        return
    deferred = Deferred()
    associations = [r for r in args.resources if r.resource_type == WAF_WEB_ACL_ASSOCIATION]
    for lb in (r for r in args.resources if r.resource_type in LOAD_BALANCERS - {CLASSIC_LOAD_BALANCER}):
        with deferred.guard():
            if not _internet_facing_alb(lb.props):
                continue
            found = attached_to(lb, associations, "resourceArn")
            if found is None:
                value(lb.props, "arn")  # undecided until the load balancer's ARN is known
            if not [a for a in found if is_set(a.props, "webAclArn")]:
                report(f"internet-facing load balancer {lb.name} has no WAF web ACL: nothing filters SQL injection, "
                       "known exploits or floods before they reach the application.", lb.urn)  # fmt: skip
    deferred.finish()


@stack_policy(
    name="waf-web-acl-logging",
    description="Every WAFv2 web ACL has a logging configuration with a destination (a log group, bucket or "
    "Firehose stream named aws-waf-logs-...), so what it blocked and allowed can be investigated.",
    types=[WAF_WEB_ACL, WAF_LOGGING_CONFIGURATION],
    severity=Severity.LOW,
    category=Category.LOGGING,
    controls=[SECURITY_HUB("WAF.11")],
    remediation="Create an aws.wafv2.WebAclLoggingConfiguration(resource_arn=<web ACL>.arn, "
    "log_destination_configs=[<log group named aws-waf-logs-...>.arn], redacted_fields=[authorization and cookie "
    "headers]).",
)
def waf_web_acl_logging(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    loggings = [r for r in args.resources if r.resource_type == WAF_LOGGING_CONFIGURATION]
    for acl in (r for r in args.resources if r.resource_type == WAF_WEB_ACL):
        with deferred.guard():
            found = attached_to(acl, loggings, "resourceArn")
            if found is None:
                value(acl.props, "arn")  # undecided until the web ACL's ARN is known
            if not [c for c in found if is_set(c.props, "logDestinationConfigs")]:
                report(f"web ACL {acl.name} has no logging configuration with a destination: its decisions leave no "
                       "record.", acl.urn)  # fmt: skip
    deferred.finish()
