"""Glue: security configurations (what jobs, crawlers and dev endpoints write), the Data Catalog, connection
credentials and data lake catalogs encrypted with our customer-managed key."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import key_at, key_problem_at
from ..props import UNKNOWN, peek, truthy
from ..registry import PROJECT, Category, resource_policy
from ..types import GLUE_CATALOG, GLUE_CONNECTION, GLUE_DATA_CATALOG_ENCRYPTION_SETTINGS, GLUE_SECURITY_CONFIGURATION

# Each destination a security configuration encrypts: (block, its mode argument, the mode that uses a KMS key).
# pulumi-aws 7 glue.SecurityConfiguration: every mode "Default value: `DISABLED`"; SSE-S3 for S3 is an S3 managed
# key, not ours.
_SECURITY_CONFIGURATION_TARGETS = (
    ("cloudwatchEncryption", "cloudwatchEncryptionMode", "SSE-KMS"),
    ("jobBookmarksEncryption", "jobBookmarksEncryptionMode", "CSE-KMS"),
    ("s3Encryption", "s3EncryptionMode", "SSE-KMS"),
)
# glue.DataCatalogEncryptionSettings `catalog_encryption_mode`: DISABLED, SSE-KMS or SSE-KMS-WITH-SERVICE-ROLE.
_CATALOG_KMS_MODES = ("SSE-KMS", "SSE-KMS-WITH-SERVICE-ROLE")


def _mode_at(props: Any, path: str) -> Any:
    """The value at a dotted path through (one-element) blocks: None when absent, UNKNOWN when not known yet."""
    found = key_at(props, path)
    if found in (None, UNKNOWN):
        return found
    holder, key = found
    return peek(holder, key)


def _security_configuration_problems(props: Any) -> list[str]:
    problems = []
    for block, mode_key, kms_mode in _SECURITY_CONFIGURATION_TARGETS:
        base = f"encryptionConfiguration.{block}"
        mode = _mode_at(props, f"{base}.{mode_key}")
        if mode is UNKNOWN:
            continue
        if mode != kms_mode:
            shown = mode if mode else "left out (the default is DISABLED)"
            problems.append(f"`{base}.{mode_key}` is {shown}, not {kms_mode} with our key")
            continue
        problem = key_problem_at(props, f"{base}.kmsKeyArn")
        if problem:
            problems.append(problem)
    return problems


def _catalog_problems(props: Any) -> list[str]:
    base = "dataCatalogEncryptionSettings"
    problems = []
    mode = _mode_at(props, f"{base}.encryptionAtRest.catalogEncryptionMode")
    if mode is not UNKNOWN and mode not in _CATALOG_KMS_MODES:
        problems.append(f"`catalog_encryption_mode` is {mode or 'left out'}, so the Data Catalog is not encrypted")
    elif mode is not UNKNOWN:
        problem = key_problem_at(props, f"{base}.encryptionAtRest.sseAwsKmsKeyId")
        if problem:
            problems.append(problem)
    returned = _mode_at(props, f"{base}.connectionPasswordEncryption.returnConnectionPasswordEncrypted")
    if returned is not UNKNOWN and not truthy(returned):
        problems.append(
            "`return_connection_password_encrypted` is not true, so connection passwords are kept and returned in "
            "plaintext"
        )
    elif returned is not UNKNOWN:
        problem = key_problem_at(props, f"{base}.connectionPasswordEncryption.awsKmsKeyId")
        if problem:
            problems.append(problem)
    return problems


@resource_policy(
    name="glue-encrypted-with-cmk",
    description="Glue security configurations encrypt CloudWatch logs (SSE-KMS), job bookmarks (CSE-KMS) and S3 "
    "data (SSE-KMS) with our customer-managed KMS key: each mode left out is DISABLED (pulumi-aws 7 "
    "glue.SecurityConfiguration: 'Default value: `DISABLED`'), and SSE-S3 uses an S3 managed key. Data Catalog "
    "encryption settings encrypt the catalog (SSE-KMS, with or without a service role) and connection passwords "
    "(`return_connection_password_encrypted`) with our key; a key left out is the AWS managed aws/glue key. Each "
    "settings resource is judged on its own, so a second one that weakens the catalog is refused.",
    types=[GLUE_SECURITY_CONFIGURATION, GLUE_DATA_CATALOG_ENCRYPTION_SETTINGS],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="On aws.glue.SecurityConfiguration set cloudwatch_encryption (SSE-KMS), job_bookmarks_encryption "
    "(CSE-KMS) and s3_encryption (SSE-KMS), each with kms_key_arn=<our key ARN>. On "
    "aws.glue.DataCatalogEncryptionSettings set encryption_at_rest={'catalog_encryption_mode': 'SSE-KMS', "
    "'sse_aws_kms_key_id': <our key ARN>} and connection_password_encryption={'return_connection_password_encrypted': "
    "True, 'aws_kms_key_id': <our key ARN>}.",
)
def glue_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    if args.resource_type == GLUE_SECURITY_CONFIGURATION:
        what, problems = "Glue security configuration", _security_configuration_problems(args.props)
    else:
        what, problems = "Glue Data Catalog encryption settings", _catalog_problems(args.props)
    for problem in problems:
        report(f"{what} {args.name}: {problem}.")


def _connection_or_catalog_problem(args: Any) -> str | None:
    if args.resource_type == GLUE_CONNECTION:
        # authentication_configuration left out: the connection keeps no credentials of its own (no default to
        # judge). With BASIC, CUSTOM or OAUTH2 Glue stores the credentials as a Secrets Manager secret, encrypted
        # with kms_key_arn ("ARN of the KMS key used for encryption"); left out, the aws/secretsmanager key. IAM
        # authentication stores none.
        found = key_at(args.props, "authenticationConfiguration.authenticationType")
        if found is UNKNOWN or found is None:
            return None
        kind = peek(*found)
        if kind is UNKNOWN or str(kind or "").upper() == "IAM":
            return None
        return key_problem_at(args.props, "authenticationConfiguration.kmsKeyArn")
    # catalog_properties.data_lake_access_properties.data_lake_access ("Whether data lake access is enabled") left
    # out: off, no staging data; when on, kms_key ("ARN of the KMS key used for encryption") left out is an AWS
    # managed key.
    found = key_at(args.props, "catalogProperties.dataLakeAccessProperties.dataLakeAccess")
    if found is UNKNOWN or found is None or not truthy(peek(*found)):
        return None
    return key_problem_at(args.props, "catalogProperties.dataLakeAccessProperties.kmsKey")


@resource_policy(
    name="glue-credentials-and-catalogs-encrypted-with-cmk",
    description="Glue connections that keep credentials (authentication type BASIC, CUSTOM or OAUTH2, stored by "
    "Glue as a Secrets Manager secret) encrypt them with our key (`authentication_configuration.kms_key_arn`; left "
    "out, aws/secretsmanager), and Glue catalogs with data lake access encrypt their staging data with our key "
    "(`catalog_properties.data_lake_access_properties.kms_key`).",
    types=[GLUE_CONNECTION, GLUE_CATALOG],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set authentication_configuration.kms_key_arn=<our key ARN> on aws.glue.Connection, and "
    "catalog_properties.data_lake_access_properties.kms_key=<our key ARN> on aws.glue.Catalog.",
)
def glue_credentials_and_catalogs_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    problem = _connection_or_catalog_problem(args)
    if problem:
        report(f"Glue {'connection' if args.resource_type == GLUE_CONNECTION else 'catalog'} {args.name}: {problem}.")
