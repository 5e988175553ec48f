"""Secrets never in plaintext where AWS shows them to anyone who can describe the resource: instance and launch
template user data, CodeBuild environment variables (issue 13). Lambda environments, SSM parameters and ECS task
definitions are judged in their own modules with the same reader (`secret_values`).

User data is readable with ec2:DescribeInstanceAttribute / DescribeLaunchTemplateVersions and from inside the
instance (the instance metadata service, without credentials); CodeBuild PLAINTEXT variables are shown by
BatchGetProjects and in the console. A secret there belongs in Secrets Manager or an SSM SecureString, read at
run time. Every message names the line or key and why it looks secret, never the value.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import re
from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import Severity

from ..props import UNKNOWN, items, peek
from ..registry import FSBP, PROJECT, Category, resource_policy
from ..secret_values import secret_reason, text_secret_reasons
from ..types import (
    CODEBUILD_PROJECT,
    EC2_INSTANCE,
    LAUNCH_CONFIGURATION,
    LAUNCH_TEMPLATE,
    SPOT_FLEET_REQUEST,
    SPOT_INSTANCE_REQUEST,
)

_BASE64 = re.compile(r"^[A-Za-z0-9+/\s]+={0,2}\s*$")
# Where each type takes user data, and whether that argument is base64 (pulumi-aws 7: LaunchTemplate.user_data
# "The base64-encoded user data"; Instance.user_data is plain text and user_data_base64 its base64 twin).
# user_data left out: no script (no default to judge); a spot fleet's launch_specifications left out: it
# launches from templates, whose user data is judged on the template.
_USER_DATA_KEYS = {
    EC2_INSTANCE: (("userData", False), ("userDataBase64", True)),
    SPOT_INSTANCE_REQUEST: (("userData", False), ("userDataBase64", True)),
    LAUNCH_CONFIGURATION: (("userData", False), ("userDataBase64", True)),
    LAUNCH_TEMPLATE: (("userData", True),),
}


def decoded_user_data(found: str, base64_argument: bool) -> str:
    """The script the instance runs: base64 decoded where the argument is base64 (or the value is base64 text,
    which cloud-init decodes too), gunzipped when compressed; the text itself when it decodes to no text."""
    if not (base64_argument or (_BASE64.match(found) and len(found.strip()) >= 16)):
        return found
    try:
        raw = base64.b64decode("".join(found.split()), validate=True)
    except (binascii.Error, ValueError):
        return found
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError):
            return found
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return found


def _user_data(args: Any) -> Iterator[tuple[str, str]]:
    """(where, script) for each user data argument the resource gives (a spot fleet: each launch spec's)."""
    for key, is_base64 in _USER_DATA_KEYS.get(args.resource_type, ()):
        found = peek(args.props, key)
        if isinstance(found, str) and found.strip():
            yield key, decoded_user_data(found, is_base64)
    if args.resource_type == SPOT_FLEET_REQUEST:
        specs = peek(args.props, "launchSpecifications")
        for index, spec in enumerate(items(specs) if specs is not UNKNOWN else []):
            found = peek(spec, "userData") if isinstance(spec, Mapping) else None
            if isinstance(found, str) and found.strip():
                yield f"launchSpecifications[{index}].userData", decoded_user_data(found, False)


@resource_policy(
    name="ec2-user-data-no-plaintext-secrets",
    description="Instance, spot request, spot fleet, launch configuration and launch template user data holds no "
    "secret: decoded from base64 (and gzip) where given so, each `KEY=value`, `key: value` and JSON pair is "
    "judged by key name, known credential format and entropy, and a known credential format anywhere on a line "
    "counts. User data is readable by anyone who can describe the instance or template, and from the instance "
    "metadata service. A value read at boot (`$(aws secretsmanager get-secret-value ...)`, `${VAR}`) is not a "
    "secret; an unknown value at preview is a reference, not a secret. The message never prints the value.",
    types=[EC2_INSTANCE, SPOT_INSTANCE_REQUEST, SPOT_FLEET_REQUEST, LAUNCH_CONFIGURATION, LAUNCH_TEMPLATE],
    severity=Severity.HIGH,
    category=Category.ACCESS,
    controls=[PROJECT("no-plaintext-secrets")],
    remediation="Keep the secret in Secrets Manager (or an SSM SecureString) and have the script read it at boot "
    "with the instance role (`aws secretsmanager get-secret-value --secret-id <ARN>`), granting that role "
    "secretsmanager:GetSecretValue on that secret only.",
)
def ec2_user_data_no_plaintext_secrets(args: Any, report: Any, config: dict) -> None:
    for where, script in _user_data(args):
        for reason in text_secret_reasons(script):
            report(
                f"{args.name}: {where} {reason}; read it at boot from Secrets Manager (or an SSM SecureString) instead."
            )


def _environment_variables(args: Any) -> list[Mapping[str, Any]]:
    environment = peek(args.props, "environment")
    if not isinstance(environment, Mapping):
        return []
    # environment_variables left out: none (no default variables to judge).
    variables = peek(environment, "environmentVariables")
    if variables is UNKNOWN:
        return []
    return [v for v in items(variables) if isinstance(v, Mapping)]


@resource_policy(
    name="codebuild-environment-no-plaintext-secrets",
    description="CodeBuild project environment variables of type PLAINTEXT (the type when left out: the CodeBuild "
    "API's EnvironmentVariable `type`, 'PLAINTEXT ... This is the default value') hold no secret: one named like "
    "a secret (the AWS access keys FSBP CodeBuild.2 checks, password, token, api_key, ...), shaped like a known "
    "credential or of high entropy must be of type SECRETS_MANAGER or PARAMETER_STORE, whose value is the "
    "secret's name or ARN. An unknown value at preview is a reference, not a secret. The message never prints "
    "the value.",
    types=[CODEBUILD_PROJECT],
    severity=Severity.HIGH,
    category=Category.ACCESS,
    controls=[FSBP("CodeBuild.2")],
    remediation="Give the variable type='SECRETS_MANAGER' with value=<secret name or ARN> (or "
    "type='PARAMETER_STORE' with the name of an SSM SecureString), and let the project's role read that secret.",
)
def codebuild_environment_no_plaintext_secrets(args: Any, report: Any, config: dict) -> None:
    for variable in _environment_variables(args):
        kind = peek(variable, "type")
        if kind is UNKNOWN or (kind not in (None, "PLAINTEXT")):
            continue
        key, found = peek(variable, "name"), peek(variable, "value")
        if found is UNKNOWN or not isinstance(key, str):
            continue
        reason = secret_reason(key, found)
        if reason:
            report(
                f"CodeBuild project {args.name}: PLAINTEXT environment variable {key} {reason}; make it "
                "type SECRETS_MANAGER (or PARAMETER_STORE) with the secret's name as its value."
            )
