#!/usr/bin/env python3
"""Checks on the delivery pipeline that no schema knows about.

- infra/github-oidc.yaml: only the repository's staging and production
  environments can assume the deploy role, through GitHub's OIDC provider; the
  role grants exactly the calls infra/deploy.sh makes on a deploy (every
  `aws` command in the script is either mapped to its IAM actions here or
  named as an operator's own, such as destroying data), on resources named
  after the stacks; CloudFormation alone assumes the role that changes them.
- .github/workflows: CI runs what developers run and keeps the package and the
  web app; the deploy runs only after CI passed on a push to main, staging and
  its smoke suite first, production behind its environment's approval; no
  step writes a secret into a command line.

Usage: check_pipeline.py   (run with the .venv Python: needs cfn-lint's YAML reader)
"""

import pathlib
import re
import sys

import yaml
from cfnlint.decode import decode

ROOT = pathlib.Path(__file__).resolve().parent.parent

# What each `aws` command deploy.sh runs on a deploy needs (read-only waits and
# hints printed for a person need nothing).
DEPLOY_CALLS = {
    ("sts", "get-caller-identity"): set(),  # needs no permission
    ("cloudformation", "describe-stacks"): {"cloudformation:DescribeStacks"},
    ("cloudformation", "deploy"): {
        "cloudformation:CreateChangeSet", "cloudformation:DescribeChangeSet", "cloudformation:ExecuteChangeSet",
        "cloudformation:DeleteChangeSet", "cloudformation:GetTemplateSummary", "cloudformation:DescribeStacks",
        "cloudformation:DescribeStackEvents", "iam:PassRole",
    },
    ("s3api", "head-bucket"): {"s3:ListBucket"},
    ("s3api", "create-bucket"): {"s3:CreateBucket"},
    ("s3api", "put-public-access-block"): {"s3:PutBucketPublicAccessBlock"},
    ("s3api", "put-bucket-ownership-controls"): {"s3:PutBucketOwnershipControls"},
    ("s3api", "put-bucket-lifecycle-configuration"): {"s3:PutLifecycleConfiguration"},
    ("s3api", "copy-object"): {"s3:GetObject", "s3:PutObject"},
    ("s3api", "put-object"): {"s3:PutObject"},
    ("s3api", "list-objects-v2"): {"s3:ListBucket"},
    ("s3api", "delete-objects"): {"s3:DeleteObject"},
    ("s3", "sync"): {"s3:ListBucket", "s3:PutObject", "s3:GetObject", "s3:DeleteObject"},
    ("s3", "cp"): {"s3:ListBucket", "s3:PutObject", "s3:GetObject"},
    ("secretsmanager", "get-secret-value"): {"secretsmanager:GetSecretValue"},
    ("secretsmanager", "put-secret-value"): {"secretsmanager:PutSecretValue"},
    ("secretsmanager", "create-secret"): {"secretsmanager:CreateSecret", "secretsmanager:DescribeSecret"},
    ("cloudfront", "create-invalidation"): {"cloudfront:CreateInvalidation"},
}
# Commands for an operator with their own credentials: removing stacks and data,
# and what a person is told to run.
OPERATOR_CALLS = {
    ("cloudformation", "delete-stack"), ("cloudformation", "wait"), ("cloudformation", "describe-stack-events"),
    ("dynamodb", "delete-table"), ("s3", "rm"), ("s3api", "delete-bucket"),
    ("secretsmanager", "delete-secret"), ("secretsmanager", "restore-secret"),
}
GITHUB_TOKENS = "token.actions.githubusercontent.com"


def as_list(value):
    return value if isinstance(value, list) else [value]


def sub_text(value):
    if isinstance(value, dict) and "Fn::Sub" in value:
        sub = value["Fn::Sub"]
        return sub if isinstance(sub, str) else sub[0]
    return value if isinstance(value, str) else str(value)


