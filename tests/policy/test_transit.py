"""Encryption in transit: HTTP only redirects, HTTPS/TLS listeners use an allowed TLS policy, buckets and topics
refuse plain HTTP in their policies, PostgreSQL forces SSL. Through the real pack process, both modes."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, undecided, violations

POLICIES = [
    "alb-http-listener-redirects-to-https",
    "alb-http-listener-rules-redirect-to-https",
    "lb-listener-secure-protocol",
    "lb-listener-tls-policy",
    "s3-bucket-denies-insecure-transport",
    "sns-topic-denies-insecure-transport",
    "rds-postgres-forces-ssl",
]
# The compliant program's port-80 listener only redirects: ELB.18 still flags it, so it is exempted with a reason.
REDIRECT_EXEMPTED = {
    "lb-listener-secure-protocol": {
        "exemptions": [
            {
                "type": "aws:lb/listener:Listener",
                "name": "http-redirect",
                "reason": "Port 80 only answers with a 301 redirect to HTTPS.",
            }
        ]
    }
}


@pytest.fixture(scope="module")
def transit(policy_pack) -> Analyses:
    runs = {
        f"{kind}-{mode}": run_fixture(f"transit_{kind}", preview=mode == "preview")
        for kind in ("compliant", "violations")
        for mode in ("preview", "apply")
    }
    return Analyses(policy_pack, runs)


@pytest.mark.parametrize("policy", POLICIES)
def test_the_compliant_program_violates_no_transit_policy(transit, mode, policy):
    assert violations(transit(f"compliant-{mode}", REDIRECT_EXEMPTED), policy) == {}


def test_a_redirect_only_http_listener_still_fails_elb18_until_exempted(transit, mode):
    found = violations(transit(f"compliant-{mode}"), "lb-listener-secure-protocol")
    assert found == {"http-redirect": ["listener http-redirect accepts HTTP, which is not encrypted in transit."]}


def test_plain_http_listeners_must_redirect_to_https(transit, mode):
    found = violations(transit(f"violations-{mode}"), "alb-http-listener-redirects-to-https")
    assert set(found) == {"http-forwarding-listener", "http-redirect-same-protocol-listener"}
    assert "defaultActions[0] is 'forward' on plain HTTP" in found["http-forwarding-listener"][0]
    assert "redirects to #{protocol}, not HTTPS" in found["http-redirect-same-protocol-listener"][0]


def test_rules_on_a_plain_http_listener_must_redirect_to_https_too(transit, mode):
    """Joined to their listener through property dependencies: rules on the HTTPS listener may forward."""
    found = violations(transit(f"violations-{mode}"), "alb-http-listener-rules-redirect-to-https")
    assert found == {
        "http-forwarding-rule": [
            "rule http-forwarding-rule of HTTP listener http-redirect-listener: actions[0] is 'forward' on plain HTTP, "
            "so requests are answered unencrypted; use a redirect to HTTPS."
        ]
    }


def test_listeners_must_accept_only_encrypted_protocols(transit, mode):
    found = violations(transit(f"violations-{mode}"), "lb-listener-secure-protocol")
    assert set(found) == {"http-forwarding-listener", "http-redirect-same-protocol-listener", "http-redirect-listener"}


def test_https_listeners_need_an_elb17_tls_policy(transit, mode):
    found = violations(transit(f"violations-{mode}"), "lb-listener-tls-policy")
    assert set(found) == {"old-tls-listener", "default-tls-listener"}
    assert "uses ELBSecurityPolicy-TLS-1-2-2017-01, which is not an allowed" in found["old-tls-listener"][0]
    assert "AWS applies ELBSecurityPolicy-2016-08" in found["default-tls-listener"][0]


def test_allowed_tls_policies_are_configurable(transit):
    config = {"lb-listener-tls-policy": {"allowedSslPolicies": ["ELBSecurityPolicy-TLS-1-2-2017-01"]}}
    assert set(violations(transit("violations-apply", config), "lb-listener-tls-policy")) == {"default-tls-listener"}
    compliant = violations(transit("compliant-apply", config), "lb-listener-tls-policy")
    assert set(compliant) == {"https"}


def test_every_bucket_needs_a_policy_denying_plain_http_on_bucket_and_objects(transit, mode):
    found = violations(transit(f"violations-{mode}"), "s3-bucket-denies-insecure-transport")
    assert set(found) == {"policyless-bucket", "objects-only-bucket"}
    assert found["policyless-bucket"][0].endswith("and it has no policy.")
    assert "no statement of its inline policy does" in found["objects-only-bucket"][0]


def test_a_bucket_policy_unknown_at_preview_is_undecided_then_judged_at_apply(transit):
    """data-bucket's policy embeds the bucket ARN: unknown at a first preview, compliant once known."""
    notes = [f for f in undecided(transit("compliant-preview")) if f.policy == "s3-bucket-denies-insecure-transport"]
    assert len(notes) == 1 and notes[0].enforcement_level == "advisory"
    assert [f for f in undecided(transit("compliant-apply")) if f.policy in POLICIES] == []


def test_every_topic_needs_a_policy_denying_plain_http_publishing(transit, mode):
    found = violations(transit(f"violations-{mode}"), "sns-topic-denies-insecure-transport")
    assert set(found) == {"policyless-topic", "allow-only-topic"}


def test_postgres_parameter_groups_and_instances_must_force_ssl(transit, mode):
    found = violations(transit(f"violations-{mode}"), "rds-postgres-forces-ssl")
    assert set(found) == {"lax-params", "lax-params-db", "old-default-params-db"}
    assert "does not set rds.force_ssl=1" in found["lax-params"][0]
    assert "defaults force it only from PostgreSQL 15" in found["old-default-params-db"][0]
