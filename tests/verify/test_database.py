"""The database check: Multi-AZ, encrypted storage, parameter group in-sync."""

from tests.verify.conftest import only
from verify.results import Status


def _with_status(status):
    # Moto always reports "in-sync"; AWS reports "pending-reboot" while a change waits for a reboot.
    def change(answer):
        for instance in answer["DBInstances"]:
            for group in instance["DBParameterGroups"]:
                group["ParameterApplyStatus"] = status

    return change


def test_a_single_az_database_fails(deployed):
    deployed.client("rds").modify_db_instance(
        DBInstanceIdentifier="secure-aws-prod-db", MultiAZ=False, ApplyImmediately=True
    )
    result = only(deployed.results("database"), Status.FAIL)
    assert "is not Multi-AZ" in result.summary and "--multi-az" in result.fix


def test_an_unencrypted_database_fails(deployed):
    rds = deployed.client("rds")
    rds.delete_db_instance(DBInstanceIdentifier="secure-aws-prod-db", SkipFinalSnapshot=True)
    instance = rds.create_db_instance(
        DBInstanceIdentifier="secure-aws-prod-db",
        Engine="postgres",
        DBInstanceClass="db.t4g.medium",
        AllocatedStorage=20,
        MasterUsername="appadmin",
        MasterUserPassword="not-a-real-password-1",
        MultiAZ=True,
        StorageEncrypted=False,
        DBParameterGroupName="database-params",
    )["DBInstance"]
    deployed.outputs["databaseEndpoint"] = instance["Endpoint"]["Address"]
    result = only(deployed.results("database"), Status.FAIL)
    assert "unencrypted storage" in result.summary and "snapshot" in result.fix


def test_a_parameter_group_pending_reboot_fails_with_the_reboot_command(deployed):
    deployed.override("rds.DescribeDBInstances", _with_status("pending-reboot"))
    result = only(deployed.results("database"), Status.FAIL)
    assert "pending-reboot" in result.summary and "reboot-db-instance" in result.fix


def test_a_parameter_group_still_applying_is_a_warning(deployed):
    deployed.override("rds.DescribeDBInstances", _with_status("applying"))
    only(deployed.results("database"), Status.WARN)


def test_no_instance_at_the_endpoint_fails(deployed):
    deployed.outputs["databaseEndpoint"] = "gone.abcdefghij.us-east-1.rds.amazonaws.com"
    result = only(deployed.results("database"), Status.FAIL)
    assert "no DB instance answers" in result.summary
