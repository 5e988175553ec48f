"""CodeBuild: projects encrypt their build output with our customer-managed key."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import report_key
from ..registry import PROJECT, Category, resource_policy
from ..types import CODEBUILD_PROJECT


@resource_policy(
    name="codebuild-project-encrypted-with-cmk",
    description="CodeBuild projects encrypt their build output artifacts with our customer-managed KMS key. Left "
    "out, CodeBuild 'uses the managed CMK for Amazon Simple Storage Service (Amazon S3)' (CodeBuild API "
    "reference, ProjectArtifacts/EncryptionKey), an AWS managed key.",
    types=[CODEBUILD_PROJECT],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set encryption_key=<our key ARN> on aws.codebuild.Project.",
)
def codebuild_project_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    report_key(args, report, "encryptionKey", "CodeBuild project")