def check_roles(case):
    template, problems = decode(str(ROOT / "infra" / "github-oidc.yaml"))
    case("github-oidc.yaml parses", not problems, str(problems))
    if problems:
        return
    resources = template["Resources"]
    deploy = resources["DeployRole"]["Properties"]
    trust = deploy["AssumeRolePolicyDocument"]["Statement"]
    case("the deploy role has one way in: GitHub's OIDC tokens", len(trust) == 1
         and trust[0]["Action"] == "sts:AssumeRoleWithWebIdentity" and "Federated" in trust[0]["Principal"], str(trust))
    condition = trust[0].get("Condition", {}).get("StringEquals", {})
    subjects = [sub_text(s) for s in as_list(condition.get(f"{GITHUB_TOKENS}:sub", []))]
    case("only for AWS (the token's audience)", condition.get(f"{GITHUB_TOKENS}:aud") == "sts.amazonaws.com")
    case("only the repository's staging and production environments, matched exactly",
         subjects == ["repo:${GitHubRepository}:environment:staging", "repo:${GitHubRepository}:environment:production"]
         and not trust[0]["Condition"].get("StringLike"), str(subjects))

    granted, resources_of = set(), {}
    for policy in deploy["Policies"]:
        for statement in policy["PolicyDocument"]["Statement"]:
            for action in as_list(statement["Action"]):
                granted.add(action)
                resources_of.setdefault(action, []).extend(as_list(statement["Resource"]))
    case("the deploy role grants no wildcard action", not [a for a in granted if "*" in a], str(granted))

    script = (ROOT / "infra" / "deploy.sh").read_text()
    used = set(re.findall(r"\baws (sts|cloudformation|cloudfront|dynamodb|s3|s3api|secretsmanager) ([a-z0-9-]+)", script))
    unknown = used - set(DEPLOY_CALLS) - OPERATOR_CALLS
    case("every aws command in deploy.sh is known here", not unknown, str(sorted(unknown)))
    needed = set().union(*(DEPLOY_CALLS[c] for c in used if c in DEPLOY_CALLS))
    case("the deploy role grants what a deploy needs", needed <= granted, f"missing {sorted(needed - granted)}")
    case("and nothing more", granted <= needed, f"extra {sorted(granted - needed)}")
    loose = [
        (action, sub_text(r)) for action, targets in resources_of.items() for r in targets
        if action != "iam:PassRole" and "${StackPrefix}" not in sub_text(r)
        and not sub_text(r).endswith(":distribution/*")
    ]
    case("each grant is limited to what the stacks are named after", not loose, str(loose))
    pass_role = [s for p in deploy["Policies"] for s in p["PolicyDocument"]["Statement"]
                 if "iam:PassRole" in as_list(s["Action"])]
    case("the deploy role passes only CloudFormation's role, only to CloudFormation",
         len(pass_role) == 1 and pass_role[0]["Resource"] == {"Fn::GetAtt": ["CloudFormationRole", "Arn"]}
         and pass_role[0].get("Condition", {}).get("StringEquals", {}).get("iam:PassedToService")
         == "cloudformation.amazonaws.com", str(pass_role))

    stack_role = resources["CloudFormationRole"]["Properties"]
    trusted = stack_role["AssumeRolePolicyDocument"]["Statement"]
    case("CloudFormation alone assumes the stack role",
         [s["Principal"] for s in trusted] == [{"Service": "cloudformation.amazonaws.com"}], str(trusted))
    statements = [s for p in stack_role["Policies"] for s in p["PolicyDocument"]["Statement"]]
    wild = [a for s in statements for a in as_list(s["Action"]) if "*" in a]
    case("the stack role grants no wildcard action", not wild, str(wild))
    unscoped = [sub_text(r) for s in statements for r in as_list(s["Resource"])
                if "${StackPrefix}" not in sub_text(r) and "${AWS::AccountId}" not in sub_text(r)
                and "${AWS::Region}::/" not in sub_text(r)]
    case("the stack role's resources are the account's, named after the stacks where names exist",
         not unscoped, str(unscoped))
    template_types = {r["Type"].split("::")[1].lower() for r in decode(str(ROOT / "infra" / "template.yaml"))[0]["Resources"].values()}
    services = {a.split(":")[0] for s in statements for a in as_list(s["Action"])}
    aliases = {"apigatewayv2": "apigateway", "dynamodb": "dynamodb", "cloudfront": "cloudfront", "iam": "iam",
               "lambda": "lambda", "logs": "logs", "s3": "s3", "events": "events"}
    missing = {t for t in template_types if aliases.get(t, t) not in services}
    case("the stack role covers every service the template uses", not missing, str(sorted(missing)))


