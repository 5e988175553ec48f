"""Elastic Load Balancing: TLS-only listeners with a TLS 1.2+ security policy, plain HTTP only to redirect, access
logs, strict HTTP parsing, and deletion protection.

Listener rules are joined to their listener through the engine's property dependencies (`listenerArn` is an
unknown ARN at a first preview).
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..props import Deferred, has, is_set, items, truthy, value
from ..registry import CDK_NAG, FSBP, Category, resource_policy, stack_policy
from ..types import (
    CLASSIC_LOAD_BALANCER,
    LISTENER_RULES,
    LISTENERS,
    LOAD_BALANCERS,
)

# The policies Security Hub's ELB.17 passes (TLS 1.3 with TLS 1.2 only with forward-secret AEAD ciphers, or TLS
# 1.3 only, and their FIPS and post-quantum variants), as named in the ALB security policy table
# (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html). The program's
# settings.py keeps the same list as ALLOWED_TLS_POLICIES (it may not import the pack): tests/test_contracts.py
# holds the two equal. The API's default for a listener without one is ELBSecurityPolicy-2016-08, which still
# accepts TLS 1.0.
ELB17_TLS_POLICIES = [
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
]


API_DEFAULT_TLS_POLICY = "ELBSecurityPolicy-2016-08"


def _protocol(props: Any) -> str:
    # An ALB listener without a protocol is HTTP (an NLB listener must name one); a gateway load balancer's
    # listener has neither protocol nor port (it forwards GENEVE).
    if not has(props, "protocol") and not has(props, "port"):
        return "GENEVE"
    return str(value(props, "protocol", "HTTP")).upper()


@resource_policy(
    name="alb-http-listener-redirects-to-https",
    description="A plain-HTTP load balancer listener only redirects to HTTPS: every default action is a redirect "
    "whose protocol is HTTPS.",
    types=LISTENERS,
    severity=Severity.MEDIUM,
    category=Category.TRANSIT,
    controls=[FSBP("ELB.1"), CDK_NAG("NIST.800.53.R5-ALBHttpToHttpsRedirection")],
    remediation="Give the HTTP listener one default action: type='redirect', redirect={protocol: 'HTTPS', port: "
    "'443', status_code: 'HTTP_301'}; serve the application only from the HTTPS listener.",
)
def alb_http_listener_redirects_to_https(args: Any, report: Any, config: dict) -> None:
    if _protocol(args.props) != "HTTP":
        return
    actions = items(value(args.props, "defaultActions", []))
    if not actions:
        report(f"listener {args.name} serves plain HTTP with no default action; make it redirect to HTTPS.")
    for problem in _redirect_problems(actions, "defaultActions"):
        report(f"listener {args.name}: {problem}")


def _redirect_problems(actions: list[Any], key: str) -> list[str]:
    """What in these actions of a plain-HTTP listener (or rule) does anything but redirect to HTTPS."""
    problems = []
    for index, action in enumerate(actions):
        kind = value(action, "type")
        if kind != "redirect":
            problems.append(
                f"{key}[{index}] is {kind!r} on plain HTTP, so requests are answered unencrypted; use "
                "a redirect to HTTPS."
            )
            continue
        # A redirect without a protocol keeps the request's ("#{protocol}"): HTTP stays HTTP.
        target = str(value(value(action, "redirect") or {}, "protocol", "#{protocol}"))
        if target.upper() != "HTTPS":
            problems.append(f"{key}[{index}] redirects to {target}, not HTTPS.")
    return problems


@stack_policy(
    name="alb-http-listener-rules-redirect-to-https",
    description="Listener rules on a plain-HTTP listener only redirect to HTTPS too: a rule that forwards or "
    "answers on port 80 would bypass the listener's redirect.",
    types=sorted(LISTENERS | LISTENER_RULES),
    severity=Severity.MEDIUM,
    category=Category.TRANSIT,
    controls=[FSBP("ELB.1")],
    remediation="Attach forwarding rules to the HTTPS listener (listener_arn=<https listener>.arn); on the HTTP "
    "listener keep only redirect actions with protocol HTTPS.",
)
def alb_http_listener_rules_redirect_to_https(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    listeners = {r.urn: r for r in args.resources if r.resource_type in LISTENERS}
    for rule in (r for r in args.resources if r.resource_type in LISTENER_RULES):
        with deferred.guard():
            linked = [listeners[d.urn] for d in rule.property_dependencies.get("listenerArn", []) if d.urn in listeners]
            for listener in linked:
                if _protocol(listener.props) != "HTTP":
                    continue
                for problem in _redirect_problems(items(value(rule.props, "actions", [])), "actions"):
                    report(f"rule {rule.name} of HTTP listener {listener.name}: {problem}", rule.urn)
    deferred.finish()


@resource_policy(
    name="lb-listener-secure-protocol",
    description="Load balancer listeners accept only encrypted connections (HTTPS or TLS). The HTTP listener that "
    "only redirects to HTTPS (FSBP ELB.1) necessarily fails this control (FSBP ELB.18): exempt it by name, with "
    "that reason, rather than dropping the redirect.",
    types=LISTENERS,
    severity=Severity.MEDIUM,
    category=Category.TRANSIT,
    controls=[FSBP("ELB.18")],
    remediation="Use protocol HTTPS (ALB) or TLS (NLB) with a certificate; for a port-80 redirect listener add an "
    "exemption for this policy naming the listener and why it must exist.",
)
def lb_listener_secure_protocol(args: Any, report: Any, config: dict) -> None:
    protocol = _protocol(args.props)
    if protocol == "GENEVE":
        args.not_applicable("a gateway load balancer's listener carries GENEVE to appliances inside the VPC")
    if protocol not in ("HTTPS", "TLS"):
        report(f"listener {args.name} accepts {protocol}, which is not encrypted in transit.")


@resource_policy(
    name="lb-listener-tls-policy",
    description="HTTPS and TLS listeners use an allowed TLS 1.2+ security policy (by default the ones FSBP ELB.17 "
    "accepts). A listener without one gets the API default ELBSecurityPolicy-2016-08, which accepts TLS 1.0.",
    types=LISTENERS,
    severity=Severity.MEDIUM,
    category=Category.TRANSIT,
    controls=[FSBP("ELB.17")],
    remediation="Set ssl_policy to one of the allowed policies, e.g. ELBSecurityPolicy-TLS13-1-2-Res-2021-06 "
    "(TLS 1.3, and TLS 1.2 with forward-secret AEAD ciphers only).",
    config={
        "allowedSslPolicies": {
            "type": "array",
            "items": {"type": "string"},
            "minItems": 1,
            "default": ELB17_TLS_POLICIES,
            "description": "ELB security policies a listener may use.",
        },
    },
)
def lb_listener_tls_policy(args: Any, report: Any, config: dict) -> None:
    if _protocol(args.props) not in ("HTTPS", "TLS"):
        return
    policy = value(args.props, "sslPolicy")
    if policy in (None, ""):
        report(
            f"listener {args.name} sets no sslPolicy, so AWS applies {API_DEFAULT_TLS_POLICY} (TLS 1.0 and "
            "weak ciphers)."
        )
    elif policy not in config["allowedSslPolicies"]:
        report(
            f"listener {args.name} uses {policy}, which is not an allowed TLS policy "
            f"({', '.join(config['allowedSslPolicies'])})."
        )


def _balancer_kind(args: Any) -> str:
    if args.resource_type == CLASSIC_LOAD_BALANCER:
        return "classic"
    return str(value(args.props, "loadBalancerType", "application"))


@resource_policy(
    name="lb-access-logging",
    description="Application and classic load balancers write access logs to S3 (FSBP ELB.5 covers those two; "
    "network load balancers log only their TLS listeners and gateway load balancers not at all).",
    types=LOAD_BALANCERS,
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    controls=[FSBP("ELB.5"), CDK_NAG("AwsSolutions-ELB2")],
    remediation="Set access_logs={bucket: <log bucket>, prefix: 'alb', enabled: True}; the bucket must use SSE-S3 "
    "and allow the region's ELB account to PutObject under the prefix.",
)
def lb_access_logging(args: Any, report: Any, config: dict) -> None:
    kind = _balancer_kind(args)
    if kind not in ("application", "classic"):
        args.not_applicable(f"ELB.5 covers application and classic load balancers, not {kind} ones")
    access_logs = value(args.props, "accessLogs")
    # The classic ELB's block is enabled unless it says otherwise; the v2 one only when it says so.
    enabled = truthy(value(access_logs, "enabled", kind == "classic")) if access_logs else False
    if not enabled or not is_set(access_logs, "bucket"):
        report(f"load balancer {args.name} does not write access logs.")


@resource_policy(
    name="alb-drops-invalid-headers",
    description="Application load balancers drop HTTP headers with invalid names instead of passing them on.",
    types=LOAD_BALANCERS - {CLASSIC_LOAD_BALANCER},
    severity=Severity.MEDIUM,
    category=Category.NETWORK,
    controls=[FSBP("ELB.4")],
    remediation="Set drop_invalid_header_fields=True on the load balancer.",
)
def alb_drops_invalid_headers(args: Any, report: Any, config: dict) -> None:
    if _balancer_kind(args) != "application":
        args.not_applicable("only application load balancers parse HTTP headers")
    if not truthy(value(args.props, "dropInvalidHeaderFields", False)):
        report(f"load balancer {args.name} forwards HTTP headers with invalid names (request smuggling risk).")


@resource_policy(
    name="lb-desync-mitigation",
    description="Application and classic load balancers use desync mitigation mode defensive (the AWS default) or "
    "strictest, never monitor.",
    types=LOAD_BALANCERS,
    severity=Severity.MEDIUM,
    category=Category.NETWORK,
    controls=[FSBP("ELB.12"), FSBP("ELB.14")],
    remediation="Leave desync_mitigation_mode unset or set it to 'defensive' or 'strictest'.",
)
def lb_desync_mitigation(args: Any, report: Any, config: dict) -> None:
    if _balancer_kind(args) not in ("application", "classic"):
        args.not_applicable("only application and classic load balancers have a desync mitigation mode")
    mode = value(args.props, "desyncMitigationMode", "defensive")
    if mode not in ("defensive", "strictest"):
        report(
            f"load balancer {args.name} uses desync mitigation mode {mode!r}, which lets ambiguous HTTP "
            "requests through."
        )


@resource_policy(
    name="lb-deletion-protection",
    description="Application, network and gateway load balancers have deletion protection.",
    types=LOAD_BALANCERS - {CLASSIC_LOAD_BALANCER},
    severity=Severity.MEDIUM,
    category=Category.RESILIENCE,
    controls=[FSBP("ELB.6")],
    remediation="Set enable_deletion_protection=True.",
)
def lb_deletion_protection(args: Any, report: Any, config: dict) -> None:
    if not truthy(value(args.props, "enableDeletionProtection", False)):
        report(f"load balancer {args.name} can be deleted by one API call: enableDeletionProtection is not true.")
