#!/usr/bin/env python3
"""Checks on infra/template.yaml that cfn-lint cannot know about.

Least privilege: no Allow grants a wildcard action or resource where a specific
one exists, and the function's role grants exactly the calls the server makes
on exactly the stack's own tables and image keys. Storage is private, and the
DynamoDB tables have exactly the keys the DynamoDB backend expects.

Usage: check_template.py [TEMPLATE]   (run with the .venv Python: needs cfn-lint)
"""

import json
import re
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
    # A trash page reads its images in one batch.
    ("dynamodb:BatchGetItem", "ImagesTable"),
    *{
        (f"s3:{action}", f"ImagesBucket/{prefix}/*")
        for action in ["PutObject", "GetObject", "DeleteObject"]
        for prefix in ["users", "drafts", "exports"]
    },
    # Exports are written in parts; a failed one is abandoned.
    ("s3:AbortMultipartUpload", "ImagesBucket/exports/*"),
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


# Resources whose data outlives the stack (DeletionPolicy: Retain); `deploy.sh --destroy
# --delete-data` removes exactly these by their outputs, everything else goes with the stack.
RETAINED = {
    "UsersTable": "UsersTableName", "ImagesTable": "ImagesTableName", "ImagesBucket": "ImagesBucketName",
    # Who read or wrote which image: kept as long as the images they describe.
    "AccessLogBucket": "AccessLogBucketName",
}

# The event the hourly schedule sends; the function runs `sweep` when it receives exactly this.
SWEEP_EVENT = {"promptcanvas": "sweep"}

# What decoding, thumbnails and the writes need after the provider's deadline, and API Gateway's
# own limit (an HTTP API integration answers 503 after 30 s whatever the function does).
WRITE_MARGIN_SECS = 9
API_GATEWAY_LIMIT_SECS = 30

# Longest presigned URL worth promising: they die with the function's temporary credentials.
MAX_MEDIA_URL_TTL_SECS = 4 * 3600


def walk(node):
    """Every value in a template subtree."""
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def sub_text(node):
    """The text of a Fn::Sub (either form), or the string itself."""
    if isinstance(node, dict) and "Fn::Sub" in node:
        value = node["Fn::Sub"]
        return value if isinstance(value, str) else value[0]
    return node if isinstance(node, str) else None


def csp_directives(policy):
    return {
        part.split()[0]: part.split()[1:]
        for part in (p.strip() for p in policy.split(";"))
        if part
    }


