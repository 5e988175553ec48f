"""Logging and monitoring: flow logs, CloudTrail, its bucket, load balancer and S3 access logs, log retention,
alarms with actions, RDS logs and enhanced monitoring, and the CIS metric filter stack rule. Through the real pack
process, both modes."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, undecided, violations

POLICIES = [
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
]
ALL_CIS_ITEMS = {f"4.{n}" for n in range(1, 16)}


@pytest.fixture(scope="module")
def monitoring(policy_pack) -> Analyses:
    runs = {
        f"{kind}-{mode}": run_fixture(f"monitoring_{kind}", preview=mode == "preview")
        for kind in ("compliant", "violations")
        for mode in ("preview", "apply")
    }
    return Analyses(policy_pack, runs)


@pytest.mark.parametrize("policy", POLICIES)
def test_the_compliant_program_violates_no_monitoring_policy(monitoring, mode, policy):
    assert violations(monitoring(f"compliant-{mode}"), policy) == {}


def test_the_trail_bucket_policy_unknown_at_preview_is_undecided_once_then_judged(monitoring):
    notes = [f for f in undecided(monitoring("compliant-preview")) if f.policy in POLICIES]
    assert [f.policy for f in notes] == ["cloudtrail-bucket-protected"]
    assert [f for f in undecided(monitoring("compliant-apply")) if f.policy in POLICIES] == []


def test_every_vpc_has_a_flow_log_recording_rejected_traffic(monitoring, mode):
    found = violations(monitoring(f"violations-{mode}"), "vpc-flow-logs-enabled")
    assert set(found) == {"unlogged-vpc", "accept-only-vpc"}
    assert "its flow logs record only ACCEPT traffic" in found["accept-only-vpc"][0]


def test_trails_are_multi_region_with_global_and_all_management_events(monitoring, mode):
    [messages] = violations(monitoring(f"violations-{mode}"), "cloudtrail-multi-region-management-events").values()
    assert any("is not multi-region" in m for m in messages)
    assert any("leaves out global service events" in m for m in messages)
    assert any("no event selector records both read and write" in m for m in messages)


def test_trails_validate_log_files_and_deliver_to_cloudwatch_logs(monitoring, mode):
    findings = monitoring(f"violations-{mode}")
    assert set(violations(findings, "cloudtrail-log-file-validation")) == {"weak-trail"}
    assert len(violations(findings, "cloudtrail-cloudwatch-logs")["weak-trail"]) == 2  # group and role


def test_the_trail_bucket_blocks_public_access_grants_nothing_public_and_is_access_logged(monitoring, mode):
    found = violations(monitoring(f"violations-{mode}"), "cloudtrail-bucket-protected")
    assert set(found) == {"weak-trail-bucket"}
    messages = " ".join(found["weak-trail-bucket"])
    assert "does not block all public access" in messages
    assert "its policy weak-trail-bucket-policy allows everyone" in messages
    assert "has no server access logging" in messages


def test_load_balancers_log_access_drop_invalid_headers_and_mitigate_desync(monitoring, mode):
    findings = monitoring(f"violations-{mode}")
    for policy in ("lb-access-logging", "alb-drops-invalid-headers", "lb-desync-mitigation"):
        assert set(violations(findings, policy)) == {"unlogged-alb"}, policy
    assert "mode 'monitor'" in violations(findings, "lb-desync-mitigation")["unlogged-alb"][0]


def test_every_bucket_but_a_log_bucket_has_server_access_logging(monitoring, mode):
    """The compliant log bucket receives the others' and the ALB's logs: it is exempt by its role, not by name."""
    found = violations(monitoring(f"violations-{mode}"), "s3-bucket-access-logging")
    assert set(found) == {"weak-trail-bucket", "unlogged-bucket"}


def test_log_groups_keep_a_year_by_default_and_the_minimum_is_configurable(monitoring):
    found = violations(monitoring("violations-apply"), "log-group-retention")
    assert found == {"short-log-group": ["log group short-log-group keeps events 30 days; at least 365 are required."]}
    relaxed = {"log-group-retention": {"minRetentionDays": 30}}
    assert violations(monitoring("violations-apply", relaxed), "log-group-retention") == {}


def test_every_alarm_has_an_enabled_action(monitoring, mode):
    found = violations(monitoring(f"violations-{mode}"), "alarm-has-action")
    assert set(found) == {"silent-alarm", "disabled-alarm"}
    assert "actionsEnabled=false" in found["disabled-alarm"][0]


def test_rds_exports_its_engines_logs_and_has_enhanced_monitoring(monitoring, mode):
    findings = monitoring(f"violations-{mode}")
    logs = violations(findings, "rds-logs-exported")
    assert logs["quiet-db"] == ["database quiet-db does not export upgrade logs to CloudWatch Logs."]
    assert "audit, general, slowquery" in logs["roleless-monitoring-db"][0]
    monitoring_found = violations(findings, "rds-enhanced-monitoring")
    assert "no enhanced monitoring" in monitoring_found["quiet-db"][0]
    assert "no monitoringRoleArn" in monitoring_found["roleless-monitoring-db"][0]


def cis_items(messages: list[str]) -> set[str]:
    return {m.split(" pattern")[0].rsplit(" ", 1)[-1] for m in messages if "has the CIS" in m}


def test_each_cis_item_needs_a_filter_with_its_published_pattern_on_the_trail_log_group(monitoring, mode):
    """4.5's filter misses StopLogging and 4.6's watches another log group: both count as missing; 4.3's
    pattern is right but its alarm has no action. The compliant program's reordered, requoted 4.7 passes."""
    found = violations(monitoring(f"violations-{mode}"), "cis-monitoring-metric-filters")
    assert set(found) == {"cis-trail", "root-usage-filter"}
    assert cis_items(found["cis-trail"]) == ALL_CIS_ITEMS - {"4.3"}
    assert found["root-usage-filter"] == [
        "CIS 4.3 (root account usage): no alarm with an action watches the metric of filter root-usage-filter."
    ]


