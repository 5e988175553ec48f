"""DocumentDB (instance-based and elastic) and Neptune clusters: storage encrypted with our customer-managed key."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import customer_key_problem, flag_then_key_problem
from ..registry import FSBP, PROJECT, Category, resource_policy
from ..types import DOCDB_CLUSTER, DOCDB_ELASTIC_CLUSTER, NEPTUNE_CLUSTER

# The key argument of each: pulumi-aws 7 docdb.Cluster `kms_key_id`, neptune.Cluster `kms_key_arn`.
_KEY_ARGUMENT = {DOCDB_CLUSTER: "kmsKeyId", DOCDB_ELASTIC_CLUSTER: "kmsKeyId", NEPTUNE_CLUSTER: "kmsKeyArn"}


@resource_policy(
    name="docdb-cluster-encrypted-with-cmk",
    description="DocumentDB and Neptune clusters encrypt their storage with our customer-managed KMS key. Left out, "
    "`storage_encrypted` is false (pulumi-aws 7 docdb.Cluster: 'The default is false'; neptune.Cluster: 'The "
    "default is false if not specified'), and without a key argument the AWS managed key (aws/rds) is used. A "
    "replica or restored cluster is judged by its own arguments, as AWS applies them. An elastic cluster is always "
    "encrypted; without `kms_key_id` it uses 'the default encryption key that KMS creates for your account' "
    "(pulumi-aws 7 docdb.ElasticCluster), not ours.",
    types=sorted(_KEY_ARGUMENT),
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[FSBP("DocumentDB.1"), FSBP("Neptune.1"), PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set storage_encrypted=True with kms_key_id=<our key ARN> (DocumentDB) or kms_key_arn=<our key ARN> "
    "(Neptune); an existing cluster is encrypted by restoring a snapshot into a new encrypted cluster.",
)
def docdb_cluster_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    key = _KEY_ARGUMENT[args.resource_type]
    if args.resource_type == DOCDB_ELASTIC_CLUSTER:  # always encrypted: only the key is a choice
        problem = customer_key_problem(args.props, key)
    else:
        unencrypted = "storage_encrypted is not true, so its storage is unencrypted"
        problem = flag_then_key_problem(args.props, "storageEncrypted", key, unencrypted)
    if problem:
        report(f"cluster {args.name}: {problem}.")
