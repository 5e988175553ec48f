"""The trail is logging, and none of its three deliveries (S3 log files, CloudWatch Logs, digests) reports an error.

CloudTrail records a delivery failure in GetTrailStatus and keeps trying: nothing else tells anyone that the
audit record stopped reaching its bucket or log group (the CIS alarms then see nothing either).
"""

from __future__ import annotations

from verify.context import Context
from verify.results import CheckResult, failed, passed

CHECK = "trail"

# (GetTrailStatus field, what failed, the fix). The usual causes: a bucket or key policy that no longer lets
# CloudTrail write, a log-group role it cannot assume or use.
DELIVERY_ERRORS = (
    (
        "LatestDeliveryError",
        "log file delivery to S3",
        "the trail bucket's policy must let cloudtrail.amazonaws.com s3:PutObject (with this trail's "
        "aws:SourceArn) and the stack's KMS key policy must let CloudTrail kms:GenerateDataKey*; `pulumi up` "
        "restores both if they were changed",
    ),
    (
        "LatestCloudWatchLogsDeliveryError",
        "delivery to CloudWatch Logs",
        "the trail's CloudWatch Logs role must trust cloudtrail.amazonaws.com and allow logs:CreateLogStream "
        "and logs:PutLogEvents on the trail's log group, whose KMS key must let CloudWatch Logs use it",
    ),
    (
        "LatestDigestDeliveryError",
        "digest file delivery to S3 (log file validation)",
        "the same bucket and key permissions as log files: digests go under AWSLogs/<account>/CloudTrail-Digest/",
    ),
)


def check_trail(context: Context) -> list[CheckResult]:
    trail_arn = context.outputs.require("trailArn")
    status = context.client("cloudtrail").get_trail_status(Name=trail_arn)
    results = []
    if not status.get("IsLogging"):
        results.append(
            failed(
                CHECK,
                f"trail {trail_arn} is not logging: nothing is being recorded",
                f"aws cloudtrail start-logging --name {trail_arn}; then find who stopped it (a StopLogging event)",
            )
        )
    for field, what, fix in DELIVERY_ERRORS:
        error = status.get(field)
        if error:
            results.append(failed(CHECK, f"trail {trail_arn}: {what} fails: {error}", fix))
    return results or [
        passed(CHECK, f"trail {trail_arn} is logging; S3, CloudWatch Logs and digest delivery report no errors")
    ]
