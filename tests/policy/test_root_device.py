"""ebs-encrypted-with-cmk reads which volume a launch template's mapping encrypts (issue 13): one under a data
device name (/dev/sdf) leaves the root volume unencrypted. Through the real pack process, both modes."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, violations


@pytest.fixture(scope="module")
def root_device(policy_pack) -> Analyses:
    runs = {mode: run_fixture("root_device", preview=mode == "preview") for mode in ("preview", "apply")}
    return Analyses(policy_pack, runs)


def test_a_launch_template_encrypting_only_a_data_device_leaves_the_root_unencrypted(root_device, mode):
    found = violations(root_device(mode), "ebs-encrypted-with-cmk")
    assert set(found) == {"data-disk-only-template"}
    assert "no EBS block device mapping for the root device" in found["data-disk-only-template"][0]
