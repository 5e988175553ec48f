"""Detective and edge controls: a WAF on every internet-facing ALB, WAF logging, an AWS Config recorder that records
everything and is on, an enabled GuardDuty detector; the account-wide ones pass a stack without them only where the
pack's config says another owner has them. Through the real pack process, both modes. Programs:
tests/policy/programs/detection_compliant and detection_violations (plus the part-one `compliant` program, which
builds none of them)."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, undecided, violations

POLICIES = [
    "waf-protects-internet-facing-alb",
    "waf-web-acl-logging",
    "config-recorder-records-everything-and-is-on",
    "guardduty-detector-enabled",
]
OWNED_ELSEWHERE = {
    "config-recorder-records-everything-and-is-on": {"recorderOwnedElsewhere": True},
    "guardduty-detector-enabled": {"detectorOwnedElsewhere": True},
}


@pytest.fixture(scope="module")
def detection(policy_pack) -> Analyses:
    runs = {
        f"{kind}-{mode}": run_fixture(f"detection_{kind}", preview=mode == "preview")
        for kind in ("compliant", "violations")
        for mode in ("preview", "apply")
    }
    return Analyses(policy_pack, runs)


@pytest.mark.parametrize("policy", POLICIES)
def test_the_compliant_program_violates_no_detection_policy(detection, mode, policy):
    assert violations(detection(f"compliant-{mode}"), policy) == {}


def test_the_compliant_program_is_decided_even_at_preview(detection):
    assert [f for f in undecided(detection("compliant-preview")) if f.policy in POLICIES] == []


def test_every_internet_facing_alb_needs_a_web_acl_whatever_its_spelling(detection, mode):
    found = violations(detection(f"violations-{mode}"), "waf-protects-internet-facing-alb")
    # The association naming another account's load balancer by a literal ARN protects none of them.
    assert {"unprotected-alb", "default-type-alb", "alias-module-alb"} <= set(found)
    assert "has no WAF web ACL" in found["unprotected-alb"][0]


def test_a_web_acl_that_stops_nothing_does_not_count_as_protection(detection, mode):
    found = violations(detection(f"violations-{mode}"), "waf-protects-internet-facing-alb")
    assert set(found) == {"unprotected-alb", "default-type-alb", "alias-module-alb", "empty-acl-alb", "count-only-alb"}
    assert "web ACL logged-acl allows every request" in found["empty-acl-alb"][0]
    assert "web ACL count-only-acl allows every request" in found["count-only-alb"][0]


def test_rules_of_their_own_and_an_organizations_web_acl_protect(detection, mode):
    found = violations(detection(f"compliant-{mode}"), "waf-protects-internet-facing-alb")
    assert "separate-rule-alb" not in found and "org-acl-alb" not in found


def test_internal_and_network_load_balancers_need_no_web_acl(detection, mode):
    found = violations(detection(f"compliant-{mode}"), "waf-protects-internet-facing-alb")
    assert "internal-alb" not in found and "public-nlb" not in found


def test_firewall_manager_ownership_is_said_in_config(detection):
    config = {"waf-protects-internet-facing-alb": {"managedByFirewallManager": True}}
    assert violations(detection("violations-apply", config), "waf-protects-internet-facing-alb") == {}


def test_every_web_acl_logs_its_own_decisions(detection, mode):
    found = violations(detection(f"violations-{mode}"), "waf-web-acl-logging")
    assert "has no logging configuration" in found["unlogged-acl"][0]
    assert "logged-acl" not in found and "count-only-acl" not in found


def test_waf_logs_must_redact_sessions_and_credentials(detection, mode):
    found = violations(detection(f"violations-{mode}"), "waf-web-acl-logging")
    assert "writes the authorization, cookie header(s)" in found["logged-acl-logging"][0]
    assert any("writes the authorization header(s)" in m for m in found["count-only-acl-logging"])


def test_waf_logs_must_go_where_waf_can_write(detection, mode):
    messages = violations(detection(f"violations-{mode}"), "waf-web-acl-logging")["count-only-acl-logging"]
    assert any("misnamed-waf-logs ('/waf/count-only')" in m and "aws-waf-logs-" in m for m in messages)


def test_the_redacted_headers_follow_the_config(detection):
    config = {"waf-web-acl-logging": {"redactedHeaders": ["cookie"]}}
    found = violations(detection("violations-apply", config), "waf-web-acl-logging")
    assert not any("header(s)" in m for m in found.get("count-only-acl-logging", []))
    assert any("writes the cookie header(s)" in m for m in found["logged-acl-logging"])


def test_a_recorder_narrowed_any_way_or_not_on_is_refused(detection, mode):
    found = violations(detection(f"violations-{mode}"), "config-recorder-records-everything-and-is-on")
    narrow = " ".join(found["narrow-recorder"])
    assert "allSupported=false" in narrow
    assert "lists resourceTypes" in narrow
    assert "does not record global resource types" in narrow
    assert "has no delivery channel" in narrow
    assert "is turned off by stopped-recorder-status" in " ".join(found["stopped-recorder-status"])
    statusless = " ".join(found["statusless-recorder"])
    assert "has no aws.cfg.RecorderStatus" in statusless
    assert "does not record global resource types" in statusless  # the default records none


def test_a_suspended_detector_is_refused(detection, mode):
    found = violations(detection(f"violations-{mode}"), "guardduty-detector-enabled")
    assert set(found) == {"suspended-detector"}
    assert "is suspended" in found["suspended-detector"][0]


def test_a_stack_without_recorder_or_detector_fails_unless_config_says_another_owner_has_them(analyze, mode):
    findings = analyze(f"compliant-{mode}")
    for policy in OWNED_ELSEWHERE:
        found = violations(findings, policy)
        assert list(found) == [""], policy  # stack-wide: no resource to point at
        assert "another owner" in found[""][0] or "the organization" in found[""][0]
    owned = analyze(f"compliant-{mode}", OWNED_ELSEWHERE)
    for policy in OWNED_ELSEWHERE:
        assert violations(owned, policy) == {}, policy


def test_saying_another_owner_has_them_does_not_excuse_a_weak_one_in_the_stack(detection):
    findings = detection("violations-apply", OWNED_ELSEWHERE)
    assert "narrow-recorder" in violations(findings, "config-recorder-records-everything-and-is-on")
    assert "suspended-detector" in violations(findings, "guardduty-detector-enabled")
