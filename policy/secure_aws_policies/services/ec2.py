"""EC2 compute: instances, launch templates and launch configurations, and their EBS volumes: encrypted with our
key, no public IP addresses, IMDSv2 only."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..accounts import ACCOUNT_IDS_SCHEMA, guarded_accounts
from ..keys import customer_key_problem
from ..props import UNKNOWN, has, is_set, items, peek, truthy, value
from ..registry import CDK_NAG, FSBP, Category, resource_policy
from ..types import (
    AMI_LAUNCH_PERMISSION,
    EBS_VOLUME,
    EC2_INSTANCE,
    LAUNCH_CONFIGURATION,
    LAUNCH_TEMPLATE,
    SNAPSHOT_CREATE_VOLUME_PERMISSION,
)


def _volume_problem(volume: Any) -> str | None:
    # encrypted left out: the volume is encrypted only if the account's EBS encryption by default is on, which a stack
    # that does not manage it cannot show (ec2/_inputs.py: "Boolean controlling whether the created EBS volumes will be
    # encrypted", no default stated; the EC2 API's default is false); kms_key_id left out: the account's default EBS
    # key, aws/ebs unless changed.
    if not truthy(value(volume, "encrypted", False)):
        return "is not encrypted"
    return customer_key_problem(volume, "kmsKeyId")


@resource_policy(
    name="ebs-encrypted-with-cmk",
    description="EBS volumes (standalone, on instances and in launch templates) are encrypted with our "
    "customer-managed KMS key, the root volume included: an instance declares its root_block_device, a launch "
    "template maps the root device (/dev/xvda, /dev/sda1 or /dev/sda); a mapping under another device name adds "
    "a data volume and leaves the root as the AMI makes it.",
    types=[EBS_VOLUME, EC2_INSTANCE, LAUNCH_TEMPLATE],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[FSBP("EC2.3"), FSBP("EC2.181"), CDK_NAG("AwsSolutions-EC26")],
    remediation='Set encrypted=True ("true" in launch templates) and kms_key_id=<our key ARN> on every EBS '
    "volume: root_block_device and ebs_block_devices of instances, block_device_mappings[].ebs of launch "
    "templates (declare the root device, or it comes unencrypted from the AMI).",
)
def ebs_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    judge = {EBS_VOLUME: _judge_volume, EC2_INSTANCE: _judge_instance}.get(args.resource_type, _judge_launch_template)
    judge(args, report)


def _judge_volume(args: Any, report: Any) -> None:
    problem = _volume_problem(args.props)
    if problem:
        report(f"volume {args.name} {problem}.")


def _judge_instance(args: Any, report: Any) -> None:
    props = args.props
    devices = []
    # root_block_device left out: the root volume is made from the AMI's snapshot as it is; ebs_block_devices
    # left out: no extra volume (no default to judge).
    if has(props, "rootBlockDevice"):
        devices.append(("rootBlockDevice", value(props, "rootBlockDevice")))
    elif not is_set(props, "launchTemplate"):
        report(
            f"instance {args.name} declares no rootBlockDevice, so its root volume is created from the AMI "
            "without our key."
        )
    for index, device in enumerate(items(value(props, "ebsBlockDevices", []))):
        devices.append((f"ebsBlockDevices[{index}]", device))
    for where, device in devices:
        problem = _volume_problem(device or {})
        if problem:
            report(f"instance {args.name}: {where} {problem}.")


# The root device names of AWS's AMIs: /dev/xvda (Amazon Linux, most HVM images), /dev/sda1 (Ubuntu, RHEL, Windows,
# ...), /dev/sda on a few. A launch template's mapping under any other name (/dev/sdf) adds a data volume and leaves
# the root volume as the AMI's snapshot makes it: unencrypted, or encrypted with another key.
_ROOT_DEVICE_NAMES = frozenset({"/dev/xvda", "/dev/sda1", "/dev/sda"})


def _judge_launch_template(args: Any, report: Any) -> None:
    # block_device_mappings left out: every volume as the AMI maps it; device_name and ebs are what a mapping
    # names (no default to judge).
    mappings = items(value(args.props, "blockDeviceMappings", []))
    with_ebs = [(index, mapping) for index, mapping in enumerate(mappings) if has(mapping, "ebs")]
    if not any(peek(mapping, "deviceName") in (_ROOT_DEVICE_NAMES | {UNKNOWN}) for _, mapping in with_ebs):
        report(
            f"launch template {args.name} declares no EBS block device mapping for the root device "
            f"({' or '.join(sorted(_ROOT_DEVICE_NAMES))}), so the root volume is created from the AMI without our "
            "key (a mapping under another device name adds a volume; it does not encrypt the root)."
        )
    for index, mapping in with_ebs:
        problem = _volume_problem(value(mapping, "ebs") or {})
        if problem:
            report(f"launch template {args.name}: blockDeviceMappings[{index}].ebs {problem}.")


@resource_policy(
    name="ec2-instance-no-public-ip",
    description="EC2 instances do not get a public IPv4 address: they do not set associatePublicIpAddress, and one "
    "that names no subnet (nor network interface or launch template) is refused too, since EC2 launches it into "
    "the default VPC's default subnet, where the default is a public address.",
    types=[EC2_INSTANCE],
    severity=Severity.HIGH,
    category=Category.NETWORK,
    controls=[FSBP("EC2.9")],
    remediation="Set associate_public_ip_address=False and place instances in private subnets behind the load "
    "balancer; reach them with SSM Session Manager.",
)
def ec2_instance_no_public_ip(args: Any, report: Any, config: dict) -> None:
    props = args.props
    if truthy(value(props, "associatePublicIpAddress", False)):
        report(f"instance {args.name} sets associatePublicIpAddress.")
    elif not has(props, "associatePublicIpAddress") and not any(
        is_set(props, key) for key in ("subnetId", "networkInterfaces", "primaryNetworkInterface", "launchTemplate")
    ):
        # Left out, associatePublicIpAddress follows the subnet; with no subnet EC2 uses the default VPC's default
        # subnet, and "if the instance is launched into a default subnet in a default VPC, the default is true"
        # (AWS API reference, AssociatePublicIpAddress).
        report(
            f"instance {args.name} names no subnet, so EC2 launches it into the default VPC's default subnet, "
            "which gives it a public IP address."
        )


@resource_policy(
    name="launch-template-no-public-ip",
    description="Launch templates do not assign public IP addresses to network interfaces, and Auto Scaling launch "
    "configurations do not assign public IP addresses to the instances they launch.",
    types=[LAUNCH_TEMPLATE, LAUNCH_CONFIGURATION],
    severity=Severity.HIGH,
    category=Category.NETWORK,
    controls=[FSBP("EC2.25"), FSBP("Autoscaling.5")],
    remediation='Set network_interfaces[].associate_public_ip_address="false" on launch templates (or leave it out '
    "in private subnets), and associate_public_ip_address=False on launch configurations.",
)
def launch_template_no_public_ip(args: Any, report: Any, config: dict) -> None:
    if args.resource_type == LAUNCH_CONFIGURATION:
        if truthy(value(args.props, "associatePublicIpAddress", False)):
            report(f"launch configuration {args.name} sets associatePublicIpAddress.")
        return
    for index, interface in enumerate(items(value(args.props, "networkInterfaces", []))):
        if truthy(value(interface, "associatePublicIpAddress", False)):
            report(f"launch template {args.name}: networkInterfaces[{index}] sets associatePublicIpAddress.")


@resource_policy(
    name="imdsv2-required",
    description="Instances, launch templates and launch configurations require IMDSv2 (session tokens), or turn "
    "the metadata endpoint off.",
    types=[EC2_INSTANCE, LAUNCH_TEMPLATE, LAUNCH_CONFIGURATION],
    severity=Severity.HIGH,
    category=Category.ACCESS,
    controls=[FSBP("EC2.8"), FSBP("EC2.170"), FSBP("AutoScaling.3"), CDK_NAG("NIST.800.53.R5-EC2IMDSv2Enabled")],
    remediation="Set metadata_options={http_tokens: 'required', http_endpoint: 'enabled', "
    "http_put_response_hop_limit: 1}.",
)
def imdsv2_required(args: Any, report: Any, config: dict) -> None:
    if (
        args.resource_type == EC2_INSTANCE
        and not has(args.props, "metadataOptions")
        and is_set(args.props, "launchTemplate")
    ):
        args.not_applicable("the instance takes its metadata options from its launch template, judged on its own")
    options = value(args.props, "metadataOptions") or {}
    if value(options, "httpEndpoint", "enabled") == "disabled":
        return
    tokens = value(options, "httpTokens")
    if tokens != "required":
        why = "does not set httpTokens" if tokens is None else f"sets httpTokens={tokens!r}"
        report(f"{args.name} {why}, so IMDSv1 stays on and an SSRF can read the instance role's credentials.")


# The guarded accounts an image or snapshot may be shared with (this policy's and rds-snapshot-not-shared's).
SHARING_CONFIG = {"accountIds": ACCOUNT_IDS_SCHEMA}


def shared_outside(grantees: list[Any], allowed: list[str]) -> list[str]:
    """The grantees (account ids, "all") that are not guarded accounts; an unknown id (computed) is not judged."""
    return [str(g) for g in grantees if g is not UNKNOWN and str(g) not in allowed]


@resource_policy(
    name="ec2-image-and-snapshot-not-shared",
    description="AMIs and EBS snapshots are shared only with the guarded accounts (pack config accountIds and the "
    "provider's allowedAccountIds): an "
    "aws.ec2.AmiLaunchPermission names one of them as account_id, never group 'all' (public), an organization or "
    "an organizational unit; an aws.ec2.SnapshotCreateVolumePermission names one of them as account_id.",
    types=[AMI_LAUNCH_PERMISSION, SNAPSHOT_CREATE_VOLUME_PERMISSION],
    severity=Severity.CRITICAL,
    category=Category.ACCESS,
    controls=[FSBP("EC2.1")],
    remediation="Remove the permission, or share only with an account listed in the pack config accountIds.",
    config=SHARING_CONFIG,
)
def ec2_image_and_snapshot_not_shared(args: Any, report: Any, config: dict) -> None:
    allowed = sorted(guarded_accounts([args], config["accountIds"]))  # config and the provider
    what = "AMI" if args.resource_type == AMI_LAUNCH_PERMISSION else "snapshot"
    # pulumi-aws 7 AmiLaunchPermission: exactly one of account_id, group ("all"), organization_arn,
    # organizational_unit_arn.
    if value(args.props, "group") is not None:
        report(f"{args.name} makes the {what} public (group={value(args.props, 'group')}).")
    for key in ("organizationArn", "organizationalUnitArn"):
        if value(args.props, key) is not None:
            report(
                f"{args.name} shares the {what} with a whole organization or OU ({key}); share only with the "
                "guarded accounts."
            )
    # account_id names the grantee (no default to judge); group is "all" or left out.
    account = peek(args.props, "accountId")
    for outside in shared_outside([account] if account is not None else [], allowed):
        report(
            f"{args.name} shares the {what} with account {outside}, which is not a guarded account "
            f"({allowed or 'none configured'})."
        )
