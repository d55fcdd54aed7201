# PromptCanvas Pro — the commands the README promises.
#   make run    build the web app and the server, then serve http://127.0.0.1:8080
#   make test   install what is missing, then every check and test there is
#   make bench  the performance figures reported in the README

CARGO  ?= cargo
NPM_CI := npm ci --no-audit --no-fund --loglevel=error

# Every build goes through cargo-zigbuild for one target: zig links it against
# glibc 2.34 (Amazon Linux 2023's). Two profiles (see Cargo.toml):
# - release (thin link-time optimisation) builds what ships and what is
#   measured: `make run`, the bench and the Lambda package, from one dependency
#   build (tools/check_feature_sets.py keeps the binary's features equal to the
#   bench's, but for test-only ones);
# - test-release (the same optimisation, no link-time optimisation) builds the
#   tests, and `make test` checks the server binary that build produces
#   (TEST_BIN) in every later phase, so a change is compiled once, not twice.
TRIPLE     := x86_64-unknown-linux-gnu
ZIG_TARGET := $(TRIPLE).2.34
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
BIN        := $(TARGET_DIR)/$(TRIPLE)/release/promptcanvas
TEST_BIN   := $(TARGET_DIR)/$(TRIPLE)/test-release/promptcanvas
ZIGBUILD    = PATH="$(abspath $(VENV))/bin:$$PATH" CARGO="$(CARGO)" cargo-zigbuild
RELEASE    := --release --locked --target $(ZIG_TARGET)
TESTS      := --profile test-release --locked --target $(ZIG_TARGET)

# Marks where each step of `make test` starts, so a CI log shows each phase's time.
PHASE = @echo "== $@ $$(date -u +%T)"

# libjpeg-turbo (thumbnails) is built from source by the turbojpeg crate: it needs cmake and nasm.
BUILD_TOOLS := cmake nasm

.PHONY: build-tools zig venv run dev build test-build test lint rust-test openapi-check api-fuzz web-deps web-build web-test e2e smoke-test browser bench contact-sheet

run: web-build build
	$(BIN) serve

# The server (a debug build, rebuilt on change) and Vite's dev server with hot
# reload, together; Ctrl-C stops both (tools/dev.py).
dev: web-deps
	python3 tools/dev.py

build-tools:
	@for tool in $(BUILD_TOOLS); do command -v $$tool >/dev/null 2>&1 || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# Python tools live in a local virtual environment: zig and cargo-zigbuild
# (requirements-build.txt) for every build, the AWS and template checks
# (requirements-dev.txt) for the tests.
VENV := .venv
$(VENV)/.build-tools: requirements-build.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-build.txt
	touch $@

$(VENV)/.installed: requirements-dev.txt $(VENV)/.build-tools
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

zig: $(VENV)/.build-tools
venv: $(VENV)/.installed

build: build-tools zig
	$(ZIGBUILD) zigbuild $(RELEASE) -p promptcanvas --bin promptcanvas

# The tests' build, server binary included (after rust-test, nothing to do).
test-build: build-tools zig
	$(ZIGBUILD) test $(TESTS) --workspace --no-run --quiet

test: lint rust-test openapi-check api-fuzz web-test e2e smoke-test lambda-check infra-check
	@echo "== all passed $$(date -u +%T)"

# Clippy checks with the tests' profile and target, so the build scripts (C
# libraries included) and proc-macros it compiles are the ones the tests'
# build then reuses.
lint: build-tools zig
	$(PHASE)
	$(CARGO) fmt --all -- --check
	python3 tools/check_feature_sets.py
	python3 tools/check_module_layers.py
	$(ZIGBUILD) clippy $(TESTS) --workspace --all-targets -- -D warnings

# The AWS contract suites start moto_server from .venv (on a free loopback port) themselves.
rust-test: build-tools venv
	$(PHASE)
	$(ZIGBUILD) test $(TESTS) --workspace

