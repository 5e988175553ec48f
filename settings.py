"""Stack configuration: read once, validated, frozen.

Every key of the project namespace is parsed here into one immutable `Settings` object that `__main__.py` hands
to the components. Validation runs before any resource is registered, and each error names the config key, says
what is wrong and shows a good value, so a bad `Pulumi.<stack>.yaml` never half-deploys.

`parse_settings` is a pure function of plain values (exported for testing); `load_settings` reads them from
`pulumi.Config`.
"""

from __future__ import annotations

import difflib
import ipaddress
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi

import config_limits as limits
from conventions import (
    ALLOWED_TLS_POLICIES,
    CLOUDWATCH_RETENTION_DAYS,
    MAX_AZ_COUNT,
    MAX_VPC_PREFIX,
    MIN_BACKUP_RETENTION_DAYS,
    MIN_PRODUCTION_LOG_RETENTION_DAYS,
    NAT_GATEWAY_MODES,
    PRODUCTION_ENVIRONMENT,
    REQUIRED_REGION,
    RESERVED_DB_USERNAMES,
    SUPPORTED_POSTGRES_MAJOR_VERSIONS,
)
from schedules import schedule_problem

# Reserving Lambda concurrency takes it from the account's unreserved pool, which must keep at least 100 (Lambda
# Developer Guide, "Configuring reserved concurrency", configuration-concurrency.html: "You can reserve up to the
# Unreserved account concurrency value that is shown, minus 100"). New accounts start with a quota of 10, so a
# reservation fails there: it is opt-in.
MAX_RESERVED_CONCURRENCY = 1000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_DB_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,62}$")
_HOSTED_ZONE_ID = re.compile(r"^Z[A-Z0-9]{1,31}$")
_ACCOUNT_ID = re.compile(r"^\d{12}$")
_CERTIFICATE_ARN = re.compile(r"^arn:aws:acm:us-east-1:\d{12}:certificate/[0-9a-f-]{36}$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class SettingsError(ValueError):
    """A stack config value is missing or wrong. The message names the key and shows a good value."""

    def __init__(self, key: str, problem: str, example: str) -> None:
        self.key = key
        super().__init__(f"config key '{key}': {problem}. Example of a good value: {example}")


class UnknownConfigKeyError(SettingsError):
    """A key of the project namespace that the program does not read: a typo would otherwise be ignored silently
    (`corporateCidr` instead of `corporateCidrs` must not quietly fall back to anything)."""

    def __init__(self, key: str, known: Sequence[str]) -> None:
        self.key = key
        by_lower = {name.lower(): name for name in known}
        close = difflib.get_close_matches(key.lower(), list(by_lower), n=1)
        hint = f" (did you mean '{by_lower[close[0]]}'?)" if close else ""
        ValueError.__init__(
            self, f"config key '{key}': this program reads no such key{hint}. Known keys: {', '.join(known)}"
        )


@dataclass(frozen=True)
class WebSettings:
    """The web tier: certificate, TLS policy, instances and their scaling."""

    certificate_arn: str | None
    domain_name: str | None
    hosted_zone_id: str | None
    tls_policy: str
    instance_type: str
    min_size: int
    max_size: int
    desired_capacity: int
    app_port: int
    health_check_path: str


@dataclass(frozen=True)
class DatabaseSettings:
    """The database tier: engine, size, port and backups."""

    engine_version: str
    instance_class: str
    allocated_storage_gb: int
    max_allocated_storage_gb: int
    port: int
    backup_retention_days: int
    master_username: str
    db_name: str


@dataclass(frozen=True)
class FunctionSettings:
    """The compliance-auditor function: when it runs, and whether it reserves concurrency."""

    audit_schedule: str
    reserved_concurrency: int | None = None
    """None (the default): the function uses the account's unreserved concurrency."""


@dataclass(frozen=True)
class DetectionSettings:
    """Detective and edge controls: who owns the account-wide settings, and the WAF's rate limit."""

    manage_account_baseline: bool
    """This stack owns the one-per-account settings (EBS default encryption, S3 account public access block,
    password policy, GuardDuty, Security Hub, Access Analyzer, the Config recorder). False where an organization
    or Control Tower already owns them: two owners of one setting overwrite each other on every deploy."""
    waf_rate_limit: int
    """Requests per client IP in any 5 minutes above which the web ACL blocks that IP."""


@dataclass(frozen=True)
class Settings:
    """Everything the program reads from the stack, validated."""

    project: str
    stack: str
    region: str
    environment: str
    corporate_cidrs: tuple[str, ...]
    vpc_cidr: str
    az_count: int
    nat_gateways: str
    alert_email: str
    log_retention_days: int
    extra_tags: Mapping[str, str] = field(default_factory=dict)
    account_id: str | None = None
    """The only account the provider may deploy to (None: any the credentials reach)."""
    web: WebSettings | None = None
    database: DatabaseSettings | None = None
    function: FunctionSettings | None = None
    detection: DetectionSettings | None = None

    @property
    def is_production(self) -> bool:
        """Production turns on deletion protection, final snapshots and `protect` on stateful resources."""
        return self.environment == PRODUCTION_ENVIRONMENT

    @property
    def tags(self) -> dict[str, str]:
        """The provider's default tags: every taggable resource carries them."""
        return {
            **self.extra_tags,
            "Environment": self.environment,
            "Project": self.project,
            "ManagedBy": "pulumi",
        }


# Section: the registry. One ConfigKey per key: its type, default, the rule the README states, and the validator
# that enforces it on that key alone. Parsing, the unknown-key check and README.md's "Configuration" table
# (config_docs.py) are all derived from KEYS; rules between keys (maxSize >= minSize, ...) are in parse_settings.


class Invalid(ValueError):
    """Raised by a validator: what is wrong with the value (the registry adds the key), and optionally a good
    value fitting the case better than the key's example."""

    def __init__(self, problem: str, example: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.example = example


def _as_string(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid(f"must be a string, got {value!r}")
    return value.strip()


def _as_integer(value: Any) -> int:
    if isinstance(value, bool):
        raise Invalid(f"must be a whole number, got {value!r}")
    try:
        return int(str(value).strip())
    except ValueError:
        raise Invalid(f"must be a whole number, got {value!r}") from None


def _as_json(value: Any) -> Any:
    # Pulumi hands structured values (`pulumi config set --path`, a YAML list in the stack file) as JSON text.
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError as error:
            raise Invalid(f"is not valid JSON ({error.msg})") from None
    return value


def _as_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text not in ("true", "false"):
        raise Invalid(f"must be true or false, got {value!r}")
    return text == "true"


# The value types a key can have: the name the README shows, and the conversion from the raw config value.
VALUE_TYPES: dict[str, Callable[[Any], Any]] = {
    "string": _as_string,
    "integer": _as_integer,
    "boolean": _as_boolean,
    "JSON list": _as_json,
    "JSON object": _as_json,
}


def _is_set(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class ConfigKey:
    """One config key: everything the program, its error messages and the README say about it."""

    name: str
    type: str  # a key of VALUE_TYPES
    description: str  # the README's rule column
    example: str  # a good value, shown in every error about this key
    validate: Callable[[Any], Any] = lambda value: value  # the typed value -> the value kept; raises Invalid
    default: Any = None  # used when the key is unset or empty (None: no value)
    required: str | None = None  # why the key is required (None: optional)
    default_text: str | None = None  # the README's default column when it is not the default's repr

    def read(self, raw: Mapping[str, Any]) -> Any:
        """The validated value of this key in `raw`, or its default. An empty value counts as unset: Pulumi
        stores `pulumi config set key ""` as an empty string, which is no value for any key here."""
        value = raw.get(self.name)
        if not _is_set(value):
            if self.required is not None:
                raise SettingsError(self.name, f"is required: {self.required}", self.example)
            return self.default
        try:
            return self.validate(VALUE_TYPES[self.type](value))
        except Invalid as error:
            raise SettingsError(self.name, error.problem, error.example or self.example) from None

    @property
    def default_shown(self) -> str:
        """The default as the README shows it."""
        if self.default_text is not None:
            return self.default_text
        if self.required is not None:
            return "(required)"
        if self.default is None:
            return "-"
        shown = json.dumps(self.default) if self.type.startswith("JSON") or self.type == "boolean" else self.default
        return f"`{shown}`"


def _between(minimum: int, maximum: int) -> Callable[[int], int]:
    def validate(number: int) -> int:
        if not minimum <= number <= maximum:
            raise Invalid(f"must be between {minimum} and {maximum}, got {number}")
        return number

    return validate


def _one_of(choices: Sequence[str], what: str) -> Callable[[str], str]:
    def validate(value: str) -> str:
        if value not in choices:
            raise Invalid(f"{value!r} is not {what}; allowed: {', '.join(choices)}")
        return value

    return validate


def _nat_gateways(mode: str) -> str:
    if mode not in NAT_GATEWAY_MODES:
        raise Invalid(f"must be one of {', '.join(NAT_GATEWAY_MODES)}, got {mode!r}")
    return mode


def _matching(pattern: re.Pattern[str], what: str) -> Callable[[str], str]:
    def validate(value: str) -> str:
        if not pattern.match(value):
            raise Invalid(f"{value!r} is not {what}")
        return value

    return validate


def _region(region: str) -> str:
    if region != REQUIRED_REGION:
        raise Invalid(
            f"must be {REQUIRED_REGION} (this stack is built and audited for that region only), got {region!r}"
        )
    return region


def _corporate_cidrs(cidrs: Any) -> tuple[str, ...]:
    if not isinstance(cidrs, list) or not cidrs or not all(isinstance(c, str) for c in cidrs):
        raise Invalid(f"must be a non-empty list of IPv4 CIDR strings, got {cidrs!r}")
    if len(cidrs) > limits.MAX_CORPORATE_CIDRS:
        raise Invalid(
            f"lists {len(cidrs)} ranges; the app instances' security group holds one SSH rule per range "
            f"and AWS allows {limits.SECURITY_GROUP_INBOUND_RULES} inbound rules per group, so at most "
            f"{limits.MAX_CORPORATE_CIDRS}: merge them into wider ranges (no wider than /16)"
        )
    parsed: list[str] = []
    for cidr in cidrs:
        try:
            network = ipaddress.IPv4Network(cidr.strip(), strict=True)
        except ValueError as error:
            raise Invalid(f"{cidr!r} is not an IPv4 network ({error})") from None
        if network.prefixlen == 0:
            raise Invalid(f"{cidr!r} opens SSH to the whole internet")
        if network.prefixlen < 16:
            raise Invalid(f"{cidr!r} is wider than /16; list your corporate egress ranges")
        if any(network.overlaps(ipaddress.IPv4Network(other)) for other in parsed):
            # AWS refuses a second identical rule, and an overlapping range is a mistake in the list.
            raise Invalid(f"{cidr!r} repeats or overlaps another range in the list")
        parsed.append(str(network))
    return tuple(parsed)


def _vpc_cidr(value: str) -> str:
    try:
        network = ipaddress.IPv4Network(value, strict=True)
    except ValueError as error:
        raise Invalid(f"{value!r} is not an IPv4 network ({error})") from None
    if network.prefixlen < limits.VPC_WIDEST_PREFIX:
        raise Invalid(
            f"{value} is wider than AWS allows for a VPC (CreateVpc takes /16 to /28; this program's subnet "
            f"plan needs /{MAX_VPC_PREFIX} or larger, so /16 to /{MAX_VPC_PREFIX})"
        )
    rfc1918 = [ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")]
    if not any(network.subnet_of(private) for private in rfc1918):
        raise Invalid(f"{value} is not inside a private RFC 1918 range")
    # Each subnet is a /(prefix+4) (16 slots: three tiers of five AZs). A load balancer subnet needs at least a /27
    # (ELB's documented minimum, so it has room to scale), hence a /23 VPC at the smallest.
    if network.prefixlen > MAX_VPC_PREFIX:
        raise Invalid(
            f"{value} is too small: its subnets would be smaller than the /27 a load balancer needs; "
            f"use /{MAX_VPC_PREFIX} or larger"
        )
    return str(network)


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise Invalid(f"{value!r} does not look like an email address")
    return value


def _retention(days: int) -> int:
    if days not in CLOUDWATCH_RETENTION_DAYS:
        raise Invalid(
            f"{days} is not a retention CloudWatch Logs accepts ({', '.join(map(str, CLOUDWATCH_RETENTION_DAYS))})"
        )
    return days


def _environment(value: str) -> str:
    problem = limits.tag_text_problem(value, "the Environment tag value", limits.MAX_TAG_VALUE_LENGTH)
    if problem:
        raise Invalid(problem)
    return value


def _extra_tags(tags: Any) -> dict[str, str]:
    if not isinstance(tags, dict):
        raise Invalid(f"must be an object of tag names to values, got {tags!r}")
    if len(tags) > limits.MAX_EXTRA_TAGS:
        raise Invalid(
            f"has {len(tags)} tags; AWS allows {limits.MAX_TAGS_PER_RESOURCE} per resource and this stack "
            f"adds up to {limits.MAX_TAGS_PER_RESOURCE - limits.MAX_EXTRA_TAGS} itself "
            f"({', '.join(limits.DERIVED_TAG_KEYS + limits.TIER_TAG_KEYS)}), so at most "
            f"{limits.MAX_EXTRA_TAGS}"
        )
    seen: dict[str, str] = {key.lower(): key for key in limits.DERIVED_TAG_KEYS + limits.TIER_TAG_KEYS}
    for name, value in tags.items():
        if name in limits.DERIVED_TAG_KEYS:
            raise Invalid(f"must not set {name!r}: it is derived from the stack")
        if not name:
            raise Invalid("has an empty tag key")
        if name.lower() in seen:
            raise Invalid(
                f"{name!r} differs only in case from {seen[name.lower()]!r}, which this stack already "
                "sets (IAM treats tag keys case-insensitively and refuses both on one role)"
            )
        seen[name.lower()] = name
        problem = limits.tag_text_problem(name, "tag key", limits.MAX_TAG_KEY_LENGTH)
        if problem:
            raise Invalid(problem)
        if not isinstance(value, str):
            raise Invalid(f"the value of {name!r} must be a string, got {value!r}")
        problem = limits.tag_text_problem(value, f"the value of {name!r}", limits.MAX_TAG_VALUE_LENGTH)
        if problem:
            raise Invalid(problem)
    return dict(tags)


def _instance_type(instance_type: str) -> str:
    problem = limits.instance_type_problem(instance_type)
    if problem:
        raise Invalid(problem)
    return instance_type


def _db_instance_class(instance_class: str) -> str:
    problem = limits.db_instance_class_problem(instance_class)
    if problem:
        raise Invalid(problem)
    return instance_class


def _health_check_path(path: str) -> str:
    if not path.startswith("/") or len(path) > 1024 or " " in path:
        raise Invalid(f"{path!r} is not a URL path")
    return path


def _engine_version(version: str) -> str:
    if version.split(".")[0] not in SUPPORTED_POSTGRES_MAJOR_VERSIONS:
        raise Invalid(
            f"PostgreSQL {version} is not a supported major version ({' or '.join(SUPPORTED_POSTGRES_MAJOR_VERSIONS)})"
        )
    if version not in SUPPORTED_POSTGRES_MAJOR_VERSIONS:
        # A pinned minor (16.4) would fight the automatic minor upgrades: after RDS moves to 16.5, the next
        # `pulumi up` would try to go back to 16.4, which RDS refuses.
        raise Invalid(
            f"give the major version only, not {version!r}: RDS picks the current minor and automatic "
            "minor upgrades keep it current",
            version.split(".")[0],
        )
    return version


def _backup_retention(days: int) -> int:
    days = _between(1, 35)(days)
    if days < MIN_BACKUP_RETENTION_DAYS:
        raise Invalid(f"must be at least {MIN_BACKUP_RETENTION_DAYS} days (FSBP RDS.11), got {days}")
    return days


def _postgres_name_problem(name: str) -> str | None:
    """Why RDS would refuse `name` as the master user or database name (config_limits cites the rules)."""
    if not _DB_NAME.match(name):
        return f"{name!r} is not 1 to 63 letters, digits or underscores starting with a letter"
    if name.lower() in limits.POSTGRES_RESERVED_WORDS:
        return f"{name!r} is a PostgreSQL reserved word"
    return None


def _master_username(username: str) -> str:
    problem = _postgres_name_problem(username)
    if problem:
        raise Invalid(f"{problem}; use a custom name (FSBP RDS.25)")
    if username.lower() in RESERVED_DB_USERNAMES or username.lower().startswith(limits.RESERVED_ROLE_PREFIXES):
        raise Invalid(
            f"{username!r} is reserved or a default administrator name; use a custom name (FSBP RDS.25), "
            f"not {', '.join(RESERVED_DB_USERNAMES)} nor a name starting with "
            f"{' or '.join(limits.RESERVED_ROLE_PREFIXES)}"
        )
    return username


def _db_name(name: str) -> str:
    problem = _postgres_name_problem(name)
    if problem:
        raise Invalid(problem)
    if name.lower() in limits.EXISTING_DATABASES:
        raise Invalid(f"{name!r} is a database every RDS for PostgreSQL instance already has")
    return name


def _audit_schedule(schedule: str) -> str:
    problem = schedule_problem(schedule)
    if problem:
        raise Invalid(f"{schedule!r} {problem}")
    return schedule


# AWS WAF's bounds for a rate-based rule's limit (requests per evaluation window); 100 is the long-standing floor.
WAF_RATE_LIMIT_BOUNDS = (100, 2_000_000_000)

_CERTIFICATE_EXAMPLE = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"

REGION_KEY = ConfigKey(
    "aws:region",
    "string",
    f"must be `{REQUIRED_REGION}`",
    REQUIRED_REGION,
    _region,
    required=f"this stack is built and audited for {REQUIRED_REGION} only",
)

# The project's keys, in the order the README lists them and errors name them.
KEYS: tuple[ConfigKey, ...] = (
    ConfigKey(
        "environment",
        "string",
        "the `Environment` tag; `Production` turns on deletion protection and `protect`; a valid tag value",
        PRODUCTION_ENVIRONMENT,
        _environment,
        required="the value of the Environment tag",
    ),
    ConfigKey(
        "corporateCidrs",
        "JSON list",
        "IPv4 CIDRs allowed to reach SSH; no `0.0.0.0/0`, nothing wider "
        f"than `/16`, at most {limits.MAX_CORPORATE_CIDRS} (one security group rule each)",
        '["203.0.113.0/24"]',
        _corporate_cidrs,
        required="the IPv4 ranges allowed to reach SSH",
    ),
    ConfigKey(
        "accountId",
        "string",
        "the 12-digit AWS account this stack deploys to: the provider refuses to act in any other "
        "(`allowed_account_ids`), and the policy pack's account rules take it as ours; unset, neither happens",
        "123456789012",
        _matching(_ACCOUNT_ID, "a 12-digit AWS account id"),
    ),
    ConfigKey(
        "vpcCidr",
        "string",
        "an RFC 1918 range from `/16` (the widest AWS allows) to `/23` (each subnet "
        "is 1/16 of it; load balancer subnets need a `/27`)",
        "10.0.0.0/16",
        _vpc_cidr,
        default="10.0.0.0/16",
    ),
    ConfigKey(
        "azCount",
        "integer",
        f"2 to {MAX_AZ_COUNT}: the first regular AZs (no Local or Wavelength Zones) that offer `instanceType`",
        "2",
        _between(2, MAX_AZ_COUNT),
        default=2,
    ),
    ConfigKey(
        "natGateways", "string", "`perAz`, or `single` outside production", "perAz", _nat_gateways, default="perAz"
    ),
    ConfigKey(
        "alertEmail",
        "string",
        "an email address; security alarms are mailed there",
        "secops@example.com",
        _email,
        required="security alarms are mailed there",
    ),
    ConfigKey(
        "logRetentionDays",
        "integer",
        f"a CloudWatch Logs retention value; at least {MIN_PRODUCTION_LOG_RETENTION_DAYS} in production",
        "365",
        _retention,
        default=365,
    ),
    ConfigKey(
        "extraTags",
        "JSON object",
        f"up to {limits.MAX_EXTRA_TAGS} extra tags for every resource: keys and "
        "values AWS accepts (letters, numbers, spaces, `+ - = . _ : / @`; no `aws:`; keys up to "
        f"{limits.MAX_TAG_KEY_LENGTH}, values up to {limits.MAX_TAG_VALUE_LENGTH} characters), none repeating a "
        "key the stack sets in any case",
        '{"CostCenter": "security"}',
        _extra_tags,
        default={},
    ),
    ConfigKey(
        "certificateArn",
        "string",
        "an existing ACM certificate in us-east-1, or set `domainName` and `hostedZoneId`",
        _CERTIFICATE_EXAMPLE,
        _matching(_CERTIFICATE_ARN, "an ACM certificate ARN in us-east-1"),
    ),
    ConfigKey(
        "domainName",
        "string",
        "a DNS name, with `hostedZoneId`: to create a DNS-validated certificate",
        "app.example.com",
        _matching(_DOMAIN, "a DNS name"),
    ),
    ConfigKey(
        "hostedZoneId",
        "string",
        "the Route 53 public zone of `domainName`",
        "Z0123456789ABCDEFGHIJ",
        _matching(_HOSTED_ZONE_ID, "a Route 53 zone id"),
    ),
    ConfigKey(
        "tlsPolicy",
        "string",
        "an ELB security policy FSBP ELB.17 passes (TLS 1.3, TLS 1.2 only with "
        "forward secrecy): one of `ALLOWED_TLS_POLICIES` in conventions.py",
        ALLOWED_TLS_POLICIES[0],
        _one_of(ALLOWED_TLS_POLICIES, "a TLS 1.2+ policy"),
        default=ALLOWED_TLS_POLICIES[0],
    ),
    ConfigKey(
        "instanceType",
        "string",
        "EC2 instance type of the app instances (one of pulumi-aws's `aws.ec2.InstanceType`)",
        "t3.small",
        _instance_type,
        default="t3.small",
    ),
    ConfigKey("minSize", "integer", "Auto Scaling minimum, at least 2", "2", _between(2, 100), default=2),
    ConfigKey("maxSize", "integer", "Auto Scaling maximum, at least `minSize`", "4", _between(2, 100), default=4),
    ConfigKey(
        "desiredCapacity",
        "integer",
        "Auto Scaling desired size, between `minSize` and `maxSize`",
        "2",
        _between(2, 100),
        default_text="`minSize`",
    ),
    ConfigKey(
        "appPort",
        "integer",
        "the port the instances serve on (1024-65535)",
        "8080",
        _between(1024, 65535),
        default=8080,
    ),
    ConfigKey(
        "healthCheckPath",
        "string",
        "the load balancer's health check path (the instances answer 200 there)",
        "/health",
        _health_check_path,
        default="/health",
    ),
    ConfigKey(
        "dbEngineVersion",
        "string",
        "PostgreSQL major version "
        f"{' or '.join(SUPPORTED_POSTGRES_MAJOR_VERSIONS)}, the major only (automatic minor upgrades pick "
        "the minor)",
        "16",
        _engine_version,
        default="16",
    ),
    ConfigKey(
        "dbInstanceClass",
        "string",
        "RDS instance class (pulumi-aws's `aws.rds.InstanceType`, or "
        "`db.` plus an EC2 type of the t, m, r, x or z families)",
        "db.t4g.medium",
        _db_instance_class,
        default="db.t4g.medium",
    ),
    ConfigKey("dbAllocatedStorageGb", "integer", "gp3 storage in GiB", "20", _between(20, 65536), default=20),
    ConfigKey(
        "dbMaxAllocatedStorageGb",
        "integer",
        "storage autoscaling ceiling in GiB, at least "
        f"{limits.MIN_STORAGE_HEADROOM_PERCENT} % above `dbAllocatedStorageGb` (RDS refuses less)",
        "100",
        _between(21, 65536),
        default=100,
    ),
    ConfigKey("dbPort", "integer", "the database port (1150-65535)", "5432", _between(1150, 65535), default=5432),
    ConfigKey(
        "backupRetentionDays", "integer", f"{MIN_BACKUP_RETENTION_DAYS} to 35 days", "7", _backup_retention, default=7
    ),
    ConfigKey(
        "dbMasterUsername",
        "string",
        "a custom administrator name: a PostgreSQL identifier, not a reserved "
        "word, not `postgres`/`admin`/..., not `pg_...`/`rds...`",
        "appadmin",
        _master_username,
        default="appadmin",
    ),
    ConfigKey(
        "dbName",
        "string",
        "the database name: a PostgreSQL identifier, not a reserved word",
        "app",
        _db_name,
        default="app",
    ),
    ConfigKey(
        "auditSchedule",
        "string",
        "EventBridge schedule of the compliance auditor: a `rate(...)` of at most "
        "a day, or a `cron(...)` that runs every day",
        "rate(1 hour)",
        _audit_schedule,
        default="rate(1 hour)",
    ),
    # Off unless set: 0 would stop the auditor altogether, so the smallest reservation is 1.
    ConfigKey(
        "reservedConcurrency",
        "integer",
        "opt-in: executions reserved for the compliance auditor (1 to "
        f"{MAX_RESERVED_CONCURRENCY}; `1` keeps two audits from overlapping). Off by default: Lambda refuses a "
        "reservation that leaves the account fewer than 100 unreserved executions, and new accounts start "
        "with a concurrency quota of 10; set it once your quota allows",
        "1",
        _between(1, MAX_RESERVED_CONCURRENCY),
        default_text="off",
    ),
    ConfigKey(
        "manageAccountBaseline",
        "boolean",
        "this stack owns the one-per-account settings (EBS default "
        "encryption, S3 account public access block, password policy, GuardDuty, Security Hub, Access "
        "Analyzer, the Config recorder); `false` where an organization or Control Tower owns them (see "
        '"Who owns the account baseline")',
        "true",
        default=True,
    ),
    ConfigKey(
        "wafRateLimit",
        "integer",
        "requests per client IP in any 5 minutes above which the web ACL blocks "
        f"that IP ({WAF_RATE_LIMIT_BOUNDS[0]} to {WAF_RATE_LIMIT_BOUNDS[1]})",
        "2000",
        _between(*WAF_RATE_LIMIT_BOUNDS),
        default=2000,
    ),
)

CONFIG_KEYS = tuple(key.name for key in KEYS)
_BY_NAME = {key.name: key for key in (REGION_KEY, *KEYS)}


# Section: the rules between keys, and the Settings they make.


_BOTH_CERTIFICATES = (
    "either certificateArn (an existing ACM certificate in us-east-1) or domainName plus "
    "hostedZoneId (a Route 53 public zone, to create a DNS-validated certificate)"
)


def _check_one_certificate_source(raw: Mapping[str, Any]) -> None:
    """Both ways to get a certificate set at once: said before either value's own format is judged."""
    present = [name for name in ("certificateArn", "domainName", "hostedZoneId") if _is_set(raw.get(name))]
    if "certificateArn" in present and len(present) > 1:
        raise SettingsError("certificateArn", f"set {_BOTH_CERTIFICATES}, not both", _CERTIFICATE_EXAMPLE)


def _check_certificate(values: Mapping[str, Any]) -> None:
    certificate_arn, domain_name, hosted_zone_id = (
        values["certificateArn"],
        values["domainName"],
        values["hostedZoneId"],
    )
    both = _BOTH_CERTIFICATES
    if certificate_arn:
        return
    if not domain_name and not hosted_zone_id:
        raise SettingsError(
            "certificateArn", f"the HTTPS listener needs a certificate: set {both}", _CERTIFICATE_EXAMPLE
        )
    if not domain_name:
        raise SettingsError(
            "domainName",
            "is required with hostedZoneId: the name the certificate is for",
            _BY_NAME["domainName"].example,
        )
    if not hosted_zone_id:
        raise SettingsError(
            "hostedZoneId",
            "is required with domainName: the Route 53 zone that validates it",
            _BY_NAME["hostedZoneId"].example,
        )


def _web(values: Mapping[str, Any]) -> WebSettings:
    _check_certificate(values)
    min_size, max_size = values["minSize"], values["maxSize"]
    if max_size < min_size:
        raise SettingsError("maxSize", f"must be at least minSize ({min_size}), got {max_size}", str(min_size * 2))
    desired = values["desiredCapacity"] if values["desiredCapacity"] is not None else min_size
    if not min_size <= desired <= max_size:
        raise SettingsError(
            "desiredCapacity",
            f"must be between minSize ({min_size}) and maxSize ({max_size}), got {desired}",
            str(min_size),
        )
    return WebSettings(
        values["certificateArn"],
        values["domainName"],
        values["hostedZoneId"],
        values["tlsPolicy"],
        values["instanceType"],
        min_size,
        max_size,
        desired,
        values["appPort"],
        values["healthCheckPath"],
    )


def _database(values: Mapping[str, Any]) -> DatabaseSettings:
    allocated, max_allocated = values["dbAllocatedStorageGb"], values["dbMaxAllocatedStorageGb"]
    least, headroom = limits.min_max_allocated_storage_gb(allocated), limits.MIN_STORAGE_HEADROOM_PERCENT
    largest = limits.MAX_RDS_STORAGE_GB * 100 // (100 + headroom)
    if allocated > largest:
        raise SettingsError(
            "dbAllocatedStorageGb",
            f"must be at most {largest}, so the storage autoscaling ceiling "
            f"(at most {limits.MAX_RDS_STORAGE_GB}) can be {headroom} % above it; got {allocated}",
            str(largest),
        )
    if max_allocated < least:
        raise SettingsError(
            "dbMaxAllocatedStorageGb",
            f"must be at least {headroom} % above dbAllocatedStorageGb "
            f"({allocated}), so at least {least}: RDS refuses a smaller storage autoscaling ceiling; "
            f"got {max_allocated}",
            str(max(least, allocated * 5)),
        )
    return DatabaseSettings(
        values["dbEngineVersion"],
        values["dbInstanceClass"],
        allocated,
        max_allocated,
        values["dbPort"],
        values["backupRetentionDays"],
        values["dbMasterUsername"],
        values["dbName"],
    )


def parse_settings(raw: Mapping[str, Any], *, project: str, stack: str) -> Settings:
    """Validates plain config values (keys without the project namespace, plus `aws:region`).

    Raises SettingsError on the first bad value: each key on its own first (in KEYS order), then the rules
    between keys. Exported for testing.
    """
    region = REGION_KEY.read(raw)
    _check_one_certificate_source(raw)
    values = {key.name: key.read(raw) for key in KEYS}
    is_production = values["environment"] == PRODUCTION_ENVIRONMENT
    if values["natGateways"] == "single" and is_production:
        raise SettingsError("natGateways", "'single' leaves production with one AZ's egress; use perAz", "perAz")
    if is_production and values["logRetentionDays"] < MIN_PRODUCTION_LOG_RETENTION_DAYS:
        raise SettingsError(
            "logRetentionDays",
            f"production keeps logs at least {MIN_PRODUCTION_LOG_RETENTION_DAYS} "
            f"days, got {values['logRetentionDays']}",
            "365",
        )
    web = _web(values)
    return Settings(
        project=project,
        stack=stack,
        region=region,
        environment=values["environment"],
        corporate_cidrs=values["corporateCidrs"],
        vpc_cidr=values["vpcCidr"],
        az_count=values["azCount"],
        nat_gateways=values["natGateways"],
        alert_email=values["alertEmail"],
        log_retention_days=values["logRetentionDays"],
        extra_tags=values["extraTags"],
        account_id=values["accountId"],
        web=web,
        database=_database(values),
        function=FunctionSettings(values["auditSchedule"], values["reservedConcurrency"]),
        detection=DetectionSettings(values["manageAccountBaseline"], values["wafRateLimit"]),
    )


def check_known_keys(stack_keys: Iterable[str], project: str) -> None:
    """Refuses a key of the project namespace that is not in CONFIG_KEYS. Exported for testing.

    Keys of other namespaces (`aws:...`, a provider's or a policy's) are not this program's to judge.
    """
    prefix = f"{project}:"
    for full_key in sorted(stack_keys):
        if full_key.startswith(prefix) and full_key[len(prefix) :] not in CONFIG_KEYS:
            raise UnknownConfigKeyError(full_key[len(prefix) :], CONFIG_KEYS)


def _stack_config_keys() -> set[str]:
    """Every key of the stack's config, namespaced. `pulumi.Config` can only look keys up, not list them: the
    engine hands the whole map to the program as the PULUMI_CONFIG environment variable (mocks and providers set
    the runtime's map directly), and pulumi.runtime.config reads both."""
    from pulumi.runtime import config as runtime_config

    return set(runtime_config.CONFIG.get()) | set(runtime_config.get_config_env())


def load_settings() -> Settings:
    """Reads this stack's config through pulumi.Config and validates it; an unknown project key is an error."""
    project = pulumi.get_project()
    check_known_keys(_stack_config_keys(), project)
    config = pulumi.Config()
    raw: dict[str, Any] = {key: config.get(key) for key in CONFIG_KEYS if config.get(key) is not None}
    raw["aws:region"] = pulumi.Config("aws").get("region")
    return parse_settings(raw, project=project, stack=pulumi.get_stack())
