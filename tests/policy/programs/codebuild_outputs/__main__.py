"""CodeBuild output encrypted with our key (tests/policy/test_codebuild_outputs.py): a project and a report group as
they should be ("ok-"), and each output a hurried engineer leaves unencrypted: the primary or a secondary artifact,
S3 logs, or a report export with the AWS managed key."""

import pulumi_aws as aws

cb = aws.codebuild
key = aws.kms.Key("build-key", enable_key_rotation=True, deletion_window_in_days=30)
ROLE = "arn:aws:iam::111111111111:role/build"
ENVIRONMENT = cb.ProjectEnvironmentArgs(
    compute_type="BUILD_GENERAL1_SMALL", image="aws/codebuild/standard:7.0", type="LINUX_CONTAINER"
)
SOURCE = cb.ProjectSourceArgs(type="NO_SOURCE", buildspec="version: 0.2\nphases:\n  build:\n    commands: [make]\n")


def project(name: str, artifact_off: bool = False, secondary_off: bool = False, logs_off: bool = False) -> None:
    cb.Project(
        name,
        service_role=ROLE,
        encryption_key=key.arn,
        environment=ENVIRONMENT,
        source=SOURCE,
        artifacts=cb.ProjectArtifactsArgs(type="S3", location="build-output", encryption_disabled=artifact_off),
        secondary_artifacts=[
            cb.ProjectSecondaryArtifactArgs(
                type="S3", location="build-reports", artifact_identifier="reports", encryption_disabled=secondary_off
            )
        ],
        logs_config=cb.ProjectLogsConfigArgs(
            s3_logs=cb.ProjectLogsConfigS3LogsArgs(
                status="ENABLED", location="build-logs/app", encryption_disabled=logs_off
            )
        ),
    )


project("ok-project")
project("project-artifact-unencrypted", artifact_off=True)
project("project-secondary-unencrypted", secondary_off=True)
project("project-logs-unencrypted", logs_off=True)


def report_group(name: str, encryption_key: object, disabled: bool | None = None) -> None:
    cb.ReportGroup(
        name,
        type="TEST",
        export_config=cb.ReportGroupExportConfigArgs(
            type="S3",
            s3_destination=cb.ReportGroupExportConfigS3DestinationArgs(
                bucket="build-reports", encryption_key=encryption_key, encryption_disabled=disabled
            ),
        ),
    )


report_group("ok-reports", key.arn)
report_group("reports-aws-key", "alias/aws/s3")
report_group("reports-unencrypted", key.arn, disabled=True)
cb.ReportGroup("ok-reports-not-exported", type="TEST", export_config=cb.ReportGroupExportConfigArgs(type="NO_EXPORT"))
