"""Facts stated on purpose in more than one place, held equal.

The policy pack must judge the program independently, so it never imports the program (components/, settings.py),
and the compliance auditor Lambda ships alone; where they need the same fact, each keeps its own copy. Each test
here imports both sides and asserts the copies agree, so changing one without the other fails. (The pack's
exemption log line and the runner's parser of it are held together in tests/policy/test_exemptions.py.)

The pack's side is its effective setting for this project: the policy's config default, overlaid by
policy/config.json where that sets it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

import settings
from components import cis_alarms, database, detection, waf, web
from preflight.record import ProgramError, run_program
from tests.policy.conftest import run_fixture, violations

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT / "policy", ROOT / "lambda" / "compliance_auditor"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from secure_aws_policies import ALL_POLICIES, net  # noqa: E402
from secure_aws_policies.cis_patterns import CIS_PATTERNS  # noqa: E402
from secure_aws_policies.services import elb, s3  # noqa: E402
from secure_aws_policies.services import waf as waf_policies  # noqa: E402

from auditor import s3_buckets, security_groups  # noqa: E402 (the Lambda's modules sit at its package root)

ISSUE_14_TLS_POLICY = "ELBSecurityPolicy-FS-1-2-Res-2020-10"  # settings accepted it, the pack refused it


@pytest.fixture(params=["preview", "apply"])
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


def pack_setting(policy_name: str, key: str) -> Any:
    """What the pack uses for this project: the policy's config default, or policy/config.json's value."""
    [policy] = [p for p in ALL_POLICIES if p.name == policy_name]
    shipped = json.loads((ROOT / "policy" / "config.json").read_text()).get(policy_name)
    if isinstance(shipped, dict) and key in shipped:
        return shipped[key]
    return policy.config_schema.properties[key]["default"]


# TLS policies (settings.py <-> pack lb-listener-tls-policy) ####################################################


def test_the_program_accepts_exactly_the_tls_policies_the_pack_accepts():
    accepted_by_pack = pack_setting("lb-listener-tls-policy", "allowedSslPolicies")
    assert sorted(settings.ALLOWED_TLS_POLICIES) == sorted(accepted_by_pack) == sorted(elb.ELB17_TLS_POLICIES)
    assert len(set(settings.ALLOWED_TLS_POLICIES)) == len(settings.ALLOWED_TLS_POLICIES)
    # The web tier checks its own args against the same list (conventions.py, which settings.py re-exports).
    assert sorted(web.ALLOWED_TLS_POLICIES) == sorted(accepted_by_pack)


def test_the_post_quantum_tls_policies_are_accepted_and_the_tls12_only_one_is_not():
    assert {p for p in settings.ALLOWED_TLS_POLICIES if "-PQ-" in p} == {
        "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
    }
    assert ISSUE_14_TLS_POLICY not in settings.ALLOWED_TLS_POLICIES


def test_settings_refuses_the_tls_policy_the_pack_refuses_before_any_resource_is_registered():
    with pytest.raises(ProgramError, match="tlsPolicy") as raised:
        run_program(ROOT, "prod", preview=True, config_overrides={"tlsPolicy": ISSUE_14_TLS_POLICY})
    assert ISSUE_14_TLS_POLICY in str(raised.value)
    assert raised.value.recording.resources == []


def test_every_tls_policy_the_settings_accept_passes_the_real_pack(policy_pack, mode):
    """One HTTPS listener per accepted policy, plus the issue's TLS 1.2-only one, through the pack process."""
    names = [*settings.ALLOWED_TLS_POLICIES, ISSUE_14_TLS_POLICY]
    recording = run_fixture("tls_policies", preview=mode == "preview", tlsPolicies=json.dumps(names))
    assert len(recording.of_type("aws:lb/listener:Listener")) == len(names)
    assert set(violations(policy_pack.analyze(recording), "lb-listener-tls-policy")) == {ISSUE_14_TLS_POLICY}


# CIS monitoring patterns (components/cis_alarms.py <-> pack cis_patterns.py) ####################################


