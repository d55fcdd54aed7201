#!/usr/bin/env python3
"""Tests of infra/deploy.sh through its dry run, and of infra/web_assets.py.

The dry run prints every command deploy.sh would run (`+ aws ...`) and answers AWS's queries
with stand-ins, so these run without credentials or network. Each test runs the script in a
scratch copy of the repository's layout with a fake build, and a fake `aws` on PATH that
records any call: a dry run must make none.

Usage: test_deploy.py [TEST]   (plain Python 3; make infra-check runs it)
"""

import base64
import concurrent.futures
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import web_assets  # noqa: E402

ACCOUNT = "123456789012"
ARTIFACTS = f"promptcanvas-artifacts-{ACCOUNT}-eu-west-1"
TOGETHER = "tgp_v1_THIS-MUST-NEVER-BE-PRINTED"
CLERK_SECRET = "sk_test_THIS-MUST-NEVER-BE-PRINTED-EITHER"
CLERK_KEY = "pk_test_" + base64.b64encode(b"clerk.example.com$").decode()
LIVE_KEY = "pk_live_" + base64.b64encode(b"clerk.studio.example$").decode().rstrip("=")


def stack_json(status="UPDATE_COMPLETE", **params):
    params = {"SecretName": "promptcanvas/app", "CodeKey": "lambda/" + "0" * 64 + ".zip", **params}
    outputs = {
        "WebBucketName": "web-bucket", "DistributionId": "EDIST", "SiteUrl": "https://d1.cloudfront.net",
        "ImagesBucketName": "images-bucket", "UsersTableName": "users-table", "ImagesTableName": "images-table",
        "AccessLogBucketName": "log-bucket",
    }
    return {"Stacks": [{
        "StackName": "promptcanvas", "StackStatus": status,
        "Parameters": [{"ParameterKey": k, "ParameterValue": v} for k, v in params.items()],
        "Outputs": [{"OutputKey": k, "OutputValue": v} for k, v in outputs.items()],
    }]}


def secret_json(version="current-version-1111111111111111111111", **values):
    values = {"MEDIA_SIGNING_KEY": "m" * 64, "ORIGIN_SECRET": "o" * 64, "TOGETHER_AI_API_KEY": TOGETHER, **values}
    return {"VersionId": version, "SecretString": json.dumps(values)}


class Result:
    def __init__(self, process):
        self.returncode = process.returncode
        self.stdout = process.stdout
        self.stderr = process.stderr
        self.commands = [shlex.split(line[2:]) for line in process.stdout.splitlines() if line.startswith("+ ")]

    def find(self, *words):
        """Index of the first command that starts with these words (-1 when none does)."""
        return next((i for i, c in enumerate(self.commands) if c[: len(words)] == list(words)), -1)

    def all(self, *words):
        return [c for c in self.commands if c[: len(words)] == list(words)]

    def deploy_parameters(self):
        deploy = self.all("aws", "cloudformation", "deploy")
        assert len(deploy) == 1, self.stdout
        args = deploy[0][deploy[0].index("--parameter-overrides") + 1:]
        return dict(a.split("=", 1) for a in args)


