"""Encryption in transit: HTTPS listeners with a TLS 1.2+ policy, plain HTTP only to redirect, and resource
policies (S3 buckets, SNS topics) and PostgreSQL parameter groups that refuse unencrypted connections.

The cross-resource rules (a bucket and its policy, a topic and its policy, a database and its parameter group)
are stack policies joined on the engine's property dependencies: at a first preview the policy's `bucket` or
`arn` is an unknown id, but the dependency on the bucket's URN is known.
"""

from __future__ import annotations

import re
from typing import Any

from pulumi_policy import Severity

from . import documents
from .common import (
    CDK_NAG,
    FSBP,
    PROJECT,
    RDS_INSTANCE,
    S3_BUCKETS,
    SECURITY_HUB,
    SNS_TOPIC,
    Deferred,
    has,
    items,
    linked_to,
    peek,
    resource_policy,
    stack_policy,
    value,
)

LISTENERS = frozenset({"aws:lb/listener:Listener", "aws:alb/listener:Listener"})
LISTENER_RULES = frozenset({"aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"})
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
SNS_TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
RDS_PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup"

# The policies Security Hub's ELB.17 passes (TLS 1.3 with TLS 1.2 only with forward-secret AEAD ciphers, and their
# FIPS and post-quantum variants). The API's default for a listener without one is ELBSecurityPolicy-2016-08,
# which still accepts TLS 1.0.
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
# RDS for PostgreSQL 15 and later ships default parameter groups with rds.force_ssl=1.
FIRST_POSTGRES_FORCING_SSL_BY_DEFAULT = 15


def _protocol(props: Any) -> str:
    # An ALB listener without a protocol is HTTP (an NLB listener must name one); a gateway load balancer's
    # listener has neither protocol nor port (it forwards GENEVE).
    if not has(props, "protocol") and not has(props, "port"):
        return "GENEVE"
    return str(value(props, "protocol", "HTTP")).upper()


# Section: load balancer listeners #########################################################################


