"""Properties left out, judged by what AWS then applies (issue 10 item 3). Each resource is named after what it
does; `ok-*` resources must pass."""

import pulumi_aws as aws

AMI, TYPE = "ami-0123456789abcdef0", "t3.micro"

# No subnet: EC2 launches it into the default VPC's default subnet, which hands out public IPs.
aws.ec2.Instance("no-subnet-instance", ami=AMI, instance_type=TYPE)
# A subnet of ours: the subnet decides (and subnet-no-auto-public-ip judges the subnet).
aws.ec2.Instance("ok-subnet-instance", ami=AMI, instance_type=TYPE, subnet_id="subnet-0123456789abcdef0")
template = aws.ec2.LaunchTemplate("template", image_id=AMI, instance_type=TYPE)
aws.ec2.Instance(
    "ok-launch-template-instance", launch_template=aws.ec2.InstanceLaunchTemplateArgs(id=template.id, version="$Latest")
)
