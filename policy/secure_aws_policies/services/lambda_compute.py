"""Lambda: who can call a function through its URL, and whether its runtime still gets security updates.

(The module is not `lambda_`, which judges encryption, networking and resource-based permissions: these two rules
judge the function's exposure and its runtime, and were added with issue 13.)"""

from __future__ import annotations

import datetime
from typing import Any

from pulumi_policy import Severity

from ..props import value
from ..registry import CDK_NAG, FSBP, PROJECT, Category, resource_policy
from ..types import LAMBDA_FUNCTION, LAMBDA_FUNCTION_URL

# Runtime identifier -> the date AWS deprecates it (it stops getting security patches; later, creates and then
# updates are blocked). From AWS's "Lambda runtimes" page, its supported and deprecated tables
# (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html), as tflint-ruleset-aws transcribes it in
# rules/aws_lambda_function_deprecated_runtime.go. A runtime whose date is still ahead passes until that day.
RUNTIME_DEPRECATION = {
    "nodejs": datetime.date(2016, 10, 31),
    "nodejs4.3": datetime.date(2020, 3, 5),
    "nodejs4.3-edge": datetime.date(2020, 3, 5),
    "nodejs6.10": datetime.date(2019, 8, 12),
    "nodejs8.10": datetime.date(2020, 3, 6),
    "nodejs10.x": datetime.date(2021, 7, 30),
    "nodejs12.x": datetime.date(2023, 3, 31),
    "nodejs14.x": datetime.date(2023, 12, 4),
    "nodejs16.x": datetime.date(2024, 6, 12),
    "nodejs18.x": datetime.date(2025, 9, 1),
    "nodejs20.x": datetime.date(2026, 4, 30),
    "nodejs22.x": datetime.date(2027, 4, 30),
    "python2.7": datetime.date(2021, 7, 15),
    "python3.6": datetime.date(2022, 7, 18),
    "python3.7": datetime.date(2023, 12, 4),
    "python3.8": datetime.date(2024, 10, 14),
    "python3.9": datetime.date(2025, 12, 15),
    "python3.10": datetime.date(2026, 6, 30),
    "python3.11": datetime.date(2026, 6, 30),
    "python3.12": datetime.date(2028, 10, 31),
    "python3.13": datetime.date(2029, 6, 30),
    "java8": datetime.date(2024, 1, 8),
    "java8.al2": datetime.date(2026, 6, 30),
    "java11": datetime.date(2026, 6, 30),
    "java17": datetime.date(2026, 6, 30),
    "java21": datetime.date(2029, 6, 30),
    "dotnetcore1.0": datetime.date(2019, 7, 27),
    "dotnetcore2.0": datetime.date(2019, 5, 30),
    "dotnetcore2.1": datetime.date(2022, 1, 5),
    "dotnetcore3.1": datetime.date(2023, 4, 3),
    "dotnet5.0": datetime.date(2022, 5, 10),
    "dotnet6": datetime.date(2024, 11, 12),
    "dotnet7": datetime.date(2024, 5, 14),
    "dotnet8": datetime.date(2026, 11, 10),
    "ruby2.5": datetime.date(2021, 7, 30),
    "ruby2.7": datetime.date(2023, 11, 27),
    "ruby3.2": datetime.date(2026, 3, 31),
    "ruby3.3": datetime.date(2027, 3, 31),
    "go1.x": datetime.date(2024, 1, 8),
    "provided": datetime.date(2024, 1, 8),
    "provided.al2": datetime.date(2026, 6, 30),
    "provided.al2023": datetime.date(2029, 6, 30),
}


def deprecated_since(runtime: str, today: datetime.date) -> datetime.date | None:
    """The date `runtime` was deprecated, or None while AWS still supports it (or does not list it)."""
    date = RUNTIME_DEPRECATION.get(runtime.strip().lower())
    return date if date is not None and date <= today else None


@resource_policy(
    name="lambda-function-url-requires-auth",
    description="Lambda function URLs authenticate callers with IAM (`authorizationType` AWS_IAM): a URL with "
    "`NONE` is an HTTPS endpoint anyone on the internet can invoke (the argument is required, so there is no "
    "default to lean on).",
    types=[LAMBDA_FUNCTION_URL],
    severity=Severity.HIGH,
    category=Category.ACCESS,
    controls=[FSBP("Lambda.1"), PROJECT("no-unauthenticated-endpoints")],
    remediation="Set authorization_type='AWS_IAM' on the function URL and grant lambda:InvokeFunctionUrl to the "
    "callers' roles; put a public API behind API Gateway with an authorizer (and WAF) instead.",
)
def lambda_function_url_requires_auth(args: Any, report: Any, config: dict) -> None:
    # pulumi_aws/lambda_/function_url.py: authorization_type is required; "Valid values are `AWS_IAM` and `NONE`".
    authorization = str(value(args.props, "authorizationType", "")).strip().upper()
    if authorization != "AWS_IAM":
        report(
            f"function URL {args.name} has authorizationType {authorization or 'unset'!r}, so anyone on the "
            "internet can invoke the function."
        )


@resource_policy(
    name="lambda-runtime-supported",
    description="Lambda functions use a runtime AWS still supports: a deprecated runtime gets no security patches "
    "(dates from AWS's Lambda runtimes page). Container-image functions (`packageType` Image) bring their own "
    "runtime and are not judged.",
    types=[LAMBDA_FUNCTION],
    severity=Severity.MEDIUM,
    category=Category.COMPUTE,
    controls=[FSBP("Lambda.2"), CDK_NAG("AwsSolutions-L1")],
    remediation="Move the function to a supported runtime (python3.12 or later, nodejs22.x, java21, ...), see "
    "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html.",
)
def lambda_runtime_supported(args: Any, report: Any, config: dict) -> None:
    # pulumi_aws/lambda_/function.py: package_type "Valid values are `Zip` and `Image`. Defaults to `Zip`";
    # runtime is "Required if `package_type` is `Zip`".
    if str(value(args.props, "packageType", "Zip")) == "Image":
        return
    runtime = value(args.props, "runtime")
    if not isinstance(runtime, str):
        return
    since = deprecated_since(runtime, datetime.date.today())
    if since is not None:
        report(
            f"function {args.name} uses runtime {runtime}, deprecated by AWS on {since.isoformat()}: it gets "
            "no security patches."
        )
