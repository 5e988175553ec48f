"""CodeBuild hardening (issue 13: FSBP CodeBuild.1, .4 and .5). Through the real pack process, both modes: a
credential in any source URL, a project that logs nowhere, a privileged build container are refused; the defaults
left out (CloudWatch Logs ENABLED, privileged_mode false) pass."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, assert_refused_exactly, run_fixture, violations


@pytest.fixture(scope="module")
def hardening(policy_pack) -> Analyses:
    runs = {mode: run_fixture("codebuild_hardening", preview=mode == "preview") for mode in ("preview", "apply")}
    return Analyses(policy_pack, runs)


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (
            "codebuild-source-url-no-credentials",
            {
                "token-in-source": "source.location carries credentials",
                "token-in-secondary-source": "secondary_sources[0].location carries credentials",
            },
        ),
        ("codebuild-project-logging", {"logs-off": "disables CloudWatch Logs and S3 logs"}),
        ("codebuild-no-privileged-mode", {"privileged-build": "privileged_mode is true"}),
    ],
)
def test_each_weakened_project_is_refused_and_the_ok_ones_pass(hardening, mode, policy, expected):
    found = violations(hardening(mode), policy)
    assert_refused_exactly(found, expected)


def test_the_credential_is_never_printed(hardening, mode):
    messages = [m for ms in violations(hardening(mode), "codebuild-source-url-no-credentials").values() for m in ms]
    assert messages
    assert not any("not-a-real-token" in m or "hunter2" in m for m in messages)