class DeployDryRun(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="deploy-test-")
        self.addCleanup(shutil.rmtree, self.root)
        os.makedirs(os.path.join(self.root, "infra"))
        for name in ["deploy.sh", "template.yaml", "web_assets.py"]:
            shutil.copy(os.path.join(HERE, name), os.path.join(self.root, "infra", name))
        self.write("target/lambda/bootstrap.zip", b"PK fake package")
        self.write("web/dist/index.html", b"<!doctype html>")
        self.write("web/dist/favicon.svg", b"<svg/>")
        self.write("web/dist/assets/index-Ab12Cd34.js", b"app")
        self.write("web/dist/assets/gallery-Ef56Gh78.js", b"lazy chunk")
        self.bin = os.path.join(self.root, "fakebin")
        os.makedirs(self.bin)
        self.aws_log = os.path.join(self.root, "aws-calls")
        self.write("fakebin/aws", f"#!/bin/sh\necho \"$*\" >> {self.aws_log}\nexit 99\n".encode(), mode=0o755)

    def tearDown(self):
        calls = ""
        if os.path.exists(self.aws_log):
            with open(self.aws_log) as f:
                calls = f.read()
        self.assertEqual(calls, "", "the script called aws itself")

    def write(self, relative, data, mode=0o644):
        path = os.path.join(self.root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, mode)
        return path

    def stub(self, name, value):
        return self.write(f"stubs/{name}.json", json.dumps(value).encode())

    def deploy(self, *args, path=None, dry_run=True, **env):
        environment = {
            "PATH": path or f"{self.bin}:{os.environ['PATH']}",
            "HOME": self.root,
            "AWS_REGION": "eu-west-1",
            "SKIP_BUILD": "1",
        }
        if dry_run:
            environment["DRY_RUN"] = "1"
        environment.update({k: v for k, v in env.items() if v is not None})
        for name in [k for k, v in env.items() if v is None]:
            environment.pop(name, None)
        process = subprocess.run(
            ["bash", os.path.join(self.root, "infra", "deploy.sh"), *args],
            env=environment, cwd=self.root, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
        )
        result = Result(process)
        for secret in (TOGETHER, CLERK_SECRET):
            self.assertNotIn(secret, result.stdout + result.stderr, "a secret was printed")
        return result

    # ---- Item 1: a re-run keeps what the operator did not set ----
    def test_a_rerun_passes_only_what_the_operator_set(self):
        result = self.deploy()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            set(result.deploy_parameters()), {"Stage", "CodeBucket", "CodeKey", "SecretName", "SecretVersionId"}
        )
        self.assertEqual(result.deploy_parameters()["Stage"], "production")

    def test_settings_that_are_set_are_passed(self):
        result = self.deploy(
            CLERK_PUBLISHABLE_KEY=CLERK_KEY, CLERK_SECRET_KEY=CLERK_SECRET, CLERK_AUTHORIZED_PARTIES="https://a.example",
            RESERVED_CONCURRENCY="5", PROVISIONED_CONCURRENCY="2", DOMAIN_NAME="studio.example.com",
            CERTIFICATE_ARN=f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/abc",
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        parameters = result.deploy_parameters()
        self.assertEqual(parameters["ClerkPublishableKey"], CLERK_KEY)
        self.assertEqual(parameters["ClerkFrontendApi"], "https://clerk.example.com")
        self.assertEqual(parameters["ClerkAuthorizedParties"], "https://a.example")
        self.assertEqual(parameters["ReservedConcurrency"], "5")
        self.assertEqual(parameters["ProvisionedConcurrency"], "2")
        self.assertEqual(parameters["DomainName"], "studio.example.com")
        self.assertTrue(parameters["CertificateArn"].startswith("arn:aws:acm:us-east-1:"))

    def test_a_live_key_names_the_sites_own_clerk_domain(self):
        result = self.deploy(CLERK_PUBLISHABLE_KEY=LIVE_KEY, CLERK_SECRET_KEY=CLERK_SECRET)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.deploy_parameters()["ClerkFrontendApi"], "https://clerk.studio.example")

    def test_an_empty_clerk_key_switches_clerk_off(self):
        result = self.deploy(CLERK_PUBLISHABLE_KEY="")
        self.assertEqual(result.returncode, 0, result.stderr)
        parameters = result.deploy_parameters()
        self.assertEqual((parameters["ClerkPublishableKey"], parameters["ClerkFrontendApi"]), ("", ""))

    def test_a_clerk_stack_keeps_its_key_and_gets_its_frontend_api(self):
        stack = self.stub("stack", stack_json(ClerkPublishableKey=CLERK_KEY))
        secret = self.stub("secret", secret_json(CLERK_SECRET_KEY=CLERK_SECRET))
        result = self.deploy(DRY_RUN_STACK=stack, DRY_RUN_SECRET=secret)
        self.assertEqual(result.returncode, 0, result.stderr)
        parameters = result.deploy_parameters()
        self.assertNotIn("ClerkPublishableKey", parameters)
        self.assertEqual(parameters["ClerkFrontendApi"], "https://clerk.example.com")

    def test_clerk_without_a_secret_key_is_refused(self):
        result = self.deploy(CLERK_PUBLISHABLE_KEY=CLERK_KEY)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("CLERK_SECRET_KEY", result.stderr)
        self.assertEqual(result.find("aws", "cloudformation", "deploy"), -1)

    def test_a_malformed_clerk_key_is_refused(self):
        result = self.deploy(CLERK_PUBLISHABLE_KEY="pk_test_bm90IGEga2V5", CLERK_SECRET_KEY=CLERK_SECRET)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("publishable key", result.stderr)

    def test_the_secret_name_is_the_stacks(self):
        stack = self.stub("stack", stack_json(SecretName="team/promptcanvas"))
        result = self.deploy(DRY_RUN_STACK=stack)
        self.assertEqual(result.deploy_parameters()["SecretName"], "team/promptcanvas")
        self.assertEqual(result.all("aws", "secretsmanager", "get-secret-value")[0][4], "team/promptcanvas")

    # ---- Stages: staging and production are stacks of their own ----
    def test_staging_is_a_stack_of_its_own(self):
        for args in (["--stage", "staging"], ["--stage=staging"]):
            result = self.deploy(*args)
            self.assertEqual(result.returncode, 0, result.stderr)
            deploy = result.all("aws", "cloudformation", "deploy")[0]
            self.assertEqual(deploy[deploy.index("--stack-name") + 1], "promptcanvas-staging")
            tags = deploy[deploy.index("--tags") + 1: deploy.index("--parameter-overrides")]
            self.assertEqual(tags, ["Application=promptcanvas", "Stage=staging"])
            parameters = result.deploy_parameters()
            self.assertEqual(parameters["Stage"], "staging")
            self.assertEqual(parameters["SecretName"], "promptcanvas-staging/app")
            self.assertTrue(parameters["CodeBucket"].startswith("promptcanvas-staging-artifacts-"))

    def test_the_stage_can_come_from_the_environment(self):
        result = self.deploy(STAGE="staging")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.deploy_parameters()["Stage"], "staging")

    def test_a_stack_is_never_deployed_or_destroyed_as_the_other_stage(self):
        production = self.stub("stack", stack_json(Stage="production"))
        for args in (["--stage", "staging"], ["--stage", "staging", "--destroy", "--yes"]):
            result = self.deploy(*args, STACK_NAME="promptcanvas", DRY_RUN_STACK=production)
            self.assertNotEqual(result.returncode, 0)
            self.assertIn("is the production stage, not staging", result.stderr)
            self.assertEqual(result.find("aws", "cloudformation", "deploy"), -1)
            self.assertEqual(result.find("aws", "cloudformation", "delete-stack"), -1)

    def test_a_stack_from_before_stages_is_production(self):
        older = self.stub("stack", stack_json())
        refused = self.deploy("--stage", "staging", STACK_NAME="promptcanvas", DRY_RUN_STACK=older)
        self.assertNotEqual(refused.returncode, 0)
        deployed = self.deploy(DRY_RUN_STACK=older)
        self.assertEqual(deployed.returncode, 0, deployed.stderr)
        self.assertEqual(deployed.deploy_parameters()["Stage"], "production")

    def test_the_pipelines_role_changes_the_stack(self):
        role = f"arn:aws:iam::{ACCOUNT}:role/promptcanvas-cloudformation"
        result = self.deploy("--stage", "staging", CFN_ROLE_ARN=role)
        self.assertEqual(result.returncode, 0, result.stderr)
        deploy = result.all("aws", "cloudformation", "deploy")[0]
        self.assertEqual(deploy[deploy.index("--role-arn") + 1], role)
        plain = self.deploy()
        self.assertNotIn("--role-arn", plain.all("aws", "cloudformation", "deploy")[0])

    def test_an_unknown_stage_is_refused(self):
        for args in (["--stage", "prod"], ["--stage"]):
            result = self.deploy(*args)
            self.assertNotEqual(result.returncode, 0)
            self.assertIn("staging or production", result.stderr)

    # ---- Item 2: the secret's version is pinned ----
    def test_an_unchanged_secret_pins_its_current_version(self):
        secret = self.stub("secret", secret_json(version="current-version-1111111111111111111111"))
        result = self.deploy(DRY_RUN_SECRET=secret)
        self.assertEqual(result.deploy_parameters()["SecretVersionId"], "current-version-1111111111111111111111")
        self.assertEqual(result.find("aws", "secretsmanager", "put-secret-value"), -1)

    def test_a_changed_secret_pins_the_version_just_written(self):
        result = self.deploy(TOGETHER_AI_API_KEY=TOGETHER + "-rotated")
        put = result.find("aws", "secretsmanager", "put-secret-value")
        self.assertGreaterEqual(put, 0, result.stdout)
        self.assertIn("--query", result.commands[put])
        self.assertLess(put, result.find("aws", "cloudformation", "deploy"))
        self.assertEqual(result.deploy_parameters()["SecretVersionId"], "dry-run-version-just-written-000000000000")

    def test_a_secret_without_an_origin_secret_gets_one(self):
        values = json.loads(secret_json()["SecretString"])
        del values["ORIGIN_SECRET"]
        secret = self.stub("secret", {"VersionId": "v" * 36, "SecretString": json.dumps(values)})
        result = self.deploy(DRY_RUN_SECRET=secret)
        self.assertGreaterEqual(result.find("aws", "secretsmanager", "put-secret-value"), 0, result.stdout)

    def test_secrets_go_through_a_file_never_argv(self):
        result = self.deploy(TOGETHER_AI_API_KEY=TOGETHER + "-rotated", CLERK_SECRET_KEY=CLERK_SECRET)
        put = result.all("aws", "secretsmanager", "put-secret-value")[0]
        self.assertTrue(put[put.index("--secret-string") + 1].startswith("file://"))

    # ---- First deploy ----
    def test_a_first_deploy_creates_the_secret_and_the_artifact_bucket(self):
        result = self.deploy(DRY_RUN_STACK="none", DRY_RUN_SECRET="none", DRY_RUN_ARTIFACTS="none",
                             TOGETHER_AI_API_KEY=TOGETHER)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertGreaterEqual(result.find("aws", "secretsmanager", "create-secret"), 0)
        for step in ["create-bucket", "put-public-access-block", "put-bucket-ownership-controls",
                     "put-bucket-lifecycle-configuration", "put-object"]:
            self.assertGreaterEqual(result.find("aws", "s3api", step), 0, step)
        self.assertEqual(result.find("aws", "s3api", "copy-object"), -1)
        self.assertEqual(result.deploy_parameters()["SecretVersionId"], "dry-run-version-just-written-000000000000")

    def test_a_first_deploy_needs_the_together_key(self):
        result = self.deploy(DRY_RUN_STACK="none", DRY_RUN_SECRET="none")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("TOGETHER_AI_API_KEY", result.stderr)
        self.assertEqual(result.find("aws", "secretsmanager", "create-secret"), -1)

    # ---- Item 3: open tabs keep working ----
    def test_assets_go_up_first_are_kept_and_index_html_goes_last(self):
        result = self.deploy()
        assets = result.find("aws", "s3", "sync", "--only-show-errors", "web/dist/assets")
        others = result.find("aws", "s3", "sync", "--only-show-errors", "--delete", "web/dist")
        index = result.find("aws", "s3", "cp", "--only-show-errors", "web/dist/index.html")
        invalidation = result.find("aws", "cloudfront", "create-invalidation")
        self.assertTrue(0 <= assets < others < index < invalidation, result.stdout)
        self.assertNotIn("--delete", result.commands[assets])
        self.assertIn("public, max-age=31536000, immutable", result.commands[assets])
        self.assertIn("index.html", result.commands[others])  # excluded: it goes last
        self.assertIn("assets/*", result.commands[others])
        self.assertIn("_deploys/*", result.commands[others])
        for sync in (assets, others):  # source maps are never uploaded
            self.assertIn("*.map", result.commands[sync])
        self.assertEqual(result.commands[index][-2:], ["--cache-control", "no-cache"])

    def test_each_deploy_records_its_assets(self):
        result = self.deploy()
        manifest = [c for c in result.all("aws", "s3api", "put-object") if c[c.index("--bucket") + 1] == "web-bucket"
                    or c[c.index("--key") + 1].startswith("_deploys/")]
        self.assertEqual(len(manifest), 1, result.stdout)
        self.assertGreater(result.commands.index(manifest[0]), result.find("aws", "s3", "cp"))

    # ---- Minor: the artifact bucket's owner, old packages ----
    def check_bucket_owner(self, result):
        s3api = [c for c in result.all("aws", "s3api") if c[2] != "create-bucket"]
        self.assertTrue(s3api)
        for command in s3api:
            self.assertEqual(command[command.index("--expected-bucket-owner") + 1], ACCOUNT, command)
        for command in result.all("aws", "s3"):
            self.assertNotIn(ARTIFACTS, " ".join(command), "high-level s3 commands cannot check the owner")

    def test_every_bucket_call_checks_the_owner(self):
        self.check_bucket_owner(self.deploy(DRY_RUN_ARTIFACTS="none"))
        self.check_bucket_owner(self.deploy())
        self.check_bucket_owner(self.deploy("--destroy", "--delete-data", "--yes"))

    def test_old_packages_expire_and_the_running_one_is_renewed(self):
        result = self.deploy()
        lifecycle = result.all("aws", "s3api", "put-bucket-lifecycle-configuration")[0]
        rules = json.loads(lifecycle[lifecycle.index("--lifecycle-configuration") + 1])["Rules"]
        self.assertEqual(rules[0]["Filter"], {"Prefix": "lambda/"})
        self.assertLessEqual(rules[0]["Expiration"]["Days"], 90)
        renew = result.all("aws", "s3api", "copy-object")[0]
        self.assertEqual(renew[renew.index("--key") + 1], "lambda/" + "0" * 64 + ".zip")
        self.assertLess(result.commands.index(renew), result.find("aws", "cloudformation", "deploy"))

    def test_the_package_is_named_by_its_sha256(self):
        digest = hashlib.sha256(b"PK fake package").hexdigest()
        self.assertEqual(self.deploy().deploy_parameters()["CodeKey"], f"lambda/{digest}.zip")

    def test_shasum_stands_in_for_sha256sum(self):
        shasum = shutil.which("shasum")
        if not shasum:
            self.skipTest("no shasum here")
        tools = os.path.join(self.root, "tools")
        os.makedirs(tools)
        os.symlink(os.path.realpath(sys.executable), os.path.join(tools, "python3"))
        for tool in ["bash", "dirname", "mktemp", "rm", "chmod", "cat", "cut", "grep", "date", "mkdir",
                     "sed", "perl"]:
            found = shutil.which(tool)
            if found:
                os.symlink(found, os.path.join(tools, tool))
        os.symlink(shasum, os.path.join(tools, "shasum"))
        result = self.deploy(path=f"{self.bin}:{tools}")
        self.assertEqual(result.returncode, 0, result.stderr)
        digest = hashlib.sha256(b"PK fake package").hexdigest()
        self.assertEqual(result.deploy_parameters()["CodeKey"], f"lambda/{digest}.zip")

    # ---- Minor: a failed first deploy ----
    def test_rollback_complete_is_refused_without_the_flag(self):
        stack = self.stub("stack", stack_json("ROLLBACK_COMPLETE"))
        result = self.deploy(DRY_RUN_STACK=stack)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("--delete-failed-stack", result.stderr)
        self.assertEqual(result.find("aws", "cloudformation", "deploy"), -1)
        self.assertEqual(result.find("aws", "cloudformation", "delete-stack"), -1)

    def test_rollback_complete_is_deleted_with_the_flag_then_deployed(self):
        stack = self.stub("stack", stack_json("ROLLBACK_COMPLETE"))
        result = self.deploy("--delete-failed-stack", DRY_RUN_STACK=stack)
        self.assertEqual(result.returncode, 0, result.stderr)
        delete = result.find("aws", "cloudformation", "delete-stack")
        wait = result.find("aws", "cloudformation", "wait", "stack-delete-complete")
        self.assertTrue(0 <= delete < wait < result.find("aws", "cloudformation", "deploy"), result.stdout)
        self.assertEqual(result.find("aws", "s3api", "copy-object"), -1)  # the failed stack ran no package

    def test_a_stack_in_progress_is_left_alone(self):
        stack = self.stub("stack", stack_json("UPDATE_IN_PROGRESS"))
        result = self.deploy(DRY_RUN_STACK=stack)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("UPDATE_IN_PROGRESS", result.stderr)

    # ---- Minor: settings refused up front ----
    def test_reserved_concurrency_of_zero_is_refused(self):
        for value in ["0", "-2", "1.5", "abc"]:
            result = self.deploy(RESERVED_CONCURRENCY=value)
            self.assertNotEqual(result.returncode, 0, value)
            self.assertEqual(result.commands, [], value)
        self.assertEqual(self.deploy(RESERVED_CONCURRENCY="-1").deploy_parameters()["ReservedConcurrency"], "-1")

    def test_asset_retention_must_be_whole_numbers(self):
        for env in [{"KEEP_DEPLOYS": "0"}, {"KEEP_DEPLOYS": "x"}, {"KEEP_DAYS": "-1"}, {"KEEP_DAYS": "1.5"}]:
            result = self.deploy(**env)
            self.assertNotEqual(result.returncode, 0, env)
            self.assertEqual(result.commands, [], env)

    def test_an_api_on_another_origin_is_refused(self):
        result = self.deploy(VITE_API_BASE_URL="https://api.example.com")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("VITE_API_BASE_URL", result.stderr)
        self.assertEqual(result.commands, [])

    def test_cargo_is_checked_before_anything_runs(self):
        result = self.deploy(dry_run=False, SKIP_BUILD=None, CARGO="/nonexistent/cargo")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("/nonexistent/cargo is required", result.stderr)

    def test_a_build_runs_before_the_upload(self):
        result = self.deploy(SKIP_BUILD=None)
        lambda_build, web_build = result.find("make", "lambda"), result.find("make", "web-build")
        self.assertTrue(0 <= lambda_build < web_build < result.find("aws", "s3api", "put-object"), result.stdout)

    # ---- Minor: destroy ----
    def test_destroy_asks_first(self):
        result = self.deploy("--destroy")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("--yes", result.stderr)
        self.assertEqual(result.find("aws", "cloudformation", "delete-stack"), -1)

    def test_destroy_empties_the_web_bucket_then_deletes_the_stack_and_keeps_the_data(self):
        result = self.deploy("--destroy", "--yes", DRY_RUN_STACK=self.stub("stack", stack_json()))
        self.assertEqual(result.returncode, 0, result.stderr)
        empty = result.find("aws", "s3", "rm", "--only-show-errors", "--recursive", "s3://web-bucket")
        delete = result.find("aws", "cloudformation", "delete-stack")
        self.assertTrue(0 <= empty < delete, result.stdout)
        touched = " ".join(" ".join(c) for c in result.commands)
        for kept in ["images-bucket", "users-table", "images-table", "delete-secret"]:
            self.assertNotIn(kept, touched)
        self.assertIn("images-bucket", result.stdout)  # said to be kept

    def test_destroy_with_delete_data_removes_the_retained_data_after_the_stack(self):
        result = self.deploy("--destroy", "--delete-data", "--yes", DRY_RUN_STACK=self.stub("stack", stack_json()))
        self.assertEqual(result.returncode, 0, result.stderr)
        wait = result.find("aws", "cloudformation", "wait", "stack-delete-complete")
        for command in [("aws", "s3", "rm", "--only-show-errors", "--recursive", "s3://images-bucket"),
                        ("aws", "s3api", "delete-bucket", "--bucket", "images-bucket"),
                        ("aws", "s3", "rm", "--only-show-errors", "--recursive", "s3://log-bucket"),
                        ("aws", "s3api", "delete-bucket", "--bucket", "log-bucket"),
                        ("aws", "dynamodb", "delete-table", "--table-name", "users-table"),
                        ("aws", "dynamodb", "delete-table", "--table-name", "images-table"),
                        ("aws", "secretsmanager", "delete-secret", "--secret-id", "promptcanvas/app")]:
            self.assertGreater(result.find(*command), wait, command)

    def test_delete_data_alone_is_refused(self):
        result = self.deploy("--delete-data", "--yes")
        self.assertNotEqual(result.returncode, 0)
        self.assertEqual(result.commands, [])

    # ---- The script and the template agree ----
    def test_every_parameter_and_output_the_script_uses_is_in_the_template(self):
        import re
        result = self.deploy(
            CLERK_PUBLISHABLE_KEY=CLERK_KEY, CLERK_SECRET_KEY=CLERK_SECRET, CLERK_AUTHORIZED_PARTIES="",
            RESERVED_CONCURRENCY="3", DOMAIN_NAME="", CERTIFICATE_ARN="",
        )
        with open(os.path.join(HERE, "template.yaml")) as f:
            template = f.read()
        parameters = set(re.findall(r"^  ([A-Za-z]+):\n    Type:", template.split("\nMappings:")[0], re.M))
        self.assertLessEqual(set(result.deploy_parameters()), parameters)
        outputs = set(re.findall(r"^  ([A-Za-z]+):$", template.split("\nOutputs:")[1], re.M))
        with open(os.path.join(HERE, "deploy.sh")) as f:
            script = f.read()
        used = set(re.findall(r"output:?([A-Z][A-Za-z]+)", script))
        self.assertTrue(used)
        self.assertLessEqual(used, outputs)

    def test_dry_run_is_the_default_from_a_flag_too(self):
        result = self.deploy("--dry-run", DRY_RUN=None)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertGreaterEqual(result.find("aws", "cloudformation", "deploy"), 0)


