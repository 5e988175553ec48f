"""What every policy module shares: unknown-safe property access, type-token sets, and the policy metadata helper.

Reading properties at preview. The SDK wraps props in a proxy that raises `UnknownValueError` when an unknown
value is read; the analyzer then turns the whole policy run for that resource into one advisory "can't run
policy ... during preview" note. That is right when the decision truly depends on the value, and wrong when it
does not (an unknown `kmsKeyId` is still a key that was set). So:

- membership only through `has(props, key)` (`key in list(props)`: `key in props` and `props.get` read the value
  and raise on an unknown);
- `value(props, key)` reads and lets an unknown raise: use it when the decision needs the value;
- `peek(props, key)` never raises and returns `UNKNOWN` instead: use it when an unknown is already an answer.

Values also arrive in shapes a typed program would not write but the engine and provider accept: a list may be
given as its single element (`items` wraps it), and numbers are floats, or strings (`as_int`, `PortRange.of`,
`protocol_name`). Secrets arrive as plain values: the SDK's own deserializer unwraps them before a policy runs.

Policies. Each policy is a small named validator `fn(args, report, config)` plus its metadata, built by
`resource_policy` / `stack_policy`. `config` is the policy's config with the schema defaults filled in, so a
policy behaves the same whether or not the engine sends `Configure`. Every policy also takes an `exemptions`
config (see `exemptions.py`): its `report` logs a violation on an exempted resource instead of reporting it.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from .exemptions import exempting, with_exemptions


class _Unknown:
    """A value the engine does not know yet (a preview's computed id or ARN)."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()

# Section: unknown-safe property access ####################################################################


def has(props: Mapping[str, Any] | None, key: str) -> bool:
    """The key is present (its value may be unknown or None). Never reads the value."""
    return props is not None and isinstance(props, Mapping) and key in list(props)


def value(props: Mapping[str, Any] | None, key: str, default: Any = None) -> Any:
    """The value, or `default` when absent or None. An unknown value raises (the SDK's advisory note)."""
    if not has(props, key):
        return default
    found = props[key]
    return default if found is None else found


def peek(props: Mapping[str, Any] | None, key: str, default: Any = None) -> Any:
    """The value, `UNKNOWN` when it is not known yet, or `default` when absent or None. Never raises."""
    try:
        return value(props, key, default)
    except UnknownValueError:
        return UNKNOWN


def attempt(read: Callable[[], Any]) -> Any:
    """What `read()` returns, or `UNKNOWN` when it reads an unknown value (for a decision either of two reads can
    settle: try one, and let the other raise only if the first did not decide)."""
    try:
        return read()
    except UnknownValueError:
        return UNKNOWN


def items(sequence: Any) -> list[Any]:
    """The elements of a (proxied) list; an unknown element raises. None gives [], and a single value given where a
    list belongs (the provider accepts `cidr_blocks="0.0.0.0/0"`) is a list of that one."""
    if sequence is None:
        return []
    if isinstance(sequence, str | bytes | Mapping) or not isinstance(sequence, Sequence):
        return [sequence]
    return [sequence[i] for i in range(len(sequence))]


def as_int(found: Any, default: int = 0) -> int:
    """A number as the engine sends it (a float, or a string such as "22" where the schema types it so); `default`
    when absent or not a number at all (the provider refuses such a value before it is deployed)."""
    if isinstance(found, int | float) and not isinstance(found, bool):
        return int(found)
    try:
        return int(float(str(found).strip()))
    except (TypeError, ValueError, OverflowError):
        return default


def linked_to(resources: Iterable[Any], types: str | Iterable[str], key: str) -> dict[str, list[Any]]:
    """Target URN -> the resources of `types` whose `key` input depends on it (the engine's property dependencies:
    at a first preview the input is an unknown id, but the dependency on the target's URN is known)."""
    wanted = {types} if isinstance(types, str) else set(types)
    found: dict[str, list[Any]] = {}
    for resource in resources:
        if resource.resource_type in wanted:
            for target in resource.property_dependencies.get(key, []):
                found.setdefault(target.urn, []).append(resource)
    return found


def is_set(props: Mapping[str, Any] | None, key: str) -> bool:
    """Present and not empty. An unknown counts as set: it is a value computed from another resource."""
    found = peek(props, key)
    if found is UNKNOWN:
        return True
    if isinstance(found, Mapping):
        return len(found) > 0
    if isinstance(found, Sequence) and not isinstance(found, str):
        return len(found) > 0
    return found not in (None, "", False)


def truthy(found: Any) -> bool:
    """A boolean as pulumi-aws sends it: True, or "true" where the schema types it as a string."""
    if isinstance(found, str):
        return found.strip().lower() == "true"
    return found is True


def falsy(found: Any) -> bool:
    """Explicitly false: False, or "false" where the schema types it as a string (None is not false)."""
    if isinstance(found, str):
        return found.strip().lower() == "false"
    return found is False


def json_object(found: Any) -> Mapping[str, Any]:
    """A provider input that the SDK JSON-encodes (`defaultTags`), or an object; {} when neither."""
    if isinstance(found, str):
        try:
            decoded = json.loads(found)
        except json.JSONDecodeError:
            return {}
        return decoded if isinstance(decoded, Mapping) else {}
    return found if isinstance(found, Mapping) else {}


class Deferred:
    """Lets a stack policy decide every resource it can and still say, once, that it could not decide some.

    `with deferred.guard(): ...` per resource swallows the first unknown read; `deferred.finish()` re-raises it
    after the decided violations were reported, so the SDK adds its advisory "can't run during preview" note.
    """

    def __init__(self) -> None:
        self.first: UnknownValueError | None = None

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        try:
            yield
        except UnknownValueError as error:
            self.first = self.first or error

    def finish(self) -> None:
        if self.first is not None:
            raise self.first


# Section: keys, networks and ports ########################################################################


def customer_key_problem(props: Mapping[str, Any], key: str) -> str | None:
    """Why `props[key]` is not one of our customer-managed KMS keys, or None when it is (or will be).

    An unknown value passes: at preview it is our key's ARN, not yet created. An `alias/aws/...` is an AWS managed
    key, which anyone with service access in the account can use and whose policy we cannot restrict.
    """
    found = peek(props, key)
    if found is UNKNOWN:
        return None
    if found in (None, ""):
        return f"`{key}` is not set, so the service encrypts with its AWS managed key, not our customer-managed key"
    if isinstance(found, str) and (found.startswith("alias/aws/") or ":alias/aws/" in found):
        return f"`{key}` is {found}, an AWS managed key; use our customer-managed key"
    return None


WORLD_CIDRS = ("0.0.0.0/0", "::/0")
ALL_PROTOCOLS = ("-1", "all")
PORTED_PROTOCOLS = ("tcp", "udp")  # after protocol_name: 6 and 17 are spelled tcp and udp


PROTOCOL_NAMES = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}


