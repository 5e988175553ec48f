"""Redshift: clusters and serverless workgroups are not reachable from the internet."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..props import truthy, value
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
