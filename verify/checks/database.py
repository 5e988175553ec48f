"""The database is what the stack declared: Multi-AZ, storage encrypted, its parameter group applied.

A parameter group reads "pending-reboot" when a change (TLS enforcement among them) is not in effect yet: the
instance runs without it until the next reboot. The instance is found by the stack's databaseEndpoint output.
"""

from __future__ import annotations

from typing import Any

from verify.context import Context
from verify.results import CheckResult, failed, passed, warned

CHECK = "database"


def check_database(context: Context) -> list[CheckResult]:
    endpoint = context.outputs.require("databaseEndpoint")
    instance = _instance_at(context.client("rds"), endpoint)
    if instance is None:
        return [
            failed(
                CHECK,
                f"no DB instance answers at {endpoint}",
                "run `pulumi up` (the database tier creates it); if it was replaced, the outputs are stale",
            )
        ]
    identifier = instance["DBInstanceIdentifier"]
    results = []
    if not instance.get("MultiAZ"):
        results.append(
            failed(
                CHECK,
                f"database {identifier} is not Multi-AZ: an AZ outage takes it down",
                f"run `pulumi up` (the stack declares Multi-AZ), or aws rds modify-db-instance "
                f"--db-instance-identifier {identifier} --multi-az --apply-immediately",
            )
        )
    if not instance.get("StorageEncrypted"):
        results.append(
            failed(
                CHECK,
                f"database {identifier} has unencrypted storage",
                "storage cannot be encrypted in place: snapshot it, copy the snapshot with the stack's KMS key, "
                "restore from the copy and point the stack at the new instance",
            )
        )
    for group in instance.get("DBParameterGroups", []):
        name, status = group.get("DBParameterGroupName"), group.get("ParameterApplyStatus")
        if status == "pending-reboot":
            results.append(
                failed(
                    CHECK,
                    f"database {identifier}: parameter group {name} is pending-reboot: its settings (TLS only, "
                    "connection logging) are not in effect",
                    f"reboot in a quiet hour: aws rds reboot-db-instance --db-instance-identifier {identifier} "
                    "--force-failover (Multi-AZ: a failover keeps the outage to about a minute)",
                )
            )
        elif status != "in-sync":
            results.append(
                warned(
                    CHECK,
                    f"database {identifier}: parameter group {name} is {status}",
                    "RDS is applying it: verify again in a few minutes",
                )
            )
    return results or [
        passed(CHECK, f"database {identifier} is Multi-AZ, storage encrypted, its parameter group in-sync")
    ]


def _instance_at(rds: Any, endpoint: str) -> dict[str, Any] | None:
    for page in rds.get_paginator("describe_db_instances").paginate():
        for instance in page.get("DBInstances", []):
            if instance.get("Endpoint", {}).get("Address") == endpoint:
                found: dict[str, Any] = instance
                return found
    return None
