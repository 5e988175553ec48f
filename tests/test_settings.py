"""Stack config validation: every bad value stops the program with an error naming the key."""

from __future__ import annotations

import json

import pytest

from preflight.record import ProgramError
from settings import (
    CONFIG_KEYS,
    SettingsError,
    UnknownConfigKeyError,
    _stack_config_keys,
    check_known_keys,
    parse_settings,
)
from tests.conftest import PROJECT_DIR, run_stack

GOOD = {
    "aws:region": "us-east-1",
    "environment": "Production",
    "corporateCidrs": '["203.0.113.0/24"]',
    "alertEmail": "secops@example.com",
    "domainName": "app.example.com",
    "hostedZoneId": "Z0123456789ABCDEFGHIJ",
}


def parse(**changes: object):
    raw = {**GOOD, **changes}
    return parse_settings({k: v for k, v in raw.items() if v is not None}, project="secure-aws", stack="prod")


def test_prod_defaults_are_the_secure_ones():
    settings = parse()
    assert settings.vpc_cidr == "10.0.0.0/16"
    assert settings.az_count == 2
    assert settings.nat_gateways == "perAz"
    assert settings.log_retention_days == 365
    assert settings.is_production
    assert settings.database.backup_retention_days == 7
    assert settings.database.port == 5432
    assert settings.web.tls_policy == "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
    assert settings.function.audit_schedule == "rate(1 hour)"


def test_tags_carry_environment_project_and_extra_tags():
    settings = parse(extraTags='{"CostCenter": "security"}')
    assert settings.tags == {
        "CostCenter": "security",
        "Environment": "Production",
        "Project": "secure-aws",
        "ManagedBy": "pulumi",
    }


def test_settings_are_immutable():
    settings = parse()
    with pytest.raises(AttributeError):
        settings.vpc_cidr = "10.1.0.0/16"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("aws:region", "eu-west-1", "must be us-east-1"),
        ("corporateCidrs", None, "is required"),
        ("corporateCidrs", '["0.0.0.0/0"]', "whole internet"),
        ("corporateCidrs", '["10.0.0.0/8"]', "wider than /16"),
        ("corporateCidrs", '["203.0.113.0/33"]', "not an IPv4 network"),
        ("corporateCidrs", '["203.0.113.5/24"]', "not an IPv4 network"),
        ("corporateCidrs", "[]", "non-empty list"),
        ("corporateCidrs", "203.0.113.0/24", "not valid JSON"),
        ("corporateCidrs", '["203.0.113.0/24", "203.0.113.0/24"]', "repeats or overlaps"),
        ("corporateCidrs", '["203.0.113.0/24", "203.0.113.128/25"]', "repeats or overlaps"),
        ("vpcCidr", "8.8.0.0/16", "RFC 1918"),
        ("vpcCidr", "10.0.0.0/26", "too small"),
        ("vpcCidr", "10.0.0.0/24", "/27 a load balancer needs"),
        ("azCount", "1", "between 2 and 5"),
        ("azCount", "6", "between 2 and 5"),
        ("azCount", "two", "whole number"),
        ("natGateways", "none", "must be one of"),
        ("natGateways", "single", "production"),
        ("alertEmail", None, "is required"),
        ("alertEmail", "secops-at-example", "email address"),
        ("environment", None, "is required"),
        ("logRetentionDays", "90", "at least 365"),
        ("logRetentionDays", "366", "not a retention CloudWatch Logs accepts"),
        ("extraTags", '{"Environment": "Dev"}', "derived from the stack"),
        ("extraTags", "[1]", "object of tag names"),
        ("tlsPolicy", "ELBSecurityPolicy-2016-08", "TLS 1.2+"),
        ("minSize", "1", "between 2 and 100"),
        ("maxSize", "2", "at least minSize"),
        ("desiredCapacity", "9", "between minSize"),
        ("instanceType", "big", "instance type"),
        ("dbPort", "80", "between 1150 and 65535"),
        ("dbEngineVersion", "13", "supported major version"),
        ("dbEngineVersion", "16.4", "major version only"),
        ("backupRetentionDays", "3", "at least 7"),
        ("dbMasterUsername", "postgres", "reserved"),
        ("dbMaxAllocatedStorageGb", "40", "at least 10 % above dbAllocatedStorageGb (50)"),
        ("dbMaxAllocatedStorageGb", "54", "so at least 55: RDS refuses"),
        ("reservedConcurrency", "0", "between 1 and 1000"),
        ("reservedConcurrency", "one", "whole number"),
        ("auditSchedule", "every hour", "schedule expression"),
        ("auditSchedule", "rate(2 hour)", "singular unit only for 1"),
        ("auditSchedule", "rate(1 hours)", "singular unit only for 1"),
        ("auditSchedule", "rate(0 minutes)", "positive number"),
        ("auditSchedule", "rate(2 days)", "less than once a day"),
        ("auditSchedule", "rate(25 hours)", "less than once a day"),
        ("auditSchedule", "cron(0 6 ? * MON *)", "must run every day"),
        ("auditSchedule", "cron(0 6 1 * ? *)", "must run every day"),
        ("auditSchedule", "cron(0 6 * * *)", "six fields"),
        ("hostedZoneId", None, "hostedZoneId"),
    ],
)
def test_bad_value_names_the_key_and_a_good_example(key, value, fragment):
    overrides = {key: value}
    if key == "maxSize":
        overrides["minSize"] = "3"
    if key == "dbMaxAllocatedStorageGb":
        overrides["dbAllocatedStorageGb"] = "50"
    with pytest.raises(SettingsError) as caught:
        parse(**overrides)
    message = str(caught.value)
    assert f"config key '{caught.value.key}'" in message
    assert caught.value.key == key
    assert fragment in message
    assert "Example of a good value:" in message


