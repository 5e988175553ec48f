"""SageMaker: notebook instances reach the network only through our VPC, and their users are not root.

Defaults read from pulumi_aws/sagemaker/notebook_instance.py: direct_internet_access "Supported values: `Enabled`
(Default) or `Disabled`" (Disabled "Requires `security_groups` and `subnet_id`"); root_access "The default value is
`Enabled`". So a notebook that leaves both out has both.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import customer_key_problem
from ..props import is_set, value
from ..registry import FSBP, PROJECT, Category, resource_policy
from ..types import SAGEMAKER_DOMAIN, SAGEMAKER_ENDPOINT_CONFIGURATION, SAGEMAKER_NOTEBOOK_INSTANCE

# The key argument of each (pulumi-aws 7): the notebook's storage volume, the endpoint's ML storage volumes, the
# domain's EFS volume.
_KEY_ARGUMENT = {
    SAGEMAKER_NOTEBOOK_INSTANCE: "kmsKeyId",
    SAGEMAKER_ENDPOINT_CONFIGURATION: "kmsKeyArn",
    SAGEMAKER_DOMAIN: "kmsKeyId",
}


@resource_policy(
    name="sagemaker-notebook-no-direct-internet",
    description="SageMaker notebook instances run in our VPC (`subnetId`) with `directInternetAccess` Disabled; "
    "left out it is Enabled, a network path to and from the internet that bypasses the VPC's controls.",
    types=[SAGEMAKER_NOTEBOOK_INSTANCE],
    severity=Severity.HIGH,
    category=Category.NETWORK,
    controls=[FSBP("SageMaker.1"), FSBP("SageMaker.2")],
    remediation="Set subnet_id=<private subnet>, security_groups=[<notebook sg>] and direct_internet_access="
    "'Disabled'; give the VPC endpoints (or a NAT gateway) for what the notebook must reach.",
)
def sagemaker_notebook_no_direct_internet(args: Any, report: Any, config: dict) -> None:
    access = str(value(args.props, "directInternetAccess", "Enabled"))
    if access != "Disabled":
        report(f"notebook instance {args.name} has directInternetAccess {access} (the default when left out).")
    if not is_set(args.props, "subnetId"):
        report(f"notebook instance {args.name} sets no subnetId, so it does not run in our VPC.")


@resource_policy(
    name="sagemaker-notebook-no-root-access",
    description="SageMaker notebook instances give their users no root access (`rootAccess` Disabled; left out it "
    "is Enabled).",
    types=[SAGEMAKER_NOTEBOOK_INSTANCE],
    severity=Severity.HIGH,
    category=Category.COMPUTE,
    controls=[FSBP("SageMaker.3")],
    remediation="Set root_access='Disabled'; install packages through a lifecycle configuration instead.",
)
def sagemaker_notebook_no_root_access(args: Any, report: Any, config: dict) -> None:
    access = str(value(args.props, "rootAccess", "Enabled"))
    if access != "Disabled":
        report(f"notebook instance {args.name} has rootAccess {access} (the default when left out).")


@resource_policy(
    name="sagemaker-domain-vpc-only",
    description="SageMaker domains (Studio) send their traffic through our VPC (`appNetworkAccessType` VpcOnly); "
    "left out it is PublicInternetOnly, the same direct internet path a notebook instance must not have.",
    types=[SAGEMAKER_DOMAIN],
    severity=Severity.HIGH,
    category=Category.NETWORK,
    controls=[PROJECT("private-network-only")],
    remediation="Set app_network_access_type='VpcOnly' with private subnet_ids and VPC endpoints for the SageMaker "
    "APIs (or a NAT gateway).",
)
def sagemaker_domain_vpc_only(args: Any, report: Any, config: dict) -> None:
    # pulumi_aws/sagemaker/domain.py: app_network_access_type "The default value is `PublicInternetOnly`. Valid
    # values are `PublicInternetOnly` and `VpcOnly`."
    access = str(value(args.props, "appNetworkAccessType", "PublicInternetOnly"))
    if access != "VpcOnly":
        report(f"domain {args.name} has appNetworkAccessType {access} (the default when left out).")


@resource_policy(
    name="sagemaker-encrypted-with-cmk",
    description="SageMaker notebook instances, endpoint configurations and Studio domains encrypt their storage "
    "volumes with our customer-managed KMS key (`kms_key_id`, `kms_key_arn` on endpoint configurations). Left "
    "out, SageMaker uses an AWS managed key.",
    types=sorted(_KEY_ARGUMENT),
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set kms_key_id=<our key ARN> (kms_key_arn on aws.sagemaker.EndpointConfiguration).",
)
def sagemaker_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    problem = customer_key_problem(args.props, _KEY_ARGUMENT[args.resource_type])
    if problem:
        report(f"{args.name}: {problem}.")
