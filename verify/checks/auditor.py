"""The compliance auditor is deployed and active and, with --invoke, runs now and reports no findings.

--invoke is the one call of `make verify` that is not read-only: it runs a full audit, which puts the
ComplianceFindings metric and mails any findings to the alert topic, exactly like a scheduled run.
"""

from __future__ import annotations

import json

from verify.context import Context
from verify.results import CheckResult, failed, passed, skipped

CHECK = "auditor"
SHOWN_FINDINGS = 5


def check_auditor(context: Context) -> list[CheckResult]:
    name = context.outputs.require("auditorFunctionName")
    lambda_client = context.client("lambda")
    configuration = lambda_client.get_function_configuration(FunctionName=name)
    state, update = configuration.get("State", "Active"), configuration.get("LastUpdateStatus", "Successful")
    if state != "Active" or update == "Failed":
        reason = configuration.get("StateReason") or configuration.get("LastUpdateStatusReason") or "no reason given"
        return [
            failed(
                CHECK,
                f"auditor function {name} is {state} (last update {update}): {reason}",
                "run `pulumi up` to redeploy it; the reason above names what Lambda could not set up",
            )
        ]
    if not context.invoke_auditor:
        return [
            passed(CHECK, f"auditor function {name} is active"),
            skipped(CHECK, "auditor run not invoked: --invoke runs an audit now (the one call that is not read-only)"),
        ]
    response = lambda_client.invoke(
        FunctionName=name, InvocationType="RequestResponse", Payload=json.dumps({"source": "secure-aws.verify"})
    )
    payload = response["Payload"].read().decode("utf-8", "replace")
    if response.get("FunctionError"):
        return [
            failed(
                CHECK,
                f"auditor function {name} failed: {_error_message(payload)}",
                f"read the run's log in /aws/lambda/{name}; fix what it names and invoke again",
            )
        ]
    try:
        findings = json.loads(payload)["findings"]
    except (json.JSONDecodeError, KeyError, TypeError):
        return [
            failed(
                CHECK,
                f"auditor function {name} returned no findings list: {payload[:200]!r}",
                "redeploy it with `pulumi up` (it is not the stack's auditor code)",
            )
        ]
    if findings:
        listed = "; ".join(f"[{f['rule']}] {f['resource']}: {f['detail']}" for f in findings[:SHOWN_FINDINGS])
        more = f" (and {len(findings) - SHOWN_FINDINGS} more)" if len(findings) > SHOWN_FINDINGS else ""
        return [
            failed(
                CHECK,
                f"the auditor found {len(findings)} problem(s): {listed}{more}",
                "fix each finding's resource (lambda/README.md explains every rule), then invoke again",
            )
        ]
    return [passed(CHECK, f"auditor function {name} ran and reported no findings")]


def _error_message(payload: str) -> str:
    try:
        error = json.loads(payload)
    except json.JSONDecodeError:
        return payload[:200]
    return f"{error.get('errorType', 'Error')}: {error.get('errorMessage', '')}" if isinstance(error, dict) else payload