def protocol_name(protocol: Any) -> str:
    """A protocol in one spelling: 6, 6.0 and "6" are "tcp" (17 "udp"), -1.0 is "-1", "TCP" is "tcp"."""
    text = str(protocol).strip().lower()
    try:
        number = float(text)
    except ValueError:
        return text
    code = str(int(number)) if number.is_integer() else text
    return PROTOCOL_NAMES.get(code, code)


def is_world(cidr: str) -> bool:
    try:
        return ipaddress.ip_network(str(cidr).strip(), strict=False).prefixlen == 0
    except ValueError:
        return False


def within(cidr: str, allowed: Iterable[str]) -> bool:
    """The CIDR lies inside one of the allowed networks (same IP version)."""
    try:
        network = ipaddress.ip_network(str(cidr).strip(), strict=False)
    except ValueError:
        return False
    for candidate in allowed:
        try:
            allowed_network = ipaddress.ip_network(str(candidate).strip(), strict=False)
        except ValueError:
            continue
        if network.version == allowed_network.version and network.subnet_of(allowed_network):  # type: ignore[arg-type]
            return True
    return False


@dataclass(frozen=True)
class PortRange:
    """What a rule opens: a protocol and an inclusive port range (all ports for protocol -1)."""

    protocol: str
    from_port: int
    to_port: int

    @classmethod
    def of(cls, protocol: Any, from_port: Any, to_port: Any) -> PortRange:
        proto = protocol_name(protocol)
        if proto in ALL_PROTOCOLS:
            return cls(proto, 0, 65535)
        low = as_int(from_port, 0 if from_port in (None, "") else -1)  # not a number: every port (fail closed)
        high = as_int(to_port, low if to_port in (None, "") else -1)
        if low < 0 or high < 0:  # -1 means "all ports" for tcp/udp in some APIs
            low, high = 0, 65535
        return cls(proto, low, high)

    @classmethod
    def read(cls, props: Mapping[str, Any], protocol_key: str = "protocol") -> PortRange:
        """The range a rule or ACL entry opens; its ports are not read for protocol -1 (they may be unknown)."""
        protocol = value(props, protocol_key)
        if protocol_name(protocol) in ALL_PROTOCOLS:
            return cls.of(protocol, None, None)
        return cls.of(protocol, value(props, "fromPort"), value(props, "toPort"))

    @property
    def all_traffic(self) -> bool:
        return self.protocol in ALL_PROTOCOLS

    def includes(self, port: int) -> bool:
        """The rule lets traffic reach this TCP/UDP port."""
        if self.all_traffic:
            return True
        return self.protocol in PORTED_PROTOCOLS and self.from_port <= port <= self.to_port

    def only_tcp_ports(self, allowed: Iterable[int]) -> bool:
        """TCP, and every port of the range is an allowed one."""
        allowed_set = {int(p) for p in allowed}
        if self.protocol != "tcp" or self.to_port - self.from_port + 1 > len(allowed_set):
            return False
        return all(port in allowed_set for port in range(self.from_port, self.to_port + 1))

    def __str__(self) -> str:
        if self.all_traffic:
            return "all traffic"
        ports = str(self.from_port) if self.from_port == self.to_port else f"{self.from_port}-{self.to_port}"
        return f"{self.protocol} {ports}"


