"""What Auto Scaling groups launch (tests/policy/test_launched_tags.py): "ok-" groups launch instances and volumes
with Environment=Production; every other group is named after the way its launches miss it. The stack's
defaultTags set Environment=Production, which reaches neither."""

import pulumi_aws as aws

PROD = {"Environment": "Production"}
SUBNETS = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]


def template(name, *kinds, tags=PROD):
    specs = [aws.ec2.LaunchTemplateTagSpecificationArgs(resource_type=kind, tags=tags) for kind in kinds]
    return aws.ec2.LaunchTemplate(name, image_id="ami-0123456789abcdef0", tag_specifications=specs)


def group(name, launch_template=None, tags=(), **extra):
    spec = aws.autoscaling.GroupLaunchTemplateArgs(id=launch_template.id) if launch_template is not None else None
    return aws.autoscaling.Group(
        name,
        min_size=2,
        max_size=2,
        vpc_zone_identifiers=SUBNETS,
        launch_template=spec,
        tags=[aws.autoscaling.GroupTagArgs(key=k, value=v, propagate_at_launch=p) for k, v, p in tags],
        **extra,
    )


both = template("both-template", "instance", "volume")
instance_only = template("instance-only-template", "instance")
volume_only = template("volume-only-template", "volume")
# The template's own tags (and the provider's default_tags on it) tag the template, not what it launches.
no_specs = aws.ec2.LaunchTemplate("no-specs-template", image_id="ami-0123456789abcdef0", tags=PROD)

group("ok-asg", both)
group("untagged-volumes-asg", instance_only)
group("propagate-false-asg", no_specs, tags=[("Environment", "Production", False)])
group("ok-propagated-asg", volume_only, tags=[("Environment", "Production", True)])
# The group's propagated tag overrides the template's instance tag on a clash.
group("overridden-asg", both, tags=[("Environment", "Dev", True)])
separate = group("ok-separate-tag-asg", volume_only)
aws.autoscaling.Tag(
    "separate-tag",
    autoscaling_group_name=separate.name,
    tag=aws.autoscaling.TagTagArgs(key="Environment", value="Production", propagate_at_launch=True),
)
group(
    "mixed-asg",
    mixed_instances_policy=aws.autoscaling.GroupMixedInstancesPolicyArgs(
        launch_template=aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateArgs(
            launch_template_specification=aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateLaunchTemplateSpecificationArgs(
                launch_template_id=no_specs.id
            )
        )
    ),
)
# A launch template from outside the stack: only the group's propagated tags are known, and there are none.
aws.autoscaling.Group(
    "external-template-asg",
    min_size=2,
    max_size=2,
    vpc_zone_identifiers=SUBNETS,
    launch_template=aws.autoscaling.GroupLaunchTemplateArgs(id="lt-0123456789abcdef0"),
)
