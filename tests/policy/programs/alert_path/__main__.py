"""Whether monitoring reaches someone (tests/policy/test_alert_path.py): trails whose selectors hide management
events or not, alarms whose topics have a subscriber or not, and CIS alarms that fire on one event or not. Each
resource's name says which it is; "ok-" resources must pass."""

import pulumi_aws as aws

cat = aws.cloudtrail


def trail(name, **selectors):
    return cat.Trail(
        name,
        s3_bucket_name="policy-tests-org-trail",
        is_multi_region_trail=True,
        enable_log_file_validation=True,
        **selectors,
    )


def field(name, **matches):
    return cat.TrailAdvancedEventSelectorFieldSelectorArgs(field=name, **matches)


trail("ok-default-selectors-trail")
trail(
    "kms-excluded-trail",
    event_selectors=[
        cat.TrailEventSelectorArgs(
            include_management_events=True,
            read_write_type="All",
            exclude_management_event_sources=["kms.amazonaws.com"],
        )
    ],
)
# A second selector that records everything makes up for the first one's exclusion: selectors are a union.
trail(
    "ok-union-trail",
    event_selectors=[
        cat.TrailEventSelectorArgs(exclude_management_event_sources=["rdsdata.amazonaws.com"]),
        cat.TrailEventSelectorArgs(),  # the defaults: management events, All, no exclusion
    ],
)
trail(
    "write-only-advanced-trail",
    advanced_event_selectors=[
        cat.TrailAdvancedEventSelectorArgs(
            field_selectors=[field("eventCategory", equals=["Management"]), field("readOnly", equals=["false"])]
        )
    ],
)
trail(
    "kms-not-equals-advanced-trail",
    advanced_event_selectors=[
        cat.TrailAdvancedEventSelectorArgs(
            field_selectors=[
                field("eventCategory", equals=["Management"]),
                field("eventSource", not_equals=["kms.amazonaws.com"]),
            ]
        )
    ],
)
trail(
    "ok-advanced-trail",
    advanced_event_selectors=[
        cat.TrailAdvancedEventSelectorArgs(field_selectors=[field("eventCategory", equals=["Management"])])
    ],
)

# Topics: one with an email subscriber, one nobody subscribes to.
heard = aws.sns.Topic("heard-topic")
aws.sns.TopicSubscription("heard-topic-email", topic=heard.arn, protocol="email", endpoint="secops@example.com")
silent = aws.sns.Topic("silent-topic")


def alarm(name, actions, metric="Errors", **overrides):
    settings = dict(
        namespace="CISBenchmark",
        metric_name=metric,
        statistic="Sum",
        period=300,
        evaluation_periods=1,
        threshold=1,
        comparison_operator="GreaterThanOrEqualToThreshold",
    )
    settings.update(overrides)
    return aws.cloudwatch.MetricAlarm(name, alarm_actions=actions, **settings)


alarm("ok-heard-alarm", [heard.arn])
alarm("unheard-alarm", [silent.arn])
alarm("ok-one-of-two-heard-alarm", [silent.arn, heard.arn])
alarm("ok-external-topic-alarm", ["arn:aws:sns:us-east-1:123456789012:org-alerts"])  # not this stack's to judge

# CIS: a trail delivering to CloudWatch Logs with two watched items: 4.3's alarm needs three breaching periods,
# 4.5's alarm averages and needs more than one event; 4.4's alarm fires on one event.
logs = aws.cloudwatch.LogGroup("cis-trail-logs", retention_in_days=365)
trail(
    "cis-trail",
    cloud_watch_logs_group_arn=logs.arn.apply(lambda arn: f"{arn}:*"),
    cloud_watch_logs_role_arn="arn:aws:iam::123456789012:role/trail-logs",
)


def watched(name, pattern, metric):
    aws.cloudwatch.LogMetricFilter(
        name,
        log_group_name=logs.name,
        pattern=pattern,
        metric_transformation=aws.cloudwatch.LogMetricFilterMetricTransformationArgs(
            name=metric, namespace="CISBenchmark", value="1"
        ),
    )


watched(
    "root-usage-filter",
    '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
    "RootUsage",
)
alarm("three-periods-root-alarm", [heard.arn], metric="RootUsage", evaluation_periods=3)
watched(
    "trail-changes-filter",
    "{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || "
    "($.eventName=StartLogging) || ($.eventName=StopLogging)}",
    "TrailChanges",
)
alarm(
    "average-trail-changes-alarm",
    [heard.arn],
    metric="TrailChanges",
    statistic="Average",
    comparison_operator="GreaterThanThreshold",
    threshold=1,
)
watched(
    "iam-changes-filter",
    "{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || "
    "($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || "
    "($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || "
    "($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || "
    "($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || "
    "($.eventName=DetachGroupPolicy)}",
    "IamChanges",
)
alarm("ok-iam-changes-alarm", [heard.arn], metric="IamChanges", statistic="SampleCount", datapoints_to_alarm=1)
