"""Redshift: clusters and serverless workgroups are not reachable from the internet."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import customer_key_problem
from ..props import UNKNOWN, falsy, peek, truthy, value
from ..registry import FSBP, PROJECT, Category, resource_policy
from ..types import REDSHIFT_CLUSTER, REDSHIFT_SERVERLESS_WORKGROUP


@resource_policy(
    name="redshift-cluster-not-public",
    description="Redshift clusters are not publicly accessible (`publiclyAccessible` left out is false in "
    "pulumi-aws v7).",
    types=[REDSHIFT_CLUSTER],
    severity=Severity.CRITICAL,
    category=Category.NETWORK,
    controls=[FSBP("Redshift.1")],
    remediation="Set publicly_accessible=False (or leave it out) and reach the cluster from inside the VPC.",
)
def redshift_cluster_not_public(args: Any, report: Any, config: dict) -> None:
    # pulumi_aws/redshift/cluster.py: publicly_accessible "If true, the cluster can be accessed from a public
    # network. Default is `false`."
    if truthy(value(args.props, "publiclyAccessible", False)):
        report(f"cluster {args.name} sets publiclyAccessible, so it gets a public address reachable from the internet.")


@resource_policy(
    name="redshift-serverless-workgroup-not-public",
    description="Redshift Serverless workgroups are not publicly accessible (`publiclyAccessible` true is refused).",
    types=[REDSHIFT_SERVERLESS_WORKGROUP],
    severity=Severity.CRITICAL,
    category=Category.NETWORK,
    controls=[PROJECT("no-public-data-stores")],
    remediation="Set publicly_accessible=False (or leave it out) and reach the workgroup from inside the VPC.",
)
def redshift_serverless_workgroup_not_public(args: Any, report: Any, config: dict) -> None:
    # pulumi_aws/redshiftserverless/workgroup.py: publicly_accessible "A value that specifies whether the workgroup
    # can be accessed from a public network."
    if truthy(value(args.props, "publiclyAccessible", False)):
        report(f"workgroup {args.name} sets publiclyAccessible, so it is reachable from the internet.")


@resource_policy(
    name="redshift-cluster-encrypted-with-cmk",
    description="Redshift clusters encrypt data at rest with our customer-managed KMS key: `encrypted` is not false "
    "and `kms_key_id` is our key (left out, Redshift encrypts with an AWS owned or managed key, not ours; "
    "pulumi-aws 7 redshift.Cluster: 'When specifying kms_key_id, encrypted needs to be set to true').",
    types=[REDSHIFT_CLUSTER],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[FSBP("Redshift.10"), PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set encrypted='true' and kms_key_id=<our key ARN> on aws.redshift.Cluster.",
)
def redshift_cluster_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    encrypted = peek(args.props, "encrypted")
    if encrypted is UNKNOWN:
        return
    if falsy(encrypted):
        report(f"Redshift cluster {args.name}: encrypted is false, so its data is stored unencrypted.")
        return
    problem = customer_key_problem(args.props, "kmsKeyId")
    if problem:
        report(f"Redshift cluster {args.name}: {problem}.")
