"""Kinesis: data streams, video streams and Firehose delivery streams encrypted with our customer-managed key."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import customer_key_problem, key_problem_at, report_key
from ..props import UNKNOWN, has, peek, truthy
from ..registry import FSBP, PROJECT, Category, resource_policy
from ..types import FIREHOSE_DELIVERY_STREAM, KINESIS_STREAM, KINESIS_VIDEO_STREAM


@resource_policy(
    name="kinesis-stream-encrypted-with-cmk",
    description="Kinesis data streams are encrypted at rest with our customer-managed KMS key. Left out, "
    "`encryption_type` is NONE (pulumi-aws 7 kinesis.Stream: 'The default value is NONE'), and `kms_key_id` "
    "alias/aws/kinesis is the AWS managed key.",
    types=[KINESIS_STREAM],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[FSBP("Kinesis.1"), PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set encryption_type='KMS' and kms_key_id=<our key ARN> on aws.kinesis.Stream.",
)
def kinesis_stream_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    kind = peek(args.props, "encryptionType")
    if kind is UNKNOWN:
        return
    if not isinstance(kind, str) or kind.upper() != "KMS":
        shown = kind if isinstance(kind, str) else "left out (the default is NONE)"
        report(f"Kinesis stream {args.name}: `encryption_type` is {shown}, so records are stored unencrypted.")
        return
    problem = customer_key_problem(args.props, "kmsKeyId")
    if problem:
        report(f"Kinesis stream {args.name}: {problem}.")


@resource_policy(
    name="firehose-encrypted-with-cmk",
    description="Firehose delivery streams fed directly (Direct PUT) encrypt buffered records with our "
    "customer-managed KMS key. Left out, `server_side_encryption` is disabled, and `key_type` defaults to "
    "AWS_OWNED_CMK (pulumi-aws 7 kinesis.FirehoseDeliveryStream). A stream reading from a Kinesis data stream "
    "(`kinesis_source_configuration`) cannot take server-side encryption: the source stream's policy judges it.",
    types=[FIREHOSE_DELIVERY_STREAM],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set server_side_encryption={'enabled': True, 'key_type': 'CUSTOMER_MANAGED_CMK', "
    "'key_arn': <our key ARN>} on aws.kinesis.FirehoseDeliveryStream.",
)
def firehose_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    if has(args.props, "kinesisSourceConfiguration") and peek(args.props, "kinesisSourceConfiguration"):
        return
    sse = peek(args.props, "serverSideEncryption")
    if sse is UNKNOWN:
        return
    # server_side_encryption.enabled "Default is `false`", key_type "Default is `AWS_OWNED_CMK`" (kinesis/_inputs.py
    # FirehoseDeliveryStreamServerSideEncryptionArgs); key_arn is required with CUSTOMER_MANAGED_CMK.
    enabled = peek(sse, "enabled") if sse else None
    key_type = peek(sse, "keyType") if sse else None
    if UNKNOWN in (enabled, key_type):
        return
    if not truthy(enabled):
        report(
            f"Firehose delivery stream {args.name}: `server_side_encryption` is not enabled, so buffered "
            "records are not encrypted with our key."
        )
    elif key_type != "CUSTOMER_MANAGED_CMK":
        shown = key_type or "left out (the default is AWS_OWNED_CMK)"
        report(
            f"Firehose delivery stream {args.name}: `server_side_encryption.key_type` is {shown}, not "
            "CUSTOMER_MANAGED_CMK with our key."
        )
    else:
        problem = key_problem_at(args.props, "serverSideEncryption.keyArn")
        if problem:
            report(f"Firehose delivery stream {args.name}: {problem}.")


@resource_policy(
    name="kinesis-video-stream-encrypted-with-cmk",
    description="Kinesis video streams encrypt their media with our customer-managed KMS key: left out, `kms_key_id` "
    "is 'the default, Kinesis Video-managed key (`aws/kinesisvideo`)' (pulumi-aws 7 kinesis.VideoStream).",
    types=[KINESIS_VIDEO_STREAM],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set kms_key_id=<our key ARN> on aws.kinesis.VideoStream.",
)
def kinesis_video_stream_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    report_key(args, report, "kmsKeyId", "Kinesis video stream")
