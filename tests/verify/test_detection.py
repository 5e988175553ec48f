"""The detection check: the load balancer behind the stack's logging web ACL; GuardDuty and Config running."""

from tests.verify.conftest import only
from verify.results import Status


def _results(deployed, status):
    return [r for r in deployed.results("detection") if r.status is status]


def test_a_load_balancer_without_the_web_acl_fails(deployed):
    elbv2 = deployed.client("elbv2")
    target_group = elbv2.describe_target_groups(TargetGroupArns=[deployed.outputs["targetGroupArn"]])
    load_balancer_arn = target_group["TargetGroups"][0]["LoadBalancerArns"][0]
    deployed.client("wafv2").disassociate_web_acl(ResourceArn=load_balancer_arn)
    result = only(_results(deployed, Status.FAIL), Status.FAIL)
    assert "is not behind the stack's web ACL" in result.summary


def test_a_web_acl_without_logging_fails(deployed):
    deployed.client("wafv2").delete_logging_configuration(ResourceArn=deployed.outputs["webAclArn"])
    result = only(_results(deployed, Status.FAIL), Status.FAIL)
    assert "has no logging" in result.summary


def test_a_disabled_guardduty_detector_fails(deployed):
    detector_id = deployed.outputs["guardDutyDetectorId"]
    deployed.client("guardduty").update_detector(DetectorId=detector_id, Enable=False)
    result = only(_results(deployed, Status.FAIL), Status.FAIL)
    assert f"GuardDuty detector {detector_id} is DISABLED" in result.summary and "--enable" in result.fix


def test_a_stopped_config_recorder_fails(deployed):
    recorder = deployed.outputs["configRecorderName"]
    deployed.client("config").stop_configuration_recorder(ConfigurationRecorderName=recorder)
    result = only(_results(deployed, Status.FAIL), Status.FAIL)
    assert "is not recording" in result.summary and "start-configuration-recorder" in result.fix


def test_a_config_recorder_whose_last_recording_failed_fails(deployed):
    # Moto never fails a recording; AWS reports it in lastStatus with the error.
    def failure(answer):
        answer["ConfigurationRecordersStatus"][0].update(
            lastStatus="Failure", lastErrorCode="AccessDenied", lastErrorMessage="role cannot read"
        )

    deployed.override("config-service.DescribeConfigurationRecorderStatus", failure)
    result = only(_results(deployed, Status.FAIL), Status.FAIL)
    assert "AccessDenied: role cannot read" in result.summary


def test_without_the_account_baseline_guardduty_and_config_are_skipped(deployed):
    del deployed.outputs["guardDutyDetectorId"], deployed.outputs["configRecorderName"]
    results = deployed.results("detection")
    assert [r.status for r in results] == [Status.PASS, Status.SKIP, Status.SKIP]
    assert all("manageAccountBaseline" in r.summary for r in results[1:])
