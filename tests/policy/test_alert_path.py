"""Monitoring that reaches someone (issue 10 item 9): trails record management events of every source, alarms
reach a topic somebody subscribes to, CIS alarms fire on one event. Through the real pack process, both modes."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, violations


@pytest.fixture(scope="module")
def alert_path(policy_pack) -> Analyses:
    runs = {mode: run_fixture("alert_path", preview=mode == "preview") for mode in ("preview", "apply")}
    return Analyses(policy_pack, runs)


def test_a_trail_may_not_exclude_or_narrow_management_events(alert_path, mode):
    found = violations(alert_path(mode), "cloudtrail-multi-region-management-events")
    assert set(found) == {"kms-excluded-trail", "write-only-advanced-trail", "kms-not-equals-advanced-trail"}
    assert "excluded sources: kms.amazonaws.com" in found["kms-excluded-trail"][0]
    assert "readOnly or eventSource filter" in found["write-only-advanced-trail"][0]


def test_an_alarm_must_reach_a_topic_with_a_subscription_in_the_stack(alert_path, mode):
    found = violations(alert_path(mode), "alarm-reaches-subscribed-topic")
    assert set(found) == {"unheard-alarm"}
    assert "silent-topic, which has no subscription" in found["unheard-alarm"][0]


def test_cis_alarms_fire_on_a_single_event(alert_path, mode):
    messages = [m for ms in violations(alert_path(mode), "cis-monitoring-metric-filters").values() for m in ms]
    single = [m for m in messages if "do not fire on a single event" in m]
    assert sorted(m.split(" ")[1] for m in single) == ["4.3", "4.5"]  # 4.4's SampleCount alarm fires on one
    assert not any(m.startswith("CIS 4.4") for m in messages)
