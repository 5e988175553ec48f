"""IAM: the program creates no long-lived access keys.

An aws.iam.AccessKey is a credential that never expires: it is rotated only when the program replaces it, and its
secret is an output of the stack (encrypted in the state, but readable by anyone who can export it). People sign in
through IAM Identity Center or assume roles; workloads use their role. (aws.iam.AccessKey has no argument whose
default changes this: user is required, status "Defaults to `Active`".)
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..props import UNKNOWN, peek
from ..registry import FSBP, PROJECT, Category, resource_policy
from ..types import IAM_ACCESS_KEY


@resource_policy(
    name="iam-no-access-keys",
    description="The program creates no IAM access keys: a key made by the stack lives until the stack replaces it "
    "(FSBP IAM.3 asks for rotation every 90 days) and its secret sits in the state. An inactive key (status "
    "Inactive) passes.",
    types=[IAM_ACCESS_KEY],
    severity=Severity.HIGH,
    category=Category.ACCESS,
    controls=[FSBP("IAM.3"), PROJECT("least-privilege")],
    remediation="Remove the aws.iam.AccessKey: give the workload a role (instance profile, task role, IRSA or OIDC "
    "federation for CI) and let people sign in through IAM Identity Center.",
)
def iam_no_access_keys(args: Any, report: Any, config: dict) -> None:
    # status "Defaults to `Active`" (iam/access_key.py); only an explicit Inactive key grants nothing.
    status = peek(args.props, "status")
    if status is UNKNOWN or str(status or "Active") == "Inactive":
        return
    report(f"access key {args.name} is a long-lived credential created by the stack; use a role instead.")
