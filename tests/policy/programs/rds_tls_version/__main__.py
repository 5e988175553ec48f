"""RDS and Aurora TLS versions (tests/policy/test_rds_tls_version.py): each engine's group once accepting only TLS
1.2+ ("ok-") and once naming an older version, in a DB parameter group and in a DB cluster parameter group."""

import pulumi_aws as aws

rds = aws.rds


def group(name: str, family: str, settings: dict[str, str]) -> None:
    rds.ParameterGroup(
        name,
        family=family,
        parameters=[rds.ParameterGroupParameterArgs(name=k, value=v) for k, v in settings.items()],
    )


def cluster_group(name: str, family: str, settings: dict[str, str]) -> None:
    rds.ClusterParameterGroup(
        name,
        family=family,
        parameters=[rds.ClusterParameterGroupParameterArgs(name=k, value=v) for k, v in settings.items()],
    )


group("ok-mysql-tls", "mysql8.0", {"require_secure_transport": "1", "tls_version": "TLSv1.2,TLSv1.3"})
group("ok-postgres-tls", "postgres16", {"rds.force_ssl": "1", "ssl_min_protocol_version": "TLSv1.3"})
# Left out: the engine default (TLSv1.2 and newer) applies.
group("ok-postgres-tls-left-out", "postgres16", {"rds.force_ssl": "1"})
# An old version listed beside a current one is still accepted.
group("mariadb-old-tls", "mariadb10.11", {"require_secure_transport": "1", "tls_version": "TLSv1.1,TLSv1.2"})
group("postgres-old-tls", "postgres16", {"rds.force_ssl": "1", "ssl_min_protocol_version": "TLSv1.1"})
cluster_group("aurora-mysql-old-tls", "aurora-mysql8.0", {"require_secure_transport": "ON", "tls_version": "TLSv1"})
cluster_group(
    "ok-aurora-postgres-tls", "aurora-postgresql16", {"rds.force_ssl": "1", "ssl_min_protocol_version": "TLSv1.2"}
)
