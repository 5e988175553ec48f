"""S3 buckets in the function's region: all four public-access-block settings, and default encryption."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import botocore.loaders
import botocore.session
import pytest
from botocore.exceptions import ClientError
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


# Section: a Lambda runtime whose botocore predates ListBuckets' BucketRegion (October 2024) ----------------------


def _s3_model_before_bucket_region(data_path: Path) -> None:
    """Writes botocore's S3 model as it was before BucketRegion: ListBuckets takes no parameters, lists no
    bucket's region, and has no paginator. Searched first, it stands in for an older botocore's copy."""
    loader = botocore.loaders.create_loader()
    api_version = loader.determine_latest_version("s3", "service-2")
    model = loader.load_service_model("s3", "service-2", api_version)
    model["operations"]["ListBuckets"].pop("input", None)
    model["shapes"]["Bucket"]["members"].pop("BucketRegion", None)
    paginators = loader.load_service_model("s3", "paginators-1", api_version)
    paginators["pagination"].pop("ListBuckets", None)
    target = data_path / "s3" / api_version
    target.mkdir(parents=True)
    (target / "service-2.json").write_text(json.dumps(model))
    (target / "paginators-1.json").write_text(json.dumps(paginators))


@pytest.fixture
def older_botocore(clean_account: Account, tmp_path: Path) -> None:
    """The handler's clients get an S3 model without BucketRegion; the account was built with the current one."""
    _s3_model_before_bucket_region(tmp_path)
    session = botocore.session.get_session()
    session.register_component("data_loader", botocore.loaders.create_loader(str(tmp_path)))
    boto3.setup_default_session(botocore_session=session)
    assert not s3_buckets.lists_buckets_by_region(boto3.client("s3"))


def test_the_current_sdk_lists_only_this_regions_buckets(run_audit, clean_account: Account, count_calls):
    listed = count_calls("s3", "ListBuckets")
    located = count_calls("s3", "GetBucketLocation")

    run_audit()

    assert [call.get("BucketRegion") for call in listed] == ["us-east-1"]
    assert located == []


def test_an_older_sdk_lists_every_bucket_once_and_asks_each_for_its_region(
    older_botocore, run_audit, clean_account: Account, aws_events
):
    listed, located = [], []
    aws_events.register("before-parameter-build.s3.ListBuckets", lambda params, **_: listed.append(dict(params)))
    aws_events.register("before-parameter-build.s3.GetBucketLocation", lambda params, **_: located.append(params))
    clean_account.client("s3").create_bucket(
        Bucket="eu-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )

    result = run_audit()

    assert listed == [{}]
    assert sorted(call["Bucket"] for call in located) == sorted([*clean_account.bucket_names, "eu-bucket"])
    assert result["findings"] == []
    assert result["checked"][PUBLIC_ACCESS_BLOCK] == 3


def test_an_older_sdk_still_finds_drift_in_this_region(older_botocore, run_audit, clean_account: Account):
    clean_account.client("s3").create_bucket(Bucket="console-made")

    assert [(rule, resource) for rule, resource, _ in _findings(run_audit())] == [
        (PUBLIC_ACCESS_BLOCK, "console-made"),
        (DEFAULT_ENCRYPTION, "console-made"),
    ]


def test_an_older_sdk_reports_a_bucket_whose_region_it_may_not_read(
    older_botocore, run_audit, clean_account: Account, aws_events
):
    def deny_one(params, **_):
        if params.get("Bucket") == "secure-aws-data":
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "injected"}}, "GetBucketLocation")

    aws_events.register("before-parameter-build.s3.GetBucketLocation", deny_one)

    result = run_audit()

    [error] = result["findings"]
    assert (error["rule"], error["resource"]) == ("audit-error", "secure-aws-data")
    assert result["checked"][PUBLIC_ACCESS_BLOCK] == 2


def test_get_bucket_location_answers_read_as_regions(clean_account: Account):
    # us-east-1 answers null; "EU" is the legacy name of eu-west-1.
    s3 = clean_account.client("s3")
    s3.create_bucket(Bucket="legacy-eu", CreateBucketConfiguration={"LocationConstraint": "EU"})
    s3.create_bucket(Bucket="frankfurt", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})

    regions = {name: s3_buckets.bucket_region(s3, name) for name in ("secure-aws-data", "legacy-eu", "frankfurt")}

    assert regions == {"secure-aws-data": "us-east-1", "legacy-eu": "eu-west-1", "frankfurt": "eu-central-1"}
