"""S3 buckets in this region: all four public-access-block settings on, and default encryption configured.

Which buckets are "in this region": ListBuckets filtered by BucketRegion and paginated, an API of October 2024
that only botocore releases since then know. The function uses the SDK of its Lambda runtime, which AWS updates
on its own schedule, so with an older botocore (it refuses BucketRegion as an unknown parameter and has no
list_buckets paginator) the check falls back to what every botocore has: one unpaginated ListBuckets, and each
bucket's region from GetBucketLocation. The fallback is chosen up front from the client's service model, not by
catching the validation error. Shipping a pinned boto3/botocore in the archive was the alternative; it would
grow the package from tens of kilobytes to over ten megabytes and pin an SDK that AWS no longer patches for us,
for one parameter. (AWS's Lambda guide recommends bundling the SDK when a function needs full control of it;
this one needs one feature, and detects it.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import ClientError

from auditor.findings import CheckResult, resource_unreadable

CHECK = "s3-buckets"
PUBLIC_ACCESS_BLOCK = "s3-bucket-public-access-block"
DEFAULT_ENCRYPTION = "s3-bucket-default-encryption"
RULES = (PUBLIC_ACCESS_BLOCK, DEFAULT_ENCRYPTION)

PUBLIC_ACCESS_BLOCK_SETTINGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
# With BucketRegion set, ListBuckets pages at 10,000 unless asked for less; 1,000 keeps each response small.
PAGE_SIZE = 1000
# GetBucketLocation's LocationConstraint: null (or empty) for us-east-1, and "EU", the legacy name of eu-west-1
# (Amazon S3 API Reference, GetBucketLocation).
_LEGACY_LOCATIONS = {"": "us-east-1", "EU": "eu-west-1"}
_NO_PUBLIC_ACCESS_BLOCK = "NoSuchPublicAccessBlockConfiguration"
_NO_ENCRYPTION = "ServerSideEncryptionConfigurationNotFoundError"
_GONE = "NoSuchBucket"


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def missing_public_access_block_settings(configuration: dict[str, Any] | None) -> list[str]:
    """The settings of a PublicAccessBlockConfiguration that are not on (all four when there is none). Pure."""
    configuration = configuration or {}
    return [name for name in PUBLIC_ACCESS_BLOCK_SETTINGS if configuration.get(name) is not True]


def default_encryption_algorithm(configuration: dict[str, Any] | None) -> str | None:
    """The default SSE algorithm of a ServerSideEncryptionConfiguration, None when there is none. Pure."""
    for rule in (configuration or {}).get("Rules", []):
        algorithm = rule.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm")
        if algorithm:
            return algorithm
    return None


def _public_access_block(s3: Any, bucket: str) -> dict[str, Any] | None:
    try:
        return s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    except ClientError as error:
        if _code(error) == _NO_PUBLIC_ACCESS_BLOCK:
            return None
        raise


def _encryption(s3: Any, bucket: str) -> dict[str, Any] | None:
    try:
        return s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]
    except ClientError as error:
        if _code(error) == _NO_ENCRYPTION:
            return None
        raise


def _check_bucket(s3: Any, bucket: str, result: CheckResult) -> None:
    missing = missing_public_access_block_settings(_public_access_block(s3, bucket))
    result.count(PUBLIC_ACCESS_BLOCK)
    if missing:
        result.add(PUBLIC_ACCESS_BLOCK, bucket, f"public access block is missing {', '.join(missing)}")
    algorithm = default_encryption_algorithm(_encryption(s3, bucket))
    result.count(DEFAULT_ENCRYPTION)
    if algorithm is None:
        result.add(DEFAULT_ENCRYPTION, bucket, "no default encryption is configured")


def lists_buckets_by_region(s3: Any) -> bool:
    """Whether the client's botocore knows ListBuckets' BucketRegion parameter (releases since October 2024)."""
    request = s3.meta.service_model.operation_model("ListBuckets").input_shape
    return request is not None and "BucketRegion" in request.members


def bucket_region(s3: Any, bucket: str) -> str:
    """The region a bucket lives in, from GetBucketLocation (any botocore has it)."""
    constraint = s3.get_bucket_location(Bucket=bucket).get("LocationConstraint") or ""
    return _LEGACY_LOCATIONS.get(constraint, constraint)


def _listed_buckets(s3: Any, region: str, by_region: bool) -> Iterator[str]:
    """Bucket names: only this region's when ListBuckets can filter, otherwise every bucket of the account."""
    if by_region:
        paginator = s3.get_paginator("list_buckets")
        for page in paginator.paginate(BucketRegion=region, PaginationConfig={"PageSize": PAGE_SIZE}):
            yield from (bucket["Name"] for bucket in page.get("Buckets", []))
        return
    # Unpaginated: AWS answers it for accounts at the default quota of 10,000 buckets and refuses it above;
    # a refusal fails this check as an audit-error finding (handler.run_checks), never a silent pass.
    yield from (bucket["Name"] for bucket in s3.list_buckets().get("Buckets", []))


def check_s3_buckets(s3: Any, region: str) -> CheckResult:
    result = CheckResult()
    result.count(*RULES, resources=0)
    by_region = lists_buckets_by_region(s3)
    for name in _listed_buckets(s3, region, by_region):
        try:
            if not by_region and bucket_region(s3, name) != region:
                continue  # another region's auditor checks it
            _check_bucket(s3, name, result)
        except ClientError as error:
            # Deleted since it was listed: nothing left to audit.
            if _code(error) == _GONE:
                continue
            # A bucket policy can deny the auditor one bucket; the others are still checked.
            result.findings.append(resource_unreadable(CHECK, name, error))
    return result
