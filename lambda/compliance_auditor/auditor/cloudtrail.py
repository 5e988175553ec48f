"""CloudTrail: at least one multi-region trail is logging, and every trail validates its log files.

DescribeTrails with shadow trails included returns every trail that records this region (its own, and the
multi-region and organization trails homed elsewhere) in one response: the API has no pagination.
"""

from __future__ import annotations

from typing import Any

from auditor.findings import CheckResult

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

    candidates = multi_region_trails(trails)
    # A shadow trail's status is only reachable through its ARN.
    logging_trails = [t for t in candidates if cloudtrail.get_trail_status(Name=t["TrailARN"]).get("IsLogging")]
    if not logging_trails:
        stopped = ", ".join(f"{t['Name']} (not logging)" for t in candidates) or "none"
        result.add(
            MULTI_REGION_LOGGING,
            f"cloudtrail:{region}",
            f"no multi-region trail is logging in {region}; multi-region trails: {stopped}",
        )
    return result
