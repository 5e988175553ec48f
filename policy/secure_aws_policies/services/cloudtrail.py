"""CloudTrail: a trail that records management events in every region, encrypted with our key, validated,
delivered to CloudWatch Logs, into a bucket that is not public and logs its own access."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from .. import documents
from ..keys import report_key
from ..props import Deferred, falsy, is_set, items, linked_to, truthy, value
from ..registry import CDK_NAG, CIS, FSBP, Category, resource_policy, stack_policy
from ..types import (
    BUCKET_LOGGING,
    BUCKET_POLICY,
    BUCKET_PUBLIC_ACCESS_BLOCK,
    CLOUDTRAIL,
    S3_BUCKETS,
)
from .s3 import PUBLIC_ACCESS_SETTINGS, logs_inline


@resource_policy(
    name="cloudtrail-encrypted-with-cmk",
    description="CloudTrail trails encrypt their log files with our customer-managed KMS key (SSE-KMS).",
    types=[CLOUDTRAIL],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[FSBP("CloudTrail.2")],
    remediation="Set kms_key_id=<our key ARN> on the trail; the key policy must let cloudtrail.amazonaws.com "
    "GenerateDataKey* with the trail's encryption context.",
)
def cloudtrail_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    # kms_key_id left out: CloudTrail encrypts log files with SSE-S3 (CloudTrail user guide, "Encrypting
    # CloudTrail log files"), not our key.
    report_key(args, report, "kmsKeyId", "trail")


@resource_policy(
    name="cloudtrail-multi-region-management-events",
    description="CloudTrail trails log in every region, include global service events, record read and write "
    "management events of every source, and are logging. Defaults assumed (pulumi-aws 7 TrailEventSelector): "
    "include_management_events true, read_write_type All, no excluded sources; a trail without selectors records "
    "all management events. An event selector that excludes management event sources (kms.amazonaws.com, "
    "rdsdata.amazonaws.com) or an advanced selector that narrows management events (by readOnly, eventSource or "
    "any other field) hides events the CIS metric filters watch, unless another selector records them all.",
    types=[CLOUDTRAIL],
    severity=Severity.HIGH,
    category=Category.LOGGING,
    controls=[FSBP("CloudTrail.1")],
    remediation="Set is_multi_region_trail=True, include_global_service_events=True and enable_logging=True, and "
    "either no event selectors or one with include_management_events=True, read_write_type='All' and no "
    "exclude_management_event_sources (or an advanced selector whose only field is eventCategory equals "
    "['Management']).",
)
def cloudtrail_multi_region_management_events(args: Any, report: Any, config: dict) -> None:
    props = args.props
    # pulumi-aws 7 cloudtrail/trail.py: is_multi_region_trail "Defaults to `false`"; include_global_service_events
    # "Defaults to `true`" (only an explicit false is refused); enable_logging starts logging unless set to false
    # (the provider's schema default is true).
    if not truthy(value(props, "isMultiRegionTrail", False)):
        report(f"trail {args.name} is not multi-region, so activity in other regions goes unrecorded.")
    if falsy(value(props, "includeGlobalServiceEvents")):
        report(f"trail {args.name} leaves out global service events (IAM, STS, CloudFront).")
    if falsy(value(props, "enableLogging")):
        report(f"trail {args.name} has enableLogging=false: it records nothing.")
    # event_selectors and advanced_event_selectors left out: CloudTrail records all management events (its
    # default selector), so only a selector that is present can narrow them.
    selectors = items(value(props, "eventSelectors", []))
    advanced = items(value(props, "advancedEventSelectors", []))
    if selectors and not any(_records_all_management(s) for s in selectors):
        excluded = sorted({str(x) for s in selectors for x in items(value(s, "excludeManagementEventSources", []))})
        detail = f" (excluded sources: {', '.join(excluded)})" if excluded else ""
        report(
            f"trail {args.name}: no event selector records both read and write management events of every "
            f"source{detail}."
        )
    if advanced and not selectors and not any(_advanced_records_management(s) for s in advanced):
        report(
            f"trail {args.name}: no advanced event selector records all management events (one whose only "
            "field is eventCategory equals ['Management']); a readOnly or eventSource filter hides events."
        )


def _records_all_management(selector: Any) -> bool:
    # Defaults per pulumi-aws 7 TrailEventSelector: include_management_events "Defaults to `true`",
    # read_write_type "Default value is `All`"; exclude_management_event_sources is "A set of event sources to
    # exclude" (kms.amazonaws.com, rdsdata.amazonaws.com), none when absent.
    return (
        not falsy(value(selector, "includeManagementEvents"))
        and value(selector, "readWriteType", "All") == "All"
        and not items(value(selector, "excludeManagementEventSources", []))
    )


def _advanced_records_management(selector: Any) -> bool:
    # Advanced selectors AND their field selectors: any field beside eventCategory (readOnly, eventSource
    # NotEquals ...) records only part of the management events.
    # field_selectors, field and equals are required parts of an advanced selector; no default to judge.
    fields = items(value(selector, "fieldSelectors", []))
    if len(fields) != 1 or str(value(fields[0], "field", "")) != "eventCategory":
        return False
    only = fields[0]
    narrowing = ("notEquals", "startsWith", "notStartsWith", "endsWith", "notEndsWith")
    return [str(v) for v in items(value(only, "equals", []))] == ["Management"] and not any(
        items(value(only, key, [])) for key in narrowing
    )


@resource_policy(
    name="cloudtrail-log-file-validation",
    description="CloudTrail trails write digest files, so a changed or deleted log file can be detected.",
    types=[CLOUDTRAIL],
    severity=Severity.LOW,
    category=Category.LOGGING,
    controls=[FSBP("CloudTrail.4"), CDK_NAG("NIST.800.53.R5-CloudTrailLogFileValidationEnabled")],
    remediation="Set enable_log_file_validation=True on the trail.",
)
def cloudtrail_log_file_validation(args: Any, report: Any, config: dict) -> None:
    # enable_log_file_validation "Defaults to `false`" (cloudtrail/trail.py).
    if not truthy(value(args.props, "enableLogFileValidation", False)):
        report(f"trail {args.name} does not validate its log files: tampering would go unnoticed.")


@resource_policy(
    name="cloudtrail-cloudwatch-logs",
    description="CloudTrail trails deliver to a CloudWatch Logs group (with a role to write it), where the CIS "
    "metric filters and alarms watch them.",
    types=[CLOUDTRAIL],
    severity=Severity.LOW,
    category=Category.LOGGING,
    controls=[FSBP("CloudTrail.5"), CDK_NAG("NIST.800.53.R5-CloudTrailCloudWatchLogsEnabled")],
    remediation="Set cloud_watch_logs_group_arn=f'{<log group>.arn}:*' and cloud_watch_logs_role_arn=<a role "
    "CloudTrail may assume that can only CreateLogStream/PutLogEvents on that group>.",
)
def cloudtrail_cloudwatch_logs(args: Any, report: Any, config: dict) -> None:
    # cloud_watch_logs_group_arn left out: no delivery to CloudWatch Logs (no default group).
    for key in ("cloudWatchLogsGroupArn", "cloudWatchLogsRoleArn"):
        if not is_set(args.props, key):
            report(
                f"trail {args.name} sets no {key}, so its events never reach CloudWatch Logs and no alarm can "
                "fire on them."
            )


def _grants_everyone(doc: Any) -> bool:
    """An Allow for everyone that no condition ties to an account, organization or source."""
    return any(
        documents.allows(s) and documents.names_everyone(s) and not documents.narrowed(s)
        for s in documents.statements(doc)
    )


@stack_policy(
    name="cloudtrail-bucket-protected",
    description="The S3 bucket a trail writes to (when it is in this stack) blocks all public access, grants "
    "nothing to everyone in its bucket policy, and has server access logging.",
    types=[CLOUDTRAIL, *sorted(S3_BUCKETS), BUCKET_PUBLIC_ACCESS_BLOCK, BUCKET_POLICY, BUCKET_LOGGING],
    severity=Severity.CRITICAL,
    category=Category.LOGGING,
    controls=[CIS("CloudTrail.6"), CIS("CloudTrail.7")],
    remediation="Give the trail bucket an aws.s3.BucketPublicAccessBlock with all four settings true, a bucket "
    "policy without public Allow statements, and an aws.s3.BucketLogging to the access-log bucket.",
)
def cloudtrail_bucket_protected(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    buckets = {r.urn: r for r in args.resources if r.resource_type in S3_BUCKETS}
    blocks = linked_to(args.resources, BUCKET_PUBLIC_ACCESS_BLOCK, "bucket")
    policies = linked_to(args.resources, BUCKET_POLICY, "bucket")
    loggings = linked_to(args.resources, BUCKET_LOGGING, "bucket")
    for trail in (r for r in args.resources if r.resource_type == CLOUDTRAIL):
        for dependency in trail.property_dependencies.get("s3BucketName", []):
            bucket = buckets.get(dependency.urn)
            if bucket is None:
                continue
            with deferred.guard():
                linked = blocks.get(bucket.urn, [])  # the last applied wins: each must block everything
                if not linked or not all(truthy(value(b.props, k)) for b in linked for k in PUBLIC_ACCESS_SETTINGS):
                    report(
                        f"bucket {bucket.name} holds trail {trail.name}'s logs but does not block all public "
                        "access (a BucketPublicAccessBlock with all four settings true).",
                        bucket.urn,
                    )
                for policy in policies.get(bucket.urn, []):
                    if _grants_everyone(documents.document(policy.props, "policy")):
                        report(
                            f"bucket {bucket.name} holds trail {trail.name}'s logs and its policy "
                            f"{policy.name} allows everyone.",
                            bucket.urn,
                        )
                if not loggings.get(bucket.urn) and not logs_inline(bucket):
                    report(
                        f"bucket {bucket.name} holds trail {trail.name}'s logs but has no server access "
                        "logging, so reads of the audit trail are not recorded.",
                        bucket.urn,
                    )
    deferred.finish()
