"""CodeBuild: a project's source URL carries no credentials, its builds are logged, and its build container is not
privileged.

Defaults read from pulumi_aws/codebuild/_inputs.py (v7): logs_config.cloudwatch_logs.status "Defaults to
`ENABLED`", logs_config.s3_logs.status "Defaults to `DISABLED`", environment.privileged_mode "Defaults to
`false`". So a project that leaves logs_config out logs to CloudWatch, and one that leaves privileged_mode out is
not privileged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from pulumi_policy import Severity

from ..props import UNKNOWN, attempt, block, items, peek, truthy
from ..registry import FSBP, Category, resource_policy
from ..types import CODEBUILD_PROJECT


# source is required (its location left out for NO_SOURCE/CODEPIPELINE), secondary_sources left out: none; no
# default to judge.
def _sources(props: Any) -> list[tuple[str, Any]]:
    """(where, source block) for the primary source and each secondary source the project declares."""
    found = [("source", block(props, "source"))]
    secondary = peek(props, "secondarySources")
    listed = attempt(lambda: items(secondary)) if secondary is not UNKNOWN else UNKNOWN
    for index, source in enumerate(listed if listed is not UNKNOWN else []):
        found.append((f"secondary_sources[{index}]", source))
    return found


def credentials_in_url(location: str) -> bool:
    """Whether an http(s) repository URL carries a user name, password or token before its host
    (`https://user:pass@host/...`, `https://<token>@host/...`): CodeBuild stores the URL in plaintext."""
    parts = attempt(lambda: urlsplit(location.strip()))
    if parts is UNKNOWN or parts.scheme.lower() not in ("http", "https"):
        return False
    return "@" in parts.netloc


@resource_policy(
    name="codebuild-source-url-no-credentials",
    description="CodeBuild source repository URLs (primary and secondary sources) carry no user name, password or "
    "personal access token: the URL is stored and shown in plaintext by CodeBuild, CloudTrail and the stack's state.",
    types=[CODEBUILD_PROJECT],
    severity=Severity.CRITICAL,
    category=Category.ACCESS,
    controls=[FSBP("CodeBuild.1")],
    remediation="Give source.location the repository URL alone and connect the provider through an "
    "aws.codebuild.SourceCredential or a CodeConnections connection (source.auth) instead.",
)
def codebuild_source_url_no_credentials(args: Any, report: Any, config: dict) -> None:
    for where, source in _sources(args.props):
        location = peek(source, "location") if isinstance(source, Mapping) else None
        if isinstance(location, str) and credentials_in_url(location):
            # The URL itself is never printed: it holds the credential.
            report(f"CodeBuild project {args.name}: {where}.location carries credentials before its host.")


def _status(logs: Any, key: str, default: str) -> Any:
    found = block(logs, key) if isinstance(logs, Mapping) else None
    if found is UNKNOWN:
        return UNKNOWN
    status = peek(found, "status") if isinstance(found, Mapping) else None
    return status if status is UNKNOWN else str(status or default).upper()


@resource_policy(
    name="codebuild-project-logging",
    description="CodeBuild projects log their builds to CloudWatch Logs or S3: logs_config.cloudwatch_logs.status "
    "defaults to ENABLED and s3_logs.status to DISABLED, so only a project that disables CloudWatch Logs without "
    "enabling S3 logs builds unseen.",
    types=[CODEBUILD_PROJECT],
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    controls=[FSBP("CodeBuild.4")],
    remediation="Leave logs_config.cloudwatch_logs.status out (ENABLED), or set logs_config.s3_logs.status='ENABLED' "
    "with a location in our log bucket.",
)
def codebuild_project_logging(args: Any, report: Any, config: dict) -> None:
    logs = block(args.props, "logsConfig")
    if logs is UNKNOWN:
        return
    cloudwatch = _status(logs, "cloudwatchLogs", "ENABLED")
    s3 = _status(logs, "s3Logs", "DISABLED")
    if cloudwatch == "DISABLED" and s3 == "DISABLED":
        report(
            f"CodeBuild project {args.name}: logs_config disables CloudWatch Logs and S3 logs, so builds are unlogged."
        )


@resource_policy(
    name="codebuild-no-privileged-mode",
    description="CodeBuild build containers are not privileged (environment.privileged_mode, 'Defaults to `false`'): "
    "a privileged build runs the Docker daemon with root on the build host, so a malicious dependency or build "
    "script escapes the container with the project's role.",
    types=[CODEBUILD_PROJECT],
    severity=Severity.HIGH,
    category=Category.COMPUTE,
    controls=[FSBP("CodeBuild.5")],
    remediation="Leave privileged_mode out; build images with a non-privileged builder (kaniko, buildah), or exempt "
    "this one project by its URN with the reason in policy/config.json.",
)
def codebuild_no_privileged_mode(args: Any, report: Any, config: dict) -> None:
    environment = block(args.props, "environment")
    if isinstance(environment, Mapping) and truthy(peek(environment, "privilegedMode")):
        report(f"CodeBuild project {args.name}: environment.privileged_mode is true, so builds run privileged.")
