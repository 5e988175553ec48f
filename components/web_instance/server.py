"""The application the web tier's instances serve: a small HTTP server behind the load balancer.

The user data installs this file as /opt/app/server.py and app.service runs it as `python3 /opt/app/server.py`
with APP_PORT and HEALTH_PATH in its environment. It answers the load balancer's health check with "ok" and
every other path with a static page: replace it with your application, keeping the health path honest.

Amazon Linux 2023's python3 is 3.9: standard library only, no syntax newer than 3.9 (tests/test_web_instance.py
checks both).
"""

import http.server
import os
import sys

HEALTHY = b"ok\n"
PAGE = b"<!doctype html><title>secure-aws</title><p>Served by secure-aws over TLS.</p>\n"


class Handler(http.server.BaseHTTPRequestHandler):
    """GET and HEAD: "ok" on the health path, the page anywhere else; never a body that reveals the server."""

    server_version = "app"
    sys_version = ""

    def _answer(self, with_body):
        healthy = self.path.split("?", 1)[0] == self.server.health_path
        body = HEALTHY if healthy else PAGE
        self.send_response(200)
        self.send_header("Content-Type", "text/plain" if healthy else "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_GET(self):
        self._answer(True)

    def do_HEAD(self):
        self._answer(False)

    def log_message(self, fmt, *args):
        # One line per request on stdout, which app.service appends to the log file the CloudWatch agent ships.
        sys.stdout.write(f"{self.address_string()} {fmt % args}\n")
        sys.stdout.flush()


class AppServer(http.server.ThreadingHTTPServer):
    """A threading HTTP server that knows which path is the health check."""

    def __init__(self, address, health_path):
        super().__init__(address, Handler)
        self.health_path = health_path


def main():
    # All interfaces: the load balancer reaches the instance on its private address; the security group admits
    # the app port from the load balancer's group only.
    AppServer(("0.0.0.0", int(os.environ["APP_PORT"])), os.environ["HEALTH_PATH"]).serve_forever()


if __name__ == "__main__":
    main()