def test_storage_ceiling_exactly_ten_percent_above_the_allocated_storage_is_accepted():
    # RDS's own example: 1000 GiB allocated takes a ceiling of 1100 GiB or more.
    database = parse(dbAllocatedStorageGb="1000", dbMaxAllocatedStorageGb="1100").database
    assert (database.allocated_storage_gb, database.max_allocated_storage_gb) == (1000, 1100)
    assert parse(dbAllocatedStorageGb="50", dbMaxAllocatedStorageGb="55").database.max_allocated_storage_gb == 55


def test_reserved_concurrency_is_off_unless_configured():
    # A reservation fails on accounts whose Lambda concurrency quota is under 101 (every new account has 10).
    assert parse().function.reserved_concurrency is None
    assert parse(reservedConcurrency="1").function.reserved_concurrency == 1


def test_non_production_may_use_a_single_nat_gateway_and_shorter_retention():
    settings = parse(environment="Staging", natGateways="single", logRetentionDays="30")
    assert settings.nat_gateways == "single"
    assert settings.log_retention_days == 30
    assert not settings.is_production


def test_missing_certificate_explains_both_options():
    with pytest.raises(SettingsError) as caught:
        parse(domainName=None, hostedZoneId=None)
    message = str(caught.value)
    assert "certificateArn" in message and "domainName plus hostedZoneId" in message


def test_certificate_arn_and_domain_are_mutually_exclusive():
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
    with pytest.raises(SettingsError, match="not both"):
        parse(certificateArn=arn)
    settings = parse(certificateArn=arn, domainName=None, hostedZoneId=None)
    assert settings.web.certificate_arn == arn


@pytest.mark.parametrize(
    ("key", "value"),
    [("corporateCidrs", ["0.0.0.0/0"]), ("alertEmail", "nobody"), ("logRetentionDays", "30"), ("azCount", "1")],
)
def test_program_refuses_bad_config_before_registering_anything(key, value):
    """Through the real program: the error names the key and not a single resource was registered."""
    with pytest.raises(ProgramError) as caught:
        run_stack(preview=True, **{key: value})
    assert f"config key '{key}'" in str(caught.value)
    assert caught.value.recording is not None
    assert caught.value.recording.resources == []


