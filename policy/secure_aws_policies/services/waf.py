"""WAF: every internet-facing Application Load Balancer sits behind a WAFv2 web ACL, and every web ACL logs.

Both join resources through the engine's property dependencies (`resourceArn` is an unknown ARN at a first
preview), and also by value once the ARNs are known, so an association or logging configuration given a literal
ARN is recognised too. WAF Classic (`aws.waf`, `aws.wafregional`) is not accepted: AWS has retired it.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..props import UNKNOWN, Deferred, has, is_set, items, peek, truthy, value
from ..registry import SECURITY_HUB, Category, stack_policy
from ..types import (
    CLASSIC_LOAD_BALANCER,
    LOAD_BALANCERS,
    LOG_GROUP,
    WAF_LOGGING_CONFIGURATION,
    WAF_WEB_ACL,
    WAF_WEB_ACL_ASSOCIATION,
    WAF_WEB_ACL_RULE_RESOURCES,
)

OWNED_ELSEWHERE = "managedByFirewallManager"


def attached_to(target: Any, candidates: list[Any], key: str) -> list[Any] | None:
    """The candidates whose `key` input names `target`: by the engine's dependency, or by value once the target's
    ARN is known. None when a candidate gives a literal ARN and the target's ARN is not known yet."""
    linked = [c for c in candidates if any(d.urn == target.urn for d in c.property_dependencies.get(key, []))]
    if linked:
        return linked
    literal = [c for c in candidates if not c.property_dependencies.get(key)]
    # arn is computed (no default to judge): unknown until the target exists.
    arn = peek(target.props, "arn")
    if literal and arn is UNKNOWN:
        return None
    return [c for c in literal if peek(c.props, key) == arn]


def _blocks(action: Any, override: Any) -> bool:
    """A rule that can stop a request: its action blocks (or challenges), or a rule group keeps its own actions
    (override none). Count, and allow, stop nothing."""
    if isinstance(override, str):  # WebAclRuleGroupAssociation: "none" or "count"
        return override.lower() == "none"
    # override_action (none or count) is required for a rule group reference; no default to judge.
    if has(override or {}, "none"):
        return True
    if has(override or {}, "count"):
        return False
    return any(has(action or {}, kind) for kind in ("block", "captcha", "challenge"))


def blocks_nothing(acl: Any, resources: list[Any]) -> bool:
    """A web ACL that allows by default and has no rule that does more than count: it filters nothing."""
    if has(value(acl.props, "defaultAction") or {}, "block") or is_set(acl.props, "ruleJson"):
        return False
    rules = [(value(r, "action"), value(r, "overrideAction")) for r in items(value(acl.props, "rules", []))]
    for resource in resources:
        if resource.resource_type in WAF_WEB_ACL_RULE_RESOURCES and any(
            d.urn == acl.urn for d in resource.property_dependencies.get("webAclArn", [])
        ):
            rules.append((value(resource.props, "action"), value(resource.props, "overrideAction")))
    return not any(_blocks(action, override) for action, override in rules)


def _internet_facing_alb(props: Any) -> bool:
    # An ELBv2 load balancer without a type is an Application Load Balancer, and without `internal` it is
    # internet-facing (the API's defaults).
    application = value(props, "loadBalancerType", "application") == "application"
    return application and not truthy(value(props, "internal", False))