def check_operations(template, case):
    """What running the stack needs beyond least privilege: secrets that follow rotation, a
    deadline that fits the function, the sweep, one way in, Clerk's CSP, sane limits."""
    parameters = template.get("Parameters", {})
    resources = template["Resources"]
    outputs = template.get("Outputs", {})
    function = resources["ApiFunction"]["Properties"]
    env = function["Environment"]["Variables"]

    # Secrets: every reference pins the version deploy.sh wrote, so a rotated value is a change.
    refs = [t for t in (sub_text(n) for n in walk(resources)) if t and "resolve:secretsmanager" in t]
    unpinned = [r for r in refs if not re.fullmatch(
        r"\{\{resolve:secretsmanager:\$\{SecretName\}:SecretString:[A-Z_]+::\$\{SecretVersionId\}\}\}", r)]
    case("every secret reference pins SecretVersionId", bool(refs) and not unpinned, str(unpinned))
    version = parameters.get("SecretVersionId", {})
    case("SecretVersionId has no default (deploy.sh always passes it)",
         bool(version) and "Default" not in version, str(version))

    # ReservedConcurrency: -1 or >= 1; 0 would throttle everything.
    reserved = parameters["ReservedConcurrency"]
    pattern = reserved.get("AllowedPattern", "")
    accepts = lambda value: re.fullmatch(pattern, value) is not None if pattern else True
    good, bad = ["-1", "1", "10", "999"], ["0", "00", "-2", "1.5", "", "-0", "01"]
    case("ReservedConcurrency accepts -1 or >= 1 only",
         reserved.get("Type") == "String" and all(map(accepts, good)) and not any(map(accepts, bad)),
         f"pattern {pattern!r}: refuses {[v for v in good if not accepts(v)]}, accepts {[v for v in bad if accepts(v)]}")

    ttl = parameters["MediaUrlTtlSeconds"]
    case(f"MediaUrlTtlSeconds is capped at {MAX_MEDIA_URL_TTL_SECS} s",
         0 < int(ttl.get("MaxValue", 10**9)) <= MAX_MEDIA_URL_TTL_SECS, str(ttl))

    # The deadline budget: Together, then the writes, inside the function, inside API Gateway.
    timeouts = parameters["TimeoutSeconds"]
    budget = template.get("Mappings", {}).get("TimeBudget", {})
    allowed = [str(v) for v in timeouts.get("AllowedValues", [timeouts.get("MaxValue", 900)])]
    case("every allowed function timeout has a Together budget", allowed and sorted(allowed) == sorted(budget),
         f"timeouts {allowed}, budget {sorted(budget)}")
    wrong = {t: b for t, b in budget.items()
             if int(b["TogetherTimeoutSecs"]) + WRITE_MARGIN_SECS > int(t) or int(t) >= API_GATEWAY_LIMIT_SECS}
    case(f"Together's deadline leaves {WRITE_MARGIN_SECS} s for the writes, under API Gateway's {API_GATEWAY_LIMIT_SECS} s",
         not wrong, str(wrong))
    case("the default timeout gives Together 20 s",
         int(budget.get(str(timeouts.get("Default")), {}).get("TogetherTimeoutSecs", 0)) == 20)
    case("TOGETHER_TIMEOUT_SECS comes from the budget of the function's timeout",
         env.get("TOGETHER_TIMEOUT_SECS") == {"Fn::FindInMap": ["TimeBudget", {"Ref": "TimeoutSeconds"}, "TogetherTimeoutSecs"]}
         and function.get("Timeout") == {"Ref": "TimeoutSeconds"}, str(env.get("TOGETHER_TIMEOUT_SECS")))
    integration = resources["ApiIntegration"]["Properties"]
    api_origin = next(o for o in resources["Distribution"]["Properties"]["DistributionConfig"]["Origins"] if o["Id"] == "api")
    case("API Gateway and CloudFront wait at least as long as the function",
         int(integration["TimeoutInMillis"]) >= 1000 * max(int(t) for t in allowed) + 1000
         and int(api_origin["CustomOriginConfig"]["OriginReadTimeout"]) >= int(integration["TimeoutInMillis"]) // 1000)

    # The sweep: an hourly schedule, one constant event, a permission that names only that rule.
    rules = {n: r["Properties"] for n, r in resources.items() if r["Type"] == "AWS::Events::Rule"}
    sweeps = [
        (n, t) for n, r in rules.items() for t in r.get("Targets", [])
        if t.get("Arn") == {"Fn::GetAtt": ["ApiFunction", "Arn"]}
    ]
    case("an hourly schedule sends the function the sweep event",
         len(sweeps) == 1 and rules[sweeps[0][0]].get("ScheduleExpression") == "rate(1 hour)"
         and rules[sweeps[0][0]].get("State") == "ENABLED"
         and json.loads(sweeps[0][1].get("Input", "null")) == SWEEP_EVENT
         and "RoleArn" not in sweeps[0][1],
         str(sweeps))
    retries = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::Lambda::EventInvokeConfig"]
    case("a failed sweep is not retried on top of itself (async retries off)",
         [(r.get("FunctionName"), r.get("MaximumRetryAttempts")) for r in retries] == [({"Ref": "ApiFunction"}, 0)],
         str(retries))
    permissions = {n: r["Properties"] for n, r in resources.items() if r["Type"] == "AWS::Lambda::Permission"}
    case("every invoke permission names its source",
         all("SourceArn" in p for p in permissions.values()), str(permissions))
    if sweeps:
        case("EventBridge may invoke the function from the sweep schedule only",
             [p for p in permissions.values() if p["Principal"] == "events.amazonaws.com"]
             == [{"Action": "lambda:InvokeFunction", "FunctionName": {"Ref": "ApiFunction"},
                  "Principal": "events.amazonaws.com", "SourceArn": {"Fn::GetAtt": [sweeps[0][0], "Arn"]},
                  "SourceAccount": {"Ref": "AWS::AccountId"}}],
             str(permissions))

    # One way in: CloudFront proves itself with a secret header the function requires.
    headers = api_origin.get("OriginCustomHeaders", [])
    secret_header = [h for h in headers if h["HeaderName"].lower() == "x-origin-secret"]
    case("CloudFront sends the origin secret to the API, and the function requires the same one",
         len(secret_header) == 1 and ":ORIGIN_SECRET::" in (sub_text(secret_header[0]["HeaderValue"]) or "")
         and env.get("ORIGIN_SECRET") == secret_header[0]["HeaderValue"],
         f"{headers} / {env.get('ORIGIN_SECRET')}")
    case("X-Forwarded-For is trusted only behind the origin secret",
         env.get("TRUSTED_PROXY_HOPS") in (None, "0") or "ORIGIN_SECRET" in env)
    case("the API has no route outside /api and the share pages (CloudFront sends only /api/* and /s/* there)",
         sorted(r["Properties"]["RouteKey"] for r in resources.values() if r["Type"] == "AWS::ApiGatewayV2::Route")
         == ["ANY /api/{proxy+}", "GET /s/{proxy+}"])
    behaviours = {b["PathPattern"]: b for b in
                  resources["Distribution"]["Properties"]["DistributionConfig"]["CacheBehaviors"]}
    share_pages = behaviours.get("/s/*", {})
    case("share links' pages go to the function uncached, with the function's own security headers",
         share_pages.get("TargetOriginId") == "api"
         and "4135ea2d" in share_pages.get("CachePolicyId", "")
         and "ResponseHeadersPolicyId" not in share_pages,
         str(share_pages))

    # The web app's CSP, as CloudFront serves it with index.html.
    policy = resources["SecurityHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    csp = policy["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    branches = csp.get("Fn::If", [None, None, None]) if isinstance(csp, dict) else [None, None, None]
    clerk, local = (csp_directives(sub_text(b) or "") for b in branches[1:])
    if branches[0] is None:  # one policy for both modes
        clerk = local = csp_directives(sub_text(csp) or "")
    challenges = "https://challenges.cloudflare.com"
    case("Clerk's CSP allows the Frontend API the key names, its avatars and the challenge",
         branches[0] == "UseClerk"
         and "${ClerkFrontendApi}" in clerk.get("script-src", []) and "${ClerkFrontendApi}" in clerk.get("connect-src", [])
         and challenges in clerk.get("script-src", []) and clerk.get("frame-src") == [challenges]
         and "https://img.clerk.com" in clerk.get("img-src", []),
         str(clerk))
    case("no wildcard origin in the CSP",
         not [s for d in (clerk, local) for v in d.values() for s in v if "*" in s], str(clerk))
    case("without Clerk the CSP allows nothing of Clerk's and only the site's own API",
         bool(local) and "clerk" not in str(local) and local.get("connect-src") == ["'self'"]
         and local.get("script-src") == ["'self'"], str(local))
    case("the API is the site's own /api: no CORS origins configured",
         "CORS_ALLOWED_ORIGINS" not in env and clerk.get("connect-src") == ["'self'", "${ClerkFrontendApi}"])
    rule_text = json.dumps(template.get("Rules", {}))
    case("ClerkPublishableKey and ClerkFrontendApi can only be set together",
         "ClerkPublishableKey" in rule_text and "ClerkFrontendApi" in rule_text)

    # A custom domain: aliases, a us-east-1 certificate, and the URLs the server and Clerk see.
    config = resources["Distribution"]["Properties"]["DistributionConfig"]
    cert_pattern = parameters.get("CertificateArn", {}).get("AllowedPattern", "")
    case("DomainName becomes the distribution's alias with an ACM certificate from us-east-1",
         config.get("Aliases") == {"Fn::If": ["HasDomain", [{"Ref": "DomainName"}], {"Ref": "AWS::NoValue"}]}
         and config["ViewerCertificate"].get("Fn::If", [0, {}])[1].get("AcmCertificateArn") == {"Ref": "CertificateArn"}
         and config["ViewerCertificate"].get("Fn::If", [0, {}])[1].get("SslSupportMethod") == "sni-only"
         and re.fullmatch(cert_pattern, "arn:aws:acm:us-east-1:123456789012:certificate/0a1b") is not None
         and re.fullmatch(cert_pattern, "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b") is None
         and "CertificateArn" in rule_text and "DomainName" in rule_text,
         str(config.get("Aliases")))
    case("with a domain, the server and Clerk see the domain's URL",
         "${DomainName}" in json.dumps(env.get("PUBLIC_BASE_URL")) and "${DomainName}" in json.dumps(env.get("CLERK_AUTHORIZED_PARTIES"))
         and "${DomainName}" in json.dumps(outputs.get("SiteUrl")))

    # Deletion: only the data outlives the stack, and deploy.sh can find it by the outputs.
    retained = {n for n, r in resources.items() if r.get("DeletionPolicy") == "Retain"}
    case("only the data is retained on delete", retained == set(RETAINED), str(sorted(retained)))
    case("the retained data and the web bucket are named in outputs",
         all(outputs.get(o, {}).get("Value") == {"Ref": n} for n, o in RETAINED.items())
         and outputs.get("WebBucketName", {}).get("Value") == {"Ref": "WebBucket"})


# Properties that give a resource its name in the account: two stages' stacks must never share one.
PHYSICAL_NAMES = {"Name", "FunctionName", "LogGroupName", "BucketName", "TableName", "RoleName", "AliasName"}


def physical_names(node, where=""):
    """(where, value) of every physical-name property written in the template (refs excluded)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in PHYSICAL_NAMES and (isinstance(value, str) or "Fn::Sub" in value):
                yield f"{where}.{key}", sub_text(value) if isinstance(value, dict) else value
            else:
                yield from physical_names(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from physical_names(item, f"{where}[{index}]")


def check_stages(template, case):
    """Staging and production are stacks of one template: each is told its stage, and nothing
    it names can collide with the other's."""
    stage = template.get("Parameters", {}).get("Stage", {})
    case("Stage is staging or production, production by default",
         stage.get("AllowedValues") == ["staging", "production"] and stage.get("Default") == "production",
         str(stage))
    case("the stage is an output", template.get("Outputs", {}).get("Stage", {}).get("Value") == {"Ref": "Stage"})
    shared = [
        where for name, resource in template["Resources"].items()
        # An alias is named within its function, which has the stack's name.
        if resource["Type"] != "AWS::Lambda::Alias"
        for where, value in physical_names(resource.get("Properties", {}), name)
        if "${AWS::StackName}" not in value
    ]
    case("every name the stack gives a resource includes the stack's name", not shared, str(shared))


def check_operating_options(template, case):
    """The seed's AWS operating options: access logs of the images bucket, Intelligent-Tiering
    for old originals, and provisioned concurrency on request."""
    resources = template["Resources"]
    parameters = template.get("Parameters", {})
    images = resources["ImagesBucket"]["Properties"]
    logging = images.get("LoggingConfiguration", {})
    case("the images bucket's access logs go to the log bucket",
         logging.get("DestinationBucketName") == {"Ref": "AccessLogBucket"} and bool(logging.get("LogFilePrefix")), str(logging))
    logs = resources.get("AccessLogBucket", {}).get("Properties", {})
    expiry = [r for r in logs.get("LifecycleConfiguration", {}).get("Rules", []) if "ExpirationInDays" in r]
    case("access logs expire after AccessLogDays", [r["ExpirationInDays"] for r in expiry] == [{"Ref": "AccessLogDays"}])
    writers = [s for s in resources.get("AccessLogBucketPolicy", {}).get("Properties", {})
               .get("PolicyDocument", {}).get("Statement", [])]
    case("only S3's logging service writes access logs, for this account's images bucket",
         len(writers) == 1 and writers[0]["Principal"] == {"Service": "logging.s3.amazonaws.com"}
         and writers[0]["Action"] == "s3:PutObject"
         and {"aws:SourceArn", "aws:SourceAccount"} <= set(writers[0].get("Condition", {}).get("ArnLike", {}))
         | set(writers[0].get("Condition", {}).get("StringEquals", {})), str(writers))
    tiering = [r for r in images.get("LifecycleConfiguration", {}).get("Rules", [])
               if any(t.get("StorageClass") == "INTELLIGENT_TIERING" for t in r.get("Transitions", []))]
    case("originals move to Intelligent-Tiering after 30 days",
         len(tiering) == 1 and tiering[0].get("Prefix") == "users/"
         and tiering[0]["Transitions"] == [{"StorageClass": "INTELLIGENT_TIERING", "TransitionInDays": 30}],
         str(tiering))
    drafts = [r for r in images.get("LifecycleConfiguration", {}).get("Rules", [])
              if r.get("Prefix") == "drafts/"]
    case("drafts the sweep missed expire after a day",
         len(drafts) == 1 and drafts[0].get("ExpirationInDays") == 1 and drafts[0].get("Status") == "Enabled",
         str(drafts))
    exports = [r for r in images.get("LifecycleConfiguration", {}).get("Rules", [])
               if r.get("Prefix") == "exports/"]
    case("exports the sweep missed expire after the longest EXPORT_TTL_HOURS",
         len(exports) == 1 and exports[0].get("ExpirationInDays") == 8 and exports[0].get("Status") == "Enabled",
         str(exports))
    provisioned = parameters.get("ProvisionedConcurrency", {})
    case("provisioned concurrency is off by default", provisioned.get("Default") == 0
         and provisioned.get("MinValue") == 0, str(provisioned))
    alias = resources.get("LiveAlias", {})
    version = resources.get("LiveVersion", {})
    case("with it, a version per package and an alias that holds the executions",
         alias.get("Condition") == version.get("Condition") == "HasProvisionedConcurrency"
         and alias["Properties"]["ProvisionedConcurrencyConfig"] == {"ProvisionedConcurrentExecutions": {"Ref": "ProvisionedConcurrency"}}
         and "CodeKey" in sub_text(version["Properties"]["Description"]))
    integration = resources["ApiIntegration"]["Properties"]["IntegrationUri"]
    permission = resources["ApiInvokePermission"]["Properties"]["FunctionName"]
    case("the API calls the alias when there is one, and may",
         integration == {"Fn::If": ["HasProvisionedConcurrency", {"Ref": "LiveAlias"}, {"Fn::GetAtt": ["ApiFunction", "Arn"]}]}
         and permission == {"Fn::If": ["HasProvisionedConcurrency", {"Ref": "LiveAlias"}, {"Ref": "ApiFunction"}]},
         f"{integration} {permission}")


def main(path):
    template, problems = decode(path)
    if problems:
        for problem in problems:
            print(problem)
        return 1
    resources = template["Resources"]
    results = []

    def case(name, ok, detail=""):
        ok = bool(ok)
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
        "listing is limited to the users/, drafts/ and exports/ prefixes",
        len(listing) == 1
        and listing[0].get("Condition", {}).get("StringLike", {}).get("s3:prefix")
        == ["users/", "users/*", "drafts/", "drafts/*", "exports/", "exports/*"],
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

    check_operations(template, case)
    check_stages(template, case)
    check_operating_options(template, case)

    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "infra/template.yaml"))
