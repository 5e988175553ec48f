"""The alarms check: every alarm of the stack acts on the alert topic, and its last action did not fail."""

from tests.verify.conftest import ALARM_NAMES, action_history, only, put_alarm
from verify.results import Status


def test_an_alarm_whose_last_action_failed_fails_with_the_key_and_topic_policy_fix(deployed):
    name = ALARM_NAMES[0]
    # Newest first, as DescribeAlarmHistory with ScanBy=TimestampDescending returns it.
    deployed.alarm_history[name] = [action_history(name, "Failed"), action_history(name, "Succeeded")]
    result = only(deployed.results("alarms"), Status.FAIL)
    assert name in result.summary and "Failed to execute action" in result.summary
    assert "kms:GenerateDataKey*" in result.fix


def test_an_alarm_whose_last_action_succeeded_after_a_failure_passes(deployed):
    name = ALARM_NAMES[0]
    deployed.alarm_history[name] = [action_history(name, "Succeeded"), action_history(name, "Failed")]
    only(deployed.results("alarms"), Status.PASS)


def test_an_alarm_of_the_stack_redirected_elsewhere_fails(deployed):
    # Found by the stack's tags, though none of its actions names the alert topic any more.
    put_alarm(deployed.client("cloudwatch"), ALARM_NAMES[1], alarm_actions=["arn:aws:sns:us-east-1:123456789012:x"])
    result = only(deployed.results("alarms"), Status.FAIL)
    assert ALARM_NAMES[1] in result.summary and "does not notify the alert topic" in result.summary


def test_an_alarm_that_only_reports_ok_to_the_topic_fails(deployed):
    topic = deployed.outputs["alertTopicArn"]
    put_alarm(deployed.client("cloudwatch"), ALARM_NAMES[1], alarm_actions=[], ok_actions=[topic])
    only(deployed.results("alarms"), Status.FAIL)


def test_an_alarm_with_actions_disabled_fails_with_the_command_that_enables_them(deployed):
    deployed.client("cloudwatch").disable_alarm_actions(AlarmNames=[ALARM_NAMES[2]])
    result = only(deployed.results("alarms"), Status.FAIL)
    assert "actions disabled" in result.summary and "enable-alarm-actions" in result.fix


def test_another_stacks_alarm_is_left_alone(deployed):
    cloudwatch = deployed.client("cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName="someone-elses-alarm",
        Namespace="AWS/EC2",
        MetricName="CPUUtilization",
        Statistic="Average",
        Period=300,
        EvaluationPeriods=1,
        Threshold=90,
        ComparisonOperator="GreaterThanThreshold",
        AlarmActions=["arn:aws:sns:us-east-1:123456789012:other-topic"],
        Tags=[{"Key": "Environment", "Value": "Staging"}],
    )
    result = only(deployed.results("alarms"), Status.PASS)
    assert result.summary.startswith(f"{len(ALARM_NAMES)} alarm(s)")


def test_a_target_tracking_alarm_of_the_stack_is_left_to_auto_scaling(deployed):
    # AWS creates these for a target tracking policy; their action is the policy, not the alert topic.
    put_alarm(
        deployed.client("cloudwatch"),
        "TargetTracking-web-asg-AlarmHigh-0a1b2c3d",
        alarm_actions=["arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1:autoScalingGroupName/web"],
    )
    only(deployed.results("alarms"), Status.PASS)


def test_no_alarm_on_the_topic_fails(deployed):
    deployed.client("cloudwatch").delete_alarms(AlarmNames=list(ALARM_NAMES))
    result = only(deployed.results("alarms"), Status.FAIL)
    assert "no alarm notifies the alert topic" in result.summary
