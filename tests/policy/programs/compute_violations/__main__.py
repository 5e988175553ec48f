"""Each resource breaks the compute-hardening and public-reachability policies its name says (see
tests/policy/test_compute.py). Several leave the insecure default out rather than writing it."""

import json

import pulumi
import pulumi_aws as aws

ROLE = "arn:aws:iam::123456789012:role/app"
SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]

function = aws.lambda_.Function(
    "url-target-fn", role=ROLE, runtime="python3.13", handler="app.handler", s3_bucket="artifacts", s3_key="app.zip"
)
aws.lambda_.FunctionUrl("open-url", function_name=function.name, authorization_type="NONE")
# The permission AWS requires for a NONE URL: anyone may call lambda:InvokeFunctionUrl.
aws.lambda_.Permission(
    "open-url-permission",
    function=function.name,
    action="lambda:InvokeFunctionUrl",
    principal="*",
    function_url_auth_type="NONE",
)
aws.lambda_.Function(
    "old-python-fn", role=ROLE, runtime="python3.8", handler="app.handler", s3_bucket="artifacts", s3_key="app.zip"
)
# The enum form of a runtime is the same string on the wire.
aws.lambda_.Function(
    "old-node-enum-fn",
    role=ROLE,
    runtime=aws.lambda_.Runtime.NODE_JS16D_X,
    handler="index.handler",
    s3_bucket="artifacts",
    s3_key="app.zip",
)

# Says nothing about its endpoint: public (default true) and open to 0.0.0.0/0 (EKS's default); no encryption or logs.
aws.eks.Cluster("default-endpoint-cluster", role_arn=ROLE, vpc_config=aws.eks.ClusterVpcConfigArgs(subnet_ids=SUBNETS))
aws.eks.Cluster(
    "split-world-cluster",
    role_arn=ROLE,
    # Two halves of the IPv4 internet are still all of it.
    vpc_config=aws.eks.ClusterVpcConfigArgs(subnet_ids=SUBNETS, public_access_cidrs=["0.0.0.0/1", "128.0.0.0/1"]),
    encryption_config=aws.eks.ClusterEncryptionConfigArgs(
        resources=["secrets"], provider=aws.eks.ClusterEncryptionConfigProviderArgs(key_arn="alias/aws/eks")
    ),
    enabled_cluster_log_types=["api"],
)
aws.eks.Cluster(
    "explicit-public-cluster",
    role_arn=ROLE,
    vpc_config={"subnet_ids": SUBNETS, "endpoint_public_access": True, "public_access_cidrs": ["0.0.0.0/0"]},
    enabled_cluster_log_types=["api", "audit", "authenticator"],
)

aws.redshift.Cluster(
    "public-warehouse",
    cluster_identifier="warehouse",
    node_type="ra3.xlplus",
    manage_master_password=True,
    master_username="admin",
    publicly_accessible=True,
)

aws.dms.ReplicationInstance(
    "default-dms", replication_instance_id="migrate", replication_instance_class="dms.t3.medium"
)
aws.dms.ReplicationInstance(
    "public-dms",
    replication_instance_id="migrate-2",
    replication_instance_class="dms.t3.medium",
    publicly_accessible=True,
)

aws.sagemaker.NotebookInstance("default-notebook", role_arn=ROLE, instance_type="ml.t3.medium")
aws.sagemaker.NotebookInstance(
    "enabled-notebook",
    role_arn=ROLE,
    instance_type="ml.t3.medium",
    subnet_id=SUBNETS[0],
    security_groups=["sg-0a1b2c3d4e5f60001"],
    direct_internet_access="Enabled",
    root_access="Enabled",
)

# ECS: one container breaks everything; a second declares root by name; a third's document embeds another
# resource's output, so at a first preview the whole JSON string is unknown.
aws.ecs.TaskDefinition(
    "privileged-task",
    family="privileged",
    container_definitions=json.dumps(
        [
            {
                "name": "app",
                "image": "nginx:1.27",
                "essential": True,
                "privileged": True,
                "user": "0:0",
                "environment": [
                    {"name": "DB_PASSWORD", "value": "not-a-real-one"},
                    {"name": "AWS_SECRET_ACCESS_KEY", "value": "x"},
                    {"name": "LOG_LEVEL", "value": "info"},
                ],
            }
        ]
    ),
)
aws.ecs.TaskDefinition(
    "root-named-task",
    family="root-named",
    container_definitions=json.dumps(
        [
            {"name": "ok", "image": "app:1", "user": "1000:1000", "readonlyRootFilesystem": True},
            {"name": "sidecar", "image": "proxy:1", "user": "root", "readonlyRootFilesystem": True},
        ]
    ),
)
log_group = aws.cloudwatch.LogGroup("task-logs", retention_in_days=365)
aws.ecs.TaskDefinition(
    "computed-task",
    family="computed",
    container_definitions=pulumi.Output.json_dumps(
        [
            {
                "name": "app",
                "image": "app:1",
                "privileged": True,
                "readonlyRootFilesystem": True,
                "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": log_group.name}},
            }
        ]
    ),
)

