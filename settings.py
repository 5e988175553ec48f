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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi

from schedules import schedule_problem

REQUIRED_REGION = "us-east-1"
PRODUCTION_ENVIRONMENT = "Production"
MIN_PRODUCTION_LOG_RETENTION_DAYS = 365
MIN_BACKUP_RETENTION_DAYS = 7
# The values CloudWatch Logs accepts for retentionInDays (0, "never expire", is refused: logs must age out).
CLOUDWATCH_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
)  # fmt: skip
# The ELB security policies a listener may use: TLS 1.3 with TLS 1.2 only with forward-secret AEAD ciphers (or TLS
# 1.3 only), their FIPS and post-quantum (PQ) variants: the ones FSBP ELB.17 passes. The same list as the policy
# pack's lb-listener-tls-policy (tests/test_contracts.py), which refuses any other, e.g. the TLS 1.2-only
# ELBSecurityPolicy-FS-1-2-Res-2020-10. Names from the ALB security policy table:
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
ALLOWED_TLS_POLICIES = (
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
)
SUPPORTED_POSTGRES_MAJOR_VERSIONS = ("16", "17")
# Reserved by RDS for PostgreSQL or trivially guessable (FSBP RDS.25 wants a custom administrator name).
RESERVED_DB_USERNAMES = ("postgres", "admin", "administrator", "root", "rdsadmin", "master", "user")
NAT_GATEWAY_MODES = ("perAz", "single")
MAX_AZ_COUNT = 5
MAX_VPC_PREFIX = 23
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_INSTANCE_TYPE = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9]+$")
_DB_INSTANCE_CLASS = re.compile(r"^db\.[a-z0-9-]+\.[a-z0-9]+$")
_TAG_KEY = re.compile(r"^[\w .:/=+\-@]{1,128}$")
_DB_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,62}$")
_HOSTED_ZONE_ID = re.compile(r"^Z[A-Z0-9]{1,31}$")
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
    """The compliance-auditor function: when it runs."""

    audit_schedule: str


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


# Section: plain-value readers. Each takes the raw config value (a string, as Pulumi stores it, or an already
# typed value) and raises SettingsError naming the key.


def _int(raw: Mapping[str, Any], key: str, default: int, example: str, minimum: int, maximum: int) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool):
        raise SettingsError(key, f"must be a whole number, got {value!r}", example)
    try:
        number = int(str(value).strip())
    except ValueError:
        raise SettingsError(key, f"must be a whole number, got {value!r}", example) from None
    if not minimum <= number <= maximum:
        raise SettingsError(key, f"must be between {minimum} and {maximum}, got {number}", example)
    return number


def _str(raw: Mapping[str, Any], key: str, default: str | None) -> str | None:
    value = raw.get(key, default)
    if value is None:
        return None
    if not isinstance(value, str):
        raise SettingsError(key, f"must be a string, got {value!r}", repr(default))
    return value.strip() or None


def _bool(raw: Mapping[str, Any], key: str, default: bool) -> bool:
    value = raw.get(key, default)
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text not in ("true", "false"):
        raise SettingsError(key, f"must be true or false, got {value!r}", str(default).lower())
    return text == "true"


def _json(raw: Mapping[str, Any], key: str, default: Any, example: str) -> Any:
    value = raw.get(key, default)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError as error:
            raise SettingsError(key, f"is not valid JSON ({error.msg})", example) from None
    return value


# Section: one parser per concern.


def _parse_region(raw: Mapping[str, Any]) -> str:
    region = raw.get("aws:region")
    if region != REQUIRED_REGION:
        raise SettingsError(
            "aws:region", f"must be {REQUIRED_REGION} (this stack is built and audited for that region only), "
            f"got {region!r}", REQUIRED_REGION,
        )  # fmt: skip
    return region


def _parse_corporate_cidrs(raw: Mapping[str, Any]) -> tuple[str, ...]:
    key, example = "corporateCidrs", '["203.0.113.0/24"]'
    cidrs = _json(raw, key, None, example)
    if cidrs is None:
        raise SettingsError(key, "is required: the IPv4 ranges allowed to reach SSH", example)
    if not isinstance(cidrs, list) or not cidrs or not all(isinstance(c, str) for c in cidrs):
        raise SettingsError(key, f"must be a non-empty list of IPv4 CIDR strings, got {cidrs!r}", example)
    parsed = []
    for cidr in cidrs:
        try:
            network = ipaddress.IPv4Network(cidr.strip(), strict=True)
        except ValueError as error:
            raise SettingsError(key, f"{cidr!r} is not an IPv4 network ({error})", example) from None
        if network.prefixlen == 0:
            raise SettingsError(key, f"{cidr!r} opens SSH to the whole internet", example)
        if network.prefixlen < 16:
            raise SettingsError(key, f"{cidr!r} is wider than /16; list your corporate egress ranges", example)
        if any(network.overlaps(ipaddress.IPv4Network(other)) for other in parsed):
            # AWS refuses a second identical rule, and an overlapping range is a mistake in the list.
            raise SettingsError(key, f"{cidr!r} repeats or overlaps another range in the list", example)
        parsed.append(str(network))
    return tuple(parsed)


