"""Compute and data services configured the way the pack asks (see tests/policy/test_compute.py): IAM-authenticated
function URLs on a supported runtime; private or CIDR-restricted EKS endpoints with secrets encrypted by our key
and the audit log on; private Redshift and DMS; notebooks in the VPC without root. References between resources
are unknown at preview."""

import json

import pulumi_aws as aws

ROLE = "arn:aws:iam::123456789012:role/app"
key = aws.kms.Key("key", enable_key_rotation=True, deletion_window_in_days=30)
subnet = aws.ec2.Subnet("private", vpc_id="vpc-0123456789abcdef0", cidr_block="10.0.1.0/24")

function = aws.lambda_.Function(
    "supported-fn", role=ROLE, runtime="python3.13", handler="app.handler", s3_bucket="artifacts", s3_key="app.zip"
)
aws.lambda_.FunctionUrl("iam-url", function_name=function.name, authorization_type="AWS_IAM")
# A container image brings its own runtime: no `runtime` to judge.
aws.lambda_.Function(
    "image-fn", role=ROLE, package_type="Image", image_uri="123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0"
)

ENCRYPTION = aws.eks.ClusterEncryptionConfigArgs(
    resources=["secrets"], provider=aws.eks.ClusterEncryptionConfigProviderArgs(key_arn=key.arn)
)
LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
aws.eks.Cluster(
    "private-cluster",
    role_arn=ROLE,
    vpc_config=aws.eks.ClusterVpcConfigArgs(
        subnet_ids=[subnet.id], endpoint_private_access=True, endpoint_public_access=False
    ),
    encryption_config=ENCRYPTION,
    enabled_cluster_log_types=LOGS,
)
aws.eks.Cluster(
    "office-only-cluster",
    role_arn=ROLE,
    vpc_config=aws.eks.ClusterVpcConfigArgs(
        subnet_ids=[subnet.id], endpoint_private_access=True, public_access_cidrs=["203.0.113.0/24"]
    ),
    encryption_config=ENCRYPTION,
    enabled_cluster_log_types=LOGS,
)

# publicly_accessible left out is false in pulumi-aws v7.
aws.redshift.Cluster(
    "private-warehouse",
    cluster_identifier="warehouse",
    node_type="ra3.xlplus",
    manage_master_password=True,
    master_username="admin",
    kms_key_id=key.arn,
    encrypted=True,
)
aws.dms.ReplicationInstance(
    "private-dms",
    replication_instance_id="migrate",
    replication_instance_class="dms.t3.medium",
    publicly_accessible=False,
    kms_key_arn=key.arn,
)
aws.sagemaker.NotebookInstance(
    "vpc-notebook",
    role_arn=ROLE,
    instance_type="ml.t3.medium",
    subnet_id=subnet.id,
    security_groups=["sg-0a1b2c3d4e5f60001"],
    direct_internet_access="Disabled",
    root_access="Disabled",
    kms_key_id=key.arn,
)

SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"

# ECS: non-root, unprivileged, read-only root, the password referenced from Secrets Manager.
aws.ecs.TaskDefinition(
    "hardened-task",
    family="hardened",
    container_definitions=json.dumps(
        [
            {
                "name": "app",
                "image": "app:1",
                "essential": True,
                "user": "1000:1000",
                "readonlyRootFilesystem": True,
                "environment": [
                    {"name": "LOG_LEVEL", "value": "info"},
                    {"name": "PASSWORD_MIN_LENGTH", "value": "12"},
                    {"name": "DB_PASSWORD_SECRET_ARN", "value": SECRET_ARN},
                ],
                "secrets": [{"name": "DB_PASSWORD", "valueFrom": SECRET_ARN}],
            }
        ]
    ),
)

# API Gateway: a JWT-authorized HTTP route, an IAM-authorized REST method.
http_api = aws.apigatewayv2.Api("http-api", protocol_type="HTTP")
authorizer = aws.apigatewayv2.Authorizer(
    "jwt",
    api_id=http_api.id,
    authorizer_type="JWT",
    identity_sources=["$request.header.Authorization"],
    jwt_configuration={"audiences": ["app"], "issuer": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"},
)
aws.apigatewayv2.Route(
    "jwt-route", api_id=http_api.id, route_key="GET /items", authorization_type="JWT", authorizer_id=authorizer.id
)
rest_api = aws.apigateway.RestApi("rest-api")
aws.apigateway.Method(
    "iam-method",
    rest_api=rest_api.id,
    resource_id=rest_api.root_resource_id,
    http_method="GET",
    authorization="AWS_IAM",
)

# EC2: an EIP for a NAT gateway (not an instance), an instance in our subnet with hop limit 1.
nat_eip = aws.ec2.Eip("nat-eip", domain="vpc")
aws.ec2.NatGateway("nat", allocation_id=nat_eip.allocation_id, subnet_id=subnet.id)
aws.ec2.Instance(
    "hardened-instance",
    ami="ami-0123456789abcdef0",
    instance_type="t3.micro",
    subnet_id=subnet.id,
    metadata_options={"http_tokens": "required", "http_put_response_hop_limit": 1},
)

# Spot: a request held to the instance rules; a fleet launched from a template (judged on its own).
aws.ec2.SpotInstanceRequest(
    "hardened-spot",
    ami="ami-0123456789abcdef0",
    instance_type="t3.micro",
    subnet_id=subnet.id,
    metadata_options={"http_tokens": "required"},
    root_block_device={"encrypted": True, "kms_key_id": key.arn},
)
fleet_template = aws.ec2.LaunchTemplate("fleet-template", image_id="ami-0123456789abcdef0")
aws.ec2.SpotFleetRequest(
    "template-fleet",
    iam_fleet_role=ROLE,
    target_capacity=1,
    launch_template_configs=[
        {"launch_template_specification": {"id": fleet_template.id, "version": "$Latest"}},
    ],
)

# Node SSH only from an admin security group; a private serverless workgroup; a VPC-only Studio domain.
aws.eks.NodeGroup(
    "admin-ssh-nodes",
    cluster_name="app",
    node_role_arn=ROLE,
    subnet_ids=[subnet.id],
    scaling_config={"desired_size": 1, "max_size": 1, "min_size": 1},
    remote_access={"ec2_ssh_key": "ops", "source_security_group_ids": ["sg-0a1b2c3d4e5f60002"]},
)
aws.redshiftserverless.Workgroup("private-workgroup", namespace_name="analytics", workgroup_name="analytics")
aws.sagemaker.Domain(
    "vpc-domain",
    domain_name="studio",
    auth_mode="IAM",
    vpc_id="vpc-0123456789abcdef0",
    subnet_ids=[subnet.id],
    app_network_access_type="VpcOnly",
    kms_key_id=key.arn,
    default_user_settings={"execution_role": ROLE},
)
