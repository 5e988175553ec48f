"""What SageMaker writes (tests/policy/test_sagemaker_outputs.py): each kind once with our key ("ok-", unknown at
preview) and once with the key left out (or an AWS managed one); a feature group without an online store and a user
profile that shares nothing write nothing that needs a key."""

import pulumi_aws as aws

sm = aws.sagemaker
key = aws.kms.Key("ml-key", enable_key_rotation=True, deletion_window_in_days=30)
ROLE = "arn:aws:iam::123456789012:role/sagemaker"
OUT = "s3://ml-output/"


def training(name: str, kms_key_id: object = None) -> None:
    sm.TrainingJob(
        name,
        role_arn=ROLE,
        training_job_name=name,
        algorithm_specification={"training_image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1"},
        output_data_config={"s3_output_path": OUT, "kms_key_id": kms_key_id},
        resource_config={"instance_type": "ml.m5.large", "instance_count": 1, "volume_size_in_gb": 30},
        stopping_condition={"max_runtime_in_seconds": 3600},
    )


training("training-default-key")
training("training-aws-key", "alias/aws/s3")
training("ok-training", key.arn)

FEATURES = dict(
    event_time_feature_name="ts",
    record_identifier_feature_name="id",
    role_arn=ROLE,
    feature_definitions=[
        {"feature_name": "id", "feature_type": "String"},
        {"feature_name": "ts", "feature_type": "String"},
    ],
)
sm.FeatureGroup(
    "features-online-default-key", feature_group_name="a", online_store_config={"enable_online_store": True}, **FEATURES
)
sm.FeatureGroup(
    "features-offline-default-key",
    feature_group_name="b",
    offline_store_config={"s3_storage_config": {"s3_uri": OUT}},
    **FEATURES,
)
sm.FeatureGroup(
    "ok-features",
    feature_group_name="c",
    online_store_config={"enable_online_store": True, "security_config": {"kms_key_id": key.arn}},
    offline_store_config={"s3_storage_config": {"s3_uri": OUT, "kms_key_id": key.arn}},
    **FEATURES,
)
CARD = dict(content='{"model_overview": {}}', model_card_status="Draft")
sm.ModelCard("card-default-key", model_card_name="a", **CARD)
sm.ModelCard("ok-card", model_card_name="b", security_config={"kms_key_id": key.arn}, **CARD)
sm.DeviceFleet("fleet-default-key", device_fleet_name="a", role_arn=ROLE, output_config={"s3_output_location": OUT})
sm.DeviceFleet(
    "ok-fleet", device_fleet_name="b", role_arn=ROLE, output_config={"s3_output_location": OUT, "kms_key_id": key.arn}
)
sm.UserProfile(
    "profile-sharing-default-key",
    domain_id="d-abc",
    user_profile_name="a",
    user_settings={
        "execution_role": ROLE,
        "sharing_settings": {"notebook_output_option": "Allowed", "s3_output_path": OUT},
    },
)
sm.UserProfile(
    "ok-profile-shares-nothing", domain_id="d-abc", user_profile_name="b", user_settings={"execution_role": ROLE}
)
sm.UserProfile(
    "ok-profile-sharing",
    domain_id="d-abc",
    user_profile_name="c",
    user_settings={
        "execution_role": ROLE,
        "sharing_settings": {"notebook_output_option": "Allowed", "s3_output_path": OUT, "s3_kms_key_id": key.arn},
    },
)