# Section: type tokens #####################################################################################

AWS_PROVIDER = "pulumi:providers:aws"
S3_BUCKETS = frozenset({"aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"})
S3_SSE_CONFIGURATIONS = frozenset({
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
})  # fmt: skip
RDS_INSTANCE = "aws:rds/instance:Instance"
RDS_CLUSTER = "aws:rds/cluster:Cluster"
RDS_CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
LAUNCH_CONFIGURATION = "aws:ec2/launchConfiguration:LaunchConfiguration"
EC2_INSTANCE = "aws:ec2/instance:Instance"
EBS_VOLUME = "aws:ebs/volume:Volume"
SUBNET = "aws:ec2/subnet:Subnet"
LAMBDA_FUNCTION = "aws:lambda/function:Function"
LAMBDA_PERMISSION = "aws:lambda/permission:Permission"
CLOUDTRAIL = "aws:cloudtrail/trail:Trail"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
SNS_TOPIC = "aws:sns/topic:Topic"
SQS_QUEUE = "aws:sqs/queue:Queue"
SECRET = "aws:secretsmanager/secret:Secret"
KMS_KEY = "aws:kms/key:Key"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
SECURITY_GROUP_INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
SECURITY_GROUP_EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
NETWORK_ACL = "aws:ec2/networkAcl:NetworkAcl"
DEFAULT_NETWORK_ACL = "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl"
NETWORK_ACL_RULE = "aws:ec2/networkAclRule:NetworkAclRule"
LOAD_BALANCERS = frozenset({
    "aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer", "aws:elb/loadBalancer:LoadBalancer",
})  # fmt: skip

# Section: policy metadata #################################################################################


@dataclass(frozen=True)
class Control:
    """A control a policy implements, in the words of the standard that defines it."""

    standard: str
    id: str

    @property
    def tag(self) -> str:
        return f"{STANDARDS[self.standard][0]}:{self.id}"

    def __str__(self) -> str:
        return f"{self.standard} {self.id}"


# Short name -> (tag prefix, framework name, version). Security Hub ids are used for FSBP and CIS alike, as the
# Security Hub console shows them; "Security Hub" is a control outside those two standards (e.g. NIST-only).
STANDARDS: dict[str, tuple[str, str, str | None]] = {
    "FSBP": ("fsbp", "AWS Foundational Security Best Practices", "1.0.0"),
    "CIS": ("cis", "CIS AWS Foundations Benchmark", "3.0.0"),
    "Security Hub": ("securityhub", "AWS Security Hub controls", None),
    "cdk-nag": ("cdk-nag", "cdk-nag rule packs", None),
    "secure-aws": ("secure-aws", "secure-aws design requirements", "1"),
}


def FSBP(control_id: str) -> Control:  # noqa: N802 (reads like the standard's name)
    return Control("FSBP", control_id)


def CIS(control_id: str) -> Control:  # noqa: N802
    return Control("CIS", control_id)


def SECURITY_HUB(control_id: str) -> Control:  # noqa: N802
    return Control("Security Hub", control_id)


def CDK_NAG(rule_id: str) -> Control:  # noqa: N802
    return Control("cdk-nag", rule_id)


def PROJECT(requirement: str) -> Control:  # noqa: N802
    return Control("secure-aws", requirement)


