"""The terminal report collapses identical findings (issue 15 item 6): one policy's same message on several
resources is printed once, under the list of its resources and with their count, while every count stays per
finding, as in the JSON, SARIF and Markdown reports."""

from __future__ import annotations

from preflight.analyze import Finding
from preflight.record import Recording, run_program
from preflight.reports import terminal
from tests.test_preflight_failclosed import FIXTURE_PROGRAM, outcome_of


def finding(recording: Recording, name: str, message: str, **flags: object) -> Finding:
    return Finding(
        policy="bucket-encrypted",
        pack="fixture-minimal",
        enforcement_level="mandatory",
        severity="high",
        urn=recording.named(name).urn,
        message=message,
        description="Buckets are encrypted.",
        **flags,  # type: ignore[arg-type]
    )


def test_one_policys_identical_violations_are_printed_once_with_their_count() -> None:
    recording = run_program(FIXTURE_PROGRAM, "test", preview=True)
    same = "no default encryption with our key"
    outcome = outcome_of(
        recording,
        [
            finding(recording, "loose", same),
            finding(recording, "store-bucket-0", same),
            finding(recording, "store-key", "a different message"),
        ],
        {},
    )
    text = terminal.render(outcome)
    assert text.count(same) == 1
    assert "(the same finding on 2 resources)" in text
    assert "aws:s3:Bucket loose" in text and "aws:s3:Bucket store-bucket-0" in text
    assert text.count("a different message") == 1
    assert outcome.counts.mandatory_violations == 3  # the summary counts findings, as every report does
    assert "3 mandatory violations" in text


def test_identical_undecided_notes_share_one_reason() -> None:
    recording = run_program(FIXTURE_PROGRAM, "test", preview=True)
    note = "can't run policy 'bucket-encrypted' during preview: the key's ARN is not known yet"
    outcome = outcome_of(
        recording, [finding(recording, name, note, undecided=True) for name in ("loose", "store-bucket-0")], {}
    )
    text = terminal.render(outcome)
    section = text.split("Policies that could not decide:")[1]
    assert section.count("the key's ARN is not known yet") == 1
    assert "(2 resources)" in section
    assert "loose" in section and "store-bucket-0" in section
