"""The flow-log check: the VPC has a flow log and it delivers."""

from tests.verify.conftest import only
from verify.results import Status


def _flow_log_ids(deployed):
    ec2 = deployed.client("ec2")
    flow_logs = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [deployed.outputs["vpcId"]]}])
    return [flow_log["FlowLogId"] for flow_log in flow_logs["FlowLogs"]]


def test_a_vpc_without_a_flow_log_fails(deployed):
    deployed.client("ec2").delete_flow_logs(FlowLogIds=_flow_log_ids(deployed))
    result = only(deployed.results("flow-logs"), Status.FAIL)
    assert "has no flow log" in result.summary and "pulumi up" in result.fix


def test_a_flow_log_that_cannot_deliver_fails_with_the_role_and_key_fix(deployed):
    ec2 = deployed.client("ec2")
    ec2.delete_flow_logs(FlowLogIds=_flow_log_ids(deployed))
    # Moto, like AWS, accepts a flow log to a log group it cannot write to and reports it FAILED/"Access error".
    ec2.create_flow_logs(
        ResourceIds=[deployed.outputs["vpcId"]],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="cloud-watch-logs",
        LogGroupName="/secure-aws/prod/deleted-log-group",
        DeliverLogsPermissionArn="arn:aws:iam::123456789012:role/flow-log-role",
    )
    result = only(deployed.results("flow-logs"), Status.FAIL)
    assert "does not deliver (FAILED): Access error" in result.summary
    assert "vpc-flow-logs.amazonaws.com" in result.fix
