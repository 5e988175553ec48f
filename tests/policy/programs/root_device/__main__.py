"""The root volume of a launch template (tests/policy/test_root_device.py): an encrypted mapping under a data device
name leaves the root as the AMI makes it. "ok-" resources must pass; the others are named after their fault."""

import pulumi_aws as aws

key = aws.kms.Key("key", enable_key_rotation=True, deletion_window_in_days=30)
metadata = aws.ec2.LaunchTemplateMetadataOptionsArgs(http_tokens="required", http_put_response_hop_limit=1)


def mapping(device_name: str) -> aws.ec2.LaunchTemplateBlockDeviceMappingArgs:
    return aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
        device_name=device_name,
        ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(encrypted="true", kms_key_id=key.arn, volume_size=10),
    )


aws.ec2.LaunchTemplate(
    "data-disk-only-template",
    image_id="ami-0123456789abcdef0",
    block_device_mappings=[mapping("/dev/sdf")],
    metadata_options=metadata,
)
aws.ec2.LaunchTemplate(
    "ok-amazon-linux-template",
    image_id="ami-0123456789abcdef0",
    block_device_mappings=[mapping("/dev/sdf"), mapping("/dev/xvda")],
    metadata_options=metadata,
)
aws.ec2.LaunchTemplate(
    "ok-ubuntu-template",
    image_id="ami-0123456789abcdef0",
    block_device_mappings=[mapping("/dev/sda1")],
    metadata_options=metadata,
)
