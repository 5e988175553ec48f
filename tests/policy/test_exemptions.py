"""Exemptions: a resource exempted from one policy, with a written reason, in the pack's own config. Exempted
violations are not violations; the runner lists them with their reason. Malformed exemptions and unknown policy
names are config errors. This project's prod stack with its shipped policy/config.json violates nothing."""

from __future__ import annotations

import json

import pytest

from preflight.analyze import EXEMPTED, PolicyConfigError, load_policy_pack_config, merge_findings
from tests.policy.conftest import POLICY_DIR, Analyses, run_fixture, violations

SHIPPED_CONFIG = POLICY_DIR / "config.json"
REASON = "Port 80 only answers with a 301 redirect to HTTPS."
LISTENER = "aws:lb/listener:Listener"
BUCKET = "aws:s3/bucket:Bucket"
REDIRECT = {"type": LISTENER, "name": "http-redirect", "reason": REASON}


def exempt(policy: str, **entry: str) -> dict:
    return {policy: {"exemptions": [entry]}}


def exempted(findings, policy: str) -> dict[str, list[tuple[str, str]]]:
    """Resource name -> (message, reason) of each exempted finding of `policy`."""
    found: dict[str, list[tuple[str, str]]] = {}
    for finding in findings:
        if finding.policy == policy and finding.exempted:
            found.setdefault(finding.urn.rsplit("::", 1)[-1], []).append((finding.message, finding.exemption_reason))
    return found


@pytest.fixture(scope="module")
def transit(policy_pack) -> Analyses:
    runs = {
        f"{kind}-{mode}": run_fixture(f"transit_{kind}", preview=mode == "preview")
        for kind in ("compliant", "violations")
        for mode in ("preview", "apply")
    }
    return Analyses(policy_pack, runs)


# Matching ------------------------------------------------------------------------------------------------------


def test_an_exemption_by_type_and_name_turns_the_violation_into_a_listed_exemption_with_its_reason(transit, mode):
    findings = transit(f"compliant-{mode}", exempt("lb-listener-secure-protocol", **REDIRECT))
    assert violations(findings, "lb-listener-secure-protocol") == {}
    assert exempted(findings, "lb-listener-secure-protocol") == {
        "http-redirect": [("listener http-redirect accepts HTTP, which is not encrypted in transit.", REASON)]
    }


def test_an_exempted_finding_keeps_the_policys_level_severity_and_description(transit):
    findings = transit("compliant-apply", exempt("lb-listener-secure-protocol", **REDIRECT))
    [finding] = [f for f in findings if f.exempted]
    assert (finding.pack, finding.enforcement_level, finding.severity, finding.undecided) == (
        "secure-aws",
        "mandatory",
        "medium",
        False,
    )
    assert finding.description.startswith("Load balancer listeners accept only encrypted connections")


def test_an_exemption_by_exact_urn_matches_only_that_resource(transit):
    recording = transit.recordings["violations-apply"]
    urn = recording.named("http-forwarding-listener").urn
    findings = transit("violations-apply", exempt("lb-listener-secure-protocol", urn=urn, reason=REASON))
    assert set(exempted(findings, "lb-listener-secure-protocol")) == {"http-forwarding-listener"}
    assert set(violations(findings, "lb-listener-secure-protocol")) == {
        "http-redirect-same-protocol-listener",
        "http-redirect-listener",
    }


def test_an_exemption_covers_one_policy_only(transit):
    config = exempt("lb-listener-secure-protocol", type=LISTENER, name="http-forwarding-listener", reason=REASON)
    findings = transit("violations-apply", config)
    assert "http-forwarding-listener" in violations(findings, "alb-http-listener-redirects-to-https")


