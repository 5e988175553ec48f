"""CodeBuild: projects encrypt their build output and S3 logs, and report groups their exported results, with our
customer-managed key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import Severity

from ..keys import key_problem_at, report_key
from ..props import UNKNOWN, attempt, block, items, peek, truthy
from ..registry import FSBP, PROJECT, Category, resource_policy
from ..types import CODEBUILD_PROJECT, CODEBUILD_REPORT_GROUP


def _disabled(found: Any) -> bool:
    return found is not UNKNOWN and isinstance(found, Mapping) and truthy(peek(found, "encryptionDisabled"))


# secondary_artifacts and logs_config (its s3_logs) left out: nothing more is written (no default to judge); the
# encryption_disabled of each "Defaults to `false`".
def _project_problems(props: Any) -> list[str]:
    """What of a project's output is written unencrypted: `encryption_disabled` defaults to false everywhere."""
    problems = []
    if _disabled(block(props, "artifacts")):
        problems.append("artifacts.encryption_disabled is true, so build output is stored unencrypted")
    secondary = peek(props, "secondaryArtifacts")
    listed = attempt(lambda: items(secondary)) if secondary is not UNKNOWN else UNKNOWN
    for index, artifact in enumerate(listed if listed is not UNKNOWN else []):
        if _disabled(artifact):
            problems.append(f"secondary_artifacts[{index}].encryption_disabled is true, so that output is unencrypted")
    logs = block(props, "logsConfig")
    s3_logs = block(logs, "s3Logs") if logs is not UNKNOWN else UNKNOWN
    if _disabled(s3_logs):
        problems.append("logs_config.s3_logs.encryption_disabled is true, so build logs in S3 are unencrypted")
    return problems


# export_config is required on a report group and its type (S3 or NO_EXPORT) inside it (no default to judge);
# s3_destination is required with S3.
def _report_group_problems(props: Any) -> list[str]:
    export = block(props, "exportConfig")
    kind = peek(export, "type") if isinstance(export, Mapping) else export
    if kind is UNKNOWN or kind != "S3":
        return []  # NO_EXPORT keeps results in CodeBuild, which encrypts them itself
    destination = block(export, "s3Destination")
    if _disabled(destination):
        return ["export_config.s3_destination.encryption_disabled is true, so exported results are unencrypted"]
    problem = key_problem_at(props, "exportConfig.s3Destination.encryptionKey")
    return [problem] if problem else []


@resource_policy(
    name="codebuild-project-encrypted-with-cmk",
    description="CodeBuild projects encrypt their build output artifacts with our customer-managed KMS key. Left "
    "out, CodeBuild 'uses the managed CMK for Amazon Simple Storage Service (Amazon S3)' (CodeBuild API "
    "reference, ProjectArtifacts/EncryptionKey), an AWS managed key. No artifact (primary or secondary) and no S3 "
    "log sets `encryption_disabled` (pulumi-aws 7: 'Defaults to `false`'; AWS Config rules "
    "codebuild-project-artifact-encryption, codebuild-project-s3-logs-encrypted). A report group exporting to S3 "
    "encrypts the export with our key (codebuild-report-group-encrypted-at-rest).",
    types=[CODEBUILD_PROJECT, CODEBUILD_REPORT_GROUP],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[FSBP("CodeBuild.3"), FSBP("CodeBuild.7"), PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set encryption_key=<our key ARN> on aws.codebuild.Project and leave encryption_disabled out of its "
    "artifacts, secondary_artifacts and logs_config.s3_logs; on aws.codebuild.ReportGroup set "
    "export_config.s3_destination.encryption_key=<our key ARN>.",
)
def codebuild_project_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    if args.resource_type == CODEBUILD_REPORT_GROUP:
        for problem in _report_group_problems(args.props):
            report(f"CodeBuild report group {args.name}: {problem}.")
        return
    report_key(args, report, "encryptionKey", "CodeBuild project")
    for problem in _project_problems(args.props):
        report(f"CodeBuild project {args.name}: {problem}.")
