#!/usr/bin/env python3
"""The Lambda artefact: package it, prove it serves an event, time its start.

  package BINARY ZIP   zip the binary, stripped of symbols, as `bootstrap`
                       (provided.al2023 runs that file)
  check ZIP            run the packaged bootstrap against a local Lambda Runtime API
                       and check its answers to API Gateway events
  bench ZIP            process start to first answered event, in milliseconds

The emulator speaks the Runtime API the way Lambda does: the runtime long-polls
`GET /2018-06-01/runtime/invocation/next`, gets an event with its request id in
`Lambda-Runtime-Aws-Request-Id`, and posts the answer to
`/2018-06-01/runtime/invocation/{id}/response` (or `/error`).
"""

import base64
import http.server
import json
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile

# Amazon Linux 2023, the provided.al2023 runtime's base, ships glibc 2.34.
MAX_GLIBC = (2, 34)
RUNTIME_PREFIX = "/2018-06-01/runtime"


def package(binary, zip_path):
    os.makedirs(os.path.dirname(os.path.abspath(zip_path)), exist_ok=True)
    info = zipfile.ZipInfo("bootstrap", date_time=(2020, 1, 1, 0, 0, 0))
    info.external_attr = 0o100755 << 16  # a regular, executable file
    info.compress_type = zipfile.ZIP_DEFLATED
    # Stripped here rather than by the build profile, so the package is the
    # binary the tests ran, not a second build of it.
    with tempfile.TemporaryDirectory() as scratch:
        stripped = os.path.join(scratch, "bootstrap")
        subprocess.run(["objcopy", "--strip-all", binary, stripped], check=True)
        with open(stripped, "rb") as source, zipfile.ZipFile(zip_path, "w") as archive:
            archive.writestr(info, source.read(), compresslevel=9)
    size = os.path.getsize(zip_path)
    print(f"{zip_path}: {size / 1_000_000:.1f} MB ({size} bytes)")


def required_glibc(binary):
    """The newest GLIBC_x.y symbol version the binary needs."""
    symbols = subprocess.run(
        ["objdump", "-T", binary], check=True, capture_output=True, text=True
    ).stdout
    versions = {
        tuple(int(part) for part in match.split("."))
        for match in re.findall(r"GLIBC_(\d+\.\d+(?:\.\d+)?)", symbols)
    }
    return max(versions) if versions else (0, 0)


