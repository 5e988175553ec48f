"""Metadata of the in-transit, monitoring, resilience and IAM policies, as the engine sees it (GetAnalyzerInfo)."""

from __future__ import annotations

from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2


def part_two_policies():
    from secure_aws_policies import iam, monitoring, resilience, transit

    return [p for module in (transit, monitoring, resilience, iam) for p in module.POLICIES]


def test_part_two_policies_are_all_mandatory_and_served_by_the_pack(policy_pack):
    levels = {p.name: p.enforcementLevel for p in policy_pack.info.policies}
    names = [p.name for p in part_two_policies()]
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