def test_the_required_cis_items_are_configurable(monitoring):
    config = {"cis-monitoring-metric-filters": {"recommendations": ["4.3"]}}
    found = violations(monitoring("violations-apply", config), "cis-monitoring-metric-filters")
    assert set(found) == {"root-usage-filter"}


def test_the_pattern_comparison_ignores_spacing_quotes_and_order_but_not_terms_or_operators():
    from secure_aws_policies.cis_patterns import CIS_PATTERNS, cis_item_of

    assert all(cis_item_of(p) == item for item, (_, patterns) in CIS_PATTERNS.items() for p in patterns)
    assert (
        cis_item_of(
            '{ $.eventSource = "kms.amazonaws.com" && ($.eventName="ScheduleKeyDeletion" || $.eventName=DisableKey) }'
        )
        == "4.7"
    )
    assert (
        cis_item_of(
            "{($.eventSource=kms.amazonaws.com) || (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}"
        )
        is None
    )
    assert cis_item_of("{($.eventSource=kms.amazonaws.com) && ($.eventName=DisableKey)}") is None
    assert cis_item_of("not a pattern") is None


def test_the_required_log_exports_and_the_longest_monitoring_interval_are_configurable(monitoring):
    config = {
        "rds-logs-exported": {"requiredLogExports": {"postgres": ["postgresql"], "mysql": ["error"]}},
        "rds-enhanced-monitoring": {"maxMonitoringIntervalSeconds": 15},
    }
    assert violations(monitoring("violations-apply", config), "rds-logs-exported") == {}
    found = violations(monitoring("compliant-apply", config), "rds-enhanced-monitoring")
    assert found == {"db": ["database db samples OS metrics every 60 s; at most 15 s is allowed."]}
