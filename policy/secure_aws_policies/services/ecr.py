"""ECR: repositories encrypted with our customer-managed key, scanning images on push, with immutable tags."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import Severity

from ..keys import customer_key_problem
from ..props import UNKNOWN, items, peek, truthy
from ..registry import FSBP, PROJECT, Category, resource_policy
from ..types import ECR_REPOSITORY


def _first_block(props: Mapping[str, Any], key: str) -> Any:
    """The first element of a one-element block list (pulumi-aws models these as lists), UNKNOWN, or None."""
    found = peek(props, key)
    if found is UNKNOWN or found is None:
        return found
    blocks = items(found)
    return blocks[0] if blocks else None


@resource_policy(
    name="ecr-repository-encrypted-with-cmk",
    description="ECR repositories are encrypted with our customer-managed KMS key. Left out, "
    "`encryption_configurations` means AES256 (S3-managed keys), and `encryption_type` KMS without `kms_key` means "
    "the AWS managed key aws/ecr (pulumi-aws 7 ecr.Repository). The encryption of a repository cannot be changed "
    "after it is created.",
    types=[ECR_REPOSITORY],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set encryption_configurations=[{'encryption_type': 'KMS', 'kms_key': <our key ARN>}] on "
    "aws.ecr.Repository (a new repository: the setting cannot change on an existing one).",
)
def ecr_repository_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    block = _first_block(args.props, "encryptionConfigurations")
    if block is UNKNOWN:
        return
    block = block if isinstance(block, Mapping) else {}
    kind = peek(block, "encryptionType")
    if kind is UNKNOWN:
        return
    if not isinstance(kind, str) or kind.upper() != "KMS":
        shown = kind if isinstance(kind, str) else "left out (the default is AES256)"
        report(f"ECR repository {args.name}: `encryption_type` is {shown}, not KMS with our customer-managed key.")
        return
    problem = customer_key_problem(block, "kmsKey")
    if problem:
        report(f"ECR repository {args.name}: {problem}.")


@resource_policy(
    name="ecr-repository-scan-on-push",
    description="ECR repositories scan every image for vulnerabilities when it is pushed. Left out, "
    "`image_scanning_configuration.scan_on_push` is false (pulumi-aws 7 ecr.Repository: 'Defaults to false').",
    types=[ECR_REPOSITORY],
    severity=Severity.HIGH,
    category=Category.ACCESS,
    controls=[FSBP("ECR.1")],
    remediation="Set image_scanning_configuration={'scan_on_push': True} on aws.ecr.Repository.",
)
def ecr_repository_scan_on_push(args: Any, report: Any, config: dict) -> None:
    block = peek(args.props, "imageScanningConfiguration")
    if block is UNKNOWN:
        return
    scan = peek(block, "scanOnPush") if isinstance(block, Mapping) else None
    if scan is UNKNOWN or truthy(scan):
        return
    form = "is false" if scan is not None else "is left out (the default is false)"
    report(f"ECR repository {args.name}: `scan_on_push` {form}, so pushed images are not scanned for vulnerabilities.")


# IMMUTABLE_WITH_EXCLUSION leaves the excluded tags mutable: accepted only with an exemption that says why.
_IMMUTABLE = "IMMUTABLE"


@resource_policy(
    name="ecr-repository-tags-immutable",
    description="ECR repositories refuse to overwrite an image tag, so a deployed tag always names the image that "
    "was scanned and approved. Left out, `image_tag_mutability` is MUTABLE (pulumi-aws 7 ecr.Repository); "
    "IMMUTABLE_WITH_EXCLUSION and MUTABLE_WITH_EXCLUSION leave some tags mutable and need an exemption.",
    types=[ECR_REPOSITORY],
    severity=Severity.MEDIUM,
    category=Category.ACCESS,
    controls=[FSBP("ECR.2")],
    remediation="Set image_tag_mutability='IMMUTABLE' on aws.ecr.Repository and push a new tag per build.",
)
def ecr_repository_tags_immutable(args: Any, report: Any, config: dict) -> None:
    mutability = peek(args.props, "imageTagMutability")
    if mutability is UNKNOWN or (isinstance(mutability, str) and mutability.upper() == _IMMUTABLE):
        return
    shown = mutability if isinstance(mutability, str) else "left out (the default is MUTABLE)"
    report(f"ECR repository {args.name}: `image_tag_mutability` is {shown}, so a pushed tag can be overwritten.")