def test_the_program_builds_a_filter_for_every_cis_item_the_pack_requires():
    required = pack_setting("cis-monitoring-metric-filters", "recommendations")
    assert sorted(c.cis_id for c in cis_alarms.CIS_MONITORING_CONTROLS) == sorted(CIS_PATTERNS) == sorted(required)


@pytest.mark.parametrize("control", cis_alarms.CIS_MONITORING_CONTROLS, ids=lambda c: c.cis_id)
def test_each_program_pattern_is_one_the_pack_publishes_for_that_item_character_for_character(control):
    title, published = CIS_PATTERNS[control.cis_id]
    assert control.pattern in published, f"CIS {control.cis_id} ({title}): the two copies of the pattern differ"


# Tags, region and retention (settings.py <-> pack config) ######################################################


def test_the_production_environment_tag_is_the_one_the_pack_requires():
    assert pack_setting("required-tags", "requiredTags") == {"Environment": settings.PRODUCTION_ENVIRONMENT}


def test_the_region_settings_require_is_the_only_one_the_pack_allows():
    assert pack_setting("aws-region-allowed", "allowedRegions") == [settings.REQUIRED_REGION]


def test_log_and_backup_retention_minimums_agree():
    assert pack_setting("log-group-retention", "minRetentionDays") == settings.MIN_PRODUCTION_LOG_RETENTION_DAYS
    assert pack_setting("rds-backup-retention", "minBackupRetentionDays") == settings.MIN_BACKUP_RETENTION_DAYS


def test_the_database_exports_the_log_types_the_pack_requires_of_its_engine():
    required = pack_setting("rds-logs-exported", "requiredLogExports")[database.ENGINE]
    assert sorted(database.LOG_EXPORTS) == sorted(required)


# Ports and S3 settings (pack <-> compliance auditor Lambda <-> web tier) #######################################


def test_admin_ports_agree_across_pack_auditor_and_web_tier():
    for policy in ("security-group-admin-ports-restricted", "network-acl-admin-ports-closed-to-world"):
        assert sorted(pack_setting(policy, "adminPorts")) == sorted(security_groups.ADMIN_PORTS), policy
    assert web.SSH_PORT in security_groups.ADMIN_PORTS


def test_world_open_ports_agree_across_pack_auditor_and_web_tier():
    world_open = pack_setting("security-group-world-ingress-restricted", "worldOpenPorts")
    assert sorted(world_open) == sorted(security_groups.WEB_PORTS) == sorted({web.HTTP_PORT, web.HTTPS_PORT})


def test_protocol_numbers_are_named_alike_by_pack_and_auditor():
    assert net.PROTOCOL_NAMES.items() <= security_groups._PROTOCOL_NAMES.items()


def test_the_four_public_access_block_settings_agree_between_pack_and_auditor():
    assert sorted(k.lower() for k in s3.PUBLIC_ACCESS_SETTINGS) == sorted(
        k.lower() for k in s3_buckets.PUBLIC_ACCESS_BLOCK_SETTINGS
    )


# WAF logging (web tier's firewall <-> pack waf-web-acl-logging) ################################################


def test_the_web_acl_redacts_exactly_the_headers_the_pack_requires():
    required = pack_setting("waf-web-acl-logging", "redactedHeaders")
    assert sorted(waf.REDACTED_HEADERS) == sorted(required) == sorted(waf_policies.DEFAULT_REDACTED_HEADERS)


def test_the_waf_log_group_prefix_is_the_one_the_pack_knows_waf_requires():
    assert waf.LOG_GROUP_NAME_PREFIX == waf_policies.LOG_DESTINATION_PREFIX == "aws-waf-logs-"


# Config rules (detection tier <-> pack) ########################################################################


def test_every_config_rule_mirrors_a_policy_the_pack_has():
    mirrored = {rule.mirrors for rule in detection.MANAGED_RULES + detection.BASELINE_RULES if rule.mirrors}
    assert mirrored <= {policy.name for policy in ALL_POLICIES}
