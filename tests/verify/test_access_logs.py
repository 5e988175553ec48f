"""The access-log check: logging on, into the stack's log bucket, and AWS's test file arrived."""

from tests.verify.conftest import ACCOUNT_ID, only
from verify.results import Status


def _load_balancer_arn(deployed):
    elbv2 = deployed.client("elbv2")
    return elbv2.describe_target_groups(TargetGroupArns=[deployed.outputs["targetGroupArn"]])["TargetGroups"][0][
        "LoadBalancerArns"
    ][0]


def _set(deployed, key, value):
    deployed.client("elbv2").modify_load_balancer_attributes(
        LoadBalancerArn=_load_balancer_arn(deployed), Attributes=[{"Key": key, "Value": value}]
    )


def test_a_missing_test_file_fails_with_the_bucket_policy_fix(deployed):
    bucket = deployed.outputs["logBucketName"]
    deployed.client("s3").delete_object(Bucket=bucket, Key=f"alb/AWSLogs/{ACCOUNT_ID}/ELBAccessLogTestFile")
    result = only(deployed.results("access-logs"), Status.FAIL)
    assert "ELBAccessLogTestFile is missing" in result.summary
    assert "bucket's policy" in result.fix


def test_access_logging_turned_off_fails(deployed):
    _set(deployed, "access_logs.s3.enabled", "false")
    result = only(deployed.results("access-logs"), Status.FAIL)
    assert "access logging off" in result.summary


def test_access_logs_sent_to_another_bucket_fail(deployed):
    _set(deployed, "access_logs.s3.bucket", "somewhere-else")
    result = only(deployed.results("access-logs"), Status.FAIL)
    assert "not the stack's log bucket" in result.summary


def test_the_test_file_is_looked_for_under_the_configured_prefix(deployed):
    _set(deployed, "access_logs.s3.prefix", "other")
    result = only(deployed.results("access-logs"), Status.FAIL)
    assert f"other/AWSLogs/{ACCOUNT_ID}/ELBAccessLogTestFile" in result.summary
