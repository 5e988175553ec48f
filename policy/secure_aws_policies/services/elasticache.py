"""ElastiCache: replication groups encrypted at rest with our key and in transit, with AUTH or RBAC; serverless
caches with our key; standalone cache clusters only where they can encrypt.

A standalone `aws.elasticache.Cluster` of Redis or Valkey can encrypt neither at rest nor in transit (pulumi-aws 7
elasticache.Cluster: 'For Redis or Valkey transit encryption, use elasticache.ReplicationGroup instead'); a
Memcached cluster keeps nothing at rest and encrypts in transit from Memcached 1.6.12 when asked. A cluster that
is a member of a replication group (`replication_group_id`) is the group's to judge.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import customer_key_problem
from ..props import UNKNOWN, is_set, peek, truthy
from ..registry import FSBP, PROJECT, Category, resource_policy
from ..types import ELASTICACHE_CLUSTER, ELASTICACHE_REPLICATION_GROUP, ELASTICACHE_SERVERLESS_CACHE


@resource_policy(
    name="elasticache-encrypted-with-cmk",
    description="ElastiCache replication groups are encrypted at rest with our customer-managed KMS key, and "
    "serverless caches use our key. Left out, a replication group's `at_rest_encryption_enabled` is off (the "
    "ElastiCache API default for Redis OSS), and `kms_key_id` left out means 'service managed encryption' "
    "(pulumi-aws 7 elasticache.ReplicationGroup); a serverless cache without `kms_key_id` uses 'a default service "
    "key'. A standalone Redis or Valkey cache cluster cannot encrypt at rest: it is refused.",
    types=[ELASTICACHE_REPLICATION_GROUP, ELASTICACHE_SERVERLESS_CACHE, ELASTICACHE_CLUSTER],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[FSBP("ElastiCache.4"), PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set at_rest_encryption_enabled=True and kms_key_id=<our key ARN> on aws.elasticache.ReplicationGroup "
    "(kms_key_id on aws.elasticache.ServerlessCache).",
)
def elasticache_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    if args.resource_type == ELASTICACHE_CLUSTER:
        if _standalone_redis(args):
            report(f"cache cluster {args.name}: a standalone Redis/Valkey cluster cannot encrypt at rest.")
        return
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
    "(pulumi-aws 7: the mode is 'a setting that enables clients to migrate to in-transit encryption'). A "
    "standalone cache cluster: Memcached sets transit_encryption_enabled; Redis or Valkey cannot encrypt in transit.",
    types=[ELASTICACHE_REPLICATION_GROUP, ELASTICACHE_CLUSTER],
    severity=Severity.MEDIUM,
    category=Category.TRANSIT,
    controls=[FSBP("ElastiCache.5"), FSBP("ElastiCache.6")],
    remediation="Set transit_encryption_enabled=True (transit_encryption_mode 'required') and an auth_token from a "
    "secret, or user_group_ids for RBAC.",
)
def elasticache_encrypted_in_transit(args: Any, report: Any, config: dict) -> None:
    if args.resource_type == ELASTICACHE_CLUSTER:
        _judge_cluster_in_transit(args, report)
        return
    enabled = peek(args.props, "transitEncryptionEnabled")
    if enabled is UNKNOWN:
        return
    if not truthy(enabled):
        report(f"replication group {args.name}: transit_encryption_enabled is not true: clients connect in plaintext.")
        return
    if peek(args.props, "transitEncryptionMode") == "preferred":
        report(f"replication group {args.name}: transit_encryption_mode 'preferred' still accepts plaintext clients.")
    # auth_token (or its write-only twin auth_token_wo) and user_group_ids left out: no authentication at all
    # (no default token or user group).
    if not (is_set(args.props, "authToken") or is_set(args.props, "authTokenWo") or is_set(args.props, "userGroupIds")):
        report(f"replication group {args.name}: no auth_token and no user_group_ids: any client in reach may connect.")


# replication_group_id left out: a standalone cluster; engine is required unless it joins a group ("Valid values are
# `memcached`, `redis`"), so no default to judge.
def _standalone_redis(args: Any) -> bool:
    """A cache cluster of Redis or Valkey (the engine names it) that belongs to no replication group."""
    if is_set(args.props, "replicationGroupId"):
        return False
    engine = peek(args.props, "engine")
    return engine is not UNKNOWN and str(engine or "").lower() in ("redis", "valkey")


def _judge_cluster_in_transit(args: Any, report: Any) -> None:
    if is_set(args.props, "replicationGroupId"):
        return
    engine = peek(args.props, "engine")
    if engine is UNKNOWN:
        return
    if str(engine or "").lower() == "memcached":
        enabled = peek(args.props, "transitEncryptionEnabled")
        if enabled is not UNKNOWN and not truthy(enabled):
            report(f"cache cluster {args.name}: transit_encryption_enabled is not true: clients connect in plaintext.")
    elif _standalone_redis(args):
        report(
            f"cache cluster {args.name}: a standalone Redis/Valkey cluster cannot encrypt in transit; use an "
            "aws.elasticache.ReplicationGroup."
        )
