"""CloudTrail: a multi-region trail that is logging, and log file validation on every trail."""

from __future__ import annotations

from conftest import Account

from auditor.cloudtrail import LOG_FILE_VALIDATION, MULTI_REGION_LOGGING


def _findings(result):
    return [(f["rule"], f["resource"], f["detail"]) for f in result["findings"]]


def test_a_stopped_multi_region_trail_is_a_finding(run_audit, clean_account: Account):
    clean_account.client("cloudtrail").stop_logging(Name=clean_account.trail_arn)

    assert _findings(run_audit()) == [
        (
            MULTI_REGION_LOGGING,
            "cloudtrail:us-east-1",
            "no multi-region trail is logging in us-east-1; multi-region trails: secure-aws-trail (not logging)",
        ),
    ]


def test_no_trail_at_all_is_a_finding(run_audit, clean_account: Account):
    clean_account.client("cloudtrail").delete_trail(Name="secure-aws-trail")

    assert _findings(run_audit()) == [
        (
            MULTI_REGION_LOGGING,
            "cloudtrail:us-east-1",
            "no multi-region trail is logging in us-east-1; multi-region trails: none",
        ),
    ]


def test_a_logging_single_region_trail_does_not_stand_in_for_a_multi_region_one(run_audit, clean_account: Account):
    cloudtrail = clean_account.client("cloudtrail")
    cloudtrail.delete_trail(Name="secure-aws-trail")
    trail = cloudtrail.create_trail(Name="regional", S3BucketName="secure-aws-cloudtrail", EnableLogFileValidation=True)
    cloudtrail.start_logging(Name=trail["TrailARN"])

    assert [(rule, resource) for rule, resource, _ in _findings(run_audit())] == [
        (MULTI_REGION_LOGGING, "cloudtrail:us-east-1")
    ]


def test_a_trail_without_log_file_validation_is_a_finding(run_audit, clean_account: Account):
    clean_account.client("cloudtrail").update_trail(Name=clean_account.trail_arn, EnableLogFileValidation=False)

    assert _findings(run_audit()) == [
        (LOG_FILE_VALIDATION, clean_account.trail_arn, "trail secure-aws-trail does not validate its log files"),
    ]


def test_an_extra_trail_without_validation_is_a_finding_even_when_the_main_trail_is_fine(run_audit, clean_account):
    extra = clean_account.client("cloudtrail").create_trail(Name="team-trail", S3BucketName="secure-aws-cloudtrail")

    result = run_audit()

    assert [(f["rule"], f["resource"]) for f in result["findings"]] == [(LOG_FILE_VALIDATION, extra["TrailARN"])]
    assert result["checked"][LOG_FILE_VALIDATION] == 2


def test_a_trail_whose_status_cannot_be_read_is_an_audit_error_and_another_logging_trail_still_counts(
    run_audit, clean_account: Account, deny
):
    cloudtrail = clean_account.client("cloudtrail")
    org_trail = cloudtrail.create_trail(
        Name="org-trail", S3BucketName="secure-aws-cloudtrail", IsMultiRegionTrail=True, EnableLogFileValidation=True
    )["TrailARN"]
    deny("cloudtrail", "GetTrailStatus", only_for={"Name": org_trail})

    findings = _findings(run_audit())

    assert [(rule, resource) for rule, resource, _ in findings] == [("audit-error", org_trail)]
    assert "AccessDenied" in findings[0][2]


def test_when_no_trail_is_confirmed_logging_the_unreadable_ones_are_named(run_audit, clean_account: Account, deny):
    deny("cloudtrail", "GetTrailStatus")

    findings = _findings(run_audit())

    assert [(rule, resource) for rule, resource, _ in findings] == [
        ("audit-error", clean_account.trail_arn),
        (MULTI_REGION_LOGGING, "cloudtrail:us-east-1"),
    ]
    assert findings[1][2] == (
        "no multi-region trail is logging in us-east-1; multi-region trails: secure-aws-trail (status unreadable)"
    )
