"""AWS Config: the account's configuration recorder records every resource type (global ones included) and is on.

A stack without a recorder violates, unless the pack's config says another owner (AWS Organizations, Control
Tower) runs the account's recorder: the recorder is one per account and region, so exactly one owner builds it.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..props import Deferred, falsy, items, peek, truthy, value
from ..registry import CIS, FSBP, Category, stack_policy
from ..types import CONFIG_DELIVERY_CHANNEL, CONFIG_RECORDER, CONFIG_RECORDER_STATUS

OWNED_ELSEWHERE = "recorderOwnedElsewhere"


def _recording_problems(recorder: Any) -> list[str]:
    """What keeps a recorder from recording every supported type, global ones included."""
    group = value(recorder.props, "recordingGroup") or {}
    problems = []
    # all_supported defaults to true; resource_types and exclusions narrow it.
    if falsy(value(group, "allSupported", True)):
        problems.append("records only chosen resource types (allSupported=false)")
    if items(value(group, "resourceTypes", [])):
        problems.append("lists resourceTypes instead of recording every type")
    # exclusion_by_resource_types and recording_strategies left out: no exclusion, and the strategy follows
    # all_supported (cfg/_inputs.py: exclusions "must set the useOnly field of RecordingStrategy").
    if items(value(group, "exclusionByResourceTypes", [])):
        problems.append("excludes resource types (exclusionByResourceTypes)")
    for strategy in items(value(group, "recordingStrategies", [])):
        if value(strategy, "useOnly", "ALL_SUPPORTED_RESOURCE_TYPES") != "ALL_SUPPORTED_RESOURCE_TYPES":
            problems.append(f"records with strategy {value(strategy, 'useOnly')!r}")
    # Left out, AWS records no global resource (IAM users, roles, policies): they must be recorded in one region,
    # and this stack's only region is it.
    if not truthy(value(group, "includeGlobalResourceTypes", False)):
        problems.append("does not record global resource types (includeGlobalResourceTypes is not true)")
    return problems


def _statuses_of(recorder: Any, statuses: list[Any]) -> list[Any]:
    linked = [s for s in statuses if any(d.urn == recorder.urn for d in s.property_dependencies.get("name", []))]
    if linked:
        return linked
    # A status naming the recorder by a literal name ("default" when the recorder's name is left out).
    name = peek(recorder.props, "name", "default")
    return [s for s in statuses if not s.property_dependencies.get("name") and peek(s.props, "name") == name]


@stack_policy(
    name="config-recorder-records-everything-and-is-on",
    description="The stack's AWS Config recorder records every supported resource type including global ones, "
    "has a delivery channel and a recorder status that turns it on; a stack without a recorder violates unless "
    f"the config's {OWNED_ELSEWHERE} says another owner (Organizations, Control Tower) runs the account's recorder.",
    types=[CONFIG_RECORDER, CONFIG_RECORDER_STATUS, CONFIG_DELIVERY_CHANNEL],
    severity=Severity.HIGH,
    category=Category.LOGGING,
    controls=[FSBP("Config.1"), CIS("Config.1")],
    remediation="Create an aws.cfg.Recorder with recording_group={all_supported: True, "
    "include_global_resource_types: True} and the Config service-linked role, an aws.cfg.DeliveryChannel to an "
    "encrypted bucket, and an aws.cfg.RecorderStatus(name=<recorder>.name, is_enabled=True). Where the "
    f"organization owns the recorder, set {OWNED_ELSEWHERE}: true in this policy's config.",
    config={
        OWNED_ELSEWHERE: {
            "type": "boolean",
            "default": False,
            "description": "Another owner (AWS Organizations, Control Tower) runs this account's Config recorder.",
        }
    },
)
def config_recorder_records_everything_and_is_on(args: Any, report: Any, config: dict) -> None:
    recorders = [r for r in args.resources if r.resource_type == CONFIG_RECORDER]
    statuses = [r for r in args.resources if r.resource_type == CONFIG_RECORDER_STATUS]
    if not recorders:
        if not config[OWNED_ELSEWHERE]:
            report(
                "this stack has no AWS Config recorder, and the policy's config does not say another owner runs "
                f"the account's recorder ({OWNED_ELSEWHERE}): nothing records configuration changes."
            )
        return
    deferred = Deferred()
    has_channel = any(r.resource_type == CONFIG_DELIVERY_CHANNEL for r in args.resources)
    for recorder in recorders:
        with deferred.guard():
            for problem in _recording_problems(recorder):
                report(f"Config recorder {recorder.name} {problem}.", recorder.urn)
        with deferred.guard():
            mine = _statuses_of(recorder, statuses)
            if not mine:
                report(
                    f"Config recorder {recorder.name} has no aws.cfg.RecorderStatus: a new recorder is created "
                    "stopped and records nothing.",
                    recorder.urn,
                )
            for status in mine:
                # is_enabled is required on aws.cfg.RecorderStatus (no default); unset reads as not recording.
                if not truthy(value(status.props, "isEnabled", False)):
                    report(
                        f"Config recorder {recorder.name} is turned off by {status.name} (isEnabled is not true).",
                        status.urn,
                    )
        if not has_channel:
            report(
                f"Config recorder {recorder.name} has no delivery channel in this stack, so it cannot start.",
                recorder.urn,
            )
    deferred.finish()
