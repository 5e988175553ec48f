"""decode_once: the SDK's analyzer decodes each resource once for all policies, and decides exactly as before.

Driven in-process through pulumi-policy's own analyzer servicer (the code the pack process runs), with its module
names restored after each test.
"""

from __future__ import annotations

from typing import Any

import pytest
from google.protobuf import struct_pb2
from pulumi.runtime import proto
from pulumi_policy import EnforcementLevel, ResourceValidationPolicy
from pulumi_policy import policy as sdk_policy
from pulumi_policy.version import VERSION
from secure_aws_policies import decode_once

# What the engine sends for a value not known until apply (the SDK's UNKNOWN sentinel).
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


@pytest.fixture
def sdk_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a test installs into the SDK module is undone after it."""
    for name in ("json_format", "deserialize_properties", "unknown_checking_proxy"):
        monkeypatch.setattr(sdk_policy, name, getattr(sdk_policy, name))


def _servicer(seen: list[tuple[str, Any]]) -> Any:
    def reads_bucket(args: Any, report: Any) -> None:
        seen.append(("reads-bucket", args.props))
        if args.props["bucket"] == "public":
            report("bucket is public")

    def reads_policy(args: Any, report: Any) -> None:
        seen.append(("reads-policy", args.props))
        if args.props["policy"]:  # unknown at preview: the SDK reports it as a diagnostic, not a violation
            report("has a policy")

    policies = [
        ResourceValidationPolicy(name="reads-bucket", description="d", validate=reads_bucket),
        ResourceValidationPolicy(name="reads-policy", description="d", validate=reads_policy),
    ]
    return sdk_policy._PolicyAnalyzerServicer("p", "0.0.1", policies, EnforcementLevel.MANDATORY)


def _request(bucket: str) -> Any:
    properties = struct_pb2.Struct()
    properties.update({"bucket": bucket, "policy": UNKNOWN, "tags": {"Owner": "team"}})
    return proto.AnalyzeRequest(
        type="aws:s3/bucket:Bucket", properties=properties, urn="urn:pulumi:s::p::aws:s3/bucket:Bucket::b", name="b"
    )


def _analyze(bucket: str) -> tuple[Any, list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []
    response = _servicer(seen).Analyze(_request(bucket), None)
    return response, seen


def test_written_for_the_pinned_sdk() -> None:
    # A pulumi-policy bump must be looked at: install() leaves another version alone (correct, slower).
    assert VERSION == decode_once.WRITTEN_FOR_VERSION


@pytest.mark.usefixtures("sdk_restored")
def test_every_policy_reads_one_decoding_of_the_resource() -> None:
    _, before = _analyze("public")
    assert before[0][1] is not before[1][1]  # the SDK alone decodes once per policy

    assert decode_once.install()
    _, after = _analyze("public")
    assert [name for name, _ in after] == ["reads-bucket", "reads-policy"]
    assert after[0][1] is after[1][1]


@pytest.mark.usefixtures("sdk_restored")
@pytest.mark.parametrize("bucket", ["public", "private"])
def test_the_analyzer_answers_exactly_as_without_it(bucket: str) -> None:
    plain, _ = _analyze(bucket)
    decode_once.install()
    memoized, _ = _analyze(bucket)
    assert memoized == plain
    # The unknown policy is still the SDK's preview diagnostic, for the policy that read it.
    undecided = [d.policyName for d in memoized.diagnostics if "during preview" in d.message]
    assert undecided == ["reads-policy"]


@pytest.mark.usefixtures("sdk_restored")
def test_two_resources_are_never_confused() -> None:
    decode_once.install()
    public, _ = _analyze("public")
    private, _ = _analyze("private")
    assert [d.message for d in public.diagnostics if d.policyName == "reads-bucket"]
    assert not [d for d in private.diagnostics if d.policyName == "reads-bucket"]


@pytest.mark.usefixtures("sdk_restored")
def test_install_is_idempotent() -> None:
    assert decode_once.install()
    memo = sdk_policy.deserialize_properties
    assert decode_once.install()
    assert sdk_policy.deserialize_properties is memo


def test_the_memo_is_by_identity_and_bounded() -> None:
    calls: list[object] = []

    def decode(value: object, *_: object) -> object:
        calls.append(value)
        return [value]

    memo = decode_once.IdentityMemo(decode, size=2)
    first, equal_copy = {"a": 1}, {"a": 1}
    assert memo(first) is memo(first)
    assert memo(equal_copy) is not memo(first)  # equal but another object: decoded on its own
    assert len(calls) == 2
    memo({"b": 2})  # a third object pushes the oldest out
    memo(first)
    assert len(calls) == 4
    memo(first, True)  # another calling form is passed through, never memoized
    assert len(calls) == 5


@pytest.mark.usefixtures("sdk_restored")
def test_another_sdk_version_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decode_once, "VERSION", "99.0.0")
    original = sdk_policy.deserialize_properties
    assert not decode_once.install()
    assert sdk_policy.deserialize_properties is original
