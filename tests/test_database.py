"""The database tier: Multi-AZ, encrypted, TLS-only PostgreSQL, reachable only from its clients' groups."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from components.database import DatabaseArgs, DatabaseEngineArgs, DatabaseNetworkArgs, validate_database_args
from preflight.record import ProgramError, RecordedResource, Recording, is_unknown
from tests.conftest import run_stack

COMPONENT = "secure-aws:database:Database"
INSTANCE = "aws:rds/instance:Instance"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
IDENTIFIER = "secure-aws-prod-db"


@pytest.fixture(scope="module")
def customised() -> Recording:
    return run_stack(
        preview=False,
        environment="Staging",
        dbEngineVersion="17",
        dbPort="6543",
        backupRetentionDays="14",
        dbAllocatedStorageGb="50",
        dbMaxAllocatedStorageGb="200",
        dbInstanceClass="db.m7g.large",
        dbMasterUsername="owner",
    )


def instance(rec: Recording) -> RecordedResource:
    (db,) = rec.of_type(INSTANCE)
    return db


def rules_on(rec: Recording, kind: str, group: RecordedResource) -> list[RecordedResource]:
    return [r for r in rec.of_type(kind) if r.property_dependencies.get("securityGroupId") == [group.urn]]


def rules_referencing(rec: Recording, kind: str, group: RecordedResource) -> list[RecordedResource]:
    return [r for r in rec.of_type(kind) if r.property_dependencies.get("referencedSecurityGroupId") == [group.urn]]


def connecting_groups(rec: Recording) -> set[str]:
    """The groups whose members connect to the database: the app instances'."""
    return {rec.named("web-app-sg").urn}


def admitted_groups(rec: Recording) -> set[str]:
    """The groups the database admits: the connecting ones, and the auditor function's when it exists."""
    function_components = {r.urn for r in rec.resources if r.type.startswith("secure-aws:function:")}
    auditor = {r.urn for r in rec.of_type(SECURITY_GROUP) if r.parent in function_components}
    return connecting_groups(rec) | auditor


