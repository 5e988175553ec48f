"""API Gateway stage access logs, IAM access keys and principals with a wildcard inside an ARN (issue 13). Through the
real pack process, both modes."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, assert_refused_exactly, run_fixture, violations


@pytest.fixture(scope="module")
def stage_logs_keys(policy_pack) -> Analyses:
    runs = {mode: run_fixture("stage_logs_keys", preview=mode == "preview") for mode in ("preview", "apply")}
    return Analyses(policy_pack, runs)


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (
            "apigateway-stage-access-logging",
            {
                "http-stage-no-logs": "writes no access logs",
                "rest-stage-no-logs": "writes no access logs",
                "quick-create-api": "$default stage writes no access logs",
            },
        ),
        ("iam-no-access-keys", {"ci-access-key": "long-lived credential"}),
        (
            "resource-policy-not-public",
            {"key-any-account-root": "everyone", "key-any-account-role": "everyone"},
        ),
    ],
)
def test_each_weakened_resource_is_refused_and_the_ok_ones_pass(stage_logs_keys, mode, policy, expected):
    found = violations(stage_logs_keys(mode), policy)
    assert_refused_exactly(found, expected)
