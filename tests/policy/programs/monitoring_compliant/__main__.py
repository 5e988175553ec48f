"""Logging and monitoring done right: a flow-logged VPC, a multi-region validated trail delivering to CloudWatch
Logs with a metric filter and an acting alarm for each CIS item (4.1-4.15), a protected and access-logged trail
bucket, access-logged buckets and load balancer, a year of log retention, RDS logs and enhanced monitoring.
"""

import json

import pulumi
import pulumi_aws as aws

ACCOUNT = "123456789012"


def role(name, service):
    return aws.iam.Role(
        name,
        assume_role_policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": service}}],
            }
        ),
    )


vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
flow_logs = aws.cloudwatch.LogGroup("flow-logs", retention_in_days=365)
aws.ec2.FlowLog(
    "vpc-flow-log",
    vpc_id=vpc.id,
    traffic_type="ALL",
    log_destination=flow_logs.arn,
    iam_role_arn=role("flow-log-role", "vpc-flow-logs.amazonaws.com").arn,
)

# The access-log bucket receives the others' logs (and the ALB's), so it needs no access logging of its own.
log_bucket = aws.s3.Bucket("log-bucket")
trail_bucket = aws.s3.Bucket("trail-bucket")
data_bucket = aws.s3.Bucket("data-bucket")
for bucket, name in ((trail_bucket, "trail-bucket"), (data_bucket, "data-bucket")):
    aws.s3.BucketLogging(f"{name}-logging", bucket=bucket.id, target_bucket=log_bucket.id, target_prefix=f"{name}/")
aws.s3.BucketPublicAccessBlock(
    "trail-bucket-public-access-block",
    bucket=trail_bucket.id,
    block_public_acls=True,
    block_public_policy=True,
    ignore_public_acls=True,
    restrict_public_buckets=True,
)
aws.s3.BucketPolicy(
    "trail-bucket-policy",
    bucket=trail_bucket.id,
    policy=pulumi.Output.all(trail_bucket.arn).apply(
        lambda arns: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "CloudTrailWrite",
                        "Effect": "Allow",
                        "Principal": {"Service": "cloudtrail.amazonaws.com"},
                        "Action": "s3:PutObject",
                        "Resource": f"{arns[0]}/AWSLogs/{ACCOUNT}/*",
                        "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
                    }
                ],
            }
        )
    ),
)

trail_logs = aws.cloudwatch.LogGroup("trail-logs", name="/aws/cloudtrail/policy-tests", retention_in_days=365)
aws.cloudtrail.Trail(
    "trail",
    s3_bucket_name=trail_bucket.id,
    is_multi_region_trail=True,
    include_global_service_events=True,
    enable_log_file_validation=True,
    cloud_watch_logs_group_arn=trail_logs.arn.apply(lambda arn: f"{arn}:*"),
    cloud_watch_logs_role_arn=role("trail-logs-role", "cloudtrail.amazonaws.com").arn,
    event_selectors=[aws.cloudtrail.TrailEventSelectorArgs(include_management_events=True, read_write_type="All")],
)

alerts = aws.sns.Topic("alerts")
# The published CIS patterns; 4.1 in the v1.4 variant and 4.7 with its terms reordered and requoted (the rule
# compares the boolean structure, not the text).
CIS = {
    "4-1": '{(($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && '
    '(($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket"))}',
    "4-2": '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && '
    '($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    "4-3": '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
    "4-4": "{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || "
    "($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || "
    "($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || "
    "($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || "
    "($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || "
    "($.eventName=DetachGroupPolicy)}",
    "4-5": "{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || "
    "($.eventName=StartLogging) || ($.eventName=StopLogging)}",
    "4-6": '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
    "4-7": '{ (($.eventName = "ScheduleKeyDeletion") || ($.eventName = "DisableKey")) && '
    '($.eventSource = "kms.amazonaws.com") }',
    "4-8": "{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || "
    "($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || "
    "($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || "
    "($.eventName=DeleteBucketReplication))}",
    "4-9": "{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || "
    "($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || "
    "($.eventName=PutConfigurationRecorder))}",
    "4-10": "{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || "
    "($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || "
    "($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}",
    "4-11": "{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) "
    "|| ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || "
    "($.eventName=ReplaceNetworkAclAssociation)}",
    "4-12": "{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || "
    "($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || "
    "($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}",
    "4-13": "{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || "
    "($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || "
    "($.eventName=DisassociateRouteTable)}",
    "4-14": "{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || "
    "($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || "
    "($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || "
    "($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || "
    "($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}",
    "4-15": '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || '
    '($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") '
    '|| ($.eventName= "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") '
    '|| ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || '
    '($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || '
    '($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || '
    '($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || '
    '($.eventName = "UpdatePolicy") || ($.eventName ="UpdateOrganizationalUnit")) }',
}
for item, pattern in CIS.items():
    metric = f"CIS-{item}"
    aws.cloudwatch.LogMetricFilter(
        f"cis-{item}-filter",
        log_group_name=trail_logs.name,
        pattern=pattern,
        metric_transformation=aws.cloudwatch.LogMetricFilterMetricTransformationArgs(
            name=metric, namespace="CISBenchmark", value="1"
        ),
    )
    aws.cloudwatch.MetricAlarm(
        f"cis-{item}-alarm",
        metric_name=metric,
        namespace="CISBenchmark",
        statistic="Sum",
        period=300,
        evaluation_periods=1,
        threshold=1,
        comparison_operator="GreaterThanOrEqualToThreshold",
        alarm_actions=[alerts.arn],
    )

aws.lb.LoadBalancer(
    "alb",
    load_balancer_type="application",
    subnets=["subnet-1a", "subnet-1b"],
    drop_invalid_header_fields=True,
    access_logs=aws.lb.LoadBalancerAccessLogsArgs(bucket=log_bucket.id, prefix="alb", enabled=True),
)
# A never-expiring group keeps its events longer than any minimum.
aws.cloudwatch.LogGroup("kept-forever-logs")

monitoring_role = role("monitoring-role", "monitoring.rds.amazonaws.com")
aws.rds.Instance(
    "db",
    engine="postgres",
    engine_version="16",
    instance_class="db.t4g.medium",
    allocated_storage=20,
    username="appadmin",
    manage_master_user_password=True,
    enabled_cloudwatch_logs_exports=["postgresql", "upgrade"],
    monitoring_interval=60,
    monitoring_role_arn=monitoring_role.arn,
)
# ELB.5 covers application and classic load balancers; an NLB logs only its TLS listeners.
aws.lb.LoadBalancer("nlb", load_balancer_type="network", subnets=["subnet-1a", "subnet-1b"])
