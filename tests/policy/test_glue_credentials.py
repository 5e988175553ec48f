"""Glue connection credentials and data lake catalogs encrypted with our key (issue 13). Through the real pack
process, both modes: a key left out where Glue keeps data is refused; IAM authentication and a catalog without data
lake access keep nothing and pass."""

from __future__ import annotations

from tests.policy.conftest import assert_refused_exactly, run_fixture, violations


def test_kept_credentials_and_lake_staging_need_our_key(policy_pack, mode):
    findings = policy_pack.analyze(run_fixture("glue_credentials", preview=mode == "preview"))
    assert_refused_exactly(
        violations(findings, "glue-credentials-and-catalogs-encrypted-with-cmk"),
        {
            "connection-default-key": "`authenticationConfiguration.kmsKeyArn` is not set",
            "lake-catalog-default-key": "`catalogProperties.dataLakeAccessProperties.kmsKey` is not set",
        },
    )
