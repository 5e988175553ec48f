"""EC2 compute hardening beyond encryption and IMDSv2 (issue 13): no Elastic IP on an instance, nothing placed in the
default VPC, and an IMDS hop limit that keeps the instance role's credentials away from containers.

Read from pulumi-aws v7: ec2/eip.py `instance` "EC2 instance ID", `network_interface` "Network interface ID to
associate with" (an EIP for a NAT gateway names neither: the gateway takes its allocation id); ec2/_inputs.py
metadata options `http_put_response_hop_limit` "Valid values are integer from `1` to `64`. Defaults to `1`".
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import customer_key_problem
from ..props import UNKNOWN, as_int, has, is_set, items, peek, truthy, value
from ..registry import FSBP, PROJECT, Category, resource_policy, stack_policy
from ..types import (
    DEFAULT_NETWORK_ACL,
    DEFAULT_SECURITY_GROUP,
    DEFAULT_SUBNET,
    DEFAULT_VPC,
    EC2_EIP,
    EC2_EIP_ASSOCIATION,
    EC2_INSTANCE,
    FLOW_LOG,
    LAUNCH_CONFIGURATION,
    LAUNCH_TEMPLATE,
    SPOT_FLEET_REQUEST,
    SPOT_INSTANCE_REQUEST,
)


@resource_policy(
    name="ec2-no-elastic-ip-on-instance",
    description="No Elastic IP is attached to an instance or its network interface (an `Eip` naming `instance` or "
    "`networkInterface`, or an `EipAssociation`): it is a public IPv4 address reachable from the internet, whatever "
    "the subnet says. EIPs for NAT gateways are not judged.",
    types=[EC2_EIP, EC2_EIP_ASSOCIATION],
    severity=Severity.HIGH,
    category=Category.NETWORK,
    controls=[FSBP("EC2.9")],
    remediation="Remove the association and put the instance behind the load balancer in a private subnet; reach it "
    "with SSM Session Manager.",
)
def ec2_no_elastic_ip_on_instance(args: Any, report: Any, config: dict) -> None:
    keys = ("instance", "networkInterface") if args.resource_type == EC2_EIP else ("instanceId", "networkInterfaceId")
    attached = [key for key in keys if is_set(args.props, key)]
    if attached:
        report(f"Elastic IP {args.name} is attached through {attached[0]}, giving that instance a public address.")


# Managing the default VPC's own guard rails (closing its security group and ACL, logging its flows) is welcome.
DEFAULT_VPC_HARDENING = frozenset({DEFAULT_SECURITY_GROUP, DEFAULT_NETWORK_ACL, FLOW_LOG})


@stack_policy(
    name="ec2-no-default-vpc",
    description="Nothing is placed in the default VPC, whose default subnets give every instance a public IP and "
    "whose routes reach the internet: no resource's input depends on an `ec2.DefaultVpc` or `ec2.DefaultSubnet` "
    "(except its default security group, network ACL and flow logs), and no instance leaves out `subnetId`, "
    "network interfaces and launch template (AWS then launches it in the default subnet).",
    types=[DEFAULT_VPC, DEFAULT_SUBNET, EC2_INSTANCE, SPOT_INSTANCE_REQUEST],
    severity=Severity.MEDIUM,
    category=Category.NETWORK,
    controls=[PROJECT("no-default-vpc")],
    remediation="Create the resource in our VPC's private subnets (subnet_id=<private subnet>); leave the default VPC "
    "unused (or delete it in each account).",
)
def ec2_no_default_vpc(args: Any, report: Any, config: dict) -> None:
    defaults = {r.urn: r for r in args.resources if r.resource_type in (DEFAULT_VPC, DEFAULT_SUBNET)}
    for resource in args.resources:
        if resource.resource_type in DEFAULT_VPC_HARDENING or resource.urn in defaults:
            continue
        used = sorted(
            {
                defaults[target.urn].name
                for targets in resource.property_dependencies.values()
                for target in targets
                if target.urn in defaults
            }
        )
        if used:
            report(f"{resource.name} is placed in the default VPC (it uses {', '.join(used)}).", resource.urn)
        elif resource.resource_type in (EC2_INSTANCE, SPOT_INSTANCE_REQUEST) and not any(
            is_set(resource.props, key) for key in ("subnetId", "networkInterfaces", "launchTemplate")
        ):
            report(
                f"instance {resource.name} names no subnetId, network interface or launch template, so AWS "
                "launches it in the default VPC's default subnet.",
                resource.urn,
            )


@resource_policy(
    name="ec2-imds-hop-limit",
    description="Instances, Spot requests, launch templates and launch configurations keep the metadata response "
    "hop limit at `maxHopLimit` (1 unless configured; 2 for hosts whose containers must reach IMDS): a higher limit "
    "lets any container on the host read the instance role's credentials. Left out, AWS uses 1.",
    types=[EC2_INSTANCE, SPOT_INSTANCE_REQUEST, LAUNCH_TEMPLATE, LAUNCH_CONFIGURATION],
    severity=Severity.MEDIUM,
    category=Category.COMPUTE,
    controls=[PROJECT("imds-hop-limit")],
    remediation="Set metadata_options.http_put_response_hop_limit=1 (or the configured maximum for container "
    "hosts, usually 2) and give containers their own task/pod role instead of the instance's.",
    config={"maxHopLimit": {"type": "integer", "minimum": 1, "maximum": 64, "default": 1}},
)
def ec2_imds_hop_limit(args: Any, report: Any, config: dict) -> None:
    options = value(args.props, "metadataOptions") or {}
    found = peek(options, "httpPutResponseHopLimit")
    if found is None or found is UNKNOWN:
        return
    limit = as_int(found, 1)
    if limit > int(config["maxHopLimit"]):
        report(
            f"{args.name} sets httpPutResponseHopLimit {limit}, above {config['maxHopLimit']}: containers on "
            "the host can reach the instance role's credentials."
        )


def _volume_problem(volume: Any) -> str | None:
    if not truthy(value(volume, "encrypted", False)):
        return "is not encrypted"
    return customer_key_problem(volume, "kmsKeyId")


def _spot_request_problems(props: Any) -> list[str]:
    problems = []
    if truthy(value(props, "associatePublicIpAddress", False)):
        problems.append("sets associatePublicIpAddress")
    from_template = is_set(props, "launchTemplate")
    options = value(props, "metadataOptions")
    if options is not None or not from_template:
        options = options or {}
        if value(options, "httpEndpoint", "enabled") != "disabled" and value(options, "httpTokens") != "required":
            problems.append("does not require IMDSv2 (metadataOptions.httpTokens 'required')")
    devices = []
    if has(props, "rootBlockDevice"):
        devices.append(("rootBlockDevice", value(props, "rootBlockDevice") or {}))
    elif not from_template:
        problems.append("declares no rootBlockDevice, so its root volume comes from the AMI without our key")
    # ebs_block_devices left out: no extra volume (no default to judge); a root device left out is judged above.
    devices += [(f"ebsBlockDevices[{i}]", d or {}) for i, d in enumerate(items(value(props, "ebsBlockDevices", [])))]
    problems += [f"{where} {problem}" for where, device in devices if (problem := _volume_problem(device))]
    return problems


def _fleet_problems(props: Any) -> list[str]:
    problems = []
    # launch_specifications left out: the fleet launches from templates (no default to judge); a specification's
    # root_block_devices left out: the AMI's root volume as it is.
    for index, spec in enumerate(items(value(props, "launchSpecifications", []))):
        where = f"launchSpecifications[{index}]"
        if truthy(value(spec, "associatePublicIpAddress", False)):
            problems.append(f"{where} sets associatePublicIpAddress")
        # A launch specification has no metadata options: only a launch template can require IMDSv2.
        problems.append(f"{where} cannot require IMDSv2; use launchTemplateConfigs with a template that does")
        roots = items(value(spec, "rootBlockDevices", []))
        if not roots:
            problems.append(f"{where} declares no rootBlockDevices, so the root volume comes from the AMI unencrypted")
        devices = [("rootBlockDevices", d) for d in roots] + [
            ("ebsBlockDevices", d) for d in items(value(spec, "ebsBlockDevices", []))
        ]
        problems += [
            f"{where}.{kind} {problem}" for kind, device in devices if (problem := _volume_problem(device or {}))
        ]
    return problems


@resource_policy(
    name="ec2-spot-requests-hardened",
    description="Spot instance requests and Spot Fleet requests are held to the rules for instances: no public IP, "
    "IMDSv2 required, root and EBS volumes encrypted with our key. A Spot Fleet launch specification cannot set "
    "metadata options, so a fleet must launch from launch templates (judged on their own); Spot requests that "
    "take a launch template are judged through it.",
    types=[SPOT_INSTANCE_REQUEST, SPOT_FLEET_REQUEST],
    severity=Severity.HIGH,
    category=Category.COMPUTE,
    controls=[FSBP("EC2.8"), FSBP("EC2.9"), FSBP("EC2.173")],
    remediation="Give Spot requests the instance settings (associate_public_ip_address=False, metadata_options="
    "{http_tokens: 'required'}, root_block_device={encrypted: True, kms_key_id: <our key>}); build Spot Fleets "
    "from launch_template_configs whose templates do the same.",
)
def ec2_spot_requests_hardened(args: Any, report: Any, config: dict) -> None:
    # pulumi_aws/ec2/spot_instance_request.py takes the Instance arguments (metadata_options, root_block_device,
    # associate_public_ip_address); ec2/_inputs.py SpotFleetRequestLaunchSpecificationArgs has no metadata options.
    what = "Spot request" if args.resource_type == SPOT_INSTANCE_REQUEST else "Spot Fleet request"
    problems = (
        _spot_request_problems(args.props)
        if args.resource_type == SPOT_INSTANCE_REQUEST
        else _fleet_problems(args.props)
    )
    for problem in problems:
        report(f"{what} {args.name} {problem}.")