def test_a_mistyped_key_stops_the_program_naming_it_and_the_known_keys():
    """Through the real program: `corporateCidr` (for corporateCidrs) is refused before anything is registered."""
    with pytest.raises(ProgramError) as caught:
        run_stack(preview=True, corporateCidr=["198.51.100.0/24"])
    message = str(caught.value)
    assert "config key 'corporateCidr'" in message
    assert "did you mean 'corporateCidrs'?" in message
    assert "Known keys: environment, corporateCidrs, " in message
    assert caught.value.recording is not None
    assert caught.value.recording.resources == []


def test_only_the_project_namespace_is_checked():
    check_known_keys({"aws:region", "aws:profile", "secure-aws:alertEmail", "other-project:anything"}, "secure-aws")
    with pytest.raises(UnknownConfigKeyError) as caught:
        check_known_keys({"aws:region", "secure-aws:sshOpenToWorld"}, "secure-aws")
    assert caught.value.key == "sshOpenToWorld"
    assert "did you mean" not in str(caught.value)


def test_stack_keys_include_the_config_the_engine_passes_in_pulumi_config(monkeypatch):
    """A real `pulumi up` hands the program its config as the PULUMI_CONFIG environment variable."""
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"secure-aws:azCount": "2", "secure-aws:vpcCIDR": "10.0.0.0/16"}))
    assert {"secure-aws:azCount", "secure-aws:vpcCIDR"} <= _stack_config_keys()
    with pytest.raises(UnknownConfigKeyError, match="did you mean 'vpcCidr'"):
        check_known_keys(_stack_config_keys(), "secure-aws")


def test_every_key_the_program_reads_is_documented_in_the_readme():
    readme = (PROJECT_DIR / "README.md").read_text()
    assert [key for key in CONFIG_KEYS if f"`{key}`" not in readme] == []


@pytest.mark.parametrize(
    "schedule",
    ["rate(1 minute)", "rate(30 minutes)", "rate(6 hours)", "rate(1 day)", "cron(0 6 * * ? *)", "cron(15 * ? * * *)"],
)
def test_schedules_that_run_at_least_daily_are_accepted(schedule):
    assert parse(auditSchedule=schedule).function.audit_schedule == schedule


def test_the_smallest_vpc_and_the_most_azs_still_fit_the_subnet_plan():
    from components.network import subnet_cidrs

    settings = parse(vpcCidr="10.0.0.0/23", azCount="5")
    cidrs = subnet_cidrs(settings.vpc_cidr, settings.az_count)
    assert {cidr.split("/")[1] for tier in cidrs.values() for cidr in tier} == {"27"}
    assert len({cidr for tier in cidrs.values() for cidr in tier}) == 15


def test_the_readme_configuration_table_is_generated_from_the_registry():
    """The table lists every key of the registry; `python -m config_docs README.md` refreshes it."""
    from config_docs import main, with_config_table

    readme = (PROJECT_DIR / "README.md").read_text()
    assert with_config_table(readme) == readme, "stale: run .venv/bin/python -m config_docs README.md"
    assert main(["--check", str(PROJECT_DIR / "README.md")]) == 0


def test_a_stale_configuration_table_is_detected(tmp_path):
    from config_docs import END, START, main

    stale = tmp_path / "README.md"
    stale.write_text(f"# x\n{START}\n| key | type | default | rule |\n{END}\n")
    assert main(["--check", str(stale)]) == 1
    assert main([str(stale)]) == 0
    assert "| `vpcCidr` | string | `10.0.0.0/16` |" in stale.read_text()
    assert main(["--check", str(stale)]) == 0


@pytest.mark.parametrize("empty", ["", "  "])
def test_an_empty_value_for_a_key_with_a_default_is_unset(empty):
    settings = parse(vpcCidr=empty, azCount=empty, extraTags=empty, auditSchedule=empty, dbInstanceClass=empty)
    assert settings.vpc_cidr == "10.0.0.0/16"
    assert settings.az_count == 2
    assert settings.extra_tags == {}
    assert settings.function.audit_schedule == "rate(1 hour)"
    assert settings.database.instance_class == "db.t4g.medium"