class RuntimeApi(http.server.ThreadingHTTPServer):
    """Hands queued events to the runtime and collects what it answers."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), RuntimeHandler)
        self.events = queue.Queue()
        self.answers = queue.Queue()
        self.first_poll = threading.Event()

    def handle_error(self, request, client_address):
        # The bench stops the function as soon as its answer arrives, mid-reply.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)

    @property
    def address(self):
        return f"127.0.0.1:{self.server_address[1]}"


class RuntimeHandler(http.server.BaseHTTPRequestHandler):
    server: RuntimeApi

    def log_message(self, *args):
        pass

    def _reply(self, status, body=b"", headers=None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path != f"{RUNTIME_PREFIX}/invocation/next":
            return self._reply(404, b'{"errorType":"NotFound"}')
        self.server.first_poll.set()
        try:
            request_id, event = self.server.events.get(timeout=30)
        except queue.Empty:
            return self._reply(500, b'{"errorType":"NoEvent"}')
        self._reply(
            200,
            json.dumps(event).encode(),
            {
                "Content-Type": "application/json",
                "Lambda-Runtime-Aws-Request-Id": request_id,
                "Lambda-Runtime-Deadline-Ms": str(int(time.time() * 1000) + 30_000),
                "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:eu-west-1:123456789012:function:promptcanvas-api",
                "Lambda-Runtime-Trace-Id": "Root=1-6745f0a0-1f2e3d4c5b6a798877665544;Parent=1a2b3c4d5e6f7081;Sampled=0",
            },
        )

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        match = re.fullmatch(rf"{RUNTIME_PREFIX}/invocation/([^/]+)/(response|error)", self.path)
        if match:
            self.server.answers.put((match.group(1), match.group(2), body, time.monotonic()))
            return self._reply(202, b'{"status":"OK"}')
        if self.path == f"{RUNTIME_PREFIX}/init/error":
            self.server.answers.put(("init", "error", body, time.monotonic()))
            return self._reply(202, b'{"status":"OK"}')
        self._reply(404, b'{"errorType":"NotFound"}')


def http_api_event(method, path, body=None):
    """An HTTP API (payload v2) event as API Gateway sends it."""
    event = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {
            "accept": "application/json",
            "host": "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com",
            "user-agent": "Mozilla/5.0",
            "x-forwarded-for": "203.0.113.7",
            "x-forwarded-proto": "https",
        },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "a1b2c3d4e5",
            "domainName": "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com",
            "domainPrefix": "a1b2c3d4e5",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": "Mozilla/5.0",
            },
            "requestId": "CZ0XHiM3joEEMSg=",
            "routeKey": "$default",
            "stage": "$default",
            "time": "26/Nov/2026:08:00:00 +0000",
            "timeEpoch": 1795593600000,
        },
        "isBase64Encoded": body is not None,
    }
    if body is not None:
        event["headers"]["content-type"] = "application/json"
        event["body"] = base64.b64encode(json.dumps(body).encode()).decode()
    return event


class Function:
    """The unpacked artefact, started the way Lambda starts a custom runtime."""

    def __init__(self, zip_path):
        self.dir = tempfile.mkdtemp(prefix="promptcanvas-lambda-")
        self.task_root = os.path.join(self.dir, "task")
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(self.task_root)
        self.bootstrap = os.path.join(self.task_root, "bootstrap")
        # zipfile drops permission bits on extract; Lambda keeps them, so restore from the entry.
        mode = archive.getinfo("bootstrap").external_attr >> 16
        assert mode & 0o111, "bootstrap is not executable in the zip"
        os.chmod(self.bootstrap, mode & 0o7777)

    def start(self, api):
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "AWS_LAMBDA_RUNTIME_API": api.address,
            "AWS_LAMBDA_FUNCTION_NAME": "promptcanvas-api",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/promptcanvas-api",
            "AWS_LAMBDA_LOG_STREAM_NAME": "2026/11/26/[$LATEST]0123456789abcdef",
            "AWS_REGION": "eu-west-1",
            "LAMBDA_TASK_ROOT": self.task_root,
            "_HANDLER": "bootstrap",
            "DATA_DIR": os.path.join(self.dir, "data"),
            "LOG_FORMAT": "json",
            "RUST_LOG": "warn",
        }
        started = time.monotonic()
        process = subprocess.Popen(
            [self.bootstrap], cwd=self.task_root, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        return process, started

    def remove(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def invoke(api, event):
    request_id = str(uuid.uuid4())
    api.events.put((request_id, event))
    answered_id, kind, body, at = api.answers.get(timeout=30)
    assert answered_id == request_id, f"answer for {answered_id}, expected {request_id}"
    assert kind == "response", f"the function reported an error: {body[:500]!r}"
    return json.loads(body), at


def body_json(answer):
    body = answer["body"]
    if answer.get("isBase64Encoded"):
        body = base64.b64decode(body)
    return json.loads(body)


def check(zip_path):
    results = []

    def case(name, ok, detail=""):
        results.append(ok)
        print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail and not ok else ''}")

    function = Function(zip_path)
    glibc = required_glibc(function.bootstrap)
    case(
        f"bootstrap needs glibc {'.'.join(map(str, glibc))} <= {'.'.join(map(str, MAX_GLIBC))}",
        glibc <= MAX_GLIBC,
    )
    api = RuntimeApi()
    threading.Thread(target=api.serve_forever, daemon=True).start()
    process, _ = function.start(api)
    try:
        health, _ = invoke(api, http_api_event("GET", "/api/health"))
        case("GET /api/health answers 200", health["statusCode"] == 200, str(health))
        case("health body says ok", body_json(health).get("status") == "ok", str(health))
        config, _ = invoke(api, http_api_event("GET", "/api/config"))
        config_body = body_json(config)
        case("GET /api/config answers 200", config["statusCode"] == 200, str(config))
        case("config names the offline engine", config_body["generation"]["provider"] == "offline")
        signup, _ = invoke(
            api,
            http_api_event(
                "POST", "/api/auth/signup",
                {"email": "first@example.com", "password": "correct horse battery"},
            ),
        )
        case("a base64 signup body creates an account", signup["statusCode"] == 201, str(signup))
        cookies = signup.get("cookies") or []
        case(
            "the session cookie comes back in `cookies`",
            any(c.startswith("pc_session=") and "HttpOnly" in c for c in cookies),
            str(cookies),
        )
        # The hourly schedule's event runs the orphan sweep: a file no record names, older
        # than the grace period, goes; a fresh one stays (it may be mid-generation).
        images = os.path.join(function.dir, "data", "images", "users", "someone")
        os.makedirs(images, exist_ok=True)
        orphan = os.path.join(images, "01JDORPHAN.jpg")
        fresh = os.path.join(images, "01JDFRESH.jpg")
        for path in (orphan, fresh):
            with open(path, "wb") as file:
                file.write(b"\xff\xd8 not really a picture")
        old = time.time() - 2 * 3600
        os.utime(orphan, (old, old))
        swept, _ = invoke(api, {"promptcanvas": "sweep"})
        case(
            "the scheduled sweep event removes an old orphan and keeps a fresh file",
            swept == {"examined": 2, "removed": 1, "expired": 0}
            and not os.path.exists(orphan) and os.path.exists(fresh),
            str(swept),
        )
        missing, _ = invoke(api, http_api_event("GET", "/api/nothing-here"))
        case(
            "unknown API paths answer problem+json 404",
            missing["statusCode"] == 404
            and missing["headers"].get("content-type", "").startswith("application/problem+json"),
            str(missing),
        )
    finally:
        process.kill()
        output = process.communicate()[0].decode(errors="replace")
        api.shutdown()
        function.remove()
    if not all(results):
        print(output[-4000:])
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if all(results) else 1


def bench(zip_path, runs=15):
    """Start the process, hand it one event at once, time until its answer."""
    function = Function(zip_path)
    timings = []
    try:
        for _ in range(runs):
            api = RuntimeApi()
            threading.Thread(target=api.serve_forever, daemon=True).start()
            api.events.put(("bench", http_api_event("GET", "/api/config")))
            process, started = function.start(api)
            try:
                request_id, kind, _, answered = api.answers.get(timeout=30)
                assert kind == "response", "the function failed to answer"
                timings.append((answered - started) * 1000)
            finally:
                process.kill()
                process.communicate()
                api.shutdown()
                shutil.rmtree(os.path.join(function.dir, "data"), ignore_errors=True)
    finally:
        function.remove()
    size = os.path.getsize(zip_path)
    print(
        f"lambda start to first response: median {statistics.median(timings):.1f} ms, "
        f"best {min(timings):.1f} ms over {runs} cold starts (target <= 50 ms)"
    )
    print(f"lambda bootstrap.zip: {size / 1_000_000:.1f} MB (target <= 15 MB)")
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "package":
        package(argv[2], argv[3])
        return 0
    if len(argv) == 3 and argv[1] == "check":
        return check(argv[2])
    if len(argv) == 3 and argv[1] == "bench":
        return bench(argv[2])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
