"""Each resource breaks the compute-hardening and public-reachability policies its name says (see
tests/policy/test_compute.py). Several leave the insecure default out rather than writing it."""

import pulumi_aws as aws

ROLE = "arn:aws:iam::123456789012:role/app"
SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]

function = aws.lambda_.Function("url-target-fn", role=ROLE, runtime="python3.13", handler="app.handler",
                                s3_bucket="artifacts", s3_key="app.zip")  # fmt: skip
aws.lambda_.FunctionUrl("open-url", function_name=function.name, authorization_type="NONE")
# The permission AWS requires for a NONE URL: anyone may call lambda:InvokeFunctionUrl.
aws.lambda_.Permission("open-url-permission", function=function.name, action="lambda:InvokeFunctionUrl",
                       principal="*", function_url_auth_type="NONE")  # fmt: skip
aws.lambda_.Function("old-python-fn", role=ROLE, runtime="python3.8", handler="app.handler",
                     s3_bucket="artifacts", s3_key="app.zip")  # fmt: skip
# The enum form of a runtime is the same string on the wire.
aws.lambda_.Function("old-node-enum-fn", role=ROLE, runtime=aws.lambda_.Runtime.NODE_JS16D_X, handler="index.handler",
                     s3_bucket="artifacts", s3_key="app.zip")  # fmt: skip

# Says nothing about its endpoint: public (default true) and open to 0.0.0.0/0 (EKS's default); no encryption or logs.
aws.eks.Cluster("default-endpoint-cluster", role_arn=ROLE,
                vpc_config=aws.eks.ClusterVpcConfigArgs(subnet_ids=SUBNETS))  # fmt: skip
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

aws.redshift.Cluster("public-warehouse", cluster_identifier="warehouse", node_type="ra3.xlplus",
                     manage_master_password=True, master_username="admin", publicly_accessible=True)  # fmt: skip

aws.dms.ReplicationInstance("default-dms", replication_instance_id="migrate",
                            replication_instance_class="dms.t3.medium")  # fmt: skip
aws.dms.ReplicationInstance("public-dms", replication_instance_id="migrate-2",
                            replication_instance_class="dms.t3.medium", publicly_accessible=True)  # fmt: skip

aws.sagemaker.NotebookInstance("default-notebook", role_arn=ROLE, instance_type="ml.t3.medium")
aws.sagemaker.NotebookInstance("enabled-notebook", role_arn=ROLE, instance_type="ml.t3.medium",
                               subnet_id=SUBNETS[0], security_groups=["sg-0a1b2c3d4e5f60001"],
                               direct_internet_access="Enabled", root_access="Enabled")  # fmt: skip
