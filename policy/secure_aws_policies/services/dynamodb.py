"""DynamoDB: tables (and their replicas) encrypted with our customer-managed key, with point-in-time recovery."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import Severity

from ..keys import customer_key_problem
from ..props import UNKNOWN, items, peek, truthy
from ..registry import FSBP, PROJECT, Category, resource_policy
from ..types import DYNAMODB_TABLE, DYNAMODB_TABLE_REPLICA


def _table_key_problem(props: Mapping[str, Any]) -> str | None:
    """Why the table is not encrypted with our key. pulumi-aws 7 dynamodb.Table `server_side_encryption`:
    `enabled` false (or the block left out) is the AWS *owned* key; `enabled` true without `kms_key_arn` is the
    AWS *managed* key alias/aws/dynamodb. Only `enabled` true with `kms_key_arn` is a key we manage."""
    sse = peek(props, "serverSideEncryption")
    if sse is UNKNOWN:
        return None
    sse = sse if isinstance(sse, Mapping) else {}
    enabled = peek(sse, "enabled")
    if enabled is UNKNOWN:
        return None
    if not truthy(enabled):
        return (
            "`server_side_encryption` is not enabled, so the table is encrypted with an AWS owned key that we "
            "cannot control or audit"
        )
    return customer_key_problem(sse, "kmsKeyArn")


@resource_policy(
    name="dynamodb-table-encrypted-with-cmk",
    description="DynamoDB tables, their replicas (inline `replicas` and aws.dynamodb.TableReplica) are encrypted "
    "with our customer-managed KMS key. Left out, `server_side_encryption` means an AWS owned key, and a replica "
    "without `kms_key_arn` uses the AWS managed key alias/aws/dynamodb of its region (pulumi-aws 7 dynamodb.Table).",
    types=[DYNAMODB_TABLE, DYNAMODB_TABLE_REPLICA],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set server_side_encryption={'enabled': True, 'kms_key_arn': <our key ARN>} on aws.dynamodb.Table, "
    "and kms_key_arn=<our key ARN in that region> on every replica.",
)
def dynamodb_table_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    if args.resource_type == DYNAMODB_TABLE_REPLICA:
        problem = customer_key_problem(args.props, "kmsKeyArn")
        if problem:
            report(f"DynamoDB table replica {args.name}: {problem}.")
        return
    problem = _table_key_problem(args.props)
    if problem:
        report(f"DynamoDB table {args.name}: {problem}.")
    replicas = peek(args.props, "replicas")
    if replicas is UNKNOWN:
        return
    for index, replica in enumerate(items(replicas)):
        if not isinstance(replica, Mapping):
            continue
        problem = customer_key_problem(replica, "kmsKeyArn")
        if problem:
            # region_name is required on a replica (dynamodb/_inputs.py); no default to judge.
            region = peek(replica, "regionName")
            where = f" in {region}" if isinstance(region, str) else ""
            report(f"DynamoDB table {args.name}: replicas[{index}]{where}: {problem}.")


@resource_policy(
    name="dynamodb-table-point-in-time-recovery",
    description="DynamoDB tables keep continuous backups (point-in-time recovery). Left out, the "
    "`point_in_time_recovery` block means disabled (pulumi-aws 7 dynamodb.Table: 'If the point_in_time_recovery "
    "block is not provided, this defaults to false').",
    types=[DYNAMODB_TABLE],
    severity=Severity.MEDIUM,
    category=Category.RESILIENCE,
    controls=[FSBP("DynamoDB.2")],
    remediation="Set point_in_time_recovery={'enabled': True} on aws.dynamodb.Table.",
)
def dynamodb_table_point_in_time_recovery(args: Any, report: Any, config: dict) -> None:
    pitr = peek(args.props, "pointInTimeRecovery")
    if pitr is UNKNOWN:
        return
    enabled = peek(pitr, "enabled") if isinstance(pitr, Mapping) else None
    if enabled is UNKNOWN or truthy(enabled):
        return
    form = "is disabled" if isinstance(pitr, Mapping) and pitr else "is left out (the default is disabled)"
    report(f"DynamoDB table {args.name}: point-in-time recovery {form}, so a bad write or delete cannot be undone.")
