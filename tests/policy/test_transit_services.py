"""Encryption in transit for services a team adds (issue 13): CloudFront on both legs, classic load balancer
listeners, SNS subscriptions, API Gateway custom domains, and the AWS provider's own TLS verification. Through the
real pack process, both modes; a default left out is judged as AWS applies it."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, assert_refused_exactly, run_fixture, violations


@pytest.fixture(scope="module")
def transit(policy_pack) -> Analyses:
    runs = {mode: run_fixture("transit_services", preview=mode == "preview") for mode in ("preview", "apply")}
    return Analyses(policy_pack, runs)


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (
            "cloudfront-distribution-encrypted-in-transit",
            {
                "cdn-allow-all": "default_cache_behavior has viewer_protocol_policy allow-all",
                "cdn-http-api-path": "ordered_cache_behaviors[0] (/api/*) has viewer_protocol_policy allow-all",
                "cdn-default-certificate": "CloudFront default certificate",
                "cdn-minimum-left-out": "left out (the default is TLSv1)",
                "cdn-plain-origin": "origin_protocol_policy match-viewer",
            },
        ),
        ("lb-classic-listeners-encrypted", {"classic-http": "listeners[0] accepts HTTP"}),
        ("sns-subscription-https-only", {"http-subscription": "plain HTTP"}),
        (
            "apigateway-domain-tls-1-2",
            {
                "domain-tls-1-0": "security_policy is TLS_1_0",
                "domain-policy-left-out": "left out",
                "domain-enhanced-tls-1-0": "SecurityPolicy_TLS13_1_0_2025_09, not a TLS 1.2 minimum",
            },
        ),
        (
            "apigateway-rest-api-tls-1-2",
            {
                "api-policy-left-out": "its EDGE execute-api endpoint accepts TLS 1.0",
                "api-regional-left-out": "its REGIONAL execute-api endpoint accepts TLS 1.0",
                "api-tls-1-0": "security_policy is TLS_1_0",
            },
        ),
        ("aws-provider-verifies-tls", {"insecure-provider": "insecure=true"}),
    ],
)
def test_each_weakened_service_is_refused_and_the_ok_one_passes(transit, mode, policy, expected):
    found = violations(transit(mode), policy)
    assert_refused_exactly(found, expected)


def test_a_weak_protocol_to_the_origin_is_refused_beside_a_strong_one(transit, mode):
    found = violations(transit(mode), "cloudfront-distribution-encrypted-in-transit")
    assert any("allows TLSv1 to the origin" in m for m in found["cdn-plain-origin"])
