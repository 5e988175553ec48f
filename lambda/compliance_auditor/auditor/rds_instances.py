"""RDS instances: none reachable from the internet, all storage-encrypted."""

from __future__ import annotations

from typing import Any

from auditor.findings import CheckResult

CHECK = "rds-instances"
PUBLIC_ACCESS = "rds-instance-public-access"
STORAGE_ENCRYPTION = "rds-instance-storage-encryption"
RULES = (PUBLIC_ACCESS, STORAGE_ENCRYPTION)
PAGE_SIZE = 100  # the DescribeDBInstances maximum


def evaluate_instance(instance: dict[str, Any]) -> list[tuple[str, str]]:
    """The (rule, detail) pairs one DescribeDBInstances item breaks. Pure."""
    violations = []
    if instance.get("PubliclyAccessible"):
        violations.append((PUBLIC_ACCESS, f"{instance.get('Engine', 'db')} instance is publicly accessible"))
    if not instance.get("StorageEncrypted"):
        violations.append((STORAGE_ENCRYPTION, f"{instance.get('Engine', 'db')} instance storage is not encrypted"))
    return violations


def check_rds_instances(rds: Any) -> CheckResult:
    result = CheckResult()
    result.count(*RULES, resources=0)
    pages = rds.get_paginator("describe_db_instances").paginate(PaginationConfig={"PageSize": PAGE_SIZE})
    for page in pages:
        for instance in page["DBInstances"]:
            result.count(*RULES)
            for rule, detail in evaluate_instance(instance):
                result.add(rule, instance["DBInstanceIdentifier"], detail)
    return result
