"""CodeBuild artifacts, S3 logs and report group exports encrypted with our key (issue 13, at rest). Through the real
pack process, both modes: each output that can be switched to plaintext is refused, a report group that does not
export passes."""

from __future__ import annotations

from tests.policy.conftest import assert_refused_exactly, run_fixture, violations


def test_each_unencrypted_output_is_refused_and_the_ok_ones_pass(policy_pack, mode):
    findings = policy_pack.analyze(run_fixture("codebuild_outputs", preview=mode == "preview"))
    found = violations(findings, "codebuild-project-encrypted-with-cmk")
    expected = {
        "project-artifact-unencrypted": "artifacts.encryption_disabled is true",
        "project-secondary-unencrypted": "secondary_artifacts[0].encryption_disabled is true",
        "project-logs-unencrypted": "logs_config.s3_logs.encryption_disabled is true",
        "reports-aws-key": "alias/aws/s3, an AWS managed key",
        "reports-unencrypted": "export_config.s3_destination.encryption_disabled is true",
    }
    assert_refused_exactly(found, expected)