class OldAssets(unittest.TestCase):
    """Which assets a deploy may delete (infra/web_assets.py)."""

    @staticmethod
    def stamp(day, hour=0):
        return f"202601{day:02d}T{hour:02d}0000Z"

    def test_the_previous_builds_assets_stay(self):
        manifests = {self.stamp(1): {"assets/old.js"}}
        new, delete_assets, delete_manifests = web_assets.plan(
            manifests, {"assets/old.js", "assets/new.js"}, {"assets/new.js"}, self.stamp(2), 5, 7)
        self.assertEqual((delete_assets, delete_manifests), ([], []))
        self.assertEqual(new, {"assets/new.js"})

    def test_assets_go_once_neither_recent_nor_among_the_last_deploys(self):
        manifests = {self.stamp(d): {f"assets/{d}.js"} for d in range(1, 8)}
        existing = set().union(*manifests.values())
        # Day 30: the 5 newest deploys are days 4..7 and this one; nothing is younger than 7 days.
        _, delete_assets, delete_manifests = web_assets.plan(manifests, existing, {"assets/7.js"}, self.stamp(30), 5, 7)
        self.assertEqual(delete_assets, ["assets/1.js", "assets/2.js", "assets/3.js"])
        self.assertEqual(delete_manifests, [self.stamp(1), self.stamp(2), self.stamp(3)])

    def test_recent_deploys_keep_their_assets_however_many_there_were(self):
        manifests = {self.stamp(10, h): {f"assets/{h}.js"} for h in range(12)}
        existing = set().union(*manifests.values())
        _, delete_assets, _ = web_assets.plan(manifests, existing, {"assets/new.js"}, self.stamp(10, 13), 2, 7)
        self.assertEqual(delete_assets, [])

    def test_assets_no_deploy_recorded_are_adopted_not_deleted(self):
        new, delete_assets, _ = web_assets.plan({}, {"assets/before-manifests.js"}, {"assets/new.js"}, self.stamp(1), 1, 0)
        self.assertEqual(delete_assets, [])
        self.assertEqual(new, {"assets/new.js", "assets/before-manifests.js"})

    def test_the_current_build_is_never_deleted(self):
        manifests = {self.stamp(1): {"assets/a.js"}}
        _, delete_assets, _ = web_assets.plan(manifests, {"assets/a.js"}, {"assets/a.js"}, self.stamp(28), 1, 0)
        self.assertEqual(delete_assets, [])


def cases_of(suite):
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            yield from cases_of(test)
        else:
            yield test


def run_side_by_side():
    """Runs every case, one per core at a time: each dry run spends its time in
    bash and the programs it starts, and each works in a folder of its own."""
    cases = list(cases_of(unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])))

    def run(case):
        result = unittest.TestResult()
        case.run(result)
        return result

    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(run, cases))
    problems = [(test, trace) for result in results for test, trace in result.failures + result.errors]
    for test, trace in problems:
        print(f"FAIL {test.id()}\n{trace}")
    print(f"{len(cases)} tests, {len(problems)} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) > 1:  # a chosen test, as unittest names it
        unittest.main(verbosity=1)
    sys.exit(run_side_by_side())
