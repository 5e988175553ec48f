"""Lambda: functions in the VPC with their environment encrypted by our key, and permissions that name who may
invoke them. (The module is `lambda_` because `lambda` is a Python keyword.)"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from .. import access
from ..keys import report_key
from ..props import UNKNOWN, is_set, peek, value
from ..registry import CDK_NAG, FSBP, PROJECT, SECURITY_HUB, Category, resource_policy
from ..types import (
    LAMBDA_FUNCTION,
    LAMBDA_PERMISSION,
)
from .resource_policies import lambda_permission


@resource_policy(
    name="lambda-environment-encrypted-with-cmk",
    description="Lambda functions with environment variables encrypt them with our customer-managed KMS key.",
    types=[LAMBDA_FUNCTION],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set kms_key_arn=<our key ARN> on the function (and let its role use the key only through "
    "the Lambda service).",
)
def lambda_environment_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    # environment left out: no variables to encrypt; kms_key_arn left out: Lambda uses its AWS managed key
    # (lambda_/function.py: "If not provided when environment variables are in use, AWS Lambda uses a default service
    # key").
    environment = peek(args.props, "environment")
    if environment is None:
        return
    if environment is UNKNOWN:
        environment = value(args.props, "environment")  # cannot tell whether it has variables: let it say so
    if is_set(environment, "variables"):
        report_key(args, report, "kmsKeyArn", "the environment variables of function")


@resource_policy(
    name="lambda-function-in-vpc",
    description="Lambda functions run in a VPC (vpcConfig with subnets).",
    types=[LAMBDA_FUNCTION],
    severity=Severity.LOW,
    category=Category.NETWORK,
    controls=[SECURITY_HUB("Lambda.3"), CDK_NAG("NIST.800.53.R5-LambdaInsideVPC")],
    remediation="Set vpc_config={subnet_ids: <private subnet ids>, security_group_ids: [<function sg>]} and give "
    "the role AWSLambdaVPCAccessExecutionRole-equivalent ENI permissions.",
)
def lambda_function_in_vpc(args: Any, report: Any, config: dict) -> None:
    # vpc_config (or its subnet_ids) left out: the function runs in Lambda's own network, outside our VPC (no
    # default VPC attachment).
    vpc_config = peek(args.props, "vpcConfig")
    if vpc_config is UNKNOWN:
        return  # a vpcConfig built from other resources' outputs: set, subnets included
    if vpc_config is None or not is_set(vpc_config, "subnetIds"):
        report(f"function {args.name} has no vpcConfig with subnets, so it runs outside the VPC's network controls.")


@resource_policy(
    name="lambda-permission-not-public",
    description="No Lambda permission lets anyone invoke the function: principal `*` must be tied to an account or "
    "organization (source_account, principal_org_id, or a source_arn that names an account: the same narrowing as "
    "resource-policy-not-public, read by the same reader); and a service principal (`events.amazonaws.com`, "
    "`s3.amazonaws.com`, ...) needs a source ARN or source account, since without one any resource of that "
    "service, in any account, may invoke it (the confused deputy AWS's Lambda resource-policy guide warns about). "
    "A wildcard before the account in source_arn (`arn:aws:events:*:*:rule/*`) names no source.",
    types=[LAMBDA_PERMISSION],
    severity=Severity.CRITICAL,
    category=Category.ACCESS,
    controls=[FSBP("Lambda.1")],
    remediation="Grant the permission to the calling service principal (events.amazonaws.com, ...) with "
    "source_arn=<the calling resource's ARN> (and source_account=<our account> for S3, whose bucket ARNs name no "
    "account).",
)
def lambda_permission_not_public(args: Any, report: Any, config: dict) -> None:
    for where, statement in lambda_permission(args.props):
        for exposure in access.statement_exposures(statement, where, set()):
            if exposure.kind == access.PUBLIC:
                report(
                    f"permission {args.name} lets any principal invoke the function (principal '*', no sourceArn "
                    "naming an account, sourceAccount or principalOrgId)."
                )
            elif exposure.kind == access.UNSOURCED:
                report(
                    f"permission {args.name} lets any {exposure.who} resource, in any account, invoke the function "
                    "(no sourceArn or sourceAccount)."
                )
