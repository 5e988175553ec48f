"""RDS instances: not publicly accessible, storage encrypted."""

from __future__ import annotations

import pytest
from conftest import Account

from auditor import rds_instances
from auditor.rds_instances import PUBLIC_ACCESS, STORAGE_ENCRYPTION


def _create_instance(account: Account, name: str, *, public: bool, encrypted: bool) -> None:
    account.client("rds").create_db_instance(
        DBInstanceIdentifier=name,
        DBInstanceClass="db.t4g.micro",
        Engine="postgres",
        MasterUsername="appadmin",
        MasterUserPassword="correct-horse-battery-staple",
        AllocatedStorage=20,
        PubliclyAccessible=public,
        StorageEncrypted=encrypted,
    )


def test_a_publicly_accessible_instance_is_a_finding(run_audit, clean_account: Account):
    _create_instance(clean_account, "reporting", public=True, encrypted=True)

    assert [(f["rule"], f["resource"], f["detail"]) for f in run_audit()["findings"]] == [
        (PUBLIC_ACCESS, "reporting", "postgres instance is publicly accessible")
    ]


def test_an_unencrypted_instance_is_a_finding(run_audit, clean_account: Account):
    _create_instance(clean_account, "legacy", public=False, encrypted=False)

    assert [(f["rule"], f["resource"], f["detail"]) for f in run_audit()["findings"]] == [
        (STORAGE_ENCRYPTION, "legacy", "postgres instance storage is not encrypted")
    ]


def test_every_page_of_instances_is_checked(run_audit, clean_account: Account, monkeypatch, count_calls):
    monkeypatch.setattr(rds_instances, "PAGE_SIZE", 20)  # the smallest page RDS accepts
    calls = count_calls("rds", "DescribeDBInstances")
    for n in range(20):
        _create_instance(clean_account, f"replica-{n:02}", public=False, encrypted=True)
    _create_instance(clean_account, "zz-last", public=True, encrypted=True)

    result = run_audit()

    assert [call.get("Marker") is not None for call in calls] == [False, True]  # moto pages RDS itself
    assert result["checked"][PUBLIC_ACCESS] == 22
    assert [(f["rule"], f["resource"]) for f in result["findings"]] == [(PUBLIC_ACCESS, "zz-last")]


@pytest.mark.parametrize(
    ("instance", "rules"),
    [
        ({"Engine": "mysql", "PubliclyAccessible": False, "StorageEncrypted": True}, []),
        (
            {"Engine": "mysql", "PubliclyAccessible": True, "StorageEncrypted": False},
            [PUBLIC_ACCESS, STORAGE_ENCRYPTION],
        ),
        ({"Engine": "mysql"}, [STORAGE_ENCRYPTION]),
    ],
)
def test_evaluate_instance(instance, rules):
    assert [rule for rule, _ in rds_instances.evaluate_instance(instance)] == rules