def _parse_vpc_cidr(raw: Mapping[str, Any]) -> str:
    key, example = "vpcCidr", "10.0.0.0/16"
    value = _str(raw, key, "10.0.0.0/16")
    try:
        network = ipaddress.IPv4Network(value, strict=True)
    except ValueError as error:
        raise SettingsError(key, f"{value!r} is not an IPv4 network ({error})", example) from None
    rfc1918 = [ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")]
    if not any(network.subnet_of(private) for private in rfc1918):
        raise SettingsError(key, f"{value} is not inside a private RFC 1918 range", example)
    # Each subnet is a /(prefix+4) (16 slots: three tiers of five AZs). A load balancer subnet needs at least a /27
    # (ELB's documented minimum, so it has room to scale), hence a /23 VPC at the smallest.
    if network.prefixlen > MAX_VPC_PREFIX:
        raise SettingsError(key, f"{value} is too small: its subnets would be smaller than the /27 a load balancer "
                            f"needs; use /{MAX_VPC_PREFIX} or larger", example)  # fmt: skip
    return str(network)


def _parse_retention(raw: Mapping[str, Any], is_production: bool) -> int:
    key = "logRetentionDays"
    days = _int(raw, key, 365, "365", 1, 3653)
    if days not in CLOUDWATCH_RETENTION_DAYS:
        raise SettingsError(key, f"{days} is not a retention CloudWatch Logs accepts "
                            f"({', '.join(map(str, CLOUDWATCH_RETENTION_DAYS))})", "365")  # fmt: skip
    if is_production and days < MIN_PRODUCTION_LOG_RETENTION_DAYS:
        raise SettingsError(key, f"production keeps logs at least {MIN_PRODUCTION_LOG_RETENTION_DAYS} days, "
                            f"got {days}", "365")  # fmt: skip
    return days


def _parse_extra_tags(raw: Mapping[str, Any]) -> dict[str, str]:
    key, example = "extraTags", '{"CostCenter": "security"}'
    tags = _json(raw, key, {}, example)
    if not isinstance(tags, dict):
        raise SettingsError(key, f"must be an object of tag names to values, got {tags!r}", example)
    reserved = {"Environment", "Project", "ManagedBy"}
    for name, value in tags.items():
        if name in reserved:
            raise SettingsError(key, f"must not set {name!r}: it is derived from the stack", example)
        if not _TAG_KEY.match(name) or name.lower().startswith("aws:"):
            raise SettingsError(key, f"{name!r} is not a valid tag key", example)
        if not isinstance(value, str) or len(value) > 256:
            raise SettingsError(key, f"the value of {name!r} must be a string of at most 256 characters", example)
    return dict(tags)


def _parse_web(raw: Mapping[str, Any]) -> WebSettings:
    certificate_arn = _str(raw, "certificateArn", None)
    domain_name = _str(raw, "domainName", None)
    hosted_zone_id = _str(raw, "hostedZoneId", None)
    both = "either certificateArn (an existing ACM certificate in us-east-1) or domainName plus hostedZoneId " \
        "(a Route 53 public zone, to create a DNS-validated certificate)"  # fmt: skip
    if certificate_arn and (domain_name or hosted_zone_id):
        raise SettingsError("certificateArn", f"set {both}, not both", "arn:aws:acm:us-east-1:123456789012:"
                            "certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b")  # fmt: skip
    if certificate_arn:
        if not _CERTIFICATE_ARN.match(certificate_arn):
            raise SettingsError(
                "certificateArn",
                f"{certificate_arn!r} is not an ACM certificate ARN in us-east-1",
                "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
            )
    elif domain_name or hosted_zone_id:
        if not domain_name:
            raise SettingsError(
                "domainName", "is required with hostedZoneId: the name the certificate is for", "app.example.com"
            )
        if not hosted_zone_id:
            raise SettingsError(
                "hostedZoneId",
                "is required with domainName: the Route 53 zone that validates it",
                "Z0123456789ABCDEFGHIJ",
            )
        if not _DOMAIN.match(domain_name.lower()):
            raise SettingsError("domainName", f"{domain_name!r} is not a DNS name", "app.example.com")
        if not _HOSTED_ZONE_ID.match(hosted_zone_id):
            raise SettingsError(
                "hostedZoneId", f"{hosted_zone_id!r} is not a Route 53 zone id", "Z0123456789ABCDEFGHIJ"
            )
    else:
        raise SettingsError(
            "certificateArn",
            f"the HTTPS listener needs a certificate: set {both}",
            "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
        )

    tls_policy = _str(raw, "tlsPolicy", ALLOWED_TLS_POLICIES[0])
    if tls_policy not in ALLOWED_TLS_POLICIES:
        raise SettingsError("tlsPolicy", f"{tls_policy!r} is not a TLS 1.2+ policy; allowed: "
                            f"{', '.join(ALLOWED_TLS_POLICIES)}", ALLOWED_TLS_POLICIES[0])  # fmt: skip
    instance_type = _str(raw, "instanceType", "t3.small")
    if not _INSTANCE_TYPE.match(instance_type):
        raise SettingsError("instanceType", f"{instance_type!r} is not an EC2 instance type", "t3.small")
    min_size = _int(raw, "minSize", 2, "2", 2, 100)
    max_size = _int(raw, "maxSize", 4, "4", 2, 100)
    if max_size < min_size:
        raise SettingsError("maxSize", f"must be at least minSize ({min_size}), got {max_size}", str(min_size * 2))
    desired = _int(raw, "desiredCapacity", min_size, str(min_size), 2, 100)
    if not min_size <= desired <= max_size:
        raise SettingsError("desiredCapacity", f"must be between minSize ({min_size}) and maxSize ({max_size}), "
                            f"got {desired}", str(min_size))  # fmt: skip
    app_port = _int(raw, "appPort", 8080, "8080", 1024, 65535)
    health_path = _str(raw, "healthCheckPath", "/health")
    if not health_path.startswith("/") or len(health_path) > 1024 or " " in health_path:
        raise SettingsError("healthCheckPath", f"{health_path!r} is not a URL path", "/health")
    return WebSettings(certificate_arn, domain_name, hosted_zone_id, tls_policy, instance_type, min_size,
                       max_size, desired, app_port, health_path)  # fmt: skip


def _parse_database(raw: Mapping[str, Any]) -> DatabaseSettings:
    version = _str(raw, "dbEngineVersion", "16")
    if version.split(".")[0] not in SUPPORTED_POSTGRES_MAJOR_VERSIONS:
        raise SettingsError("dbEngineVersion", f"PostgreSQL {version} is not a supported major version "
                            f"({' or '.join(SUPPORTED_POSTGRES_MAJOR_VERSIONS)})", "16")  # fmt: skip
    if version not in SUPPORTED_POSTGRES_MAJOR_VERSIONS:
        # A pinned minor (16.4) would fight the automatic minor upgrades: after RDS moves to 16.5, the next
        # `pulumi up` would try to go back to 16.4, which RDS refuses.
        raise SettingsError("dbEngineVersion", f"give the major version only, not {version!r}: RDS picks the current "
                            "minor and automatic minor upgrades keep it current", version.split(".")[0])  # fmt: skip
    instance_class = _str(raw, "dbInstanceClass", "db.t4g.medium")
    if not _DB_INSTANCE_CLASS.match(instance_class):
        raise SettingsError("dbInstanceClass", f"{instance_class!r} is not an RDS instance class", "db.t4g.medium")
    allocated = _int(raw, "dbAllocatedStorageGb", 20, "20", 20, 65536)
    max_allocated = _int(raw, "dbMaxAllocatedStorageGb", 100, "100", 21, 65536)
    if max_allocated <= allocated:
        raise SettingsError("dbMaxAllocatedStorageGb", f"must exceed dbAllocatedStorageGb ({allocated}) so "
                            f"storage can grow, got {max_allocated}", str(allocated * 5))  # fmt: skip
    port = _int(raw, "dbPort", 5432, "5432", 1150, 65535)
    retention = _int(raw, "backupRetentionDays", 7, "7", 1, 35)
    if retention < MIN_BACKUP_RETENTION_DAYS:
        raise SettingsError("backupRetentionDays", f"must be at least {MIN_BACKUP_RETENTION_DAYS} days "
                            f"(FSBP RDS.11), got {retention}", "7")  # fmt: skip
    username = _str(raw, "dbMasterUsername", "appadmin")
    if username.lower() in RESERVED_DB_USERNAMES or not _DB_NAME.match(username):
        raise SettingsError("dbMasterUsername", f"{username!r} is reserved or not a valid PostgreSQL name; "
                            "use a custom name (FSBP RDS.25)", "appadmin")  # fmt: skip
    db_name = _str(raw, "dbName", "app")
    if not _DB_NAME.match(db_name):
        raise SettingsError("dbName", f"{db_name!r} is not a valid PostgreSQL database name", "app")
    return DatabaseSettings(version, instance_class, allocated, max_allocated, port, retention, username, db_name)


def _parse_function(raw: Mapping[str, Any]) -> FunctionSettings:
    schedule = _str(raw, "auditSchedule", "rate(1 hour)")
    problem = schedule_problem(schedule)
    if problem:
        raise SettingsError("auditSchedule", f"{schedule!r} {problem}", "rate(1 hour)")
    return FunctionSettings(schedule)


# AWS WAF's bounds for a rate-based rule's limit (requests per evaluation window); 100 is the long-standing floor.
WAF_RATE_LIMIT_BOUNDS = (100, 2_000_000_000)


def _parse_detection(raw: Mapping[str, Any]) -> DetectionSettings:
    low, high = WAF_RATE_LIMIT_BOUNDS
    return DetectionSettings(
        manage_account_baseline=_bool(raw, "manageAccountBaseline", True),
        waf_rate_limit=_int(raw, "wafRateLimit", 2000, "2000", low, high),
    )


def parse_settings(raw: Mapping[str, Any], *, project: str, stack: str) -> Settings:
    """Validates plain config values (keys without the project namespace, plus `aws:region`).

    Raises SettingsError on the first bad value. Exported for testing.
    """
    region = _parse_region(raw)
    environment = _str(raw, "environment", None)
    if not environment:
        raise SettingsError("environment", "is required: the value of the Environment tag", PRODUCTION_ENVIRONMENT)
    corporate_cidrs = _parse_corporate_cidrs(raw)
    # The subnet plan reserves five AZ slots per tier (components/network.py), so a sixth AZ has no room.
    az_count = _int(raw, "azCount", 2, "2", 2, MAX_AZ_COUNT)
    vpc_cidr = _parse_vpc_cidr(raw)
    nat_gateways = _str(raw, "natGateways", "perAz")
    if nat_gateways not in NAT_GATEWAY_MODES:
        raise SettingsError(
            "natGateways", f"must be one of {', '.join(NAT_GATEWAY_MODES)}, got {nat_gateways!r}", "perAz"
        )
    if nat_gateways == "single" and environment == PRODUCTION_ENVIRONMENT:
        raise SettingsError("natGateways", "'single' leaves production with one AZ's egress; use perAz", "perAz")
    alert_email = _str(raw, "alertEmail", None)
    if not alert_email:
        raise SettingsError("alertEmail", "is required: security alarms are mailed there", "secops@example.com")
    if not _EMAIL.match(alert_email):
        raise SettingsError("alertEmail", f"{alert_email!r} does not look like an email address", "secops@example.com")
    return Settings(
        project=project,
        stack=stack,
        region=region,
        environment=environment,
        corporate_cidrs=corporate_cidrs,
        vpc_cidr=vpc_cidr,
        az_count=az_count,
        nat_gateways=nat_gateways,
        alert_email=alert_email,
        log_retention_days=_parse_retention(raw, environment == PRODUCTION_ENVIRONMENT),
        extra_tags=_parse_extra_tags(raw),
        web=_parse_web(raw),
        database=_parse_database(raw),
        function=_parse_function(raw),
        detection=_parse_detection(raw),
    )


CONFIG_KEYS = (
    "environment", "corporateCidrs", "vpcCidr", "azCount", "natGateways", "alertEmail", "logRetentionDays",
    "extraTags", "certificateArn", "domainName", "hostedZoneId", "tlsPolicy", "instanceType", "minSize", "maxSize",
    "desiredCapacity", "appPort", "healthCheckPath", "dbEngineVersion", "dbInstanceClass", "dbAllocatedStorageGb",
    "dbMaxAllocatedStorageGb", "dbPort", "backupRetentionDays", "dbMasterUsername", "dbName", "auditSchedule",
    "manageAccountBaseline", "wafRateLimit",
)  # fmt: skip


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