@pytest.mark.parametrize("key", ["environment", "corporateCidrs", "alertEmail", "aws:region"])
def test_an_empty_value_for_a_required_key_is_reported_missing(key):
    with pytest.raises(SettingsError) as caught:
        parse(**{key: ""})
    assert caught.value.key == key
    assert "is required" in str(caught.value)


def test_an_empty_vpc_cidr_through_the_program_uses_the_default():
    """Was an internal TypeError naming no key (issue 15)."""
    recording = run_stack(preview=True, vpcCidr="")
    vpcs = [r for r in recording.resources if r.type == "aws:ec2/vpc:Vpc"]
    assert [vpc.inputs["cidrBlock"] for vpc in vpcs] == ["10.0.0.0/16"]


# Every key's edge values, good and bad (issue 15): a good value is accepted as given; a bad one is refused naming
# the key, with a message fragment saying why. A value AWS would refuse at deploy time must be refused here.
ACCEPTED = object()
EDGE_VALUES = [
    ("aws:region", "us-east-1", ACCEPTED),
    ("aws:region", "us-east-2", "must be us-east-1"),
    ("accountId", "111122223333", ACCEPTED),
    ("accountId", "11112222333", "a 12-digit AWS account id"),
    ("accountId", "1111-2222-3333", "a 12-digit AWS account id"),
    ("accountId", " 111122223333 ", ACCEPTED),  # surrounding spaces are trimmed, as for every string key
    ("environment", "Staging", ACCEPTED),
    ("environment", "Prod-2 eu/west", ACCEPTED),
    ("environment", "x" * 256, ACCEPTED),
    ("environment", "x" * 257, "at most 256"),
    ("environment", "prod#1", "characters AWS refuses"),
    ("environment", "aws:prod", "reserves"),
    ("corporateCidrs", '["198.51.100.7/32"]', ACCEPTED),
    ("corporateCidrs", '["10.1.0.0/16"]', ACCEPTED),
    ("corporateCidrs", json.dumps([f"198.51.{i}.0/24" for i in range(59)]), ACCEPTED),
    ("corporateCidrs", json.dumps([f"198.51.{i}.0/24" for i in range(60)]), "at most 59"),
    ("corporateCidrs", '["10.0.0.0/15"]', "wider than /16"),
    ("corporateCidrs", '["::/0"]', "not an IPv4 network"),
    ("corporateCidrs", "[24]", "non-empty list of IPv4 CIDR strings"),
    ("vpcCidr", "10.0.0.0/16", ACCEPTED),
    ("vpcCidr", "192.168.4.0/23", ACCEPTED),
    ("vpcCidr", "10.0.0.0/8", "wider than AWS allows"),
    ("vpcCidr", "10.0.0.0/15", "/16 to /28"),
    ("vpcCidr", "172.16.0.0/24", "too small"),
    ("vpcCidr", "10.0.0.0/28", "too small"),
    ("vpcCidr", "100.64.0.0/16", "RFC 1918"),
    ("azCount", "2", ACCEPTED),
    ("azCount", "5", ACCEPTED),
    ("azCount", "0", "between 2 and 5"),
    ("azCount", "-1", "between 2 and 5"),
    ("azCount", "2.5", "whole number"),
    ("natGateways", "perAz", ACCEPTED),
    ("natGateways", "PerAz", "must be one of"),
    ("alertEmail", "sec.ops+alerts@example.co.uk", ACCEPTED),
    ("alertEmail", "secops@localhost", "email address"),
    ("logRetentionDays", "3653", ACCEPTED),
    ("logRetentionDays", "0", "not a retention"),
    ("logRetentionDays", "3654", "not a retention"),
    ("extraTags", '{"CostCenter": "security", "Owner": "team@example.com"}', ACCEPTED),
    ("extraTags", '{"Kostenstelle": "Sicherheit äöü", "team:owner": "a b+c=d/e"}', ACCEPTED),
    ("extraTags", '{"Empty": ""}', ACCEPTED),
    ("extraTags", json.dumps({f"Tag{i}": "v" for i in range(45)}), ACCEPTED),
    ("extraTags", json.dumps({f"Tag{i}": "v" for i in range(46)}), "at most 45"),
    ("extraTags", '{"environment": "dev"}', "differs only in case from 'Environment'"),
    ("extraTags", '{"MANAGEDBY": "me"}', "differs only in case from 'ManagedBy'"),
    ("extraTags", '{"Name": "x"}', "differs only in case from 'Name'"),
    ("extraTags", '{"Owner": "a", "owner": "b"}', "differs only in case from 'Owner'"),
    ("extraTags", '{"Cost#Center": "x"}', "characters AWS refuses"),
    ("extraTags", '{"CostCenter": "a,b"}', "characters AWS refuses"),
    ("extraTags", '{"AWS:cost": "x"}', "reserves"),
    ("extraTags", '{"CostCenter": "aws:x"}', "reserves"),
    ("extraTags", json.dumps({"k" * 127: "v"}), ACCEPTED),
    ("extraTags", json.dumps({"k" * 128: "v"}), "at most 127"),
    ("extraTags", json.dumps({"k": "v" * 257}), "at most 256"),
    ("extraTags", '{"": "v"}', "empty tag key"),
    ("extraTags", '{"CostCenter": 7}', "must be a string"),
    ("tlsPolicy", "ELBSecurityPolicy-TLS13-1-3-2021-06", ACCEPTED),
    ("tlsPolicy", "ELBSecurityPolicy-2016-08", "TLS 1.2+"),
    ("instanceType", "t4g.small", ACCEPTED),
    ("instanceType", "m7i.large", ACCEPTED),
    ("instanceType", "t3.huge", "not an EC2 instance type"),
    ("instanceType", "T3.SMALL", "not an EC2 instance type"),
    ("instanceType", "mac1.metal", "Dedicated Host"),
    ("minSize", "100", ACCEPTED),
    ("minSize", "101", "between 2 and 100"),
    ("appPort", "1024", ACCEPTED),
    ("appPort", "65536", "between 1024 and 65535"),
    ("appPort", "443", "between 1024 and 65535"),
    ("healthCheckPath", "/healthz?full=1", ACCEPTED),
    ("healthCheckPath", "health", "not a URL path"),
    ("healthCheckPath", "/" + "a" * 1024, "not a URL path"),
    ("dbEngineVersion", "17", ACCEPTED),
    ("dbEngineVersion", "15", "supported major version"),
    ("dbInstanceClass", "db.t4g.medium", ACCEPTED),
    ("dbInstanceClass", "db.m7g.large", ACCEPTED),
    ("dbInstanceClass", "db.r6g.xlarge", ACCEPTED),
    ("dbInstanceClass", "db.t4g.huge", "not an RDS instance class"),
    ("dbInstanceClass", "db.c7g.large", "not an RDS instance class"),
    ("dbInstanceClass", "t4g.medium", "not an RDS instance class"),
    ("dbAllocatedStorageGb", "19", "between 20 and 65536"),
    ("dbAllocatedStorageGb", "59578", ACCEPTED),
    ("dbAllocatedStorageGb", "59579", "must be at most 59578, so the storage autoscaling ceiling"),
    ("dbMaxAllocatedStorageGb", "65536", ACCEPTED),
    ("dbMaxAllocatedStorageGb", "65537", "between 21 and 65536"),
    ("dbPort", "1150", ACCEPTED),
    ("dbPort", "1149", "between 1150 and 65535"),
    ("backupRetentionDays", "35", ACCEPTED),
    ("backupRetentionDays", "36", "between 1 and 35"),
    ("dbMasterUsername", "app_owner", ACCEPTED),
    ("dbMasterUsername", "a" * 63, ACCEPTED),
    ("dbMasterUsername", "a" * 64, "1 to 63"),
    ("dbMasterUsername", "1admin", "starting with a letter"),
    ("dbMasterUsername", "app-admin", "letters, digits or underscores"),
    ("dbMasterUsername", "select", "reserved word"),
    ("dbMasterUsername", "USER", "reserved word"),
    ("dbMasterUsername", "Postgres", "default administrator name"),
    ("dbMasterUsername", "pg_admin", "starting with pg_"),
    ("dbMasterUsername", "rdsops", "rds"),
    ("dbName", "orders_2026", ACCEPTED),
    ("dbName", "table", "reserved word"),
    ("dbName", "template1", "already has"),
    ("dbName", "9lives", "starting with a letter"),
    ("auditSchedule", "cron(0/15 * * * ? *)", ACCEPTED),
    ("auditSchedule", "cron(0 8-18/2 * * ? *)", ACCEPTED),
    ("auditSchedule", "cron(5,35 * ? * * *)", ACCEPTED),
    ("auditSchedule", "cron(60 6 * * ? *)", "minutes field"),
    ("auditSchedule", "cron(0 24 * * ? *)", "hours field"),
    ("auditSchedule", "cron(0 6-25 * * ? *)", "outside 0-23"),
    ("auditSchedule", "cron(*/0 * * * ? *)", "increment"),
    ("auditSchedule", "cron(0 6 * * * *)", "must run every day"),
    ("auditSchedule", "cron(0 6 ? * ? *)", "must run every day"),
    ("auditSchedule", "cron(0 L * * ? *)", "hours field"),
    ("manageAccountBaseline", "false", ACCEPTED),
    ("manageAccountBaseline", "no", "true or false"),
    ("wafRateLimit", "100", ACCEPTED),
    ("reservedConcurrency", "1", ACCEPTED),
    ("reservedConcurrency", "1000", ACCEPTED),
    ("reservedConcurrency", "1001", "between 1 and 1000"),
    ("wafRateLimit", "99", "between 100 and"),
]


