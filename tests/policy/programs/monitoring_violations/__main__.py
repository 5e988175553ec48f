"""Each resource breaks the monitoring policies its name says (see tests/policy/test_monitoring.py)."""

import json

import pulumi_aws as aws

aws.ec2.Vpc("unlogged-vpc", cidr_block="10.1.0.0/16")
accept_only_vpc = aws.ec2.Vpc("accept-only-vpc", cidr_block="10.2.0.0/16")
aws.ec2.FlowLog(
    "accept-only-flow-log",
    vpc_id=accept_only_vpc.id,
    traffic_type="ACCEPT",
    log_destination="arn:aws:s3:::policy-tests-flow-logs",
    log_destination_type="s3",
)

# A trail that breaks everything, writing to a public, unlogged bucket.
weak_bucket = aws.s3.Bucket("weak-trail-bucket", bucket="policy-tests-weak-trail")
aws.s3.BucketPolicy(
    "weak-trail-bucket-policy",
    bucket=weak_bucket.id,
    policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::policy-tests-weak-trail/*",
                }
            ],
        }
    ),
)
aws.cloudtrail.Trail(
    "weak-trail",
    s3_bucket_name=weak_bucket.id,
    include_global_service_events=False,
    event_selectors=[
        aws.cloudtrail.TrailEventSelectorArgs(include_management_events=True, read_write_type="WriteOnly")
    ],
)

# A trail with CloudWatch Logs whose CIS coverage is incomplete: 4.5 misses StopLogging, 4.3's alarm tells no
# one, 4.6's filter watches another log group, and the rest are missing.
trail_logs = aws.cloudwatch.LogGroup("cis-trail-logs", retention_in_days=365)
other_logs = aws.cloudwatch.LogGroup("app-logs", retention_in_days=365)
aws.cloudtrail.Trail(
    "cis-trail",
    s3_bucket_name="policy-tests-org-trail",
    is_multi_region_trail=True,
    enable_log_file_validation=True,
    cloud_watch_logs_group_arn=trail_logs.arn.apply(lambda arn: f"{arn}:*"),
    cloud_watch_logs_role_arn="arn:aws:iam::123456789012:role/trail-logs",
)


def metric_filter(name, group, pattern, metric):
    return aws.cloudwatch.LogMetricFilter(
        name,
        log_group_name=group.name,
        pattern=pattern,
        metric_transformation=aws.cloudwatch.LogMetricFilterMetricTransformationArgs(
            name=metric, namespace="CISBenchmark", value="1"
        ),
    )


metric_filter(
    "incomplete-trail-changes-filter",
    trail_logs,
    "{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || "
    "($.eventName=StartLogging)}",
    "TrailChanges",
)
metric_filter(
    "root-usage-filter",
    trail_logs,
    '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
    "RootUsage",
)
metric_filter(
    "elsewhere-signin-failures-filter",
    other_logs,
    '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
    "SigninFailures",
)
aws.cloudwatch.MetricAlarm(
    "silent-alarm",
    metric_name="RootUsage",
    namespace="CISBenchmark",
    statistic="Sum",
    period=300,
    evaluation_periods=1,
    threshold=1,
    comparison_operator="GreaterThanOrEqualToThreshold",
)
aws.cloudwatch.MetricAlarm(
    "disabled-alarm",
    metric_name="TrailChanges",
    namespace="CISBenchmark",
    statistic="Sum",
    period=300,
    evaluation_periods=1,
    threshold=1,
    comparison_operator="GreaterThanOrEqualToThreshold",
    alarm_actions=["arn:aws:sns:us-east-1:123456789012:alerts"],
    actions_enabled=False,
)

aws.lb.LoadBalancer(
    "unlogged-alb",
    load_balancer_type="application",
    subnets=["subnet-1a", "subnet-1b"],
    desync_mitigation_mode="monitor",
)
aws.s3.Bucket("unlogged-bucket")
aws.cloudwatch.LogGroup("short-log-group", retention_in_days=30)

aws.rds.Instance(
    "quiet-db",
    engine="postgres",
    engine_version="16",
    instance_class="db.t4g.medium",
    allocated_storage=20,
    username="appadmin",
    manage_master_user_password=True,
    enabled_cloudwatch_logs_exports=["postgresql"],
)
aws.rds.Instance(
    "roleless-monitoring-db",
    engine="mysql",
    engine_version="8.0",
    instance_class="db.t4g.medium",
    allocated_storage=20,
    username="appadmin",
    manage_master_user_password=True,
    monitoring_interval=30,
    enabled_cloudwatch_logs_exports=["error"],
)
