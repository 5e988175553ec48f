"""The AWS provider itself: it verifies the TLS certificates of the AWS endpoints it calls."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..props import UNKNOWN, peek, truthy
from ..registry import PROJECT, Category, resource_policy
from ..types import AWS_PROVIDER


@resource_policy(
    name="aws-provider-verifies-tls",
    description="Every AWS provider, explicit or the engine's default one (configured by the stack's aws: config), "
    "verifies TLS: `insecure` is not true ('If omitted, default value is false', pulumi-aws 7 Provider). An "
    "insecure provider sends the deployment's credentials and every resource's secrets to whoever can intercept "
    "its connections.",
    types=[AWS_PROVIDER],
    severity=Severity.HIGH,
    category=Category.TRANSIT,
    controls=[PROJECT("encryption-in-transit")],
    remediation="Remove insecure=True from aws.Provider (and `aws:insecure` from the stack config); trust a "
    "corporate TLS proxy with custom_ca_bundle instead.",
)
def aws_provider_verifies_tls(args: Any, report: Any, config: dict) -> None:
    insecure = peek(args.props, "insecure")
    if insecure is not UNKNOWN and truthy(insecure):
        report(f"provider {args.name} sets insecure=true: it does not verify the TLS certificates of AWS endpoints.")
