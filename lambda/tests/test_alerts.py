"""The SNS message and its subject: readable, complete, within SNS limits."""

from __future__ import annotations

from auditor.alerts import BODY_LIMIT_BYTES, body, subject
from auditor.findings import Finding


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
    assert f"... and {2000 - listed} more: see the function's log group." in text
