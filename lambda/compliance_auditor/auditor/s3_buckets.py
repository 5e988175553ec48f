"""S3 buckets in this region: all four public-access-block settings on, and default encryption configured."""

from __future__ import annotations

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


def check_s3_buckets(s3: Any, region: str) -> CheckResult:
    result = CheckResult()
    result.count(*RULES, resources=0)
    pages = s3.get_paginator("list_buckets").paginate(BucketRegion=region, PaginationConfig={"PageSize": PAGE_SIZE})
    for page in pages:
        for bucket in page.get("Buckets", []):
            name = bucket["Name"]
            try:
                _check_bucket(s3, name, result)
            except ClientError as error:
                # Deleted since it was listed: nothing left to audit.
                if _code(error) == _GONE:
                    continue
                # A bucket policy can deny the auditor one bucket; the others are still checked.
                result.findings.append(resource_unreadable(CHECK, name, error))
    return result
