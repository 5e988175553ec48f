"""Every policy names only controls that the team's controls reference defines (tests/data/controls.md)."""

from __future__ import annotations

from pathlib import Path

CONTROLS_REFERENCE = Path(__file__).resolve().parents[1] / "data" / "controls.md"


def _defined(control_id: str, reference: str) -> bool:
    # The reference lists cdk-nag's NIST pack rules by their suffix (`-S3DefaultEncryptionKMS`), and
    # AwsSolutions-AS1/AS2/AS3 as one row ("AwsSolutions-AS1 / AS2 / AS3").
    control_id = control_id.removeprefix("NIST.800.53.R5")
    return control_id in reference or f"/ {control_id.rsplit('-', 1)[-1]} " in reference


def test_every_named_control_is_one_the_controls_reference_defines():
    from secure_aws_policies import ALL_POLICIES

    reference = CONTROLS_REFERENCE.read_text()
    checked = 0
    for policy in ALL_POLICIES:
        for control in policy.controls:
            if control.standard == "secure-aws":
                continue  # the project's own requirements, which no published standard covers
            assert _defined(control.id, reference), f"{policy.name}: {control} is not in {CONTROLS_REFERENCE.name}"
            checked += 1
    assert checked >= len(ALL_POLICIES)


def test_an_invented_control_is_not_defined():
    reference = CONTROLS_REFERENCE.read_text()
    assert _defined("S3.17", reference)
    assert not _defined("S3.99", reference)
    assert not _defined("AwsSolutions-ZZ9", reference)
