"""DMS: replication instances are not reachable from the internet."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..props import falsy, value
from ..registry import FSBP, Category, resource_policy
from ..types import DMS_REPLICATION_INSTANCE


@resource_policy(
    name="dms-replication-instance-not-public",
    description="DMS replication instances are not publicly accessible: `publiclyAccessible` must be false, since "
    "left out AWS makes the instance public (the CreateReplicationInstance default is true).",
    types=[DMS_REPLICATION_INSTANCE],
    severity=Severity.CRITICAL,
    category=Category.NETWORK,
    controls=[FSBP("DMS.1")],
    remediation="Set publicly_accessible=False and a replication_subnet_group_id of private subnets.",
)
def dms_replication_instance_not_public(args: Any, report: Any, config: dict) -> None:
    # pulumi_aws/dms/replication_instance.py: publicly_accessible is optional and computed ("A value of true
    # represents an instance with a public IP address"); the provider sends nothing when it is left out, and the
    # DMS API's PubliclyAccessible then defaults to true (API_CreateReplicationInstance).
    found = value(args.props, "publiclyAccessible")
    if not falsy(found):
        why = (
            "does not set publiclyAccessible=false (AWS's default is public)"
            if found is None
            else "sets publiclyAccessible"
        )
        report(f"replication instance {args.name} {why}, so it gets a public IP address.")
