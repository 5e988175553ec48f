"""The result of one offline preview, and the one rule for what in it blocks a deployment.

Every output (the terminal, JSON, SARIF, Markdown) is written from an `Outcome` and asks it, never the raw
enforcement levels, what blocks, what passes and which exit status the run ends with. So they cannot disagree.

What blocks is what blocks in the Pulumi engine (pulumi/pulumi pkg/resource/deploy/analyze_snapshot.go
`analyzeResource` and step_generator.go `AnalyzeStack`):

- a `mandatory` diagnostic blocks; so does an Analyze or AnalyzeStack diagnostic at `remediate`, which the engine
  "downgrades" to mandatory (`preflight.analyze` does the same when it reads one);
- an applied remediation (the engine's `OnPolicyRemediation`: the resource is created with the policy's fix)
  blocks nothing; it is listed as a remediation;
- `advisory` is shown and never blocks, nor does a remediation that could not run (the engine reports it as an
  advisory violation);
- a `disabled` policy never runs: a finding at that level (which no SDK sends) counts nowhere;
- an exempted finding and a policy that could not decide at preview block nothing and are listed apart.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from preflight.analyze import LEVELS, Finding
from preflight.plan import plan_rows
from preflight.record import RecordedResource, Recording

EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2


class Verdict(enum.Enum):
    """What a finding means for the run."""

    BLOCKING = "blocking"  # a mandatory violation: the preview fails
    ADVISORY = "advisory"  # a violation shown as a warning
    REMEDIATED = "remediated"  # a fix the policy applied to the inputs
    EXEMPTED = "exempted"  # a violation the pack's exemptions excuse
    UNDECIDED = "undecided"  # a policy that needed values unknown until the resource exists
    IGNORED = "ignored"  # at level disabled: a disabled policy never runs


def verdict(finding: Finding) -> Verdict:
    """The single classification every output uses."""
    if finding.undecided:
        return Verdict.UNDECIDED
    if finding.exempted:
        return Verdict.EXEMPTED
    return _BY_LEVEL.get(finding.enforcement_level, Verdict.ADVISORY)


_BY_LEVEL = {
    "mandatory": Verdict.BLOCKING,
    "remediate": Verdict.REMEDIATED,
    "advisory": Verdict.ADVISORY,
    "disabled": Verdict.IGNORED,
}


@dataclass(frozen=True)
class Counts:
    """The figures every output shows, counted once."""

    resources: int  # to create, the stack included: the `+ N to create` the plan ends with, as the CLI counts
    policies: int
    mandatory_violations: int
    advisory_violations: int
    remediations: int
    exemptions: int
    undecided: int
    passed: bool
    exit_code: int


@dataclass
class Outcome:
    """Everything one offline preview found: what every output is written from."""

    project_dir: Path
    stack: str
    preview: Recording
    apply: Recording
    findings: list[Finding]
    pack_dir: Path
    pack_name: str
    pack_version: str
    policies: list[Any] = field(default_factory=list)  # analyzer_pb2.PolicyInfo from GetAnalyzerInfo
    policy_config: dict[str, Any] = field(default_factory=dict)
    pack_config: Path | None = None  # the `--policy-pack-config` file that ran, if any

    def level_of(self, policy: Any) -> str:
        """A policy's enforcement level after the pack config (an `all` entry, then the policy's own)."""
        level = LEVELS.get(policy.enforcementLevel, "advisory")
        for key in ("all", policy.name):
            entry = (self.policy_config or {}).get(key)
            if isinstance(entry, str):
                level = entry
            elif isinstance(entry, dict) and isinstance(entry.get("enforcementLevel"), str):
                level = entry["enforcementLevel"] or level
        return level

    @property
    def disabled_policies(self) -> list[str]:
        """Policies the config (or the pack) disabled: they never ran, so they found nothing."""
        return [p.name for p in self.policies if self.level_of(p) == "disabled"]

    @property
    def unmatched_exemptions(self) -> list[tuple[str, str]]:
        """(policy, resource name) of each exemption in the pack config that excused nothing in this run.

        An exemption names a resource (the pack's `exemptions: [{"name", "reason"}]` convention, see
        policy/secure_aws_policies/exemptions.py); one that matches nothing is a misspelt name or a leftover.
        """
        used = {(f.policy, f.urn.rsplit("::", 1)[-1]) for f in self.exemptions}
        unmatched = []
        for policy, entry in (self.policy_config or {}).items():
            exemptions = entry.get("exemptions") if isinstance(entry, dict) else None
            for exemption in exemptions if isinstance(exemptions, list) else []:
                name = exemption.get("name") if isinstance(exemption, dict) else None
                if isinstance(name, str) and (policy, name) not in used:
                    unmatched.append((policy, name))
        return unmatched

    def having(self, *verdicts: Verdict) -> list[Finding]:
        """The findings with one of these verdicts, in the order found."""
        return [f for f in self.findings if verdict(f) in verdicts]

    @property
    def blocking(self) -> list[Finding]:
        return self.having(Verdict.BLOCKING)

    @property
    def violations(self) -> list[Finding]:
        """Blocking and advisory violations: what the CLI lists under "Policy Violations"."""
        return self.having(Verdict.BLOCKING, Verdict.ADVISORY)

    @property
    def remediations(self) -> list[Finding]:
        return self.having(Verdict.REMEDIATED)

    @property
    def exemptions(self) -> list[Finding]:
        return self.having(Verdict.EXEMPTED)

    @property
    def undecided(self) -> list[Finding]:
        return self.having(Verdict.UNDECIDED)

    @property
    def passed(self) -> bool:
        return not self.blocking

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.passed else EXIT_VIOLATIONS

    @property
    def counts(self) -> Counts:
        blocking = len(self.blocking)
        return Counts(
            resources=len(plan_rows(self.preview)),
            policies=len(self.policies),
            mandatory_violations=blocking,
            advisory_violations=len(self.having(Verdict.ADVISORY)),
            remediations=len(self.remediations),
            exemptions=len(self.exemptions),
            undecided=len(self.undecided),
            passed=self.passed,
            exit_code=self.exit_code,
        )

    def resource(self, urn: str) -> RecordedResource | None:
        for recording in (self.apply, self.preview):
            for resource in recording.resources:
                if resource.urn == urn:
                    return resource
        return None
