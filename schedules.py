"""The compliance auditor's schedule: which EventBridge schedule expressions it accepts, and how often they run.

settings.py refuses a bad `auditSchedule` with these rules before anything is registered; the function tier
checks its args with the same rules and sizes its alarms from the interval. Plain Python, no Pulumi.
"""

from __future__ import annotations

import re

_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_SCHEDULE_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
# The auditor runs at least once a day: drift never goes unreported longer.
MAX_INTERVAL_SECONDS = 24 * 3600


def schedule_interval_seconds(schedule: str) -> int:
    """The longest time between two runs of a valid schedule (see schedule_problem).

    Exact for `rate(...)`. For `cron(...)`, which must run every day: an hour when its hours field is `*` (it
    runs at least once every hour), otherwise a day.
    """
    rate = _RATE.match(schedule)
    if rate:
        return int(rate.group(1)) * _SCHEDULE_UNIT_SECONDS[rate.group(2).rstrip("s")]
    hours = schedule.removeprefix("cron(").split()[1]
    return 3600 if hours == "*" else MAX_INTERVAL_SECONDS


def schedule_problem(schedule: str) -> str | None:
    """Why an auditor schedule is refused, or None.

    EventBridge's own rules (a positive rate, singular unit only for 1, six cron fields with one of day-of-month
    and day-of-week `?`), plus ours: the auditor runs at least once a day, so drift never goes unreported
    longer, and its not-running alarm can watch two intervals within CloudWatch's limits.
    """
    rate = _RATE.match(schedule)
    if rate:
        count, unit = int(rate.group(1)), rate.group(2)
        if count < 1 or (count == 1) != (not unit.endswith("s")):
            return "is not an EventBridge rate (a positive number, with a singular unit only for 1)"
        if schedule_interval_seconds(schedule) > MAX_INTERVAL_SECONDS:
            return "runs less than once a day; drift would go unreported for longer"
        return None
    cron = re.match(r"^cron\((.+)\)$", schedule)
    if not cron:
        return "is not an EventBridge schedule expression (rate(...) or cron(...))"
    fields = cron.group(1).split()
    if len(fields) != 6:
        return "is not an EventBridge cron expression (six fields: minutes hours day-of-month month day-of-week year)"
    minutes, hours, day_of_month, month, day_of_week, year = fields
    for name, value, high in (("minutes", minutes, 59), ("hours", hours, 23)):
        problem = _time_field_problem(value, high)
        if problem:
            return f"has a cron {name} field EventBridge refuses: {problem}"
    if sorted((day_of_month, day_of_week)) not in (["*", "?"],) or month != "*" or year != "*":
        return "must run every day (day-of-month and day-of-week '*' and '?', month and year '*')"
    return None


# A minutes or hours item: `*`, a value, a range, each optionally with an increment (`*/15`, `5/10`, `8-18/2`).
_TIME_ITEM = re.compile(r"^(\*|(\d+)(?:-(\d+))?)(?:/(\d+))?$")


def _time_field_problem(field: str, high: int) -> str | None:
    """Why EventBridge refuses a cron minutes (0-59) or hours (0-23) field, or None. The fields allow `, - * /`
    and nothing else (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html)."""
    for item in field.split(","):
        match = _TIME_ITEM.match(item)
        if not match:
            return f"{item!r} is not a value 0-{high}, a range, `*` or an increment (`, - * /` only)"
        start, end, step = match.group(2), match.group(3), match.group(4)
        numbers = [int(n) for n in (start, end) if n is not None]
        if any(n > high for n in numbers):
            return f"{item!r} is outside 0-{high}"
        if step is not None and not 1 <= int(step) <= high:
            return f"{item!r} has an increment outside 1-{high}"
    return None