# The web app's API types are generated from this file; it must match the
# server's document for the built-in configuration (hence the empty environment).
openapi-check: test-build
	$(PHASE)
	env -i $(TEST_BIN) openapi | diff -u web/openapi.json - || \
		(echo "web/openapi.json is stale: run 'env -i $(TEST_BIN) openapi > web/openapi.json' and 'npm run typegen' in web/"; exit 1)

# Schemathesis against the server binary: all checks, all phases (stateful
# included), fixed seed, 50 examples per operation; zero failures allowed.
# Nothing is excluded from the checks. Three narrowings, all in tools/api_fuzz:
# generated list requests carry no made-up `cursor` (cursors are signed, so a
# made-up one is refused by design; the stateful phase pages with real ones),
# logout runs signed out (signed in, it would end the run's own session), and
# an error report may be refused 413 (its 8 KiB body limit is not something
# JSON Schema can state: schemathesis.toml).
api-fuzz: test-build venv
	$(PHASE)
	python3 tools/api_fuzz/run.py $(TEST_BIN) $(VENV)/bin/schemathesis

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && $(NPM_CI)

web-deps: web/node_modules/.package-lock.json

web-build: web-deps
	cd web && npm run build

# The bundle checks read the build web-build made (once per make run: e2e uses it too).
web-test: web-deps web-build
	$(PHASE)
	cd web && npm run lint && npm run typecheck && npm run format:check && npm test
	cd web && npm run check:budget && npm run test:bundle

browser:
	@command -v chromium >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

e2e: test-build web-build browser
	$(PHASE)
	cd web && PROMPTCANVAS_BIN="$(abspath $(TEST_BIN))" npm run e2e

# The smoke suite a deploy runs (infra/smoke.sh), first against the local
# server binary, so it is known to pass before it meets a deployed stage.
smoke-test: test-build
	$(PHASE)
	python3 infra/smoke_local.py $(TEST_BIN)

bench: build build-tools venv
	@command -v wrk >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	$(ZIGBUILD) test $(RELEASE) -p promptcanvas --bench figures
	$(MAKE) lambda-bench

# Every prompt of the offline engine's corpus (offline/tests/corpus.tsv) drawn
# into one picture, for looking at what the engine understands.
contact-sheet: build-tools
	$(ZIGBUILD) run $(RELEASE) -p promptcanvas-offline --example contact_sheet -- docs/offline-contact-sheet.png

# AWS Lambda (provided.al2023): the very binary `make build` makes, stripped of
# symbols as it is zipped. infra/ deploys it.
LAMBDA_ZIP := target/lambda/bootstrap.zip
TEST_LAMBDA_ZIP := target/lambda/bootstrap-test.zip

.PHONY: lambda lambda-test lambda-check lambda-bench infra-check

lambda: build
	python3 infra/lambda_artifact.py package $(BIN) $(LAMBDA_ZIP)

# The packaged bootstrap answers API Gateway events from a local Lambda Runtime
# API. lambda-test checks the package that ships (CI keeps it for the deploy);
# lambda-check, in make test, the tests' build of the binary packaged alike.
lambda-test: lambda
	$(PHASE)
	python3 infra/lambda_artifact.py check $(LAMBDA_ZIP)

lambda-check: test-build
	$(PHASE)
	python3 infra/lambda_artifact.py package $(TEST_BIN) $(TEST_LAMBDA_ZIP)
	python3 infra/lambda_artifact.py check $(TEST_LAMBDA_ZIP)

lambda-bench: lambda
	python3 infra/lambda_artifact.py bench $(LAMBDA_ZIP)

infra-check: venv
	$(PHASE)
	@command -v shellcheck >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null)
	$(VENV)/bin/cfn-lint infra/template.yaml infra/github-oidc.yaml
	$(VENV)/bin/python infra/check_template.py infra/template.yaml
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(VENV)/bin/python infra/check_pipeline.py
	shellcheck infra/deploy.sh infra/smoke.sh .ci/run
	$(VENV)/bin/python infra/test_deploy.py
