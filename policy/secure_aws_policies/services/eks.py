"""EKS: the Kubernetes API endpoint is private or open only to listed networks, Kubernetes secrets are
envelope-encrypted with our KMS key, and the control plane's audit log is kept.

Defaults read from pulumi_aws/eks/_inputs.py (ClusterVpcConfigArgs): `endpoint_public_access` "Default is `true`";
`public_access_cidrs` "EKS defaults this to a list with `0.0.0.0/0`". So a cluster that says nothing about its
endpoint has a Kubernetes API anyone on the internet can reach (and try credentials against).
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import customer_key_problem
from ..net import covered_public_space, is_private
from ..props import UNKNOWN, is_set, items, peek, truthy, value
from ..registry import FSBP, PROJECT, Category, resource_policy
from ..types import EKS_CLUSTER, EKS_NODE_GROUP


@resource_policy(
    name="eks-endpoint-not-public",
    description="EKS clusters keep the Kubernetes API endpoint off the internet: `vpcConfig.endpointPublicAccess` "
    "false, or `publicAccessCidrs` listing networks that do not add up to the whole internet. Left out, the "
    "endpoint is public (default true) and open to 0.0.0.0/0 (EKS's default).",
    types=[EKS_CLUSTER],
    severity=Severity.HIGH,
    category=Category.NETWORK,
    controls=[FSBP("EKS.1")],
    remediation="Set vpc_config={endpoint_private_access: True, endpoint_public_access: False, ...} and reach the "
    "API from inside the VPC (SSM, a VPN); or keep it public with public_access_cidrs=[<your office/VPN CIDRs>].",
)
def eks_endpoint_not_public(args: Any, report: Any, config: dict) -> None:
    vpc_config = value(args.props, "vpcConfig") or {}
    if not truthy(value(vpc_config, "endpointPublicAccess", True)):
        return
    cidrs = [str(cidr) for cidr in items(value(vpc_config, "publicAccessCidrs", []))]
    public = [cidr for cidr in cidrs if not is_private(cidr)]
    if not cidrs:
        report(
            f"cluster {args.name} has a public API endpoint with no publicAccessCidrs, so EKS opens it to 0.0.0.0/0."
        )
    elif covered_public_space(public):
        report(
            f"cluster {args.name} has a public API endpoint open to the whole internet through "
            f"publicAccessCidrs {public}."
        )


@resource_policy(
    name="eks-secrets-encrypted-with-cmk",
    description="EKS clusters envelope-encrypt Kubernetes secrets with our customer-managed KMS key "
    "(`encryptionConfig` with resources [secrets] and `provider.keyArn`); without it, secrets sit in etcd "
    "protected only by EKS's default encryption.",
    types=[EKS_CLUSTER],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[FSBP("EKS.3")],
    remediation="Set encryption_config={resources: ['secrets'], provider: {key_arn: <our key ARN>}} (the cluster "
    "role needs kms:Encrypt/Decrypt/DescribeKey/CreateGrant on the key).",
)
def eks_secrets_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    # pulumi_aws/eks/_inputs.py ClusterEncryptionConfigArgs: resources "Valid values: `secrets`"; provider.key_arn.
    encryption = value(args.props, "encryptionConfig")
    if not encryption:
        report(f"cluster {args.name} sets no encryptionConfig, so Kubernetes secrets are not encrypted with our key.")
        return
    resources = peek(encryption, "resources")
    if resources is not UNKNOWN and "secrets" not in [str(r) for r in items(resources)]:
        report(f"cluster {args.name}: encryptionConfig.resources does not include 'secrets'.")
    problem = customer_key_problem(value(encryption, "provider") or {}, "keyArn")
    if problem:
        report(f"cluster {args.name}: encryptionConfig.provider {problem}.")


@resource_policy(
    name="eks-control-plane-logging",
    description="EKS clusters send the control-plane logs named in `requiredLogTypes` (by default `audit`, who did "
    "what through the Kubernetes API, and `authenticator`, who signed in) to CloudWatch Logs "
    "(`enabledClusterLogTypes`; none are enabled by default).",
    types=[EKS_CLUSTER],
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    controls=[FSBP("EKS.8")],
    remediation="Set enabled_cluster_log_types=['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] "
    "(at least audit and authenticator), with a KMS-encrypted /aws/eks/<cluster>/cluster log group kept long "
    "enough.",
    config={"requiredLogTypes": {"type": "array", "items": {"type": "string"}, "default": ["audit", "authenticator"]}},
)
def eks_control_plane_logging(args: Any, report: Any, config: dict) -> None:
    enabled = {str(log_type) for log_type in items(value(args.props, "enabledClusterLogTypes", []))}
    missing = [log_type for log_type in config["requiredLogTypes"] if log_type not in enabled]
    if missing:
        report(
            f"cluster {args.name} does not log {', '.join(missing)} from its control plane (enabledClusterLogTypes)."
        )


@resource_policy(
    name="eks-node-group-ssh-not-open",
    description="EKS managed node groups that take an SSH key (`remoteAccess.ec2SshKey`) name the security groups "
    "that may use it (`sourceSecurityGroupIds`): without them EKS opens port 22 (3389 on Windows) on every node to "
    "0.0.0.0/0.",
    types=[EKS_NODE_GROUP],
    severity=Severity.HIGH,
    category=Category.NETWORK,
    controls=[PROJECT("no-world-admin-ports")],
    remediation="Drop remote_access and reach nodes with SSM Session Manager; or set remote_access="
    "{ec2_ssh_key: ..., source_security_group_ids: [<bastion or admin sg>]}.",
)
def eks_node_group_ssh_not_open(args: Any, report: Any, config: dict) -> None:
    # pulumi_aws/eks/_inputs.py NodeGroupRemoteAccessArgs: "If you specify `ec2_ssh_key`, but do not specify
    # [source_security_group_ids] ..., port 22 on the worker nodes is opened to the Internet (0.0.0.0/0)."
    # remote_access left out: no SSH key on the nodes (no default to judge); source_security_group_ids left out
    # with an ec2_ssh_key is the insecure default quoted above.
    remote = value(args.props, "remoteAccess")
    if remote and is_set(remote, "ec2SshKey") and not is_set(remote, "sourceSecurityGroupIds"):
        report(
            f"node group {args.name} takes an SSH key without sourceSecurityGroupIds, so EKS opens SSH/RDP on "
            "its nodes to 0.0.0.0/0."
        )
