"""How a policy is declared: its controls, its category, its metadata, and its registration in the pack.

Each policy is a small named validator `fn(args, report, config)` decorated with `resource_policy` or
`stack_policy`, which builds the SDK policy object with our metadata and registers it: the pack is every
registered policy (`registered()`), so a policy is in the pack because it is defined, and cannot be left out of a
list. `config` is the policy's config with the schema defaults filled in, so a policy behaves the same whether or
not the engine sends `Configure`. Every policy also takes an `exemptions` config (see `exemptions.py`): its
`report` logs a violation on an exempted resource instead of reporting it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
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

from .exemptions import exempting, note, with_exemptions


class Category(enum.Enum):
    """What a policy protects, for the catalog (the policy's module says which AWS service it judges)."""

    ENCRYPTION = "encryption"
    TRANSIT = "encryption-in-transit"
    NETWORK = "network"
    ACCESS = "access-control"
    COMPUTE = "compute-hardening"
    LOGGING = "logging-monitoring"
    RESILIENCE = "resilience"
    TAGGING = "tagging"
    REGION = "region"
    GOVERNANCE = "governance"

    @property
    def title(self) -> str:
        return _CATEGORY_TITLES[self]


_CATEGORY_TITLES = {
    Category.ENCRYPTION: "Encryption at rest with our customer-managed KMS key",
    Category.TRANSIT: "Encryption in transit (TLS only)",
    Category.NETWORK: "Network exposure: who can reach what, and what gets a public address",
    Category.ACCESS: "Access control: IAM and resource policies, public access, credentials",
    Category.COMPUTE: "Compute hardening: supported runtimes, no privileged or root containers, no root on notebooks",
    Category.LOGGING: "Logging and monitoring: audit trails, access logs, retention, alarms",
    Category.RESILIENCE: "Resilience and data protection: Multi-AZ, backups, versioning, deletion protection",
    Category.TAGGING: "Tagging",
    Category.REGION: "Region",
    Category.GOVERNANCE: "Governance: the pack's own exemptions stay exact and current",
}


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


def FSBP(control_id: str) -> Control:
    return Control("FSBP", control_id)


def CIS(control_id: str) -> Control:
    return Control("CIS", control_id)


def SECURITY_HUB(control_id: str) -> Control:
    return Control("Security Hub", control_id)


def CDK_NAG(rule_id: str) -> Control:
    return Control("cdk-nag", rule_id)


def PROJECT(requirement: str) -> Control:
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


def _check_metadata(name: str, controls: Sequence[Control], remediation: str, category: Category) -> None:
    if not name or name != name.lower() or " " in name or "_" in name:
        raise ValueError(f"policy name {name!r} must be kebab-case")
    if not controls:
        raise ValueError(f"policy {name} names no control")
    if not remediation.strip():
        raise ValueError(f"policy {name} has no remediation steps")
    if not isinstance(category, Category):
        raise ValueError(f"policy {name} has no Category")


# Every policy defined so far, in definition order (see `registered()`).
_REGISTERED: list[Any] = []


def registered() -> list[Any]:
    """Every policy defined so far, grouped by the module that defines it (modules in name order), each module's
    policies in the order they are written. Importing `secure_aws_policies` imports every policy module first."""
    modules = sorted({policy.module for policy in _REGISTERED})
    return [policy for module in modules for policy in _REGISTERED if policy.module == module]


def _register(policy: Any) -> None:
    clash = next((p for p in _REGISTERED if p.name == policy.name), None)
    if clash is not None:
        raise ValueError(f"policy {policy.name} is defined twice: in {clash.module} and in {policy.module}")
    _REGISTERED.append(policy)


@dataclass(frozen=True)
class _Metadata:
    name: str
    description: str
    types: Iterable[str]
    severity: Severity
    category: Category
    controls: Sequence[Control]
    remediation: str
    config: Mapping[str, Mapping[str, Any]] | None
    advisory_reason: str | None


def _policy(cls: type, meta: _Metadata, validate: Callable[..., None], fn: Validator) -> Any:
    """The SDK policy object with our metadata, plus the attributes the docs and tests read; registered."""
    validate.__name__ = fn.__name__
    validate.__doc__ = fn.__doc__
    policy = cls(
        name=meta.name,
        description=meta.description,
        validate=validate,
        enforcement_level=_level(meta.advisory_reason),
        config_schema=PolicyConfigSchema(properties=with_exemptions(meta.config)),
        severity=meta.severity,
        framework=framework_of(meta.controls),
        tags=[c.tag for c in meta.controls],
        remediation_steps=meta.remediation,
    )
    policy.validator = fn
    policy.module = fn.__module__.rsplit(".", 1)[-1]
    policy.category = meta.category
    policy.resource_types = tuple(sorted(meta.types))
    policy.controls = tuple(meta.controls)
    policy.advisory_reason = meta.advisory_reason
    _register(policy)
    return policy


def resource_policy(
    *,
    name: str,
    description: str,
    types: Iterable[str],
    severity: Severity,
    category: Category,
    controls: Sequence[Control],
    remediation: str,
    config: Mapping[str, Mapping[str, Any]] | None = None,
    advisory_reason: str | None = None,
) -> Callable[[Validator], ResourceValidationPolicy]:
    """Decorates `fn(args, report, config)` into a ResourceValidationPolicy that runs only for `types`."""
    type_set = frozenset(types)
    _check_metadata(name, controls, remediation, category)
    meta = _Metadata(name, description, type_set, severity, category, controls, remediation, config, advisory_reason)

    def decorate(fn: Validator) -> ResourceValidationPolicy:
        def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
            note(name, args.get_config())
            if args.resource_type in type_set or "*" in type_set:
                settings = _with_defaults(args, config)
                identity = {args.urn: (args.name, args.resource_type)}
                fn(args, exempting(name, report, settings, identity, args.urn), settings)

        return _policy(ResourceValidationPolicy, meta, validate, fn)

    return decorate


def stack_policy(
    *,
    name: str,
    description: str,
    types: Iterable[str],
    severity: Severity,
    category: Category,
    controls: Sequence[Control],
    remediation: str,
    config: Mapping[str, Mapping[str, Any]] | None = None,
    advisory_reason: str | None = None,
) -> Callable[[Validator], StackValidationPolicy]:
    """Decorates `fn(args, report, config)` into a StackValidationPolicy; `types` documents what it joins."""
    _check_metadata(name, controls, remediation, category)
    meta = _Metadata(name, description, types, severity, category, controls, remediation, config, advisory_reason)

    def decorate(fn: Validator) -> StackValidationPolicy:
        def validate(args: StackValidationArgs, report: ReportViolation) -> None:
            note(name, args.get_config())
            settings = _with_defaults(args, config)
            identities = {r.urn: (r.name, r.resource_type) for r in args.resources}
            fn(args, exempting(name, report, settings, identities), settings)

        return _policy(StackValidationPolicy, meta, validate, fn)

    return decorate
