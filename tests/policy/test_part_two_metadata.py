"""Metadata of the in-transit, monitoring, resilience and IAM policies, as the engine sees it (GetAnalyzerInfo)."""

from __future__ import annotations

import pytest
from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2

from tests.policy.conftest import ROOT

CONTROLS_REFERENCE = ROOT.parent / "shared" / "reference" / "controls.md"


def part_two_policies():
    from secure_aws_policies import iam, monitoring, resilience, transit

    return [p for module in (transit, monitoring, resilience, iam) for p in module.POLICIES]


def test_part_two_policies_are_all_mandatory_and_served_by_the_pack(policy_pack):
    levels = {p.name: p.enforcementLevel for p in policy_pack.info.policies}
    names = [p.name for p in part_two_policies()]
    assert len(names) == len(set(names)) >= 40
    assert {levels[name] for name in names} == {analyzer_pb2.MANDATORY}


def test_every_control_named_is_one_the_controls_reference_defines():
    if not CONTROLS_REFERENCE.exists():
        pytest.skip(f"{CONTROLS_REFERENCE} is not beside this clone")
    reference = CONTROLS_REFERENCE.read_text()
    for policy in part_two_policies():
        for control in policy.controls:
            if control.standard == "secure-aws":
                continue
            # controls.md lists cdk-nag's NIST rules by suffix and AwsSolutions-AS1/AS2/AS3 as one row.
            control_id = control.id.removeprefix("NIST.800.53.R5")
            assert control_id in reference or f"/ {control_id.rsplit('-', 1)[-1]} " in reference, (
                f"{policy.name}: {control} is not in controls.md"
            )


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
