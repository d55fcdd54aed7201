#!/usr/bin/env python3
"""Runs the smoke suite against a locally built server binary, as `make test`
does: so the suite is known to pass before it ever meets a deployed stage.

    python3 infra/smoke_local.py PATH/TO/promptcanvas

The server gets a fresh data folder and a free loopback port, with nothing
from the caller's environment but PATH; it is stopped whatever happens.
"""

import pathlib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

SMOKE = pathlib.Path(__file__).resolve().parent / "smoke.sh"
START_TIMEOUT_SECS = 30


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(base_url, server):
    deadline = time.monotonic() + START_TIMEOUT_SECS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{base_url}/api/health", timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the server did not answer within {START_TIMEOUT_SECS} s")


def main(argv):
    if len(argv) != 2:
        print("usage: python3 infra/smoke_local.py PATH/TO/promptcanvas", file=sys.stderr)
        return 2
    binary = pathlib.Path(argv[1]).resolve()
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data:
        environment = {
            "PATH": "/usr/bin:/bin",
            "BIND_ADDR": f"127.0.0.1:{port}",
            "DATA_DIR": data,
            "RUST_LOG": "warn",
        }
        server = subprocess.Popen([str(binary), "serve"], env=environment)
        try:
            wait_until_up(base_url, server)
            return subprocess.run([str(SMOKE), base_url], check=False).returncode
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
