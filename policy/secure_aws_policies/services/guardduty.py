"""GuardDuty: the account's detector is enabled.

A stack without a detector violates, unless the pack's config says the organization's GuardDuty delegated
administrator enables it for this account: the detector is one per account and region, so exactly one owner
builds it.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..props import Deferred, falsy, value
from ..registry import FSBP, Category, stack_policy
from ..types import GUARDDUTY_DETECTOR

OWNED_ELSEWHERE = "detectorOwnedElsewhere"


@stack_policy(
    name="guardduty-detector-enabled",
    description="The stack's GuardDuty detector is enabled (enable defaults to true); a stack without a detector "
    f"violates unless the config's {OWNED_ELSEWHERE} says the organization's GuardDuty administrator enables it.",
    types=[GUARDDUTY_DETECTOR],
    severity=Severity.HIGH,
    category=Category.LOGGING,
    controls=[FSBP("GuardDuty.1")],
    remediation="Create an aws.guardduty.Detector(enable=True, finding_publishing_frequency='FIFTEEN_MINUTES') "
    "with its aws.guardduty.DetectorFeature protections. Where the organization's GuardDuty delegated "
    f"administrator enables members, set {OWNED_ELSEWHERE}: true in this policy's config.",
    config={
        OWNED_ELSEWHERE: {
            "type": "boolean",
            "default": False,
            "description": "The organization's GuardDuty delegated administrator enables this account's detector.",
        }
    },
)
def guardduty_detector_enabled(args: Any, report: Any, config: dict) -> None:
    detectors = [r for r in args.resources if r.resource_type == GUARDDUTY_DETECTOR]
    if not detectors and not config[OWNED_ELSEWHERE]:
        report(
            "this stack has no GuardDuty detector, and the policy's config does not say the organization "
            f"enables one ({OWNED_ELSEWHERE}): no threat detection watches the account."
        )
    deferred = Deferred()
    for detector in detectors:
        with deferred.guard():
            if falsy(value(detector.props, "enable", True)):
                report(
                    f"GuardDuty detector {detector.name} is suspended (enable=false): it detects nothing.", detector.urn
                )
    deferred.finish()
