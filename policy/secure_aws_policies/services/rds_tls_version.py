"""RDS and Aurora parameter groups accept nothing older than TLS 1.2 (issue 13, in transit): `rds-requires-tls`
and `rds-postgres-forces-ssl` make TLS mandatory; this makes the TLS that is negotiated a current one."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..props import UNKNOWN, items, peek
from ..registry import PROJECT, Category, resource_policy
from ..types import RDS_CLUSTER_PARAMETER_GROUP, RDS_PARAMETER_GROUP

# The parameter naming the TLS versions a server accepts, per family prefix, and the versions that are 1.2 or newer.
# Left out, the engine default applies: TLSv1.2 and TLSv1.3 on MySQL 8.0.28 and later (MySQL 8.0 manual, "MySQL
# 8.0.28 and above: TLSv1.2, TLSv1.3"), and ssl_min_protocol_version TLSv1.2 from PostgreSQL 13 (upstream commit
# "Change default of ssl_min_protocol_version to TLSv1.2 (from TLSv1)"). Set explicitly, the value is what AWS runs.
_TLS_PARAMETERS = {
    "ssl_min_protocol_version": ("postgres", "aurora-postgresql"),
    "tls_version": ("mysql", "mariadb", "aurora-mysql"),
}
_MODERN_TLS = {"tlsv1.2", "tlsv1.3"}


def _weak_tls(parameter: Any, family: str) -> str | None:
    name = str(peek(parameter, "name", "")).lower()
    if name not in _TLS_PARAMETERS or not family.startswith(_TLS_PARAMETERS[name]):
        return None
    setting = peek(parameter, "value", "")
    if setting is UNKNOWN:
        return None
    versions = {v.strip().lower() for v in str(setting).split(",") if v.strip()}
    return f"{name}={setting}" if versions - _MODERN_TLS else None


@resource_policy(
    name="rds-parameter-group-tls-1-2",
    description="RDS and Aurora parameter groups that name the TLS versions the server accepts "
    "(`ssl_min_protocol_version` for PostgreSQL, `tls_version` for MySQL and MariaDB) accept only TLSv1.2 and "
    "TLSv1.3; a list naming TLSv1 or TLSv1.1 beside them still accepts the old one. Left out, the engine default "
    "applies: TLSv1.2 and newer from PostgreSQL 13 and MySQL 8.0.28.",
    types=[RDS_PARAMETER_GROUP, RDS_CLUSTER_PARAMETER_GROUP],
    severity=Severity.MEDIUM,
    category=Category.TRANSIT,
    controls=[PROJECT("encryption-in-transit")],
    remediation="Set ssl_min_protocol_version to TLSv1.2 (PostgreSQL) or tls_version to 'TLSv1.2,TLSv1.3' (MySQL, "
    "MariaDB), or leave the parameter to its default.",
)
def rds_parameter_group_tls_1_2(args: Any, report: Any, config: dict) -> None:
    family = peek(args.props, "family", "")
    # parameters left out: the family's defaults, TLS 1.2 and newer from PostgreSQL 13 and MySQL 8.0.28 (see the
    # description); the defaults of older families (postgres12, mysql5.7) are not judged here.
    parameters = peek(args.props, "parameters", [])
    if UNKNOWN in (family, parameters):
        return
    for parameter in items(parameters):
        weak = _weak_tls(parameter, str(family))
        if weak:
            report(f"parameter group {args.name}: {weak} accepts TLS older than 1.2.")
