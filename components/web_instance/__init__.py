"""What the web tier's instances run, as real files: the application server (server.py), its systemd unit
(app.service) and the CloudWatch agent's configuration (cloudwatch-agent.json). user_data.py reads them at program
time and renders the cloud-init script that installs them."""