@stack_policy(
    name="waf-protects-internet-facing-alb",
    description="Every internet-facing Application Load Balancer is associated with a WAFv2 web ACL "
    "(aws.wafv2.WebAclAssociation) that blocks something: a web ACL of the stack that allows by default needs a "
    "rule that is not set to count. Passes where the pack's config says AWS Firewall Manager associates one.",
    types=[
        *sorted(LOAD_BALANCERS - {CLASSIC_LOAD_BALANCER}),
        WAF_WEB_ACL_ASSOCIATION,
        WAF_WEB_ACL,
        *sorted(WAF_WEB_ACL_RULE_RESOURCES),
    ],
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
    web_acls = {r.urn: r for r in args.resources if r.resource_type == WAF_WEB_ACL}
    for lb in (r for r in args.resources if r.resource_type in LOAD_BALANCERS - {CLASSIC_LOAD_BALANCER}):
        with deferred.guard():
            if not _internet_facing_alb(lb.props):
                continue
            found = attached_to(lb, associations, "resourceArn")
            if found is None:
                value(lb.props, "arn")  # undecided until the load balancer's ARN is known
            # web_acl_arn is required on an association; no default to judge.
            found = [a for a in found if is_set(a.props, "webAclArn")]
            if not found:
                report(
                    f"internet-facing load balancer {lb.name} has no WAF web ACL: nothing filters SQL injection, "
                    "known exploits or floods before they reach the application.",
                    lb.urn,
                )
                continue
            # A web ACL of this stack must do something; one named by ARN (an organization's) is its owner's.
            acls = [
                web_acls[d.urn]
                for a in found
                for d in a.property_dependencies.get("webAclArn", [])
                if d.urn in web_acls
            ]
            if acls and all(blocks_nothing(acl, args.resources) for acl in acls):
                names = ", ".join(acl.name for acl in acls)
                report(
                    f"load balancer {lb.name}'s web ACL {names} allows every request: it has no rule that blocks "
                    "(none, or only rules and rule groups set to count).",
                    lb.urn,
                )
    deferred.finish()


# WAF writes only to destinations whose name starts with this (the WAF developer guide; the provider's
# WebAclLoggingConfiguration docs): any other name is refused at deploy time, which no preview shows.
LOG_DESTINATION_PREFIX = "aws-waf-logs-"
# Sessions and credentials: a request log that keeps them hands them to everyone who can read the logs.
DEFAULT_REDACTED_HEADERS = ["authorization", "cookie"]


def _redacted_headers(logging: Any) -> set[str]:
    return {
        str(value(value(field, "singleHeader") or {}, "name", "")).lower()
        # redacted_fields left out: nothing is redacted (WAF logs every header by default); single_header names one.
        for field in items(value(logging.props, "redactedFields", []))
    }


def _misnamed_destinations(logging: Any, resources: dict[str, Any]) -> list[str]:
    """This stack's log groups the configuration writes to whose known name does not start with the prefix."""
    misnamed = []
    for dependency in logging.property_dependencies.get("logDestinationConfigs", []):
        group = resources.get(dependency.urn)
        if group is None or group.resource_type != LOG_GROUP:
            continue
        # With namePrefix, the provider makes the name from the prefix: the prefix decides.
        # name_prefix and name left out: a random name (no default to judge against the prefix WAF requires).
        prefix = peek(group.props, "namePrefix")
        name = peek(group.props, "name")
        known = prefix if isinstance(prefix, str) else name if isinstance(name, str) else None
        if known is not None and not known.startswith(LOG_DESTINATION_PREFIX):
            misnamed.append(f"{group.name} ({known!r})")
    return misnamed


@stack_policy(
    name="waf-web-acl-logging",
    description="Every WAFv2 web ACL has a logging configuration with a destination (this stack's log groups "
    f"named {LOG_DESTINATION_PREFIX}..., as WAF requires), so what it blocked and allowed can be investigated, and "
    "the logs leave out the headers that carry sessions and credentials (redactedHeaders).",
    types=[WAF_WEB_ACL, WAF_LOGGING_CONFIGURATION, LOG_GROUP],
    severity=Severity.LOW,
    category=Category.LOGGING,
    controls=[SECURITY_HUB("WAF.11")],
    remediation="Create an aws.wafv2.WebAclLoggingConfiguration(resource_arn=<web ACL>.arn, "
    f"log_destination_configs=[<log group named {LOG_DESTINATION_PREFIX}...>.arn], redacted_fields=[{{single_header: "
    "{name: 'authorization'}}, {single_header: {name: 'cookie'}}]).",
    config={
        "redactedHeaders": {
            "type": "array",
            "items": {"type": "string"},
            "default": DEFAULT_REDACTED_HEADERS,
            "description": "Request headers (lowercase) every WAF logging configuration must redact.",
        }
    },
)
def waf_web_acl_logging(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    resources = {r.urn: r for r in args.resources}
    loggings = [r for r in args.resources if r.resource_type == WAF_LOGGING_CONFIGURATION]
    for acl in (r for r in args.resources if r.resource_type == WAF_WEB_ACL):
        with deferred.guard():
            found = attached_to(acl, loggings, "resourceArn")
            if found is None:
                value(acl.props, "arn")  # undecided until the web ACL's ARN is known
            # log_destination_configs is required in a logging configuration; no default to judge.
            if not [c for c in found if is_set(c.props, "logDestinationConfigs")]:
                report(
                    f"web ACL {acl.name} has no logging configuration with a destination: its decisions leave no "
                    "record.",
                    acl.urn,
                )
    required = {str(header).lower() for header in config["redactedHeaders"]}
    for logging in loggings:
        with deferred.guard():
            missing = sorted(required - _redacted_headers(logging))
            if missing:
                report(
                    f"WAF logging {logging.name} writes the {', '.join(missing)} header(s) to its logs: redact them "
                    "(redacted_fields single_header).",
                    logging.urn,
                )
        for destination in _misnamed_destinations(logging, resources):
            report(
                f"WAF logging {logging.name} writes to log group {destination}: WAF accepts only log groups named "
                f"{LOG_DESTINATION_PREFIX}..., so the deployment would fail.",
                logging.urn,
            )
    deferred.finish()
