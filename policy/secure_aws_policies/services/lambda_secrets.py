"""Lambda: no secret in plaintext environment variables (readable by anyone with lambda:GetFunctionConfiguration)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import Severity

from ..props import UNKNOWN, peek
from ..registry import PROJECT, Category, resource_policy
from ..secret_values import secret_reason
from ..types import LAMBDA_FUNCTION


@resource_policy(
    name="lambda-environment-no-plaintext-secrets",
    description="Lambda environment variables hold no secret: a value named like a secret, shaped like a known "
    "credential (AWS access key id, Slack or GitHub token, private key) or of high entropy is refused. Environment "
    "variables are returned in plaintext by GetFunctionConfiguration and shown in the console. An unknown value "
    "at preview is a reference, not a secret. The message never prints the value.",
    types=[LAMBDA_FUNCTION],
    severity=Severity.HIGH,
    category=Category.ACCESS,
    controls=[PROJECT("no-plaintext-secrets")],
    remediation="Store the secret in Secrets Manager (or an SSM SecureString) and pass its ARN or name; the "
    "function reads it at run time (e.g. with the AWS Parameters and Secrets Lambda Extension).",
)
def lambda_environment_no_plaintext_secrets(args: Any, report: Any, config: dict) -> None:
    # environment and its variables left out: no variables to judge (no default variables).
    environment = peek(args.props, "environment")
    if not isinstance(environment, Mapping):
        return
    variables = peek(environment, "variables")
    if not isinstance(variables, Mapping):
        return
    for key in sorted(list(variables)):
        found = peek(variables, key)
        if found is UNKNOWN:
            continue
        reason = secret_reason(key, found)
        if reason:
            report(
                f"Lambda function {args.name}: environment variable {key} {reason}; keep it in Secrets "
                "Manager and pass its ARN instead."
            )
