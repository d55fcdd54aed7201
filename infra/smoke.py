#!/usr/bin/env python3
"""The smoke suite: after a deploy, walk the product's main path once against
a running server and exit non-zero at the first thing that is wrong.

    infra/smoke.sh BASE_URL

Health and settings, the security headers, signing in the stage's way, one
small generation, the gallery, a download of the image, its delete, and an
error report as the web app sends one. It
uses the Python standard library only, so it runs wherever the deploy runs.

Sign-in follows the server's mode (`/api/config`):
- local accounts: a new account `smoke-<random>@example.com` is made and used;
- Clerk: `SMOKE_CLERK_TOKEN` (a session token of a test user) is sent as a
  bearer token, and local sign-up must answer 404 `local_auth_disabled`.

Set `SMOKE_ORIGIN_SECRET` when calling the API's own endpoint past the CDN
that adds `X-Origin-Secret`. Secrets are never printed.
"""

import http.cookiejar
import json
import os
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

TIMEOUT_SECS = 60
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF")


class SmokeFailure(Exception):
    pass


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError as error:
            raise SmokeFailure(f"expected JSON, got {self.body[:200]!r}") from error


class Client:
    """A browser-like client: keeps cookies, sends JSON, never raises on a status."""

    def __init__(self, base_url, bearer=None, origin_secret=None):
        self.base_url = base_url.rstrip("/")
        self.bearer = bearer
        self.origin_secret = origin_secret
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def url(self, path):
        return urllib.parse.urljoin(self.base_url + "/", path)

    def send(self, method, path, body=None, headers=None, same_origin=True):
        headers = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        target = self.url(path)
        if same_origin and target.startswith(self.base_url):
            if self.bearer:
                headers["Authorization"] = f"Bearer {self.bearer}"
            if self.origin_secret:
                headers["X-Origin-Secret"] = self.origin_secret
        request = urllib.request.Request(target, data=data, method=method, headers=headers)
        opener = self.opener if same_origin else urllib.request.build_opener()
        try:
            with opener.open(request, timeout=TIMEOUT_SECS) as response:
                return Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers, error.read())
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise SmokeFailure(f"{method} {path}: {error}") from error


def expect(condition, message):
    if not condition:
        raise SmokeFailure(message)


def expect_status(answer, status, what):
    expect(
        answer.status == status,
        f"{what}: expected {status}, got {answer.status}: {answer.body[:300]!r}",
    )


def check_health(client):
    answer = client.send("GET", "/api/health")
    expect_status(answer, 200, "health")
    expect(answer.json().get("status") == "ok", f"health says {answer.json()}")


def read_config(client):
    answer = client.send("GET", "/api/config")
    expect_status(answer, 200, "config")
    config = answer.json()
    expect(config["generation"]["models"], "config offers no model")
    return config


def check_security_headers(client):
    answer = client.send("GET", "/api/health")
    headers = {name.lower(): value for name, value in answer.headers.items()}
    expect(headers.get("x-content-type-options") == "nosniff", "no X-Content-Type-Options: nosniff")
    expect(headers.get("x-frame-options") == "DENY", "no X-Frame-Options: DENY")
    expect("referrer-policy" in headers, "no Referrer-Policy")
    expect("content-security-policy" in headers, "no Content-Security-Policy")
    if client.base_url.startswith("https://"):
        expect("strict-transport-security" in headers, "no Strict-Transport-Security over https")


def sign_in(client, config):
    mode = config["auth"]["mode"]
    if mode == "clerk":
        refused = client.send(
            "POST",
            "/api/auth/signup",
            {"email": "smoke@example.com", "password": "not-used-here-123"},
        )
        expect_status(refused, 404, "local sign-up in Clerk mode")
        expect(refused.json().get("code") == "local_auth_disabled", "local sign-up not disabled")
        expect(client.bearer, "Clerk sign-in: set SMOKE_CLERK_TOKEN to a test user's session token")
    else:
        email = f"smoke-{secrets.token_hex(6)}@example.com"
        answer = client.send(
            "POST",
            "/api/auth/signup",
            {"email": email, "password": secrets.token_urlsafe(18), "display_name": "Smoke test"},
        )
        expect_status(answer, 201, "sign-up")
    me = client.send("GET", "/api/me")
    expect_status(me, 200, "who am I")
    return mode


def generate(client, config):
    body = {
        "prompt": "a small red lighthouse on a rock, smoke test",
        "model": config["generation"]["default_model"],
        "width": 256,
        "height": 256,
        "n": 1,
    }
    key = f"smoke-{secrets.token_hex(8)}"
    answer = client.send("POST", "/api/generations", body, headers={"Idempotency-Key": key})
    expect_status(answer, 201, "generation")
    images = answer.json()["generation"]["images"]
    expect(len(images) == 1, f"asked for one image, got {len(images)}")
    return images[0]


def check_gallery(client, image):
    answer = client.send("GET", "/api/images?limit=24")
    expect_status(answer, 200, "gallery")
    ids = [item["id"] for item in answer.json()["items"]]
    expect(image["id"] in ids, "the new image is not in the gallery")


def check_download(client, image):
    for what, path in (
        ("image URL", image["url"]),
        ("thumbnail URL", image["thumbnail_url"]),
        ("download", f"/api/images/{image['id']}/download"),
    ):
        # Presigned or CDN URLs live elsewhere and carry their own signature.
        same_origin = client.url(path).startswith(client.base_url)
        answer = client.send("GET", path, same_origin=same_origin)
        expect_status(answer, 200, what)
        expect(answer.body.startswith(IMAGE_MAGIC), f"{what} is not an image")


def delete(client, image):
    answer = client.send("DELETE", f"/api/images/{image['id']}")
    expect_status(answer, 204, "delete")
    gone = client.send("GET", f"/api/images/{image['id']}")
    expect_status(gone, 404, "the deleted image")


def report_an_error(client):
    # What the web app sends when it fails; counted once in the stage's figures.
    answer = client.send(
        "POST",
        "/api/client-errors",
        {"message": "smoke test: error reports reach the server", "route": "/", "release": "smoke"},
    )
    expect_status(answer, 202, "error report")


def main(argv):
    if len(argv) != 2 or not argv[1].startswith(("http://", "https://")):
        print("usage: infra/smoke.sh BASE_URL (http:// or https://)", file=sys.stderr)
        return 2
    client = Client(
        argv[1],
        bearer=os.environ.get("SMOKE_CLERK_TOKEN") or None,
        origin_secret=os.environ.get("SMOKE_ORIGIN_SECRET") or None,
    )
    state = {}
    steps = [
        ("health", lambda: check_health(client)),
        ("config", lambda: state.update(config=read_config(client))),
        ("security headers", lambda: check_security_headers(client)),
        ("sign-in", lambda: state.update(mode=sign_in(client, state["config"]))),
        ("generation", lambda: state.update(image=generate(client, state["config"]))),
        ("gallery", lambda: check_gallery(client, state["image"])),
        ("download", lambda: check_download(client, state["image"])),
        ("delete", lambda: delete(client, state["image"])),
        ("error report", lambda: report_an_error(client)),
    ]
    started = time.monotonic()
    for name, step in steps:
        step_started = time.monotonic()
        try:
            step()
        except SmokeFailure as failure:
            print(f"smoke: {name} FAILED: {failure}", file=sys.stderr)
            return 1
        print(f"smoke: {name} ok ({(time.monotonic() - step_started) * 1000:.0f} ms)")
    print(f"smoke: all passed against {client.base_url} in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