def framework_of(controls: Sequence[Control]) -> PolicyComplianceFramework:
    """The framework of the first control, referencing every control of that standard."""
    standard = controls[0].standard
    _, name, version = STANDARDS[standard]
    reference = ", ".join(c.id for c in controls if c.standard == standard)
    return PolicyComplianceFramework(name=name, version=version, reference=reference)


Validator = Callable[[Any, ReportViolation, Mapping[str, Any]], None]


def _defaults(schema: Mapping[str, Mapping[str, Any]] | None) -> dict[str, Any]:
    return {key: prop["default"] for key, prop in (schema or {}).items() if "default" in prop}


def _with_defaults(args: Any, schema: Mapping[str, Mapping[str, Any]] | None) -> dict[str, Any]:
    """The schema defaults overlaid with what `Configure` sent for this policy."""
    return {**_defaults(schema), **dict(args.get_config() or {})}


def _level(advisory_reason: str | None) -> EnforcementLevel:
    # Mandatory unless the policy says, in code, why it only advises.
    if advisory_reason is not None:
        if len(advisory_reason.strip()) < 20:
            raise ValueError("an advisory policy needs a written reason")
        return EnforcementLevel.ADVISORY
    return EnforcementLevel.MANDATORY


def _check_metadata(name: str, controls: Sequence[Control], remediation: str) -> None:
    if not name or name != name.lower() or " " in name or "_" in name:
        raise ValueError(f"policy name {name!r} must be kebab-case")
    if not controls:
        raise ValueError(f"policy {name} names no control")
    if not remediation.strip():
        raise ValueError(f"policy {name} has no remediation steps")


def _policy(
    cls: type,
    name: str,
    description: str,
    validate: Callable[..., None],
    fn: Validator,
    types: Iterable[str],
    severity: Severity,
    controls: Sequence[Control],
    remediation: str,
    config: Mapping[str, Mapping[str, Any]] | None,
    advisory_reason: str | None,
) -> Any:
    """The SDK policy object with our metadata, plus the attributes the docs and tests read."""
    validate.__name__ = fn.__name__
    validate.__doc__ = fn.__doc__
    policy = cls(
        name=name,
        description=description,
        validate=validate,
        enforcement_level=_level(advisory_reason),
        config_schema=PolicyConfigSchema(properties=with_exemptions(config)),
        severity=severity,
        framework=framework_of(controls),
        tags=[c.tag for c in controls],
        remediation_steps=remediation,
    )
    policy.validator = fn
    policy.resource_types = tuple(sorted(types))
    policy.controls = tuple(controls)
    policy.advisory_reason = advisory_reason
    return policy


def resource_policy(
    *,
    name: str,
    description: str,
    types: Iterable[str],
    severity: Severity,
    controls: Sequence[Control],
    remediation: str,
    config: Mapping[str, Mapping[str, Any]] | None = None,
    advisory_reason: str | None = None,
) -> Callable[[Validator], ResourceValidationPolicy]:
    """Decorates `fn(args, report, config)` into a ResourceValidationPolicy that runs only for `types`."""
    type_set = frozenset(types)
    _check_metadata(name, controls, remediation)

    def decorate(fn: Validator) -> ResourceValidationPolicy:
        def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
            if args.resource_type in type_set or "*" in type_set:
                settings = _with_defaults(args, config)
                fn(args, exempting(name, report, settings, {args.urn: args.name}, args.urn), settings)

        return _policy(ResourceValidationPolicy, name, description, validate, fn, type_set, severity, controls,
                       remediation, config, advisory_reason)  # fmt: skip

    return decorate


def stack_policy(
    *,
    name: str,
    description: str,
    types: Iterable[str],
    severity: Severity,
    controls: Sequence[Control],
    remediation: str,
    config: Mapping[str, Mapping[str, Any]] | None = None,
    advisory_reason: str | None = None,
) -> Callable[[Validator], StackValidationPolicy]:
    """Decorates `fn(args, report, config)` into a StackValidationPolicy; `types` documents what it joins."""
    _check_metadata(name, controls, remediation)

    def decorate(fn: Validator) -> StackValidationPolicy:
        def validate(args: StackValidationArgs, report: ReportViolation) -> None:
            settings = _with_defaults(args, config)
            names = {resource.urn: resource.name for resource in args.resources}
            fn(args, exempting(name, report, settings, names), settings)

        return _policy(StackValidationPolicy, name, description, validate, fn, types, severity, controls,
                       remediation, config, advisory_reason)  # fmt: skip

    return decorate