def test_a_stack_policy_finding_on_a_resource_can_be_exempted_by_type_and_name(transit, mode):
    reason = "A scratch bucket for the load test; it never holds data and is deleted after the run."
    findings = transit(
        f"violations-{mode}",
        exempt("s3-bucket-denies-insecure-transport", type=BUCKET, name="policyless-bucket", reason=reason),
    )
    assert set(violations(findings, "s3-bucket-denies-insecure-transport")) == {"objects-only-bucket"}
    [(message, given)] = exempted(findings, "s3-bucket-denies-insecure-transport")["policyless-bucket"]
    assert given == reason and "bucket policyless-bucket does not refuse plain-HTTP requests" in message


def test_an_exemption_names_one_type_so_a_resource_of_another_type_does_not_inherit_it(transit, mode):
    """`aws:alb/listener:Listener` is pulumi-aws's alias of the listener type, but not this resource's type."""
    config = exempt(
        "lb-listener-secure-protocol", type="aws:alb/listener:Listener", name="http-redirect", reason=REASON
    )
    findings = transit(f"compliant-{mode}", config)
    assert set(violations(findings, "lb-listener-secure-protocol")) == {"http-redirect"}
    assert exempted(findings, "lb-listener-secure-protocol") == {}


def test_an_exemption_that_names_no_resource_is_reported_as_stale_advice(transit, mode):
    config = {
        **exempt("lb-listener-secure-protocol", **REDIRECT),
        **exempt("rds-multi-az", type="aws:rds/instance:Instance", name="old-database", reason=REASON),
    }
    stale = [f for f in transit(f"compliant-{mode}", config) if f.policy == "exemptions-name-a-resource"]
    assert [(f.enforcement_level, f.urn, f.message) for f in stale] == [
        (
            "advisory",
            "",
            "stale exemption: rds-multi-az exempts aws:rds/instance:Instance old-database, which is not "
            "in this stack; delete the exemption or correct the name.",
        )
    ]
    assert [f for f in transit(f"compliant-{mode}") if f.policy == "exemptions-name-a-resource"] == []


def test_preview_and_apply_list_the_same_exemption_once_when_merged(transit):
    config = exempt("lb-listener-secure-protocol", **REDIRECT)
    merged = merge_findings(transit("compliant-preview", config), transit("compliant-apply", config))
    assert len([f for f in merged if f.exempted]) == 1


def test_the_pack_logs_each_exemption_to_the_engine_on_the_resources_urn(policy_pack, transit):
    before = len(policy_pack.log)
    policy_pack.analyze(transit.recordings["compliant-apply"], exempt("lb-listener-secure-protocol", **REDIRECT))
    [(severity, urn, message)] = [m for m in policy_pack.log[before:] if m[2].startswith("exempted: ")]
    assert severity == "info" and urn.endswith("::http-redirect")
    assert message.startswith("exempted: policy=lb-listener-secure-protocol urn=")


def test_the_log_line_the_pack_writes_is_the_one_the_runner_reads():
    from secure_aws_policies.exemptions import log_line

    line = log_line("p-q", "urn:pulumi:s::p::t::name with space", 'says "why"\nacross lines', "msg: a|b")
    match = EXEMPTED.match(line)
    assert match is not None and match["policy"] == "p-q"
    assert [json.loads(match[k]) for k in ("urn", "reason", "violation")] == [
        "urn:pulumi:s::p::t::name with space",
        'says "why"\nacross lines',
        "msg: a|b",
    ]


# Config errors -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"type": LISTENER, "name": "http-redirect"}, "'reason' is a required property"),
        ({"type": LISTENER, "name": "http-redirect", "reason": "because"}, "is too short"),
        ({"type": LISTENER, "name": "http-redirect", "reason": "   x        "}, "does not match"),
        ({"type": LISTENER, "name": "http-redirect", "urn": "urn:x", "reason": REASON}, "is not valid under any of"),
        ({"name": "http-redirect", "reason": REASON}, "is not valid under any of the given schemas"),
        ({"type": LISTENER, "reason": REASON}, "is not valid under any of the given schemas"),
        ({"reason": REASON}, "is not valid under any of the given schemas"),
        ({"type": LISTENER, "name": "*", "reason": REASON}, "does not match"),
        ({"type": LISTENER, "name": "http-[a-z]*", "reason": REASON}, "does not match"),
        ({"urn": "urn:pulumi:test::*", "reason": REASON}, "does not match"),
        (
            {"type": LISTENER, "name": "http-redirect", "reason": REASON, "until": "2027-01-01"},
            "Additional properties are not allowed",
        ),
    ],
)
def test_a_malformed_exemption_is_a_config_error_naming_the_policy(policy_pack, transit, entry, problem):
    with pytest.raises(PolicyConfigError) as caught:
        policy_pack.analyze(
            transit.recordings["compliant-preview"], {"lb-listener-secure-protocol": {"exemptions": [entry]}}
        )
    message = str(caught.value)
    assert "lb-listener-secure-protocol: exemptions.0" in message and problem in message