def check_workflows(case):
    ci = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    deploy_text = (ROOT / ".github" / "workflows" / "deploy.yml").read_text()
    deploy = yaml.safe_load(deploy_text)
    on = lambda workflow: workflow.get("on", workflow.get(True))  # YAML 1.1 reads `on` as true
    steps = ci["jobs"]["test"]["steps"]
    runs = [s.get("run", "") for s in steps]
    case("CI runs on every push and pull request", set(on(ci)) == {"push", "pull_request"})
    case("CI runs what developers run (.ci/run, which is make test), then checks the release package it keeps",
         "bash .ci/run lambda-test" in runs)
    uploads = {s["with"]["name"]: s["with"]["path"] for s in steps if s.get("uses", "").startswith("actions/upload-artifact")}
    case("CI keeps the Lambda package and the web app",
         uploads == {"bootstrap-zip": "target/lambda/bootstrap.zip", "web-dist": "web/dist"}, str(uploads))

    trigger = on(deploy).get("workflow_run", {})
    case("the deploy follows CI on main", trigger.get("workflows") == ["CI"] and trigger.get("branches") == ["main"]
         and trigger.get("types") == ["completed"])
    staging, production = deploy["jobs"]["staging"], deploy["jobs"]["production"]
    case("only after CI passed on a push", "conclusion == 'success'" in staging.get("if", "")
         and "event == 'push'" in staging.get("if", ""))
    case("AWS by OIDC: the workflow may ask for an identity token", deploy["permissions"].get("id-token") == "write")
    for name, job in (("staging", staging), ("production", production)):
        runs = "\n".join(s.get("run", "") for s in job["steps"])
        case(f"{name}: in the {name} environment", job.get("environment") == name)
        case(f"{name}: deploys that stage, then runs the smoke suite against it",
             f"infra/deploy.sh --stage {name}" in runs and runs.index(f"--stage {name}") < runs.index("infra/smoke.sh"))
        case(f"{name}: assumes the deploy role, with no stored keys",
             any(s.get("uses", "").startswith("aws-actions/configure-aws-credentials") and "role-to-assume" in s["with"]
                 and "aws-access-key-id" not in s["with"] for s in job["steps"]))
        case(f"{name}: deploys the package and web app CI tested",
             {s["with"]["name"] for s in job["steps"] if s.get("uses", "").startswith("actions/download-artifact")}
             == {"bootstrap-zip", "web-dist"})
    case("production waits for staging", production.get("needs") == "staging")
    in_commands = [line.strip() for job in deploy["jobs"].values() for s in job["steps"]
                   for line in s.get("run", "").splitlines() if "secrets." in line]
    case("no secret is written into a command", not in_commands and "secrets." not in str(ci), str(in_commands))
    case("no concurrent deploys cancel each other",
         deploy.get("concurrency", {}).get("cancel-in-progress") is False)


def main():
    results = []

    def case(name, ok, detail=""):
        results.append(ok)
        print(f"{'ok  ' if ok else 'FAIL'} {name}" + (f": {detail}" if detail and not ok else ""))

    check_roles(case)
    check_workflows(case)
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
