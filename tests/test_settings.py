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
        ("dbMaxAllocatedStorageGb", "40", "must exceed"),
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


@pytest.mark.parametrize("schedule", ["rate(1 minute)", "rate(30 minutes)", "rate(6 hours)", "rate(1 day)",
                                      "cron(0 6 * * ? *)", "cron(15 * ? * * *)"])  # fmt: skip
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
