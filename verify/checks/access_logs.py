"""The load balancer's access logs arrive: access logging is on, into the stack's log bucket, and AWS's test file
is there.

When access logging is turned on, Elastic Load Balancing checks the bucket policy by writing
`<prefix>/AWSLogs/<account>/ELBAccessLogTestFile` (AWS docs, "Enable access logs for your Application Load
Balancer"). Without it, delivery never worked; the load balancer is found from the stack's target group.
"""

from __future__ import annotations

from botocore.exceptions import ClientError

from verify.context import Context
from verify.results import CheckResult, failed, passed

CHECK = "access-logs"
TEST_FILE = "ELBAccessLogTestFile"


def check_access_logs(context: Context) -> list[CheckResult]:
    log_bucket = context.outputs.require("logBucketName")
    elbv2 = context.client("elbv2")
    load_balancers = stack_load_balancers(context)
    if not load_balancers:
        return [
            failed(
                CHECK,
                f"no load balancer forwards to the target group {context.outputs.require('targetGroupArn')}",
                "run `pulumi up`: the web tier creates the load balancer and its listeners",
            )
        ]
    results = []
    for load_balancer_arn in load_balancers:
        attributes = {
            item["Key"]: item["Value"]
            for item in elbv2.describe_load_balancer_attributes(LoadBalancerArn=load_balancer_arn)["Attributes"]
        }
        name = load_balancer_arn.split(":loadbalancer/", 1)[-1]
        bucket = attributes.get("access_logs.s3.bucket", "")
        prefix = attributes.get("access_logs.s3.prefix", "")
        if attributes.get("access_logs.s3.enabled") != "true":
            results.append(
                failed(
                    CHECK,
                    f"load balancer {name} has access logging off",
                    "run `pulumi up`: the web tier turns access logs on (someone turned them off)",
                )
            )
            continue
        if bucket != log_bucket:
            results.append(
                failed(
                    CHECK,
                    f"load balancer {name} logs to {bucket}, not the stack's log bucket {log_bucket}",
                    "run `pulumi up` to point its access logs back at the log bucket",
                )
            )
            continue
        key = "/".join(part for part in (prefix.strip("/"), "AWSLogs", context.account_id, TEST_FILE) if part)
        if not _exists(context, bucket, key):
            results.append(
                failed(
                    CHECK,
                    f"load balancer {name}: AWS's test file s3://{bucket}/{key} is missing: access logs never arrived",
                    "the log bucket's policy must let Elastic Load Balancing's log delivery s3:PutObject under "
                    f"{prefix or '(no prefix)'}/AWSLogs/{context.account_id}/ and the bucket must use SSE-S3; once "
                    "fixed, turn access logging off and on again (AWS writes the test file then)",
                )
            )
            continue
        results.append(passed(CHECK, f"load balancer {name} delivers access logs to s3://{bucket}/{prefix}"))
    return results


def stack_load_balancers(context: Context) -> list[str]:
    """The ARNs of the load balancers that forward to the stack's target group (the stack's one ALB)."""
    target_group_arn = context.outputs.require("targetGroupArn")
    groups = context.client("elbv2").describe_target_groups(TargetGroupArns=[target_group_arn])["TargetGroups"]
    return list(groups[0].get("LoadBalancerArns", [])) if groups else []


def _exists(context: Context, bucket: str, key: str) -> bool:
    try:
        context.client("s3").head_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return False
        raise
    return True
