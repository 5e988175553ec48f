"""S3 buckets in the function's region: all four public-access-block settings, and default encryption."""

from __future__ import annotations

import pytest
from conftest import Account

from auditor import s3_buckets
from auditor.s3_buckets import DEFAULT_ENCRYPTION, PUBLIC_ACCESS_BLOCK

ALL_BLOCKED = dict.fromkeys(s3_buckets.PUBLIC_ACCESS_BLOCK_SETTINGS, True)


def _findings(result):
    return [(f["rule"], f["resource"], f["detail"]) for f in result["findings"]]


def test_a_bucket_without_a_public_access_block_is_a_finding(run_audit, create_secure_bucket, clean_account: Account):
    create_secure_bucket("drifted")
    clean_account.client("s3").delete_public_access_block(Bucket="drifted")

    assert _findings(run_audit()) == [
        (
            PUBLIC_ACCESS_BLOCK,
            "drifted",
            "public access block is missing BlockPublicAcls, IgnorePublicAcls, "
            "BlockPublicPolicy, RestrictPublicBuckets",
        ),
    ]


@pytest.mark.parametrize("setting", s3_buckets.PUBLIC_ACCESS_BLOCK_SETTINGS)
def test_each_public_access_block_setting_turned_off_is_a_finding(
    run_audit, create_secure_bucket, clean_account, setting
):
    create_secure_bucket("drifted")
    clean_account.client("s3").put_public_access_block(
        Bucket="drifted", PublicAccessBlockConfiguration={**ALL_BLOCKED, setting: False}
    )

    assert _findings(run_audit()) == [(PUBLIC_ACCESS_BLOCK, "drifted", f"public access block is missing {setting}")]


def test_a_bucket_without_default_encryption_is_a_finding(run_audit, create_secure_bucket, clean_account: Account):
    create_secure_bucket("drifted")
    clean_account.client("s3").delete_bucket_encryption(Bucket="drifted")

    assert _findings(run_audit()) == [(DEFAULT_ENCRYPTION, "drifted", "no default encryption is configured")]


def test_a_bare_new_bucket_breaks_both_rules(run_audit, clean_account: Account):
    clean_account.client("s3").create_bucket(Bucket="console-made")

    assert [(rule, resource) for rule, resource, _ in _findings(run_audit())] == [
        (PUBLIC_ACCESS_BLOCK, "console-made"),
        (DEFAULT_ENCRYPTION, "console-made"),
    ]


def test_buckets_in_other_regions_are_left_to_that_regions_auditor(run_audit, clean_account: Account):
    clean_account.client("s3").create_bucket(
        Bucket="eu-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )

    result = run_audit()

    assert result["findings"] == []
    assert result["checked"][PUBLIC_ACCESS_BLOCK] == 3


def test_every_page_of_buckets_is_checked(
    run_audit, create_secure_bucket, clean_account, paginate_like_aws, monkeypatch
):
    monkeypatch.setattr(s3_buckets, "PAGE_SIZE", 2)
    tokens = paginate_like_aws("s3", "ListBuckets", "Buckets", "MaxBuckets", "ContinuationToken", "ContinuationToken")
    for n in range(3):
        create_secure_bucket(f"more-{n}")
    clean_account.client("s3").create_bucket(Bucket="zz-last-page")

    result = run_audit()

    assert tokens == [None, "2", "4", "6"]
    assert result["checked"][PUBLIC_ACCESS_BLOCK] == 7
    assert [(f["rule"], f["resource"]) for f in result["findings"]] == [
        (PUBLIC_ACCESS_BLOCK, "zz-last-page"),
        (DEFAULT_ENCRYPTION, "zz-last-page"),
    ]


def test_a_bucket_the_auditor_may_not_read_is_an_audit_error_and_the_others_are_checked(
    run_audit, clean_account: Account, deny
):
    deny("s3", "GetPublicAccessBlock", only_for={"Bucket": "secure-aws-data"})
    clean_account.client("s3").create_bucket(Bucket="console-made")

    result = run_audit()

    [error] = [f for f in result["findings"] if f["rule"] == "audit-error"]
    assert error["resource"] == "secure-aws-data"
    assert error["detail"].startswith("the s3-buckets check could not read secure-aws-data: AccessDenied")
    assert {f["resource"] for f in result["findings"] if f["rule"] != "audit-error"} == {"console-made"}
    assert result["checked"][PUBLIC_ACCESS_BLOCK] == 3  # access-logs, cloudtrail, console-made