def keys_anywhere(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_anywhere(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_anywhere(v)}
    return set()


# Section: structure ---------------------------------------------------------------------------------------------


def test_every_database_resource_is_a_child_of_the_database_tier(prod):
    (tier,) = prod.of_type(COMPONENT)
    children = [r for r in prod.resources if r.name.startswith("database-")]
    assert {r.parent for r in children} == {tier.urn}
    assert {"database-instance", "database-sg", "database-params", "database-subnet-group"} <= {
        r.name for r in children
    }


# Section: network access ----------------------------------------------------------------------------------------


def test_database_group_has_no_inline_rules_and_no_egress(prod):
    group = prod.named("database-sg")
    assert group.inputs["description"]
    assert not group.inputs["namePrefix"].startswith("sg-")
    assert "ingress" not in group.inputs and "egress" not in group.inputs
    assert rules_on(prod, EGRESS, group) == []


def test_database_is_reachable_only_from_the_app_and_function_groups(prod):
    group = prod.named("database-sg")
    ingress = rules_on(prod, INGRESS, group)
    sources = {urn for rule in ingress for urn in rule.property_dependencies["referencedSecurityGroupId"]}
    assert prod.named("web-app-sg").urn in sources
    assert sources == admitted_groups(prod)
    assert prod.named("function-sg").urn in sources
    for rule in ingress:
        assert (rule.inputs["fromPort"], rule.inputs["toPort"], rule.inputs["ipProtocol"]) == (5432, 5432, "tcp")
        assert "cidrIpv4" not in rule.inputs and "cidrIpv6" not in rule.inputs
        assert rule.inputs["description"]


def test_no_cidr_rule_reaches_the_database_port(prod):
    assert [
        r.name for r in prod.of_type(INGRESS) if r.inputs.get("fromPort") == 5432 and r.inputs.get("cidrIpv4")
    ] == []


def test_only_connecting_clients_get_the_matching_egress_to_the_database(prod):
    group = prod.named("database-sg")
    egress = rules_referencing(prod, EGRESS, group)
    assert {urn for rule in egress for urn in rule.property_dependencies["securityGroupId"]} == connecting_groups(prod)
    for rule in egress:
        assert (rule.inputs["fromPort"], rule.inputs["toPort"]) == (5432, 5432)


def test_the_auditor_is_admitted_without_any_egress_written_by_the_database_tier(prod):
    (tier,) = prod.of_type(COMPONENT)
    auditor_group = prod.named("function-sg").urn
    written_here = [r for r in prod.of_type(EGRESS) if r.parent == tier.urn]
    assert all(r.property_dependencies["securityGroupId"] != [auditor_group] for r in written_here)
    assert [r.name for r in written_here] == ["database-app-egress"]


def test_database_port_follows_config_in_the_instance_and_every_rule(customised):
    group = customised.named("database-sg")
    assert instance(customised).inputs["port"] == 6543
    rules = rules_on(customised, INGRESS, group) + rules_referencing(customised, EGRESS, group)
    assert rules and {(r.inputs["fromPort"], r.inputs["toPort"]) for r in rules} == {(6543, 6543)}


# Section: instance ----------------------------------------------------------------------------------------------


def test_database_is_multi_az_private_and_in_the_data_subnets(prod):
    db = instance(prod)
    assert db.inputs["multiAz"] is True
    assert db.inputs["publiclyAccessible"] is False
    assert db.property_dependencies["dbSubnetGroupName"] == [prod.named("database-subnet-group").urn]
    assert db.property_dependencies["vpcSecurityGroupIds"] == [prod.named("database-sg").urn]
    data_subnets = {r.urn for r in prod.resources if r.name.startswith("network-data-subnet-")}
    assert len(data_subnets) == 2
    assert set(prod.named("database-subnet-group").property_dependencies["subnetIds"]) == data_subnets


def test_subnet_group_holds_exactly_the_data_subnets(prod_apply):
    group = prod_apply.named("database-subnet-group")
    assert group.inputs["subnetIds"] == prod_apply.stack_outputs["dataSubnetIds"]


def test_database_runs_a_supported_postgres_with_automatic_minor_upgrades(prod):
    db = instance(prod)
    assert (db.inputs["engine"], db.inputs["engineVersion"]) == ("postgres", "16")
    assert db.inputs["autoMinorVersionUpgrade"] is True
    assert db.inputs["instanceClass"] == "db.t4g.medium"


def test_storage_is_encrypted_gp3_with_our_key_and_autoscales(prod):
    db = instance(prod)
    assert db.inputs["storageEncrypted"] is True
    assert db.inputs["storageType"] == "gp3"
    assert (db.inputs["allocatedStorage"], db.inputs["maxAllocatedStorage"]) == (20, 100)
    key = prod.named("encryption-key").urn
    for field_name in ("kmsKeyId", "performanceInsightsKmsKeyId", "masterUserSecretKmsKeyId"):
        assert db.property_dependencies[field_name] == [key], field_name


def test_every_key_of_the_database_is_the_stack_key(prod_apply):
    db = instance(prod_apply)
    key = prod_apply.stack_outputs["kmsKeyArn"]
    assert db.inputs["kmsKeyId"] == key
    assert db.inputs["performanceInsightsKmsKeyId"] == key
    assert db.inputs["masterUserSecretKmsKeyId"] == key


def test_backups_snapshots_and_deletion_are_production_grade(prod):
    db = instance(prod)
    assert db.inputs["backupRetentionPeriod"] == 7
    assert db.inputs["copyTagsToSnapshot"] is True
    assert db.inputs["deletionProtection"] is True
    assert db.inputs["skipFinalSnapshot"] is False
    assert db.inputs["deleteAutomatedBackups"] is False
    assert db.protect is True


def test_final_snapshot_name_is_unique_per_deployment_and_stable_within_it(prod_apply):
    # A fixed "<identifier>-final" makes the second deletion after a rebuild fail on the first one's snapshot.
    suffix = prod_apply.named("database-final-snapshot-suffix")
    assert suffix.type == "random:index/randomId:RandomId"
    assert suffix.inputs["byteLength"] == 4
    # Kept in state, and renewed only with the database it names (a new identifier is a new database).
    assert suffix.inputs["keepers"] == {"identifier": IDENTIFIER}
    name = instance(prod_apply).inputs["finalSnapshotIdentifier"]
    assert name == f"{IDENTIFIER}-final-{suffix.outputs['hex']}"
    assert instance(prod_apply).property_dependencies["finalSnapshotIdentifier"] == [suffix.urn]


def test_final_snapshot_name_is_a_valid_rds_snapshot_identifier(prod_apply):
    # 1-255 letters, digits and hyphens, a letter first, no double or trailing hyphen.
    name = instance(prod_apply).inputs["finalSnapshotIdentifier"]
    assert re.fullmatch(r"[a-z](?!.*--)[a-z0-9-]{0,254}(?<!-)", name), name


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def test_backup_and_maintenance_windows_do_not_overlap(prod):
    db = instance(prod)
    backup_start, backup_end = (_minutes(t) for t in db.inputs["backupWindow"].split("-"))
    maintenance = db.inputs["maintenanceWindow"].split("-")
    maintenance_start = _minutes(maintenance[0].split(":", 1)[1])
    maintenance_end = _minutes(maintenance[1].split(":", 1)[1])
    assert backup_end - backup_start >= 30
    # Maintenance runs once a week on one day; the backup runs every day, so compare the clock times.
    assert backup_end <= maintenance_start or maintenance_end <= backup_start


def test_non_production_may_be_deleted_without_a_final_snapshot(customised):
    for kind in ("postgresql", "upgrade"):
        group = customised.named(f"database-{kind}-logs")
        assert (group.inputs["deletionProtectionEnabled"], group.protect) == (False, False)
    db = instance(customised)
    assert db.inputs["deletionProtection"] is False
    assert db.inputs["skipFinalSnapshot"] is True
    assert "finalSnapshotIdentifier" not in db.inputs
    assert not [r for r in customised.resources if r.name == "database-final-snapshot-suffix"]
    assert db.protect is False


def test_sizes_version_retention_and_user_follow_config(customised):
    db = instance(customised)
    assert db.inputs["engineVersion"] == "17"
    assert db.inputs["backupRetentionPeriod"] == 14
    assert (db.inputs["allocatedStorage"], db.inputs["maxAllocatedStorage"]) == (50, 200)
    assert db.inputs["instanceClass"] == "db.m7g.large"
    assert db.inputs["username"] == "owner"
    assert customised.named("database-params").inputs["family"] == "postgres17"


def test_parameter_group_forces_tls_and_logs_connections(prod):
    params = prod.named("database-params")
    assert params.inputs["family"] == "postgres16"
    values = {p["name"]: (p["value"], p["applyMethod"]) for p in params.inputs["parameters"]}
    # Each with the apply method RDS reads back, so the group converges: rds.force_ssl set "immediate" reads
    # back as "pending-reboot" on postgres16/17, a diff that never settles (terraform-provider-aws#39252).
    assert values == {
        "rds.force_ssl": ("1", "pending-reboot"),
        "log_connections": ("1", "immediate"),
        "log_disconnections": ("1", "immediate"),
    }
    assert instance(prod).property_dependencies["parameterGroupName"] == [params.urn]


def test_logs_are_exported_to_encrypted_log_groups_created_first(prod):
    db = instance(prod)
    assert db.inputs["enabledCloudwatchLogsExports"] == ["postgresql", "upgrade"]
    for kind in ("postgresql", "upgrade"):
        group = prod.named(f"database-{kind}-logs")
        assert group.inputs["name"] == f"/aws/rds/instance/{IDENTIFIER}/{kind}"
        assert group.inputs["retentionInDays"] == 365
        assert group.property_dependencies["kmsKeyId"] == [prod.named("encryption-key").urn]
        assert group.urn in db.dependencies
        assert group.protect is True
        assert group.inputs["deletionProtectionEnabled"] is True
    assert db.inputs["identifier"] == IDENTIFIER


def test_performance_insights_enhanced_monitoring_and_iam_auth_are_on(prod):
    db = instance(prod)
    assert db.inputs["performanceInsightsEnabled"] is True
    assert db.inputs["monitoringInterval"] == 60
    assert db.property_dependencies["monitoringRoleArn"] == [prod.named("database-monitoring-role").urn]
    assert db.inputs["iamDatabaseAuthenticationEnabled"] is True


def test_monitoring_role_is_for_rds_monitoring_and_writes_only_its_log_group(prod_apply):
    trust = json.loads(prod_apply.named("database-monitoring-role").inputs["assumeRolePolicy"])
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Service": "monitoring.rds.amazonaws.com"}
    policy = json.loads(prod_apply.named("database-monitoring-policy").inputs["policy"])
    log_group = "arn:aws:logs:us-east-1:123456789012:log-group:RDSOSMetrics"
    resources = {
        r for s in policy["Statement"] for r in ([s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"])
    }
    assert resources == {log_group, f"{log_group}:log-stream:*"}
    actions = {a for s in policy["Statement"] for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
    assert all(action.startswith("logs:") and "*" not in action for action in actions)
    assert "managedPolicyArns" not in prod_apply.named("database-monitoring-role").inputs


def test_master_password_is_managed_by_rds_and_never_in_any_input(prod):
    db = instance(prod)
    assert db.inputs["manageMasterUserPassword"] is True
    assert db.inputs["username"] == "appadmin"
    for resource in prod.resources:
        if resource.type == "aws:iam/accountPasswordPolicy:AccountPasswordPolicy":
            continue  # rules for IAM users' passwords (minimum length, reuse), not a password
        password_keys = {k for k in keys_anywhere(resource.inputs) if "password" in k.lower()}
        assert password_keys <= {"manageMasterUserPassword"}, resource.name
    assert prod.of_type("random:index/randomPassword:RandomPassword") == []


def test_exports_give_the_endpoint_port_and_secret_arn_never_a_password(prod_apply):
    outputs = prod_apply.stack_outputs
    db = instance(prod_apply)
    assert outputs["databaseEndpoint"] == db.outputs["address"]
    assert outputs["databasePort"] == 5432
    assert outputs["databaseMasterSecretArn"] == db.outputs["masterUserSecrets"][0]["secretArn"]
    assert outputs["databaseMasterSecretArn"].startswith("arn:aws:secretsmanager:us-east-1:")
    assert not any("password" in name.lower() for name in outputs)


def test_preview_exports_are_unknown_not_missing(prod_preview):
    assert is_unknown(prod_preview.stack_outputs["databaseEndpoint"])
    assert is_unknown(prod_preview.stack_outputs["databaseMasterSecretArn"])
    assert prod_preview.stack_outputs["databasePort"] == 5432


def test_alarms_watch_cpu_storage_and_memory_and_notify_the_alert_topic(prod_apply):
    alarms = {r.inputs["metricName"]: r for r in prod_apply.of_type(ALARM) if r.name.startswith("database-")}
    assert set(alarms) == {"CPUUtilization", "FreeStorageSpace", "FreeableMemory"}
    for alarm in alarms.values():
        assert alarm.inputs["namespace"] == "AWS/RDS"
        assert alarm.inputs["dimensions"] == {"DBInstanceIdentifier": IDENTIFIER}
        assert alarm.inputs["alarmActions"] == [prod_apply.stack_outputs["alertTopicArn"]]
    assert (alarms["CPUUtilization"].inputs["comparisonOperator"], alarms["CPUUtilization"].inputs["threshold"]) == (
        "GreaterThanThreshold",
        80,
    )
    assert alarms["FreeStorageSpace"].inputs["comparisonOperator"] == "LessThanThreshold"
    assert alarms["FreeStorageSpace"].inputs["threshold"] == 2 * 1024**3
    assert alarms["FreeableMemory"].inputs["comparisonOperator"] == "LessThanThreshold"


# Section: bad config --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("dbEngineVersion", "13", "supported major version"),
        ("backupRetentionDays", "3", "at least 7"),
        ("backupRetentionDays", "36", "between 1 and 35"),
        ("dbMaxAllocatedStorageGb", "54", "at least 10 % above dbAllocatedStorageGb (50)"),
        ("dbAllocatedStorageGb", "10", "between 20 and 65536"),
        ("dbMasterUsername", "postgres", "reserved"),
        ("dbInstanceClass", "m5.large", "RDS instance class"),
        ("dbPort", "80", "between 1150 and 65535"),
    ],
)
def test_bad_database_config_names_the_key_and_registers_nothing(key, value, fragment):
    # A 50 GB database: RDS refuses a storage autoscaling ceiling under 55 GB (10 % above).
    overrides = {key: value, **({"dbAllocatedStorageGb": "50"} if key == "dbMaxAllocatedStorageGb" else {})}
    with pytest.raises(ProgramError) as caught:
        run_stack(preview=True, **overrides)
    assert f"config key '{key}'" in str(caught.value)
    assert fragment in str(caught.value)
    assert caught.value.recording is not None
    assert caught.value.recording.resources == []


def _args(**changes: Any) -> DatabaseArgs:
    """Good args with `changes` applied, each by its field name wherever it is grouped."""
    network: dict[str, Any] = {
        "vpc_id": "vpc-1",
        "data_subnet_ids": ["subnet-a", "subnet-b"],
        "port": 5432,
        "connecting_security_group_ids": {"app": "sg-1"},
        "admitted_security_group_ids": {"auditor": "sg-2"},
    }
    engine: dict[str, Any] = {
        "engine_version": "16",
        "instance_class": "db.t4g.medium",
        "allocated_storage_gb": 20,
        "max_allocated_storage_gb": 100,
        "master_username": "appadmin",
        "db_name": "app",
    }
    top: dict[str, Any] = {
        "identifier": "secure-aws-prod-db",
        "kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/k",
        "alert_topic_arn": "arn:aws:sns:us-east-1:123456789012:alerts",
        "backup_retention_days": 7,
        "log_retention_days": 365,
        "is_production": True,
    }
    for key, value in changes.items():
        group = network if key in network else engine if key in engine else top
        assert key in group, f"DatabaseArgs has no field {key}"
        group[key] = value
    return DatabaseArgs(network=DatabaseNetworkArgs(**network), engine=DatabaseEngineArgs(**engine), **top)


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"identifier": "Bad--Name"}, "not a valid RDS DB identifier"),
        ({"identifier": "db-"}, "not a valid RDS DB identifier"),
        ({"engine_version": "15"}, "not a supported major version"),
        ({"engine_version": "16.4"}, "not a supported major version"),
        ({"backup_retention_days": 1}, "at least 7"),
        ({"allocated_storage_gb": 100, "max_allocated_storage_gb": 100}, "at least 10 % above"),
        ({"allocated_storage_gb": 100, "max_allocated_storage_gb": 109}, r"\(110 for 100\)"),
        ({"data_subnet_ids": ["subnet-a"]}, "at least 2 AZs"),
        ({"master_username": "postgres"}, "custom master user name"),
        ({"master_username": "Administrator"}, "custom master user name"),
    ],
)
def test_component_refuses_unsafe_args(changes, fragment):
    with pytest.raises(ValueError, match=fragment):
        validate_database_args(_args(**changes))


@pytest.mark.parametrize("field_name", ["connecting_security_group_ids", "admitted_security_group_ids"])
def test_clients_must_be_named_so_rules_keep_their_names(field_name):
    with pytest.raises(TypeError, match=f"{field_name} maps a client name"):
        validate_database_args(_args(**{field_name: ["sg-1"]}))


def test_a_client_is_either_connecting_or_admitted_not_both():
    with pytest.raises(ValueError, match="app is both a connecting and an admitted client"):
        validate_database_args(_args(admitted_security_group_ids={"app": "sg-1"}))


def test_good_args_pass_validation():
    validate_database_args(_args())
