"""RDS in transit beyond PostgreSQL (tests/policy/test_rds_tls.py): "ok-" databases use a group of this stack that
requires TLS; the others are named after their fault."""

import pulumi_aws as aws


def group(name: str, family: str, parameter: str, on: str) -> aws.rds.ParameterGroup:
    return aws.rds.ParameterGroup(
        name, family=family, parameters=[aws.rds.ParameterGroupParameterArgs(name=parameter, value=on)]
    )


def instance(name: str, engine: str, parameter_group_name=None) -> None:
    aws.rds.Instance(
        name,
        engine=engine,
        instance_class="db.t4g.micro",
        allocated_storage=20,
        username="dbadmin",
        manage_master_user_password=True,
        parameter_group_name=parameter_group_name,
    )


instance("mysql-default-group", "mysql")
instance("mysql-plain-group", "mysql", group("plain-mysql-group", "mysql8.0", "require_secure_transport", "0").name)
instance("ok-mysql", "mysql", group("tls-mysql-group", "mysql8.0", "require_secure_transport", "1").name)
instance("mariadb-outside-group", "mariadb", "shared-mariadb-group")
instance("ok-mariadb", "mariadb", group("tls-mariadb-group", "mariadb10.11", "require_secure_transport", "ON").name)

aws.rds.Cluster(
    "aurora-mysql-default-group", engine="aurora-mysql", master_username="dbadmin", manage_master_user_password=True
)
aurora_pg = aws.rds.ClusterParameterGroup(
    "tls-aurora-pg-group",
    family="aurora-postgresql16",
    parameters=[aws.rds.ClusterParameterGroupParameterArgs(name="rds.force_ssl", value="1")],
)
aws.rds.Cluster(
    "ok-aurora-postgresql",
    engine="aurora-postgresql",
    master_username="dbadmin",
    manage_master_user_password=True,
    db_cluster_parameter_group_name=aurora_pg.name,
)
