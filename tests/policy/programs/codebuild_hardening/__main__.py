"""CodeBuild hardening (tests/policy/test_codebuild_hardening.py): projects as they should be ("ok-"), and what a
hurried engineer writes: a token in the primary or a secondary source URL, CloudWatch Logs switched off with S3 logs
left at their default (DISABLED), a privileged build container."""

import pulumi_aws as aws

cb = aws.codebuild
key = aws.kms.Key("build-key", enable_key_rotation=True, deletion_window_in_days=30)
ROLE = "arn:aws:iam::111111111111:role/build"
REPO = "https://bitbucket.org/example/app.git"
# A made-up token: the rule must not print it.
TOKEN_REPO = "https://x-token-auth:not-a-real-token-4f9c@bitbucket.org/example/app.git"


def project(
    name: str,
    location: str = REPO,
    secondary: str = REPO,
    logs: cb.ProjectLogsConfigArgs | None = None,
    privileged: bool | None = None,
) -> None:
    cb.Project(
        name,
        service_role=ROLE,
        encryption_key=key.arn,
        artifacts=cb.ProjectArtifactsArgs(type="NO_ARTIFACTS"),
        environment=cb.ProjectEnvironmentArgs(
            compute_type="BUILD_GENERAL1_SMALL",
            image="aws/codebuild/standard:7.0",
            type="LINUX_CONTAINER",
            privileged_mode=privileged,
        ),
        source=cb.ProjectSourceArgs(type="BITBUCKET", location=location),
        secondary_sources=[
            cb.ProjectSecondarySourceArgs(type="BITBUCKET", location=secondary, source_identifier="lib")
        ],
        logs_config=logs,
    )


project("ok-project")
project(
    "ok-project-s3-logs-only",
    logs=cb.ProjectLogsConfigArgs(
        cloudwatch_logs=cb.ProjectLogsConfigCloudwatchLogsArgs(status="DISABLED"),
        s3_logs=cb.ProjectLogsConfigS3LogsArgs(status="ENABLED", location="build-logs/app"),
    ),
)
project("ok-project-not-privileged", privileged=False)
project("token-in-source", location=TOKEN_REPO)
project("token-in-secondary-source", secondary="https://user:hunter2@bitbucket.org/example/lib.git")
project(
    "logs-off",
    logs=cb.ProjectLogsConfigArgs(
        cloudwatch_logs=cb.ProjectLogsConfigCloudwatchLogsArgs(status="DISABLED"),
    ),
)
project("privileged-build", privileged=True)
