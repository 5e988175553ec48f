"""What SageMaker writes is encrypted with our key (issue 13): training output, feature stores (each store only when
configured), model cards, device fleet output and Studio sharing. Through the real pack process, both modes."""

from __future__ import annotations

from tests.policy.conftest import assert_refused_exactly, run_fixture, violations


def test_each_output_without_our_key_is_refused_and_the_ok_ones_pass(policy_pack, mode):
    findings = policy_pack.analyze(run_fixture("sagemaker_outputs", preview=mode == "preview"))
    assert_refused_exactly(
        violations(findings, "sagemaker-outputs-encrypted-with-cmk"),
        {
            "training-default-key": "`outputDataConfig.kmsKeyId` is not set",
            "training-aws-key": "alias/aws/s3, an AWS managed key",
            "features-online-default-key": "`onlineStoreConfig.securityConfig.kmsKeyId` is not set",
            "features-offline-default-key": "`offlineStoreConfig.s3StorageConfig.kmsKeyId` is not set",
            "card-default-key": "`securityConfig.kmsKeyId` is not set",
            "fleet-default-key": "`outputConfig.kmsKeyId` is not set",
            "profile-sharing-default-key": "`userSettings.sharingSettings.s3KmsKeyId` is not set",
        },
    )
