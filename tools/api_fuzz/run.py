#!/usr/bin/env python3
"""Runs Schemathesis against a built server binary: every check, every phase
(stateful included), a fixed seed and a bounded example count.

    run.py BINARY SCHEMATHESIS

The server gets a fresh data folder, the offline engine and limits high
enough that the run's own volume is never throttled. Two runs:
  1. signed in (a session cookie): every operation but `POST /api/auth/logout`,
     which would end the session the run depends on;
  2. signed out: `POST /api/auth/logout`, which needs no session.
Exits non-zero when Schemathesis finds anything.
"""

import http.cookies
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

SEED = "20261201"
EXAMPLES = "50"
HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(base, server):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited at start ({server.returncode})")
        try:
            with urllib.request.urlopen(f"{base}/api/health", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    sys.exit("the server did not answer within 30 s")


def session_cookie(base):
    body = json.dumps(
        {"email": "fuzz@example.com", "password": "a long enough password"}
    ).encode()
    request = urllib.request.Request(
        f"{base}/api/auth/signup",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        cookie = http.cookies.SimpleCookie(response.headers["Set-Cookie"])
    return f"pc_session={cookie['pc_session'].value}"


def schemathesis(tool, base, work, *extra):
    command = [
        tool,
        "--config-file",
        os.path.join(HERE, "schemathesis.toml"),
        "run",
        f"{base}/api/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        EXAMPLES,
        "--seed",
        SEED,
        "--generation-database",
        "none",
        "--workers",
        "2",
        *extra,
    ]
    environment = dict(
        os.environ, SCHEMATHESIS_HOOKS="hooks", PYTHONPATH=HERE, NO_COLOR="1"
    )
    return subprocess.run(command, cwd=work, env=environment).returncode


def main():
    binary, tool = (os.path.abspath(path) for path in sys.argv[1:3])
    with tempfile.TemporaryDirectory(prefix="api-fuzz-") as work:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        plenty = "1000000"
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "BIND_ADDR": f"127.0.0.1:{port}",
            "DATA_DIR": os.path.join(work, "data"),
            "WEB_DIST_DIR": os.path.join(work, "no-web-app"),
            "RATE_LIMIT_REQUESTS_PER_SECOND": plenty,
            "RATE_LIMIT_BURST": plenty,
            "RATE_LIMIT_AUTH_PER_MINUTE": plenty,
            "RATE_LIMIT_AUTH_PER_EMAIL_PER_HOUR": plenty,
            "RATE_LIMIT_GENERATIONS_PER_MINUTE": plenty,
            "MONTHLY_GENERATION_QUOTA": plenty,
            "RATE_LIMIT_DRAFTS_PER_MINUTE": plenty,
            "MONTHLY_DRAFT_QUOTA": plenty,
            "RATE_LIMIT_CLIENT_ERRORS_PER_MINUTE": plenty,
            # The run's own account is an operator, so the statistics answer.
            "ADMIN_EMAILS": "fuzz@example.com",
            "RUST_LOG": "warn",
        }
        with open(os.path.join(work, "server.log"), "wb") as log:
            server = subprocess.Popen(
                [binary, "serve"], env=environment, stdout=log, stderr=log
            )
        try:
            wait_until_up(base, server)
            cookie = session_cookie(base)
            signed_in = schemathesis(
                tool,
                base,
                work,
                "--header",
                f"Cookie: {cookie}",
                "--exclude-path",
                "/api/auth/logout",
            )
            signed_out = schemathesis(
                tool, base, work, "--include-path", "/api/auth/logout"
            )
        finally:
            server.terminate()
            server.wait()
        if signed_in or signed_out:
            with open(os.path.join(work, "server.log")) as log:
                sys.stderr.write(log.read()[-4000:])
            sys.exit(1)


if __name__ == "__main__":
    main()
