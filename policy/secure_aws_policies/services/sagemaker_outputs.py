"""SageMaker: what its jobs, feature stores, model cards and Studio users write is encrypted with our key.

Each type is a declaration: the block whose presence means the resource writes that data (None: always), and the key
argument inside it. Left out, SageMaker encrypts S3 output with "the default KMS key for Amazon S3 for your role's
account" (pulumi-aws 7 sagemaker DeviceFleetOutputConfig kms_key_id; the same for training, labeling, flow and
monitoring output, per the SageMaker API's OutputDataConfig/OutputConfig KmsKeyId), an AWS managed key, and an online
feature store or a model card with a key of its own. A training job's volume key (resource_config.volume_kms_key_id)
is not asked for: instance types with local NVMe storage refuse one, and which type is used is often a parameter.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from pulumi_policy import Severity

from ..keys import key_at, key_problem_at
from ..props import UNKNOWN, peek
from ..registry import PROJECT, Category, resource_policy
from ..types import (
    SAGEMAKER_DATA_QUALITY_JOB,
    SAGEMAKER_DEVICE_FLEET,
    SAGEMAKER_DOMAIN,
    SAGEMAKER_FEATURE_GROUP,
    SAGEMAKER_FLOW_DEFINITION,
    SAGEMAKER_LABELING_JOB,
    SAGEMAKER_MODEL_CARD,
    SAGEMAKER_MONITORING_SCHEDULE,
    SAGEMAKER_TRAINING_JOB,
    SAGEMAKER_TUNING_JOB,
    SAGEMAKER_USER_PROFILE,
)


class Output(NamedTuple):
    written_when: str | None  # the block (or value) whose presence means this data is written; None: always
    key: str  # the key argument, dotted through its blocks


_SHARING = "sharingSettings"
_CANVAS = "canvasAppSettings.workspaceSettings"

OUTPUTS: dict[str, tuple[Output, ...]] = {
    # output_data_config is where the model artifacts go (required by CreateTrainingJob).
    SAGEMAKER_TRAINING_JOB: (Output("outputDataConfig", "outputDataConfig.kmsKeyId"),),
    SAGEMAKER_TUNING_JOB: (
        Output("trainingJobDefinition.outputDataConfig", "trainingJobDefinition.outputDataConfig.kmsKeyId"),
    ),
    # offline_store_config and online_store_config are each optional: a store that is not configured holds nothing.
    # online_store_config.security_config left out: "Security config for at-rest encryption of your OnlineStore",
    # none, so the online store uses an AWS owned key.
    SAGEMAKER_FEATURE_GROUP: (
        Output("offlineStoreConfig", "offlineStoreConfig.s3StorageConfig.kmsKeyId"),
        Output("onlineStoreConfig", "onlineStoreConfig.securityConfig.kmsKeyId"),
    ),
    # security_config left out: the model card's content is encrypted with an AWS owned key.
    SAGEMAKER_MODEL_CARD: (Output(None, "securityConfig.kmsKeyId"),),
    SAGEMAKER_FLOW_DEFINITION: (Output("outputConfig", "outputConfig.kmsKeyId"),),
    SAGEMAKER_DEVICE_FLEET: (Output("outputConfig", "outputConfig.kmsKeyId"),),
    SAGEMAKER_LABELING_JOB: (Output("outputConfig", "outputConfig.kmsKeyId"),),
    SAGEMAKER_DATA_QUALITY_JOB: (Output("dataQualityJobOutputConfig", "dataQualityJobOutputConfig.kmsKeyId"),),
    # monitoring_job_definition left out: the schedule runs a named job definition, judged on that resource.
    SAGEMAKER_MONITORING_SCHEDULE: (
        Output(
            "monitoringScheduleConfig.monitoringJobDefinition",
            "monitoringScheduleConfig.monitoringJobDefinition.monitoringOutputConfig.kmsKeyId",
        ),
    ),
    # Studio sharing (s3_output_path: "When `notebook_output_option` is Allowed") and Canvas artifacts
    # (s3_artifact_path) write to S3 only when their path is set; user_settings are the domain's
    # default_user_settings when left out.
    SAGEMAKER_USER_PROFILE: (
        Output(f"userSettings.{_SHARING}.s3OutputPath", f"userSettings.{_SHARING}.s3KmsKeyId"),
        Output(f"userSettings.{_CANVAS}.s3ArtifactPath", f"userSettings.{_CANVAS}.s3KmsKeyId"),
    ),
    SAGEMAKER_DOMAIN: (
        Output(f"defaultUserSettings.{_SHARING}.s3OutputPath", f"defaultUserSettings.{_SHARING}.s3KmsKeyId"),
        Output(f"defaultUserSettings.{_CANVAS}.s3ArtifactPath", f"defaultUserSettings.{_CANVAS}.s3KmsKeyId"),
    ),
}


def _written(props: Any, path: str | None) -> Any:
    """True when the block or value at `path` is present (or `path` is None), UNKNOWN when not known yet."""
    if path is None:
        return True
    found = key_at(props, path)
    if found is UNKNOWN:
        return UNKNOWN
    if found is None:
        return False
    holder, key = found
    value = peek(holder, key)
    return value if value is UNKNOWN else value not in (None, "", [], {})


@resource_policy(
    name="sagemaker-outputs-encrypted-with-cmk",
    description="What SageMaker writes is encrypted with our customer-managed KMS key: training and tuning job "
    "output, offline and online feature stores, model cards, human review (flow definition), device fleet, labeling "
    "and data quality job output, monitoring output, and the Studio notebook sharing and Canvas artifacts of user "
    "profiles and domains. Left out, SageMaker uses the AWS managed key for Amazon S3 (or an AWS owned key).",
    types=sorted(OUTPUTS),
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set the key argument named in the finding (kms_key_id, or s3_kms_key_id in sharing and Canvas "
    "settings) to our key's ARN.",
)
def sagemaker_outputs_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    for output in OUTPUTS[args.resource_type]:
        if _written(args.props, output.written_when) is not True:
            continue
        problem = key_problem_at(args.props, output.key)
        if problem:
            report(f"SageMaker {args.name}: {problem}.")
