"""Metadata of the in-transit, monitoring, resilience and IAM policies, as the engine sees it (GetAnalyzerInfo)."""

from __future__ import annotations

from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2

# The in-transit, monitoring, resilience and IAM policies (issue "policy pack, part 2"), by name.
PART_TWO_POLICIES = (
    "alb-http-listener-redirects-to-https",
    "alb-http-listener-rules-redirect-to-https",
    "lb-listener-secure-protocol",
    "lb-listener-tls-policy",
    "s3-bucket-denies-insecure-transport",
    "sns-topic-denies-insecure-transport",
    "rds-postgres-forces-ssl",
    "cloudtrail-multi-region-management-events",
    "cloudtrail-log-file-validation",
    "cloudtrail-cloudwatch-logs",
    "cloudtrail-bucket-protected",
    "vpc-flow-logs-enabled",
    "lb-access-logging",
    "alb-drops-invalid-headers",
    "lb-desync-mitigation",
    "s3-bucket-access-logging",
    "log-group-retention",
    "alarm-has-action",
    "rds-logs-exported",
    "rds-enhanced-monitoring",
    "cis-monitoring-metric-filters",
    "rds-multi-az",
    "rds-backup-retention",
    "rds-deletion-protection",
    "rds-copy-tags-to-snapshots",
    "rds-auto-minor-version-upgrade",
    "rds-iam-authentication",
    "rds-master-password-managed",
    "rds-non-default-port",
    "s3-bucket-versioning",
    "s3-bucket-public-access-blocked",
    "s3-bucket-ownership-enforced",
    "s3-bucket-lifecycle",
    "autoscaling-group-multi-az",
    "autoscaling-group-elb-health-check",
    "imdsv2-required",
    "lb-deletion-protection",
    "iam-no-admin-wildcard",
    "iam-no-service-wildcard",
    "iam-no-decrypt-on-all-keys",
    "iam-no-user-policies",
    "iam-trust-policy-names-principal",
    "resource-policy-not-public",
)


def test_part_two_policies_are_all_mandatory_and_served_by_the_pack(policy_pack):
    levels = {p.name: p.enforcementLevel for p in policy_pack.info.policies}
    names = list(PART_TWO_POLICIES)
    assert len(names) == len(set(names)) >= 40
    assert {levels[name] for name in names} == {analyzer_pb2.MANDATORY}


def test_config_defaults_are_the_production_requirements(policy_pack):
    schemas = {p.name: json_format.MessageToDict(p.configSchema.properties) for p in policy_pack.info.policies}

    def default(policy, key):
        return schemas[policy][key]["default"]

    assert default("log-group-retention", "minRetentionDays") == 365
    assert default("rds-backup-retention", "minBackupRetentionDays") == 7
    assert default("rds-enhanced-monitoring", "maxMonitoringIntervalSeconds") == 60
    assert default("autoscaling-group-multi-az", "minAvailabilityZones") == 2
    assert default("rds-logs-exported", "requiredLogExports")["postgres"] == ["postgresql", "upgrade"]
    assert default("cis-monitoring-metric-filters", "recommendations") == [f"4.{n}" for n in range(1, 16)]
    assert "ELBSecurityPolicy-TLS13-1-2-Res-2021-06" in default("lb-listener-tls-policy", "allowedSslPolicies")
    assert not [p for p in default("lb-listener-tls-policy", "allowedSslPolicies") if "TLS13" not in p]