def edge_id(value: object) -> str:
    return "accepted" if value is ACCEPTED else str(value)[:40]


@pytest.mark.parametrize(("key", "value", "expected"), EDGE_VALUES, ids=edge_id)
def test_edge_values_of_every_key(key, value, expected):
    overrides = {key: value, "environment": "Staging"} if key != "environment" else {key: value}
    if key == "minSize":
        overrides["maxSize"] = value
    if key == "dbAllocatedStorageGb":
        overrides["dbMaxAllocatedStorageGb"] = "65536"
    if expected is ACCEPTED:
        parse(**overrides)
        return
    with pytest.raises(SettingsError) as caught:
        parse(**overrides)
    assert caught.value.key == key
    assert expected in str(caught.value)
    assert "Example of a good value:" in str(caught.value)


def test_every_key_has_edge_values():
    assert {key for key, _, _ in EDGE_VALUES} >= set(CONFIG_KEYS) - {
        "certificateArn",
        "domainName",
        "hostedZoneId",
        "maxSize",
        "desiredCapacity",  # covered above, with pairs
    }


def test_the_most_corporate_ranges_fit_the_security_group_quota_and_the_auditor_environment():
    """At the cap, through the real program: the app instances' group stays within 60 inbound rules, and the
    auditor's environment within Lambda's 4 KB."""
    from config_limits import LAMBDA_ENVIRONMENT_BYTES, MAX_CORPORATE_CIDRS, SECURITY_GROUP_INBOUND_RULES

    cidrs = [f"198.51.{i}.{i}/32" for i in range(MAX_CORPORATE_CIDRS)]
    recording = run_stack(preview=False, corporateCidrs=cidrs)
    ingress = [r for r in recording.resources if r.type == "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"]
    app_group = next(r for r in ingress if r.name.endswith("-app-ssh-0")).inputs["securityGroupId"]
    assert len([r for r in ingress if r.inputs["securityGroupId"] == app_group]) == SECURITY_GROUP_INBOUND_RULES
    (function,) = [r for r in recording.resources if r.type == "aws:lambda/function:Function"]
    variables = function.inputs["environment"]["variables"]
    assert len(variables["ALLOWED_SSH_CIDRS"].split(",")) == MAX_CORPORATE_CIDRS
    assert sum(len(k.encode()) + len(str(v).encode()) for k, v in variables.items()) < LAMBDA_ENVIRONMENT_BYTES
