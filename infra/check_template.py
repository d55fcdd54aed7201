#!/usr/bin/env python3
"""Checks on infra/template.yaml that cfn-lint cannot know about.

Least privilege: no Allow grants a wildcard action or resource where a specific
one exists, and the function's role grants exactly the calls the server makes
on exactly the stack's own tables and image keys. Storage is private, and the
DynamoDB tables have exactly the keys the DynamoDB backend expects.

Usage: check_template.py [TEMPLATE]   (run with the .venv Python: needs cfn-lint)
"""

import sys

from cfnlint.decode import decode

# What the server calls at run time, per resource (logical id, suffix).
EXPECTED_RUNTIME_GRANTS = {
    ("logs:CreateLogStream", "function log group"),
    ("logs:PutLogEvents", "function log group"),
    *{
        (f"dynamodb:{action}", table)
        for action in ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "ConditionCheckItem"]
        for table in ["UsersTable", "ImagesTable"]
    },
    ("s3:PutObject", "ImagesBucket/users/*"),
    ("s3:GetObject", "ImagesBucket/users/*"),
    ("s3:DeleteObject", "ImagesBucket/users/*"),
    ("s3:ListBucket", "ImagesBucket"),
}

EXPECTED_TABLES = {
    "UsersTable": {"keys": [("pk", "S", "HASH"), ("sk", "S", "RANGE")], "ttl": "expires_at"},
    "ImagesTable": {"keys": [("user_id", "S", "HASH"), ("image_id", "S", "RANGE")], "ttl": None},
}


def as_list(value):
    return value if isinstance(value, list) else [value]


def describe_resource(resource):
    """A readable name for an ARN expression in the template."""
    if isinstance(resource, str):
        return resource
    if "Fn::GetAtt" in resource:
        target = resource["Fn::GetAtt"]
        target = target.split(".") if isinstance(target, str) else target
        return target[0]
    if "Fn::Sub" in resource:
        text = resource["Fn::Sub"]
        text = text if isinstance(text, str) else text[0]
        if text.startswith("${ImagesBucket.Arn}"):
            return "ImagesBucket" + text[len("${ImagesBucket.Arn}"):]
        if ":log-group:/aws/lambda/${AWS::StackName}-api:" in text:
            return "function log group"
        return text
    return repr(resource)


def iam_statements(resources):
    """(where, statement) for every policy statement in the template."""
    for name, resource in resources.items():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::IAM::Role":
            for policy in properties.get("Policies", []):
                for statement in policy["PolicyDocument"]["Statement"]:
                    yield f"{name}/{policy['PolicyName']}", statement
        if resource["Type"] == "AWS::S3::BucketPolicy":
            for statement in properties["PolicyDocument"]["Statement"]:
                yield name, statement


def main(path):
    template, problems = decode(path)
    if problems:
        for problem in problems:
            print(problem)
        return 1
    resources = template["Resources"]
    results = []

    def case(name, ok, detail=""):
        results.append(ok)
        print(f"{'ok  ' if ok else 'FAIL'} {name}" + (f": {detail}" if detail and not ok else ""))

    for where, statement in iam_statements(resources):
        if statement["Effect"] != "Allow":
            continue
        actions = as_list(statement["Action"])
        wild_actions = [a for a in actions if a == "*" or a.endswith(":*") or "*" in a]
        case(f"{where} {statement.get('Sid', '')}: no wildcard action", not wild_actions, str(wild_actions))
        targets = as_list(statement.get("Resource", []))
        case(
            f"{where} {statement.get('Sid', '')}: no '*' resource",
            all(describe_resource(t) != "*" for t in targets),
            str(targets),
        )
        principal = statement.get("Principal")
        if principal is not None:
            case(
                f"{where} {statement.get('Sid', '')}: a named principal, bound by a condition",
                principal != "*" and principal != {"AWS": "*"} and "Condition" in statement,
                str(principal),
            )

    role = resources["ApiFunctionRole"]["Properties"]
    granted = set()
    for policy in role["Policies"]:
        for statement in policy["PolicyDocument"]["Statement"]:
            assert statement["Effect"] == "Allow"
            for action in as_list(statement["Action"]):
                for target in as_list(statement["Resource"]):
                    granted.add((action, describe_resource(target)))
    case(
        "the function's role grants exactly the server's calls on the stack's resources",
        granted == EXPECTED_RUNTIME_GRANTS,
        f"extra {sorted(granted - EXPECTED_RUNTIME_GRANTS)}, missing {sorted(EXPECTED_RUNTIME_GRANTS - granted)}",
    )
    listing = [
        s for p in role["Policies"] for s in p["PolicyDocument"]["Statement"]
        if "s3:ListBucket" in as_list(s["Action"])
    ]
    case(
        "listing is limited to the users/ prefix",
        len(listing) == 1 and listing[0].get("Condition", {}).get("StringLike", {}).get("s3:prefix") == ["users/", "users/*"],
        str(listing),
    )
    assume = role["AssumeRolePolicyDocument"]["Statement"]
    case(
        "only Lambda assumes the role",
        [s["Principal"] for s in assume] == [{"Service": "lambda.amazonaws.com"}],
        str(assume),
    )

    for name, resource in resources.items():
        if resource["Type"] != "AWS::S3::Bucket":
            continue
        properties = resource["Properties"]
        block = properties.get("PublicAccessBlockConfiguration", {})
        case(
            f"{name}: all public access blocked",
            all(block.get(k) is True for k in ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"]),
            str(block),
        )
        rules = properties.get("OwnershipControls", {}).get("Rules", [])
        case(f"{name}: object ownership enforced (no ACLs)", rules == [{"ObjectOwnership": "BucketOwnerEnforced"}], str(rules))
        case(f"{name}: encrypted at rest", "BucketEncryption" in properties)

    for name, expected in EXPECTED_TABLES.items():
        properties = resources[name]["Properties"]
        types = {d["AttributeName"]: d["AttributeType"] for d in properties["AttributeDefinitions"]}
        keys = [(k["AttributeName"], types[k["AttributeName"]], k["KeyType"]) for k in properties["KeySchema"]]
        case(f"{name}: keys {expected['keys']}", keys == expected["keys"], str(keys))
        case(f"{name}: on demand, no indexes",
             properties.get("BillingMode") == "PAY_PER_REQUEST"
             and "GlobalSecondaryIndexes" not in properties and "LocalSecondaryIndexes" not in properties)
        ttl = properties.get("TimeToLiveSpecification")
        if expected["ttl"]:
            case(f"{name}: TTL on {expected['ttl']}", ttl == {"AttributeName": expected["ttl"], "Enabled": True}, str(ttl))

    outputs = template.get("Outputs", {})
    case("outputs give the site and API URLs", {"SiteUrl", "ApiUrl"} <= set(outputs))
    secret_outputs = [n for n, o in outputs.items() if "resolve:secretsmanager" in str(o) or "Secret" in n]
    case("no output carries a secret", not secret_outputs, str(secret_outputs))
    secret_params = [n for n in template.get("Parameters", {}) if "Key" in n and n not in {"CodeKey", "ClerkPublishableKey"}]
    case("no secret is a template parameter", not secret_params, str(secret_params))

    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "infra/template.yaml"))
