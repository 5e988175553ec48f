"""The checks, in checklist order: (area name, check). Each takes the Context and returns its CheckResults."""

from __future__ import annotations

from collections.abc import Callable

from verify.checks.access_logs import check_access_logs
from verify.checks.alarms import check_alarms
from verify.checks.alert_topic import check_alert_topic
from verify.checks.auditor import check_auditor
from verify.checks.database import check_database
from verify.checks.detection import check_detection
from verify.checks.flow_logs import check_flow_logs
from verify.checks.security_groups import check_security_groups
from verify.checks.trail import check_trail
from verify.context import Context
from verify.results import CheckResult

Check = Callable[[Context], list[CheckResult]]

CHECKS: tuple[tuple[str, Check], ...] = (
    ("trail", check_trail),
    ("flow-logs", check_flow_logs),
    ("alert-topic", check_alert_topic),
    ("alarms", check_alarms),
    ("access-logs", check_access_logs),
    ("detection", check_detection),
    ("database", check_database),
    ("security-groups", check_security_groups),
    ("auditor", check_auditor),
)