def test_an_exemption_for_an_unknown_policy_is_a_config_error(policy_pack, transit):
    with pytest.raises(PolicyConfigError, match="lb-listener-secure-protocols: the policy pack secure-aws has no such"):
        policy_pack.analyze(transit.recordings["compliant-preview"], exempt("lb-listener-secure-protocols", **REDIRECT))


def test_every_policy_offers_exemptions_in_its_config_schema(policy_pack):
    from google.protobuf import json_format

    for policy in policy_pack.info.policies:
        schema = json_format.MessageToDict(policy.configSchema.properties)
        assert schema["exemptions"]["items"]["required"] == ["reason"], policy.name


# The project's own stack -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> dict:
    return load_policy_pack_config(SHIPPED_CONFIG)


@pytest.fixture(scope="module")
def prod_findings(policy_pack, prod_preview, prod_apply, shipped):
    return {"preview": policy_pack.analyze(prod_preview, shipped), "apply": policy_pack.analyze(prod_apply, shipped)}


def test_the_prod_stack_with_the_shipped_exemptions_violates_no_policy(prod_findings, mode):
    found = [
        (f.policy, f.urn.rsplit("::", 1)[-1], f.message)
        for f in prod_findings[mode]
        if not f.undecided and not f.exempted
    ]
    assert found == []


def test_every_shipped_exemption_is_used_and_gives_a_real_reason(prod_findings, shipped):
    used = {(f.policy, f.urn.rsplit("::", 1)[-1]) for f in prod_findings["apply"] if f.exempted}
    declared = {(policy, entry["name"]) for policy, settings in shipped.items() for entry in settings["exemptions"]}
    assert used == declared
    assert all(len(entry["reason"]) > 80 for settings in shipped.values() for entry in settings["exemptions"])


def test_every_shipped_exemption_names_exactly_one_resource_of_the_prod_stack(shipped, prod_preview, prod_apply):
    from secure_aws_policies.exemptions import names

    for recording in (prod_preview, prod_apply):
        for policy, settings in shipped.items():
            for entry in settings["exemptions"]:
                matches = [r.urn for r in recording.resources if names(entry, r.urn, r.name, r.type)]
                assert len(matches) == 1, (policy, entry["name"], matches)


def test_the_shipped_exemptions_are_the_documented_deviations(shipped):
    assert {policy: [e["name"] for e in settings["exemptions"]] for policy, settings in shipped.items()} == {
        "lb-listener-secure-protocol": ["web-http"],
        "s3-bucket-encrypted-with-cmk": ["storage-logs-bucket"],
        "rds-non-default-port": ["database-instance"],
    }


def test_an_exemption_that_cannot_be_logged_is_not_applied():
    """Outside a pack process there is no engine to record the exemption: the violation is reported (fail safe)."""
    from secure_aws_policies.exemptions import exempting

    reported = []
    config = {"exemptions": [{"type": LISTENER, "name": "web-http", "reason": REASON}]}
    identities = {"urn:1": ("web-http", LISTENER)}
    report = exempting("lb-listener-secure-protocol", lambda *a: reported.append(a), config, identities)
    report("listener web-http accepts HTTP.", "urn:1")
    [(message, urn)] = reported
    assert urn == "urn:1" and message.startswith("listener web-http accepts HTTP. (an exemption names this resource")
