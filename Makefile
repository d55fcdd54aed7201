# PromptCanvas Pro — the commands the README promises.
#   make run    build the web app and the server, then serve http://127.0.0.1:8080
#   make test   install what is missing, then every check and test there is
#   make bench  the performance figures reported in the README

CARGO  ?= cargo
BIN    := target/release/promptcanvas
NPM_CI := npm ci --no-audit --no-fund --loglevel=error

# libjpeg-turbo (thumbnails) is built from source by the turbojpeg crate: it needs cmake and nasm.
BUILD_TOOLS := cmake nasm

.PHONY: build-tools venv run build test lint rust-test openapi-check web-deps web-build web-test e2e browser bench

run: web-build build
	$(BIN) serve

build-tools:
	@for tool in $(BUILD_TOOLS); do command -v $$tool >/dev/null 2>&1 || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# Python test tools (AWS and template checks) live in a local virtual environment.
VENV := .venv
$(VENV)/.installed: requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

build: build-tools
	$(CARGO) build --release --locked -p promptcanvas

test: lint rust-test openapi-check web-test e2e lambda-test infra-check

lint: build-tools
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

# Release profile: the same build the browser tests and the bench use, so it is compiled once.
# The AWS contract suites start moto_server from .venv (on a free loopback port) themselves.
rust-test: build-tools venv
	$(CARGO) test --workspace --release --locked

# The web app's API types are generated from this file; it must match the server.
openapi-check: build
	$(BIN) openapi | diff -u web/openapi.json - || \
		(echo "web/openapi.json is stale: run '$(BIN) openapi > web/openapi.json' and 'npm run typegen' in web/"; exit 1)

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && $(NPM_CI)

web-deps: web/node_modules/.package-lock.json

web-build: web-deps
	cd web && npm run build

web-test: web-deps
	cd web && npm run lint && npm run typecheck && npm run format:check && npm test
	cd web && npm run build && npm run check:budget && npm run test:bundle

browser:
	@command -v chromium >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

e2e: build web-build browser
	cd web && PROMPTCANVAS_BIN="$(abspath $(BIN))" npm run e2e

bench: build build-tools
	@command -v wrk >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	$(CARGO) bench --locked -p promptcanvas --bench figures
	$(MAKE) lambda-bench

# AWS Lambda (provided.al2023): the same binary, linked by zig against glibc 2.34
# (Amazon Linux 2023's), so no extra Rust target is needed. infra/ deploys it.
LAMBDA_TRIPLE := x86_64-unknown-linux-gnu
LAMBDA_BIN    := $(or $(CARGO_TARGET_DIR),target)/$(LAMBDA_TRIPLE)/release/promptcanvas
LAMBDA_ZIP    := target/lambda/bootstrap.zip
ZIGBUILD_VERSION := 0.24.1

.PHONY: cargo-zigbuild lambda lambda-test lambda-bench infra-check

cargo-zigbuild:
	@command -v cargo-zigbuild >/dev/null 2>&1 || \
		$(CARGO) install cargo-zigbuild --locked --version $(ZIGBUILD_VERSION)

# zig comes from the ziglang package in .venv; cargo-zigbuild finds it through `python3 -m ziglang`.
lambda: build-tools venv cargo-zigbuild
	PATH="$(abspath $(VENV))/bin:$$PATH" CARGO_PROFILE_RELEASE_STRIP=symbols \
		$(CARGO) zigbuild --release --locked -p promptcanvas --bin promptcanvas --target $(LAMBDA_TRIPLE).2.34
	python3 infra/lambda_artifact.py package $(LAMBDA_BIN) $(LAMBDA_ZIP)

# The packaged bootstrap answers API Gateway events from a local Lambda Runtime API.
lambda-test: lambda
	python3 infra/lambda_artifact.py check $(LAMBDA_ZIP)

lambda-bench: lambda
	python3 infra/lambda_artifact.py bench $(LAMBDA_ZIP)

infra-check: venv
	@command -v shellcheck >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null)
	$(VENV)/bin/cfn-lint infra/template.yaml
	$(VENV)/bin/python infra/check_template.py infra/template.yaml
	shellcheck infra/deploy.sh .ci/run
	$(VENV)/bin/python infra/test_deploy.py
