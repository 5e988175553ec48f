"""Runs every check in checklist order; an AWS error or a missing output fails that check, never the run."""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError

from verify.checks import CHECKS
from verify.context import Context
from verify.outputs import MissingOutput
from verify.results import CheckResult, failed


def run_checks(context: Context) -> list[CheckResult]:
    results: list[CheckResult] = []
    for name, check in CHECKS:
        try:
            results.extend(check(context))
        except MissingOutput as missing:
            results.append(
                failed(
                    name,
                    f"the stack has no output {missing.key!r}, so this could not be checked",
                    "run `pulumi up` with this program (it exports that output), then verify again",
                )
            )
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "Error")
            results.append(failed(name, f"AWS refused a call: {code}: {error}", _permission_fix(code)))
        except BotoCoreError as error:
            results.append(failed(name, f"AWS call failed: {error}", "check the network and retry"))
    return results


def _permission_fix(code: str) -> str:
    if code in ("AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError"):
        return (
            "give the verifying identity the read-only permissions README lists under `make verify` "
            "(AWS's ReadOnlyAccess policy covers them)"
        )
    return "retry; if it persists, the message above names the resource or parameter AWS rejected"
