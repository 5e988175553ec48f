"""Tags on what gets launched (issue 10 item 12): an Auto Scaling group's instances and volumes carry the required
tags, from the launch template's tag_specifications or the group's propagated tags. Through the real pack
process, both modes."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, undecided, violations

POLICY = "autoscaling-launched-instances-tagged"


@pytest.fixture(scope="module")
def launched(policy_pack) -> Analyses:
    runs = {mode: run_fixture("launched_tags", preview=mode == "preview") for mode in ("preview", "apply")}
    return Analyses(policy_pack, runs)


def test_groups_whose_launches_miss_the_required_tags_are_violations(launched, mode):
    found = violations(launched(mode), POLICY)
    assert set(found) == {
        "untagged-volumes-asg",
        "propagate-false-asg",
        "overridden-asg",
        "mixed-asg",
        "external-template-asg",
    }


def test_volumes_need_the_launch_templates_volume_tags(launched, mode):
    [message] = violations(launched(mode), POLICY)["untagged-volumes-asg"]
    assert "its volumes get Environment=None" in message


def test_tags_that_do_not_propagate_and_the_templates_own_tags_do_not_count(launched, mode):
    messages = " ".join(violations(launched(mode), POLICY)["propagate-false-asg"])
    assert "its instances get Environment=None" in messages and "its volumes get Environment=None" in messages


def test_a_propagated_group_tag_overrides_the_templates_instance_tag(launched, mode):
    [message] = violations(launched(mode), POLICY)["overridden-asg"]
    assert "its instances get Environment='Dev'" in message


def test_the_rule_is_decided_at_preview(launched):
    assert [f for f in undecided(launched("preview")) if f.policy == POLICY] == []
