"""The CIS AWS Foundations Benchmark monitoring recommendations (v1.4.0 section 4.1-4.15), as data.

Each control is a CloudWatch Logs metric filter on the CloudTrail log group plus an alarm on its metric. The
filter patterns are the published ones, character for character: Security Hub's remediation steps for
CloudWatch.1-14 (marked "SH"), and for 4.15, which has no Security Hub control, the pattern of
nozaq/terraform-aws-secure-baseline (marked "TF"). Security Hub evaluates these controls by comparing the
pattern text, so "improving" a pattern here makes the control fail; change one only to follow a new
published version. The metric names are the terraform-aws-secure-baseline ones, so dashboards built on
that module keep working.
"""

from __future__ import annotations

from dataclasses import dataclass

# Security Hub's remediation steps use a namespace of the operator's choosing; one namespace for all 15 keeps
# the alarms together in the console.
METRIC_NAMESPACE = "CISBenchmark"


@dataclass(frozen=True)
class CisMonitoringControl:
    """One CIS monitoring recommendation: what to match in CloudTrail, and what to call the metric."""

    cis_id: str
    """CIS AWS Foundations Benchmark v1.4.0 recommendation, e.g. "4.3"."""
    security_hub_id: str | None
    """The Security Hub control that checks it (CloudWatch.1-14), or None where there is none (4.15)."""
    title: str
    metric_name: str
    pattern_source: str
    """Where the pattern is published: "SH" (Security Hub remediation) or "TF" (terraform-aws-secure-baseline)."""
    pattern: str
    """The CloudWatch Logs filter pattern, exactly as published."""

    @property
    def slug(self) -> str:
        """A name fragment for the filter and alarm resources: "4.10" -> "4-10"."""
        return self.cis_id.replace(".", "-")


CIS_MONITORING_CONTROLS: tuple[CisMonitoringControl, ...] = (
    CisMonitoringControl(
        cis_id="4.1",
        security_hub_id="CloudWatch.2",
        title="Unauthorized API calls",
        metric_name="UnauthorizedAPICalls",
        pattern_source="SH",
        pattern=('{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}'),
    ),
    CisMonitoringControl(
        cis_id="4.2",
        security_hub_id="CloudWatch.3",
        title="Management console sign-in without MFA",
        metric_name="NoMFAConsoleSignin",
        pattern_source="SH",
        pattern=(
            '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && '
            '($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }'
        ),
    ),
    CisMonitoringControl(
        cis_id="4.3",
        security_hub_id="CloudWatch.1",
        title="Usage of the root account",
        metric_name="RootUsage",
        pattern_source="SH",
        pattern=(
            '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}'
        ),
    ),
    CisMonitoringControl(
        cis_id="4.4",
        security_hub_id="CloudWatch.4",
        title="IAM policy changes",
        metric_name="IAMChanges",
        pattern_source="SH",
        pattern=(
            "{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || "
            "($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || "
            "($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || "
            "($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || "
            "($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || "
            "($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || "
            "($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || "
            "($.eventName=DetachGroupPolicy)}"
        ),
    ),
    CisMonitoringControl(
        cis_id="4.5",
        security_hub_id="CloudWatch.5",
        title="CloudTrail configuration changes",
        metric_name="CloudTrailCfgChanges",
        pattern_source="SH",
        pattern=(
            "{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || "
            "($.eventName=StartLogging) || ($.eventName=StopLogging)}"
        ),
    ),
    CisMonitoringControl(
        cis_id="4.6",
        security_hub_id="CloudWatch.6",
        title="Management console authentication failures",
        metric_name="ConsoleSigninFailures",
        pattern_source="SH",
        pattern=('{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}'),
    ),
    CisMonitoringControl(
        cis_id="4.7",
        security_hub_id="CloudWatch.7",
        title="Disabling or scheduled deletion of customer managed keys",
        metric_name="DisableOrDeleteCMK",
        pattern_source="SH",
        pattern=(
            "{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}"
        ),
    ),
    CisMonitoringControl(
        cis_id="4.8",
        security_hub_id="CloudWatch.8",
        title="S3 bucket policy changes",
        metric_name="S3BucketPolicyChanges",
        pattern_source="SH",
        pattern=(
            "{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || "
            "($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || "
            "($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || "
            "($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || "
            "($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}"
        ),
    ),
    CisMonitoringControl(
        cis_id="4.9",
        security_hub_id="CloudWatch.9",
        title="AWS Config configuration changes",
        metric_name="AWSConfigChanges",
        pattern_source="SH",
        pattern=(
            "{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || "
            "($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || "
            "($.eventName=PutConfigurationRecorder))}"
        ),
    ),
    CisMonitoringControl(
        cis_id="4.10",
        security_hub_id="CloudWatch.10",
        title="Security group changes",
        metric_name="SecurityGroupChanges",
        pattern_source="SH",
        pattern=(
            "{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) "
            "|| ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || "
            "($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}"
        ),
    ),
    CisMonitoringControl(
        cis_id="4.11",
        security_hub_id="CloudWatch.11",
        title="Network access control list (NACL) changes",
        metric_name="NACLChanges",
        pattern_source="SH",
        pattern=(
            "{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || "
            "($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || "
            "($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}"
        ),
    ),
    CisMonitoringControl(
        cis_id="4.12",
        security_hub_id="CloudWatch.12",
        title="Changes to network gateways",
        metric_name="NetworkGWChanges",
        pattern_source="SH",
        pattern=(
            "{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || "
            "($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || "
            "($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}"
        ),
    ),
    CisMonitoringControl(
        cis_id="4.13",
        security_hub_id="CloudWatch.13",
        title="Route table changes",
        metric_name="RouteTableChanges",
        pattern_source="SH",
        pattern=(
            "{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) "
            "|| ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || "
            "($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}"
        ),
    ),
    CisMonitoringControl(
        cis_id="4.14",
        security_hub_id="CloudWatch.14",
        title="VPC changes",
        metric_name="VPCChanges",
        pattern_source="SH",
        pattern=(
            "{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || "
            "($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || "
            "($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || "
            "($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || "
            "($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}"
        ),
    ),
    CisMonitoringControl(
        cis_id="4.15",
        security_hub_id=None,
        title="AWS Organizations changes",
        metric_name="OrganizationsChanges",
        pattern_source="TF",
        pattern=(
            '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || '
            '($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = '
            '"CreateOrganizationalUnit") || ($.eventName= "CreatePolicy") || ($.eventName = '
            '"DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = '
            '"DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = '
            '"DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = '
            '"EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = '
            '"LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = '
            '"RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName '
            '="UpdateOrganizationalUnit")) }'
        ),
    ),
)
