"""How urgent each rule's findings are, so the mail lists what an attacker can use right now first.

Critical, in this order: a database reachable from the internet, no trail recording what happens, SSH or RDP open
beyond the allowed ranges. High: other ports open to the world, a bucket that can be made public, and a check
that could not run (it may hide any of the above). Medium: encryption, log validation and key rotation drift.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor import cloudtrail, kms_keys, rds_instances, s3_buckets, security_groups
from auditor.findings import AUDIT_ERROR, Finding

CRITICAL, HIGH, MEDIUM = "critical", "high", "medium"
# A rule missing from the table (a check added without ranking it) is listed last, never dropped.
UNRANKED = "unranked"

SEVERITIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (CRITICAL, (rds_instances.PUBLIC_ACCESS, cloudtrail.MULTI_REGION_LOGGING, security_groups.ADMIN_INGRESS)),
    (HIGH, (security_groups.WORLD_INGRESS, s3_buckets.PUBLIC_ACCESS_BLOCK, AUDIT_ERROR)),
    (
        MEDIUM,
        (
            s3_buckets.DEFAULT_ENCRYPTION,
            rds_instances.STORAGE_ENCRYPTION,
            cloudtrail.LOG_FILE_VALIDATION,
            kms_keys.ROTATION,
        ),
    ),
)
_RANKS = {rule: rank for rank, rule in enumerate(rule for _, rules in SEVERITIES for rule in rules)}
_SEVERITY = {rule: severity for severity, rules in SEVERITIES for rule in rules}


def severity_of(rule: str) -> str:
    return _SEVERITY.get(rule, UNRANKED)


def by_severity(findings: Iterable[Finding]) -> list[Finding]:
    """The findings most urgent rule first; within one rule, in the order the checks found them. Pure."""
    return sorted(findings, key=lambda finding: _RANKS.get(finding["rule"], len(_RANKS)))
