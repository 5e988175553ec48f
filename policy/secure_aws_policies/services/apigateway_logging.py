"""API Gateway: every stage writes access logs, so who called which route is on record.

Defaults read from pulumi-aws 7: apigateway/stage.py access_log_settings "Enables access logs for the API stage"
and apigatewayv2/stage.py access_log_settings "Settings for logging access in this stage": left out, a stage writes
no access logs (API Gateway's default); destination_arn and format are required inside the block.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import key_at
from ..props import UNKNOWN, is_set, peek
from ..registry import CDK_NAG, FSBP, Category, resource_policy
from ..types import API_GATEWAY_STAGE, API_GATEWAY_V2_API, API_GATEWAY_V2_STAGE


@resource_policy(
    name="apigateway-stage-access-logging",
    description="REST, HTTP and WebSocket API stages write access logs to a log group (`access_log_settings` with a "
    "destination_arn); left out, API Gateway logs no request. An HTTP API made by quick create (`target`) gets a "
    "$default stage that API Gateway creates without access logs and the program cannot configure.",
    types=[API_GATEWAY_STAGE, API_GATEWAY_V2_STAGE, API_GATEWAY_V2_API],
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    controls=[FSBP("APIGateway.9"), CDK_NAG("AwsSolutions-APIG1")],
    remediation="Set access_log_settings={destination_arn: <log group ARN>, format: <JSON format>} on the stage, "
    "with a log group encrypted with our key and kept minRetentionDays.",
)
def apigateway_stage_access_logging(args: Any, report: Any, config: dict) -> None:
    if args.resource_type == API_GATEWAY_V2_API:
        # target left out: no quick create, the stages are the program's own (judged above); no default to judge.
        if is_set(args.props, "target"):
            report(f"HTTP API {args.name} uses quick create (target), whose $default stage writes no access logs.")
        return
    found = key_at(args.props, "accessLogSettings.destinationArn")
    if found is UNKNOWN:
        return
    destination = peek(found[0], found[1]) if found else None
    if destination in (None, ""):
        report(f"stage {args.name} sets no access_log_settings.destination_arn, so it writes no access logs.")
