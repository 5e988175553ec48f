"""RDS read replicas whose source this stack does not manage: encrypted with our key, or refused.

A read replica takes its source's encryption: RDS allows no encrypted replica of an unencrypted instance and no
unencrypted replica of an encrypted one (RDS user guide, "Limitations of Amazon RDS encrypted DB instances"), and in
the source's region it uses the source's key. So a replica of a source in this stack is judged through its source
(rds-storage-encrypted-with-cmk judges the source, not the replica). A source outside the stack (an identifier or
ARN written into the program) cannot be seen at preview: the replica passes only when it names our key in
`kms_key_id` (pulumi-aws 7 rds.Instance: "If creating an encrypted replica, set this to the destination KMS ARN";
left out, the replica is whatever the source is), which AWS honours only for an encrypted source.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import customer_key_problem
from ..props import UNKNOWN, Deferred, peek
from ..registry import FSBP, PROJECT, Category, stack_policy
from ..types import RDS_CLUSTER, RDS_INSTANCE


def _sources_in_stack(resources: list[Any]) -> tuple[set[str], set[str]]:
    """(URNs, identifiers and ARNs) of the RDS instances and clusters this stack declares."""
    urns: set[str] = set()
    names: set[str] = set()
    for resource in resources:
        if resource.resource_type in (RDS_INSTANCE, RDS_CLUSTER):
            urns.add(resource.urn)
            for key in ("identifier", "clusterIdentifier", "arn"):
                found = peek(resource.props, key)
                if isinstance(found, str) and found:
                    names.add(found)
    return urns, names


@stack_policy(
    name="rds-replica-of-outside-source-encrypted",
    description="An RDS read replica whose source is not in this stack (replicate_source_db written as an "
    "identifier or ARN) names our customer-managed key in kms_key_id: its encryption is otherwise the source's, "
    "which the pack cannot see. A replica of a source in the stack is judged through its source.",
    types=[RDS_INSTANCE],
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    controls=[FSBP("RDS.3"), PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set kms_key_id=<our key ARN> on the replica (RDS then refuses an unencrypted source), or create "
    "the replica from the source instance's resource in this stack (replicate_source_db=source.identifier).",
)
def rds_replica_of_outside_source_encrypted(args: Any, report: Any, config: dict) -> None:
    urns, names = _sources_in_stack(args.resources)
    deferred = Deferred()
    for replica in (r for r in args.resources if r.resource_type == RDS_INSTANCE):
        with deferred.guard():
            # replicate_source_db left out: not a replica (no default to judge).
            source = peek(replica.props, "replicateSourceDb")
            if source in (None, "", UNKNOWN):
                continue  # not a replica, or its source is computed from a resource in the stack
            linked = {target.urn for target in replica.property_dependencies.get("replicateSourceDb", [])}
            if linked & urns or source in names:
                continue
            problem = customer_key_problem(replica.props, "kmsKeyId")
            if problem:
                report(
                    f"read replica {replica.name} replicates {source}, a source this stack does not manage, and "
                    f"{problem}; its encryption would be the unseen source's.",
                    replica.urn,
                )
    deferred.finish()
