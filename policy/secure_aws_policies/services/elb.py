"""Elastic Load Balancing: TLS-only listeners with a TLS 1.2+ security policy, plain HTTP only to redirect, access
logs, strict HTTP parsing, and deletion protection.

Listener rules are joined to their listener through the engine's property dependencies (`listenerArn` is an
unknown ARN at a first preview).
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..data_tier import DataTier, data_tier, depends_on
from ..props import UNKNOWN, Deferred, as_int, has, is_set, items, peek, truthy, value
from ..registry import CDK_NAG, FSBP, PROJECT, Category, resource_policy, stack_policy
from ..types import (
    AUTOSCALING_ATTACHMENT,
    AUTOSCALING_GROUP,
    CLASSIC_LOAD_BALANCER,
    CLASSIC_LOAD_BALANCER_ATTACHMENT,
    EC2_INSTANCE,
    LISTENER_RULES,
    LISTENERS,
    LOAD_BALANCERS,
    TARGET_GROUP_ATTACHMENTS,
    TARGET_GROUPS,
)
from .security_groups import DATABASE_PORTS

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
    # load_balancer_type: "The default value is `application`" (lb/load_balancer.py).
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
    # access_logs left out: no logs. Its `enabled`: "Defaults to `false`, even when `bucket` is specified" on lb
    # (lb/_inputs.py), "Default is `true`" on classic elb (elb/_inputs.py); bucket is required in the block.
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
    # drop_invalid_header_fields: "The default is false" (lb/load_balancer.py).
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
    # desync_mitigation_mode: "`defensive` (default)" on both lb and elb.
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
    # enable_deletion_protection: "Defaults to `false`" (lb/load_balancer.py).
    if not truthy(value(args.props, "enableDeletionProtection", False)):
        report(f"load balancer {args.name} can be deleted by one API call: enableDeletionProtection is not true.")


# Paths, not single resources #####################################################################################


def _internet_facing(balancer: Any) -> bool:
    """`internal` left out is internet-facing: "If true, the LB will be internal. Defaults to false" (pulumi-aws
    lb.LoadBalancer and alb.LoadBalancer; the classic elb.LoadBalancer's scheme defaults to internet-facing too, as
    CreateLoadBalancer's Scheme does). An unknown value raises: undecided at preview."""
    return not truthy(value(balancer.props, "internal", False))


class _Exposure:
    """Everything an internet-facing load balancer forwards to, joined through property dependencies: the
    listeners and listener rules of each balancer (`loadBalancerArn`, `listenerArn`), the target groups their
    actions name (`defaultActions`/`actions`, `targetGroupArn` or `forward.targetGroups` alike), the targets
    registered in those groups (TargetGroupAttachment, Auto Scaling groups by `targetGroupArns` or
    autoscaling.Attachment), and a load balancer registered as a target (an ALB behind an NLB) in turn."""

    def __init__(self, resources: list[Any]) -> None:
        self.resources = resources
        self.by_urn = {r.urn: r for r in resources}
        self.by_type: dict[str, list[Any]] = {}
        for resource in resources:
            self.by_type.setdefault(resource.resource_type, []).append(resource)

    def of(self, types: Any) -> list[Any]:
        wanted = {types} if isinstance(types, str) else types
        return [r for kind in wanted for r in self.by_type.get(kind, [])]

    def public_target_groups(self, public: dict[str, str]) -> dict[str, str]:
        """Target group URN -> the path from the internet to it ("balancer web, listener web-https")."""
        listeners = {
            listener.urn: f"{public[urn]}, listener {listener.name}"
            for listener in self.of(LISTENERS)
            for urn in depends_on(listener, "loadBalancerArn", public)
        }
        groups: dict[str, str] = {}
        for listener in self.of(LISTENERS):
            if listener.urn in listeners:
                for urn in depends_on(listener, "defaultActions", [g.urn for g in self.of(TARGET_GROUPS)]):
                    groups.setdefault(urn, listeners[listener.urn])
        for rule in self.of(LISTENER_RULES):
            for listener_urn in depends_on(rule, "listenerArn", listeners):
                for urn in depends_on(rule, "actions", [g.urn for g in self.of(TARGET_GROUPS)]):
                    groups.setdefault(urn, f"{listeners[listener_urn]} rule {rule.name}")
        return groups


def _in_data_subnets(resource: Any, key: str, tier: DataTier) -> list[str]:
    return [urn.rsplit("::", 1)[-1] for urn in depends_on(resource, key, tier.subnets)]


def _subnet_problem(target_urns: list[str], graph: _Exposure, tier: DataTier) -> str | None:
    """The first of these targets (an instance, a network interface: anything placed by `subnetId`) that sits in a
    data subnet, said as "instance db-host in data subnet data-a"; None when none does."""
    for urn in target_urns:
        target = graph.by_urn.get(urn)
        subnets = _in_data_subnets(target, "subnetId", tier) if target is not None else []
        if subnets:
            return f"{target.resource_type.rsplit(':', 1)[-1]} {target.name} in data subnet {subnets[0]}"
    return None


def _attachment_problem(attachment: Any, graph: _Exposure, tier: DataTier, ports: list[int]) -> str | None:
    """What a registered target reaches in the data tier: a database port (the attachment's `port` overrides the
    group's), a database, an instance or network interface in a data subnet, or an IP address inside a data
    subnet's block; None when nothing. A target id computed from a resource the pack cannot place is undecided."""
    port = peek(attachment.props, "port")
    if port is not UNKNOWN and port is not None and as_int(port) in ports:
        return f"database port {as_int(port)}"
    databases = depends_on(attachment, "targetId", tier.databases)
    if databases:
        return f"database {tier.databases[databases[0]].name}"
    targets = [d.urn for d in attachment.property_dependencies.get("targetId", [])]
    placed = _subnet_problem(targets, graph, tier)
    if placed:
        return placed
    if not any(graph.by_urn.get(urn) is not None and _placed(graph.by_urn[urn]) for urn in targets):
        target = value(attachment.props, "targetId")  # an IP (target_type "ip") or an id: unknown is undecided
        subnet = tier.subnet_of_address(str(target)) if isinstance(target, str) else None
        if subnet is not None:
            return f"IP target {target} in data subnet {subnet.name}"
    if port is UNKNOWN:
        value(attachment.props, "port")  # undecided: it may be a database port
    return None


def _placed(resource: Any) -> bool:
    """The resource says where it sits (a subnet, or is a load balancer): its id is not an address to look up."""
    return resource.resource_type in LOAD_BALANCERS or "subnetId" in resource.property_dependencies


@stack_policy(
    name="lb-internet-facing-no-data-tier-targets",
    description="An internet-facing load balancer (ALB, NLB or classic ELB; `internal` left out is internet-facing, "
    "the pulumi-aws and AWS default) does not forward to the data tier: no listener (default actions or listener "
    "rules, `targetGroupArn` or weighted `forward`) reaches a target group on a database port, or a target "
    "registered on a database port, at a database resource, at an instance in a data subnet or at an IP address "
    "inside a data subnet's block (the subnets of a database subnet group); no Auto Scaling group behind it "
    "launches into a data subnet; no classic ELB listener forwards to a database port or to an instance in a data "
    "subnet. A load balancer registered as a target of an exposed group (an ALB behind an NLB) is exposed in turn. "
    "Each piece passes alone; the path is the violation.",
    types=sorted(
        {
            *LOAD_BALANCERS,
            *LISTENERS,
            *LISTENER_RULES,
            *TARGET_GROUPS,
            *TARGET_GROUP_ATTACHMENTS,
            CLASSIC_LOAD_BALANCER_ATTACHMENT,
            AUTOSCALING_GROUP,
            AUTOSCALING_ATTACHMENT,
            EC2_INSTANCE,
        }
    ),
    severity=Severity.CRITICAL,
    category=Category.NETWORK,
    controls=[PROJECT("data-tier-isolated"), FSBP("EC2.19")],
    remediation="Serve only the application tier from an internet-facing load balancer; reach the database from the "
    "application through its security group. If the database must sit behind a load balancer, make that balancer "
    "internal=True.",
    config={"databasePorts": DATABASE_PORTS},
)
def lb_internet_facing_no_data_tier_targets(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    tier = data_tier(args.resources)
    ports = [int(p) for p in config["databasePorts"]]
    graph = _Exposure(list(args.resources))
    public: dict[str, str] = {}
    for balancer in graph.of(LOAD_BALANCERS):
        with deferred.guard():
            if _internet_facing(balancer):
                public[balancer.urn] = f"internet-facing load balancer {balancer.name}"
    _judge_classic(graph, public, tier, ports, report, deferred)
    judged: set[str] = set()
    while True:
        groups = {urn: path for urn, path in graph.public_target_groups(public).items() if urn not in judged}
        if not groups:
            break
        judged.update(groups)
        _judge_target_groups(graph, groups, public, tier, ports, report, deferred)
    deferred.finish()


def _judge_target_groups(
    graph: _Exposure,
    groups: dict[str, str],
    public: dict[str, str],
    tier: DataTier,
    ports: list[int],
    report: Any,
    deferred: Deferred,
) -> None:
    """Reports what these exposed target groups reach in the data tier; a balancer registered in one joins
    `public` (its own listeners are then judged by the caller's next round)."""
    for group in graph.of(TARGET_GROUPS):
        if group.urn not in groups:
            continue
        with deferred.guard():
            port = as_int(value(group.props, "port"), -1)
            if port in ports:
                report(
                    f"target group {group.name} receives on database port {port} from the internet: "
                    f"{groups[group.urn]} forwards to it.",
                    group.urn,
                )
    for attachment in graph.of(TARGET_GROUP_ATTACHMENTS):
        for urn in depends_on(attachment, "targetGroupArn", groups):
            for balancer in depends_on(attachment, "targetId", [b.urn for b in graph.of(LOAD_BALANCERS)]):
                public.setdefault(balancer, f"{groups[urn]}, target {attachment.name}")
            with deferred.guard():
                problem = _attachment_problem(attachment, graph, tier, ports)
                if problem:
                    report(
                        f"target {attachment.name} puts {problem} behind the internet: {groups[urn]} forwards to "
                        f"target group {urn.rsplit('::', 1)[-1]}.",
                        attachment.urn,
                    )
    _judge_groups_of_instances(
        graph, groups, tier, report, "targetGroupArns", AUTOSCALING_ATTACHMENT, "lbTargetGroupArn"
    )


def _judge_groups_of_instances(
    graph: _Exposure, exposed: dict[str, str], tier: DataTier, report: Any, key: str, via: str, via_key: str
) -> None:
    """Auto Scaling groups registered with an exposed target group or classic ELB (by the group's own `key` input,
    or an autoscaling.Attachment's `via_key`) that launch into a data subnet."""
    attached = {
        group_urn: target
        for attachment in graph.of(via)
        for target in depends_on(attachment, via_key, exposed)
        for group_urn in depends_on(attachment, "autoscalingGroupName", [g.urn for g in graph.of(AUTOSCALING_GROUP)])
    }
    for group in graph.of(AUTOSCALING_GROUP):
        targets = depends_on(group, key, exposed) or ([attached[group.urn]] if group.urn in attached else [])
        subnets = _in_data_subnets(group, "vpcZoneIdentifiers", tier)
        if targets and subnets:
            report(
                f"Auto Scaling group {group.name} launches into data subnet {subnets[0]} behind the internet: "
                f"{exposed[targets[0]]} forwards to it.",
                group.urn,
            )


def _judge_classic(
    graph: _Exposure,
    public: dict[str, str],
    tier: DataTier,
    ports: list[int],
    report: Any,
    deferred: Deferred,
) -> None:
    """Classic ELBs forward from each listener's lb_port straight to instance_port on the registered instances."""
    classic = {b.urn: public[b.urn] for b in graph.of(CLASSIC_LOAD_BALANCER) if b.urn in public}
    for balancer in graph.of(CLASSIC_LOAD_BALANCER):
        if balancer.urn not in classic:
            continue
        with deferred.guard():
            for index, listener in enumerate(items(value(balancer.props, "listeners", []))):
                # instance_port and lb_protocol are required on a classic listener; no default to judge.
                port = as_int(value(listener, "instancePort"), -1)
                if port in ports:
                    report(
                        f"{classic[balancer.urn]}: listeners[{index}] forwards to database port {port}.",
                        balancer.urn,
                    )
        problem = _subnet_problem(depends_on(balancer, "instances", graph.by_urn), graph, tier)
        if problem:
            report(f"{classic[balancer.urn]} forwards to {problem}.", balancer.urn)
    for attachment in graph.of(CLASSIC_LOAD_BALANCER_ATTACHMENT):
        for urn in depends_on(attachment, "elb", classic):
            problem = _subnet_problem(depends_on(attachment, "instance", graph.by_urn), graph, tier)
            if problem:
                report(f"attachment {attachment.name} puts {problem} behind {classic[urn]}.", attachment.urn)
    _judge_groups_of_instances(graph, classic, tier, report, "loadBalancers", AUTOSCALING_ATTACHMENT, "elb")


@resource_policy(
    name="lb-classic-listeners-encrypted",
    description="Classic Load Balancer listeners terminate HTTPS or SSL (TLS): an HTTP or TCP listener carries "
    "plaintext, and a classic load balancer cannot redirect HTTP to HTTPS, so there is no exemption-worthy "
    "redirect listener as on an ALB.",
    types=[CLASSIC_LOAD_BALANCER],
    severity=Severity.MEDIUM,
    category=Category.TRANSIT,
    controls=[FSBP("ELB.3")],
    remediation="Give every listener lb_protocol 'HTTPS' or 'SSL' with an ACM ssl_certificate_id (or replace the "
    "classic load balancer with an ALB, which can redirect HTTP).",
)
def lb_classic_listeners_encrypted(args: Any, report: Any, config: dict) -> None:
    for index, listener in enumerate(items(value(args.props, "listeners", []))):
        # lb_protocol is required (elb/_inputs.py); no default to judge: an unset one is refused as unknown.
        protocol = str(value(listener, "lbProtocol", "")).upper()
        if protocol not in ("HTTPS", "SSL"):
            report(f"classic load balancer {args.name}: listeners[{index}] accepts {protocol or 'an unset protocol'}.")
