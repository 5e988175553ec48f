"""The VPC's flow logs deliver: each flow log of the VPC is active and its delivery status is SUCCESS."""

from __future__ import annotations

from verify.context import Context
from verify.results import CheckResult, failed, passed

CHECK = "flow-logs"

# DeliverLogsErrorMessage values AWS documents (ec2 DescribeFlowLogs) and what causes each.
ERROR_FIXES = {
    "Access error": "the flow log role must trust vpc-flow-logs.amazonaws.com and allow logs:CreateLogStream and "
    "logs:PutLogEvents on the log group, and the stack's KMS key must let CloudWatch Logs use it; `pulumi up` "
    "restores the role and policy if they were changed",
    "Rate limited": "CloudWatch Logs throttled the delivery: raise the account's PutLogEvents quota",
}
DEFAULT_FIX = "recreate the flow log with `pulumi up` (delete it first if it is stuck); see the error above"


def check_flow_logs(context: Context) -> list[CheckResult]:
    vpc_id = context.outputs.require("vpcId")
    response = context.client("ec2").describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc_id]}])
    flow_logs = response.get("FlowLogs", [])
    if not flow_logs:
        return [
            failed(
                CHECK,
                f"VPC {vpc_id} has no flow log: its traffic is not recorded",
                "run `pulumi up`: the network tier creates the flow log (someone deleted it)",
            )
        ]
    results = []
    for flow_log in flow_logs:
        name = f"flow log {flow_log['FlowLogId']} of {vpc_id}"
        status = flow_log.get("DeliverLogsStatus")
        if status != "SUCCESS":
            message = flow_log.get("DeliverLogsErrorMessage") or "no error message"
            results.append(
                failed(CHECK, f"{name} does not deliver ({status}): {message}", ERROR_FIXES.get(message, DEFAULT_FIX))
            )
        elif flow_log.get("FlowLogStatus", "ACTIVE") != "ACTIVE":
            results.append(failed(CHECK, f"{name} is {flow_log['FlowLogStatus']}", DEFAULT_FIX))
    return results or [passed(CHECK, f"VPC {vpc_id}: {len(flow_logs)} flow log(s) delivering")]