# API Gateway: an HTTP API whose routes leave authorization out or write NONE, a quick-created API, a WebSocket
# API's $connect, and a REST method; OPTIONS (CORS preflight) and WebSocket message routes are not judged.
http_api = aws.apigatewayv2.Api("http-api", protocol_type="HTTP")
aws.apigatewayv2.Route("open-route", api_id=http_api.id, route_key="GET /items")
aws.apigatewayv2.Route("open-default-route", api_id=http_api.id, route_key="$default", authorization_type="NONE")
aws.apigatewayv2.Route("preflight-route", api_id=http_api.id, route_key="OPTIONS /items")
aws.apigatewayv2.Api("quick-api", protocol_type="HTTP", target=function.arn)
ws_api = aws.apigatewayv2.Api("ws-api", protocol_type="WEBSOCKET", route_selection_expression="$request.body.action")
aws.apigatewayv2.Route("ws-connect-route", api_id=ws_api.id, route_key="$connect")
aws.apigatewayv2.Route("ws-message-route", api_id=ws_api.id, route_key="sendmessage")
aws.apigatewayv2.Route("ws-default-route", api_id=ws_api.id, route_key="$default")
rest_api = aws.apigateway.RestApi("rest-api")
items = aws.apigateway.Resource("items", rest_api=rest_api.id, parent_id=rest_api.root_resource_id, path_part="items")
aws.apigateway.Method(
    "open-method", rest_api=rest_api.id, resource_id=items.id, http_method="GET", authorization="NONE"
)
aws.apigateway.Method(
    "preflight-method", rest_api=rest_api.id, resource_id=items.id, http_method="OPTIONS", authorization="NONE"
)

# EC2: Elastic IPs on an instance and on a network interface; resources in the default VPC (by reference, and an
# instance that names no subnet); IMDS hop limits above 1.
PRIVATE_SUBNET = "subnet-0a1b2c3d4e5f60001"
AMI = "ami-0123456789abcdef0"
eip_instance = aws.ec2.Instance("eip-instance", ami=AMI, instance_type="t3.micro", subnet_id=PRIVATE_SUBNET)
aws.ec2.Eip("instance-eip", domain="vpc", instance=eip_instance.id)
nat_style_eip = aws.ec2.Eip("spare-eip", domain="vpc")
aws.ec2.EipAssociation(
    "eni-eip-association", allocation_id=nat_style_eip.allocation_id, network_interface_id="eni-0a1b2c3d4e5f60001"
)
default_vpc = aws.ec2.DefaultVpc("default-vpc")
default_subnet = aws.ec2.DefaultSubnet("default-subnet-a", availability_zone="us-east-1a")
aws.ec2.Instance("default-subnet-instance", ami=AMI, instance_type="t3.micro", subnet_id=default_subnet.id)
aws.ec2.SecurityGroup("default-vpc-sg", vpc_id=default_vpc.id, description="app")
aws.ec2.DefaultSecurityGroup("default-vpc-default-sg", vpc_id=default_vpc.id)  # closing it is welcome
aws.ec2.Instance("no-subnet-instance", ami=AMI, instance_type="t3.micro")
aws.ec2.Instance(
    "hop2-instance",
    ami=AMI,
    instance_type="t3.micro",
    subnet_id=PRIVATE_SUBNET,
    metadata_options={"http_tokens": "required", "http_put_response_hop_limit": 2},
)
aws.ec2.LaunchTemplate(
    "hop3-template",
    image_id=AMI,
    metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(http_tokens="required", http_put_response_hop_limit=3),
)

# Spot: a request with a public IP, no IMDSv2 and no declared root volume; a fleet built from launch specifications.
aws.ec2.SpotInstanceRequest(
    "public-spot", ami=AMI, instance_type="t3.micro", subnet_id=PRIVATE_SUBNET, associate_public_ip_address=True
)
aws.ec2.SpotFleetRequest(
    "spec-fleet",
    iam_fleet_role=ROLE,
    target_capacity=1,
    launch_specifications=[
        aws.ec2.SpotFleetRequestLaunchSpecificationArgs(ami=AMI, instance_type="t3.micro", subnet_id=PRIVATE_SUBNET),
    ],
)
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0b7a2c33-2f5e-4c8e-9d31-4a1f7b0e9c11"
aws.ec2.SpotInstanceRequest(
    "hop2-spot",
    ami=AMI,
    instance_type="t3.micro",
    subnet_id=PRIVATE_SUBNET,
    metadata_options={"http_tokens": "required", "http_put_response_hop_limit": 2},
    root_block_device={"encrypted": True, "kms_key_id": KEY_ARN},
)

# Node SSH open to the world by leaving out the source groups; a public serverless workgroup; a Studio domain on
# the public internet by default.
aws.eks.NodeGroup(
    "ssh-open-nodes",
    cluster_name="app",
    node_role_arn=ROLE,
    subnet_ids=SUBNETS,
    scaling_config={"desired_size": 1, "max_size": 1, "min_size": 1},
    remote_access={"ec2_ssh_key": "ops"},
)
aws.redshiftserverless.Workgroup(
    "public-workgroup", namespace_name="analytics", workgroup_name="analytics", publicly_accessible=True
)
aws.sagemaker.Domain(
    "public-domain",
    domain_name="studio",
    auth_mode="IAM",
    vpc_id="vpc-0123456789abcdef0",
    subnet_ids=SUBNETS,
    default_user_settings={"execution_role": ROLE},
)
