"""CloudTrail: at least one multi-region trail is logging, and every trail validates its log files.

A trail whose status cannot be read is an audit-error finding of its own; it never stands in for a logging trail.

DescribeTrails with shadow trails included returns every trail that records this region (its own, and the
multi-region and organization trails homed elsewhere) in one response: the API has no pagination.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from auditor.findings import CheckResult, resource_unreadable

CHECK = "cloudtrail"
MULTI_REGION_LOGGING = "cloudtrail-multi-region-logging"
LOG_FILE_VALIDATION = "cloudtrail-log-file-validation"
RULES = (MULTI_REGION_LOGGING, LOG_FILE_VALIDATION)


def trails_without_validation(trails: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The trails (DescribeTrails items) that do not validate their log files. Pure."""
    return [trail for trail in trails if not trail.get("LogFileValidationEnabled")]


def multi_region_trails(trails: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [trail for trail in trails if trail.get("IsMultiRegionTrail")]


def check_cloudtrail(cloudtrail: Any, region: str) -> CheckResult:
    result = CheckResult()
    trails = cloudtrail.describe_trails(includeShadowTrails=True)["trailList"]
    result.count(*RULES, resources=len(trails))

    for trail in trails_without_validation(trails):
        result.add(LOG_FILE_VALIDATION, trail["TrailARN"], f"trail {trail['Name']} does not validate its log files")

    # Each trail's status is read on its own: one that cannot be read (an organization trail whose owner denies
    # GetTrailStatus, a trail deleted since it was listed) is reported and the others still count.
    logging_trails: list[dict[str, Any]] = []
    stopped: list[dict[str, Any]] = []
    unreadable: list[str] = []
    for trail in multi_region_trails(trails):
        try:
            # A shadow trail's status is only reachable through its ARN.
            is_logging = cloudtrail.get_trail_status(Name=trail["TrailARN"]).get("IsLogging")
        except (ClientError, BotoCoreError) as error:
            result.findings.append(resource_unreadable(CHECK, trail["TrailARN"], error))
            unreadable.append(f"{trail['Name']} (status unreadable)")
            continue
        (logging_trails if is_logging else stopped).append(trail)
    if not logging_trails:
        described = [f"{t['Name']} (not logging)" for t in stopped] + unreadable
        result.add(
            MULTI_REGION_LOGGING,
            f"cloudtrail:{region}",
            f"no multi-region trail is logging in {region}; multi-region trails: {', '.join(described) or 'none'}",
        )
    return result
