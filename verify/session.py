"""The AWS session verification runs in: the outputs' region, credentials proven before any check runs."""

from __future__ import annotations

import boto3
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, ProfileNotFound

from verify.errors import VerifyUsageError


def open_session(region: str, profile: str | None = None) -> boto3.Session:
    try:
        return boto3.Session(region_name=region, profile_name=profile)
    except ProfileNotFound as error:
        raise VerifyUsageError(f"--profile {profile}: {error}") from error


def caller_account(session: boto3.Session) -> str:
    """The account the credentials belong to (sts:GetCallerIdentity needs no permission at all)."""
    try:
        return str(session.client("sts").get_caller_identity()["Account"])
    except NoCredentialsError as error:
        raise VerifyUsageError(
            "no AWS credentials found: set AWS_PROFILE (or --profile), or AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, for the account the stack is deployed in"
        ) from error
    except (ClientError, BotoCoreError) as error:
        raise VerifyUsageError(f"the AWS credentials do not work: {error}") from error
