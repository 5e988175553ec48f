"""The SNS message and its subject: readable, complete, within SNS limits."""

from __future__ import annotations

from auditor import cloudtrail, kms_keys, rds_instances, s3_buckets, security_groups
from auditor.alerts import BODY_LIMIT_BYTES, body, subject
from auditor.cloudtrail import MULTI_REGION_LOGGING
from auditor.findings import AUDIT_ERROR, Finding
from auditor.kms_keys import ROTATION
from auditor.rds_instances import PUBLIC_ACCESS
from auditor.s3_buckets import DEFAULT_ENCRYPTION
from auditor.security_groups import ADMIN_INGRESS, WORLD_INGRESS
from auditor.severity import UNRANKED, severity_of


def test_the_subject_names_the_count_account_and_region():
    assert (
        subject(1, "us-east-1", "123456789012") == "Compliance auditor: 1 finding in account 123456789012 (us-east-1)"
    )


def test_the_subject_stays_under_the_sns_limit_of_100_characters():
    assert len(subject(10**40, "ap-southeast-2", "123456789012")) < 100


def test_the_body_lists_every_finding_and_what_was_checked():
    findings = [
        Finding(rule="rds-instance-public-access", resource="db1", detail="postgres instance is publicly accessible"),
        Finding(rule="kms-key-rotation", resource="arn:aws:kms:us-east-1:1:key/k", detail="does not rotate"),
    ]

    text = body(findings, {"kms-key-rotation": 3, "rds-instance-public-access": 1}, "us-east-1", "123456789012")

    assert "found 2 problems in account 123456789012, region us-east-1" in text
    assert "1. [rds-instance-public-access] db1: postgres instance is publicly accessible" in text
    assert "2. [kms-key-rotation] arn:aws:kms:us-east-1:1:key/k: does not rotate" in text
    assert "  kms-key-rotation: 3" in text


def test_a_body_too_large_for_sns_says_how_many_findings_it_left_out():
    findings = [
        Finding(rule="s3-bucket-default-encryption", resource=f"bucket-{n:05}", detail="x" * 200) for n in range(2000)
    ]

    text = body(findings, {}, "us-east-1", None)

    assert len(text.encode()) <= BODY_LIMIT_BYTES
    listed = sum(1 for line in text.splitlines() if line.split(".")[0].isdigit())
    assert f"... and {2000 - listed} more ({2000 - listed} medium) not listed" in text


def _finding(rule: str, resource: str = "r") -> Finding:
    return Finding(rule=rule, resource=resource, detail="d")


def _listed_rules(text: str) -> list[str]:
    return [line.split("[")[1].split("]")[0] for line in text.splitlines() if line.split(".")[0].isdigit()]


def test_the_body_lists_the_most_severe_first_public_database_stopped_trail_open_admin_ports():
    found_in_run_order = [
        _finding(ROTATION),
        _finding(WORLD_INGRESS),
        _finding(ADMIN_INGRESS),
        _finding(AUDIT_ERROR),
        _finding(PUBLIC_ACCESS),
        _finding(MULTI_REGION_LOGGING),
        _finding(DEFAULT_ENCRYPTION),
    ]

    text = body(found_in_run_order, {}, "us-east-1", None)

    assert _listed_rules(text) == [
        PUBLIC_ACCESS,
        MULTI_REGION_LOGGING,
        ADMIN_INGRESS,
        WORLD_INGRESS,
        AUDIT_ERROR,
        DEFAULT_ENCRYPTION,
        ROTATION,
    ]
    assert "\nCritical (3):\n1. [rds-instance-public-access]" in text
    assert "\nHigh (2):\n4. [security-group-world-ingress]" in text
    assert "\nMedium (2):\n6. [s3-bucket-default-encryption]" in text


def test_findings_of_one_rule_keep_the_order_the_checks_found_them_in():
    findings = [_finding(ROTATION, "key-b"), _finding(PUBLIC_ACCESS, "db"), _finding(ROTATION, "key-a")]

    text = body(findings, {}, "us-east-1", None)

    assert text.index("key-b") < text.index("key-a")


def test_when_findings_do_not_fit_the_least_severe_are_left_out():
    many_medium = [
        Finding(rule=ROTATION, resource=f"key-{n:05}", detail="é" * 200) for n in range(2000)
    ]  # two bytes a character: the limit counts bytes
    public_database = _finding(PUBLIC_ACCESS, "db")

    text = body([*many_medium, public_database], {}, "us-east-1", None)

    assert len(text.encode()) <= BODY_LIMIT_BYTES
    assert "1. [rds-instance-public-access] db: d" in text
    assert "more (" in text and "medium) not listed" in text


def test_a_rule_without_a_severity_is_listed_last_never_dropped():
    text = body([_finding("some-new-rule"), _finding(ROTATION)], {}, "us-east-1", None)

    assert _listed_rules(text) == [ROTATION, "some-new-rule"]


def test_every_rule_the_checks_report_has_a_severity():
    rules = {*security_groups.RULES, *s3_buckets.RULES, *cloudtrail.RULES, *rds_instances.RULES, *kms_keys.RULES}

    assert {rule for rule in [*rules, AUDIT_ERROR] if severity_of(rule) == UNRANKED} == set()


def test_the_subject_counts_the_critical_findings():
    assert subject(3, "us-east-1", "123456789012", critical=1) == (
        "Compliance auditor: 3 findings (1 critical) in account 123456789012 (us-east-1)"
    )
