"""ElastiCache: replication groups encrypted at rest with our key and in transit, with AUTH or RBAC; serverless
caches with our key."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import customer_key_problem
from ..props import UNKNOWN, is_set, peek, truthy
from ..registry import FSBP, PROJECT, Category, resource_policy
from ..types import ELASTICACHE_REPLICATION_GROUP, ELASTICACHE_SERVERLESS_CACHE


@resource_policy(
    name="elasticache-encrypted-with-cmk",
    description="ElastiCache replication groups are encrypted at rest with our customer-managed KMS key, and "
    "serverless caches use our key. Left out, a replication group's `at_rest_encryption_enabled` is off (the "
    "ElastiCache API default for Redis OSS), and `kms_key_id` left out means 'service managed encryption' "
    "(pulumi-aws 7 elasticache.ReplicationGroup); a serverless cache without `kms_key_id` uses 'a default service "
    "key'.",
    types=[ELASTICACHE_REPLICATION_GROUP, ELASTICACHE_SERVERLESS_CACHE],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[FSBP("ElastiCache.4"), PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set at_rest_encryption_enabled=True and kms_key_id=<our key ARN> on aws.elasticache.ReplicationGroup "
    "(kms_key_id on aws.elasticache.ServerlessCache).",
)
def elasticache_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    if args.resource_type == ELASTICACHE_REPLICATION_GROUP:
        enabled = peek(args.props, "atRestEncryptionEnabled")
        if enabled is UNKNOWN:
            return
        if not truthy(enabled):
            report(
                f"replication group {args.name}: at_rest_encryption_enabled is not true, so its data is stored "
                "unencrypted."
            )
            return
    problem = customer_key_problem(args.props, "kmsKeyId")
    if problem:
        report(f"{args.name}: {problem}.")


@resource_policy(
    name="elasticache-encrypted-in-transit",
    description="ElastiCache replication groups encrypt traffic in transit (`transit_encryption_enabled`, off when "
    "left out) and authenticate clients: an AUTH token or RBAC user groups. A `transit_encryption_mode` of "
    "'preferred' (the migration mode) still accepts plaintext connections; 'required' or the mode left out passes "
    "(pulumi-aws 7: the mode is 'a setting that enables clients to migrate to in-transit encryption').",
    types=[ELASTICACHE_REPLICATION_GROUP],
    severity=Severity.MEDIUM,
    category=Category.TRANSIT,
    controls=[FSBP("ElastiCache.5"), FSBP("ElastiCache.6")],
    remediation="Set transit_encryption_enabled=True (transit_encryption_mode 'required') and an auth_token from a "
    "secret, or user_group_ids for RBAC.",
)
def elasticache_encrypted_in_transit(args: Any, report: Any, config: dict) -> None:
    enabled = peek(args.props, "transitEncryptionEnabled")
    if enabled is UNKNOWN:
        return
    if not truthy(enabled):
        report(f"replication group {args.name}: transit_encryption_enabled is not true: clients connect in plaintext.")
        return
    if peek(args.props, "transitEncryptionMode") == "preferred":
        report(f"replication group {args.name}: transit_encryption_mode 'preferred' still accepts plaintext clients.")
    if not (is_set(args.props, "authToken") or is_set(args.props, "authTokenWo") or is_set(args.props, "userGroupIds")):
        report(f"replication group {args.name}: no auth_token and no user_group_ids: any client in reach may connect.")
