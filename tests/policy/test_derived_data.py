"""Data that leaves a data service is encrypted with our key (issue 13): snapshot exports, activity streams,
automated backup replications, zero-ETL integrations, custom engine versions, snapshot copy grants, DocumentDB
Performance Insights, air-gapped vaults and MSK channels. Through the real pack process, both modes: a key left out
(where AWS then uses its own) or an AWS managed key is refused; our key, unknown at preview, passes."""

from __future__ import annotations

from tests.policy.conftest import assert_refused_exactly, run_fixture, violations


def test_each_kind_without_our_key_is_refused_and_the_ok_ones_pass(policy_pack, mode):
    findings = policy_pack.analyze(run_fixture("derived_data", preview=mode == "preview"))
    assert_refused_exactly(
        violations(findings, "derived-data-encrypted-with-cmk"),
        {
            "export-aws-key": "alias/aws/rds, an AWS managed key",
            "backups-replication-no-key": "`kmsKeyId` is not set",
            "rds-integration-no-key": "(left out: an AWS owned key)",
            "redshift-integration-no-key": "zero-ETL integration redshift-integration-no-key",
            "copy-grant-default-key": "(left out: the AWS managed aws/redshift key)",
            "oracle-engine-no-key": "custom engine version",
            "docdb-insights-default-key": "`performanceInsightsKmsKeyId` is not set",
            "air-gapped-no-key": "`encryptionKeyArn` is not set",
            "channel-no-key": "`encryptionConfiguration.kmsKeyArn` is not set",
        },
    )
