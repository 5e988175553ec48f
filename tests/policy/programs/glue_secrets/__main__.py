"""Glue and Secrets Manager replicas encrypted with our key (tests/policy/test_glue_secrets.py): each once as it
should be ("ok-") and once weakened, by a mode left out to its default, an AWS managed key or a second resource."""

import pulumi_aws as aws

glue = aws.glue
key = aws.kms.Key("data-key", enable_key_rotation=True, deletion_window_in_days=30)
AWS_MANAGED_GLUE = "alias/aws/glue"


def security_configuration(name: str, s3_mode: str, s3_key: object, cloudwatch_mode: str | None) -> None:
    glue.SecurityConfiguration(
        name,
        encryption_configuration=glue.SecurityConfigurationEncryptionConfigurationArgs(
            cloudwatch_encryption=glue.SecurityConfigurationEncryptionConfigurationCloudwatchEncryptionArgs(
                cloudwatch_encryption_mode=cloudwatch_mode, kms_key_arn=key.arn if cloudwatch_mode else None
            ),
            job_bookmarks_encryption=glue.SecurityConfigurationEncryptionConfigurationJobBookmarksEncryptionArgs(
                job_bookmarks_encryption_mode="CSE-KMS", kms_key_arn=key.arn
            ),
            s3_encryption=glue.SecurityConfigurationEncryptionConfigurationS3EncryptionArgs(
                s3_encryption_mode=s3_mode, kms_key_arn=s3_key
            ),
        ),
    )


security_configuration("ok-glue-security", "SSE-KMS", key.arn, "SSE-KMS")
security_configuration("glue-security-sse-s3", "SSE-S3", None, "SSE-KMS")
security_configuration("glue-security-logs-left-out", "SSE-KMS", key.arn, None)
security_configuration("glue-security-aws-key", "SSE-KMS", AWS_MANAGED_GLUE, "SSE-KMS")

settings = glue.DataCatalogEncryptionSettingsDataCatalogEncryptionSettingsArgs
glue.DataCatalogEncryptionSettings(
    "ok-catalog",
    data_catalog_encryption_settings=settings(
        connection_password_encryption=glue.DataCatalogEncryptionSettingsDataCatalogEncryptionSettingsConnectionPasswordEncryptionArgs(
            return_connection_password_encrypted=True, aws_kms_key_id=key.arn
        ),
        encryption_at_rest=glue.DataCatalogEncryptionSettingsDataCatalogEncryptionSettingsEncryptionAtRestArgs(
            catalog_encryption_mode="SSE-KMS", sse_aws_kms_key_id=key.arn
        ),
    ),
)
# A second settings resource for the same (default) catalog: the one applied last wins, so it is judged on its own.
glue.DataCatalogEncryptionSettings(
    "catalog-second-weaker",
    data_catalog_encryption_settings={
        "connection_password_encryption": {"return_connection_password_encrypted": False},
        "encryption_at_rest": {"catalog_encryption_mode": "SSE-KMS"},
    },
)
glue.DataCatalogEncryptionSettings(
    "catalog-disabled",
    data_catalog_encryption_settings={
        "connection_password_encryption": {"return_connection_password_encrypted": True, "aws_kms_key_id": key.arn},
        "encryption_at_rest": {"catalog_encryption_mode": "DISABLED"},
    },
)

aws.secretsmanager.Secret(
    "ok-replicated-secret",
    kms_key_id=key.arn,
    replicas=[aws.secretsmanager.SecretReplicaArgs(region="us-west-2", kms_key_id=key.arn)],
)
aws.secretsmanager.Secret(
    "secret-replica-key-left-out",
    kms_key_id=key.arn,
    replicas=[aws.secretsmanager.SecretReplicaArgs(region="us-west-2")],
)
aws.secretsmanager.Secret(
    "secret-replica-aws-key",
    kms_key_id=key.arn,
    replicas=[{"region": "eu-west-1", "kms_key_id": "alias/aws/secretsmanager"}],
)