@resource_policy(
    name="alb-http-listener-redirects-to-https",
    description="A plain-HTTP load balancer listener only redirects to HTTPS: every default action is a redirect "
    "whose protocol is HTTPS.",
    types=LISTENERS,
    severity=Severity.MEDIUM,
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
            problems.append(f"{key}[{index}] is {kind!r} on plain HTTP, so requests are answered unencrypted; use "
                            "a redirect to HTTPS.")  # fmt: skip
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
        report(f"listener {args.name} sets no sslPolicy, so AWS applies {API_DEFAULT_TLS_POLICY} (TLS 1.0 and "
               "weak ciphers).")  # fmt: skip
    elif policy not in config["allowedSslPolicies"]:
        report(f"listener {args.name} uses {policy}, which is not an allowed TLS policy "
               f"({', '.join(config['allowedSslPolicies'])}).")  # fmt: skip


# Section: resource policies that refuse plain HTTP ########################################################


def _denies_plain_transport(doc: Any, action: str, need_objects: bool) -> bool:
    """A Deny for everyone of `action` (or a wildcard covering it) when aws:SecureTransport is false."""
    for statement in documents.statements(doc):
        if not (documents.denies(statement) and documents.names_everyone(statement)):
            continue
        if not any(documents.grants(pattern, action) for pattern in documents.actions(statement)):
            continue
        if not documents.tests_false(statement, "aws:SecureTransport"):
            continue
        if need_objects:
            targets = documents.resources(statement)
            covers_bucket = any(r == "*" or not r.endswith("/*") for r in targets)
            covers_objects = any(r == "*" or r.endswith("/*") for r in targets)
            if not (covers_bucket and covers_objects):
                continue
        return True
    return False


def _judge_documents(holders: list[tuple[str, Any]], action: str, need_objects: bool) -> str | None:
    """Why none of these (name, props) policies refuses plain transport, or None when one does."""
    problems = []
    for where, props in holders:
        try:
            doc = documents.document(props, "policy")
        except documents.InvalidDocument as error:
            problems.append(f"{where} {error}")
            continue
        if _denies_plain_transport(doc, action, need_objects):
            return None
    if not holders:
        return "it has no policy"
    return "; ".join(problems) or f"no statement of {' or '.join(where for where, _ in holders)} does"


@stack_policy(
    name="s3-bucket-denies-insecure-transport",
    description="Every S3 bucket has a bucket policy that denies all S3 actions on the bucket and its objects to "
    "everyone when aws:SecureTransport is false.",
    types=sorted(S3_BUCKETS | {BUCKET_POLICY}),
    severity=Severity.MEDIUM,
    controls=[FSBP("S3.5"), CDK_NAG("AwsSolutions-S10")],
    remediation="Add an aws.s3.BucketPolicy with bucket=<bucket>.id and a statement {Effect: Deny, Principal: '*', "
    "Action: 's3:*', Resource: [<bucket ARN>, '<bucket ARN>/*'], Condition: {Bool: {'aws:SecureTransport': "
    "'false'}}} (build it with aws.iam.get_policy_document_output).",
)
def s3_bucket_denies_insecure_transport(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    policies = linked_to(args.resources, BUCKET_POLICY, "bucket")
    for bucket in (r for r in args.resources if r.resource_type in S3_BUCKETS):
        with deferred.guard():
            holders = [(p.name, p.props) for p in policies.get(bucket.urn, [])]
            if peek(bucket.props, "policy") not in (None, ""):
                holders.append(("its inline policy", bucket.props))
            problem = _judge_documents(holders, "s3:*", need_objects=True)
            if problem:
                report(f"bucket {bucket.name} does not refuse plain-HTTP requests: it needs a policy statement that "
                       "denies s3:* on the bucket and its objects to everyone when aws:SecureTransport is false, "
                       f"and {problem}.", bucket.urn)  # fmt: skip
    deferred.finish()


@stack_policy(
    name="sns-topic-denies-insecure-transport",
    description="Every SNS topic has a topic policy that denies sns:Publish to everyone when aws:SecureTransport "
    "is false, so nothing publishes to it over plain HTTP.",
    types=[SNS_TOPIC, SNS_TOPIC_POLICY],
    severity=Severity.MEDIUM,
    controls=[CDK_NAG("AwsSolutions-SNS3"), PROJECT("encryption-in-transit")],
    remediation="Add an aws.sns.TopicPolicy with arn=<topic>.arn and a statement {Effect: Deny, Principal: '*', "
    "Action: 'sns:Publish', Resource: <topic ARN>, Condition: {Bool: {'aws:SecureTransport': 'false'}}}.",
)
def sns_topic_denies_insecure_transport(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    policies = linked_to(args.resources, SNS_TOPIC_POLICY, "arn")
    for topic in (r for r in args.resources if r.resource_type == SNS_TOPIC):
        with deferred.guard():
            holders = [(p.name, p.props) for p in policies.get(topic.urn, [])]
            if peek(topic.props, "policy") not in (None, ""):
                holders.append(("its inline policy", topic.props))
            problem = _judge_documents(holders, "sns:Publish", need_objects=False)
            if problem:
                report(f"topic {topic.name} does not refuse plain-HTTP publishing: it needs a policy statement that "
                       f"denies sns:Publish to everyone when aws:SecureTransport is false, and {problem}.",
                       topic.urn)  # fmt: skip
    deferred.finish()


# Section: PostgreSQL ######################################################################################


def _forces_ssl(group: Any) -> bool:
    for parameter in items(value(group.props, "parameters", [])):
        if str(value(parameter, "name", "")).lower() == "rds.force_ssl":
            return str(value(parameter, "value", "")).strip() == "1"
    return False


def _major_version(found: Any) -> int | None:
    match = re.match(r"^(\d+)", str(found or ""))
    return int(match.group(1)) if match else None


@stack_policy(
    name="rds-postgres-forces-ssl",
    description="PostgreSQL parameter groups set rds.force_ssl=1, and every RDS for PostgreSQL instance uses such a "
    "group: one in this stack, or the default group of PostgreSQL 15 or later (which forces SSL).",
    types=[RDS_INSTANCE, RDS_PARAMETER_GROUP],
    severity=Severity.MEDIUM,
    controls=[SECURITY_HUB("RDS.38")],
    remediation="Create an aws.rds.ParameterGroup (family postgresNN) with parameters=[{name: 'rds.force_ssl', "
    "value: '1'}] and pass parameter_group_name=<group>.name to the instance.",
)
def rds_postgres_forces_ssl(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    groups = {r.urn: r for r in args.resources if r.resource_type == RDS_PARAMETER_GROUP}
    forcing: dict[str, bool] = {}
    for group in groups.values():
        with deferred.guard():
            if not str(value(group.props, "family", "")).startswith("postgres"):
                continue
            forcing[group.urn] = _forces_ssl(group)
            if not forcing[group.urn]:
                report(f"parameter group {group.name} does not set rds.force_ssl=1, so clients may connect "
                       "without TLS.", group.urn)  # fmt: skip
    for instance in (r for r in args.resources if r.resource_type == RDS_INSTANCE):
        with deferred.guard():
            if value(instance.props, "engine") != "postgres":
                continue
            linked = [u.urn for u in instance.property_dependencies.get("parameterGroupName", []) if u.urn in groups]
            if linked:
                if not all(forcing.get(urn, False) for urn in linked):
                    report(f"database {instance.name} uses a parameter group that does not force SSL.", instance.urn)
                continue
            name = value(instance.props, "parameterGroupName")
            version = _major_version(value(instance.props, "engineVersion"))
            default_group = name in (None, "") or str(name).startswith("default.")
            if default_group and version is not None and version >= FIRST_POSTGRES_FORCING_SSL_BY_DEFAULT:
                continue
            which = f"parameter group {name!r}, which is not in this stack" if name else "the default parameter group"
            report(f"database {instance.name} uses {which}; it cannot be shown to force SSL (defaults force it "
                   f"only from PostgreSQL {FIRST_POSTGRES_FORCING_SSL_BY_DEFAULT}).", instance.urn)  # fmt: skip
    deferred.finish()


POLICIES = [
    alb_http_listener_redirects_to_https,
    alb_http_listener_rules_redirect_to_https,
    lb_listener_secure_protocol,
    lb_listener_tls_policy,
    s3_bucket_denies_insecure_transport,
    sns_topic_denies_insecure_transport,
    rds_postgres_forces_ssl,
]
