#!/usr/bin/env bash
# Deploys the whole PromptCanvas Pro stack to one AWS account and region:
# builds the Lambda package and the web app, deploys infra/template.yaml,
# uploads the web app with the right cache headers and refreshes CloudFront.
#
#   AWS_REGION=eu-west-1 TOGETHER_AI_API_KEY=... infra/deploy.sh
#   infra/deploy.sh --stage staging           the staging stage: a stack of its own
#   infra/deploy.sh --dry-run                 print what would run; needs no AWS credentials
#   infra/deploy.sh --destroy [--delete-data] remove the stack (and, with --delete-data, its data)
#
# Options:
#   --stage STAGE          staging or production (default; also STAGE): each stage is a stack of its
#                          own, tagged and parameterised with its stage; a stack deployed as one
#                          stage is never deployed (or destroyed) as the other
#   --dry-run              print every aws and make command (secrets masked) instead of running it
#                          (also DRY_RUN=1); AWS's answers are stand-ins for an existing, healthy
#                          stack: see dry_answer below for the DRY_RUN_* variables that change them
#   --delete-failed-stack  a stack left in ROLLBACK_COMPLETE by a failed first deploy is deleted
#                          without asking, then deployed afresh
#   --destroy              empty the web bucket, delete the stack and the artefact bucket; the
#                          images bucket, the tables and the secret are kept
#   --delete-data          with --destroy: also empty and delete the images bucket, delete both
#                          tables, and schedule the secret's deletion (7 days). Irreversible.
#   --yes                  do not ask before --destroy
#
# Settings (environment). A stack setting that is not set keeps the value the stack has (the
# template's default on the first deploy); set it to change it, to an empty value to clear it.
#   AWS_REGION             region to deploy to (required; AWS_DEFAULT_REGION also works)
#   STACK_NAME             CloudFormation stack name (default: promptcanvas for production,
#                          promptcanvas-staging for staging)
#   SECRET_NAME            Secrets Manager secret with the app's secrets (default: the stack's,
#                          else STACK_NAME/app)
#   TOGETHER_AI_API_KEY    stored into the secret (required on the first deploy)
#   CLERK_PUBLISHABLE_KEY  use Clerk sign-in (public key; CLERK_SECRET_KEY then goes into the
#                          secret); set it empty to switch back to the built-in accounts
#   CLERK_SECRET_KEY       stored into the secret when set
#   CLERK_AUTHORIZED_PARTIES  origins allowed in Clerk tokens (default: the site URL)
#   RESERVED_CONCURRENCY   cap on concurrent executions: -1 (none) or at least 1
#   PROVISIONED_CONCURRENCY  executions kept initialised (no cold starts; billed): 0 (none) or more
#   DOMAIN_NAME, CERTIFICATE_ARN  serve the site on your own domain (ACM certificate in us-east-1)
#   KEEP_DEPLOYS, KEEP_DAYS  old web-app assets stay while one of the last KEEP_DEPLOYS (5) deploys
#                          or any deploy of the last KEEP_DAYS (7) days used them
#   CFN_ROLE_ARN           a role CloudFormation assumes to change the stack's resources (the
#                          pipeline's, from infra/github-oidc.yaml); default: the caller's rights
#   SKIP_BUILD=1           deploy the existing target/lambda/bootstrap.zip and web/dist as they are
#   CARGO                  the cargo to build with (default: cargo, as for make)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n==> %s\n' "$*"; }
fail() {
	printf 'deploy: %s\n' "$*" >&2
	exit 1
}

DRY_RUN="${DRY_RUN:-0}"
destroy=0 delete_data=0 assume_yes=0 delete_failed=0
STAGE="${STAGE:-production}"
while [ "$#" -gt 0 ]; do
	arg="$1"
	shift
	case "$arg" in
	--stage)
		[ "$#" -gt 0 ] || fail "--stage needs staging or production"
		STAGE="$1"
		shift
		;;
	--stage=*) STAGE="${arg#--stage=}" ;;
	--dry-run) DRY_RUN=1 ;;
	--destroy) destroy=1 ;;
	--delete-data) delete_data=1 ;;
	--delete-failed-stack) delete_failed=1 ;;
	--yes) assume_yes=1 ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	*) fail "unknown option ${arg} (see --help)" ;;
	esac
done
[ "$delete_data" = 0 ] || [ "$destroy" = 1 ] || fail "--delete-data only goes with --destroy"
case "$STAGE" in
production) default_stack=promptcanvas ;;
staging) default_stack=promptcanvas-staging ;;
*) fail "unknown stage ${STAGE}: staging or production" ;;
esac

STACK_NAME="${STACK_NAME:-$default_stack}"
cfn_role=()
if [ -n "${CFN_ROLE_ARN:-}" ]; then cfn_role=(--role-arn "$CFN_ROLE_ARN"); fi
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
LAMBDA_ZIP="target/lambda/bootstrap.zip"
WEB_DIST="web/dist"
KEEP_DEPLOYS="${KEEP_DEPLOYS:-5}"
KEEP_DAYS="${KEEP_DAYS:-7}"
CARGO="${CARGO:-cargo}"

# ---- Running commands: printed with secrets masked in a dry run ----
exec 3>&1 # commands are shown on the script's stdout even where their output is captured

show() {
	local line="+" arg secret
	for arg in "$@"; do
		for secret in "${TOGETHER_AI_API_KEY:-}" "${CLERK_SECRET_KEY:-}"; do
			if [ -n "$secret" ]; then arg="${arg//"$secret"/<secret>}"; fi
		done
		if [[ "$arg" =~ ^[A-Za-z0-9_./:=,@+%-]+$ ]]; then line+=" ${arg}"; else line+=" '${arg//\'/\'\\\'\'}'"; fi
	done
	printf '%s\n' "$line" >&3
}

# A command that changes something.
run() {
	if [ "$DRY_RUN" = 1 ]; then show "$@"; else "$@"; fi
}

# A command run for its output; a dry run answers from dry_answer instead.
answer() {
	local label="$1"
	shift
	if [ "$DRY_RUN" = 1 ]; then
		show "$@"
		dry_answer "$label"
	else
		"$@"
	fi
}

# What AWS would answer, in a dry run. The defaults describe an existing, healthy stack whose
# secret holds every key; DRY_RUN_STACK and DRY_RUN_SECRET name files holding describe-stacks and
# get-secret-value JSON to use instead, or are `none` (no stack, no secret: a first deploy).
# DRY_RUN_ARTIFACTS=none: the artefact bucket does not exist yet.
dry_answer() {
	case "$1" in
	account) echo "${DRY_RUN_ACCOUNT:-123456789012}" ;;
	stack)
		case "${DRY_RUN_STACK:-}" in
		none)
			echo "An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id ${STACK_NAME} does not exist" >&2
			return 254
			;;
		"") python3 -c '
import json, sys
stack = sys.argv[1]
outputs = {"WebBucketName": stack + "-webbucket-dryrun", "DistributionId": "EDRYRUN00000000",
           "SiteUrl": "https://d111111abcdef8.cloudfront.net", "ImagesBucketName": stack + "-imagesbucket-dryrun",
           "AccessLogBucketName": stack + "-accesslogbucket-dryrun",
           "UsersTableName": stack + "-UsersTable-DRYRUN", "ImagesTableName": stack + "-ImagesTable-DRYRUN"}
params = {"Stage": sys.argv[2], "SecretName": stack + "/app", "CodeKey": "lambda/" + "0" * 64 + ".zip"}
print(json.dumps({"Stacks": [{"StackName": stack, "StackStatus": "UPDATE_COMPLETE",
    "Parameters": [{"ParameterKey": k, "ParameterValue": v} for k, v in params.items()],
    "Outputs": [{"OutputKey": k, "OutputValue": v} for k, v in outputs.items()]}]}))' "$STACK_NAME" "$STAGE" ;;
		*) cat "$DRY_RUN_STACK" ;;
		esac
		;;
	secret)
		case "${DRY_RUN_SECRET:-}" in
		none)
			echo "An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret." >&2
			return 254
			;;
		"") echo '{"VersionId": "dry-run-current-version-00000000000000", "SecretString": "{\"MEDIA_SIGNING_KEY\": \"(stored)\", \"ORIGIN_SECRET\": \"(stored)\", \"TOGETHER_AI_API_KEY\": \"(stored)\"}"}' ;;
		*) cat "$DRY_RUN_SECRET" ;;
		esac
		;;
	new-secret-version) echo "dry-run-version-just-written-000000000000" ;;
	artifacts) [ "${DRY_RUN_ARTIFACTS:-}" != none ] ;;
	nothing) ;;
	esac
}

# Asks on a terminal; anywhere else (and in a dry run) the answer is no.
confirm() {
	local reply
	[ "$DRY_RUN" != 1 ] && [ -t 0 ] || return 1
	read -r -p "$1 " reply
	[ "$reply" = "$2" ]
}

# ---- What is needed, checked before anything runs ----
tools=(python3)
[ "$DRY_RUN" = 1 ] || tools+=(aws)
for tool in "${tools[@]}"; do
	command -v "$tool" >/dev/null 2>&1 || fail "$tool is required"
done
if [ "$destroy" = 0 ] && [ "${SKIP_BUILD:-0}" != 1 ] && [ "$DRY_RUN" != 1 ]; then
	for tool in "$CARGO" make npm; do
		command -v "$tool" >/dev/null 2>&1 || fail "$tool is required to build (or set SKIP_BUILD=1 to deploy the existing build)"
	done
fi
if command -v sha256sum >/dev/null 2>&1; then
	sha256=(sha256sum)
elif command -v shasum >/dev/null 2>&1; then
	sha256=(shasum -a 256)
else
	fail "sha256sum or shasum is required"
fi
[ -n "$REGION" ] || fail "set AWS_REGION (for example eu-west-1)"
export AWS_REGION="$REGION" AWS_DEFAULT_REGION="$REGION"
# The web app reaches the API as its own /api through CloudFront: one origin, first-party
# cookies, a CSP with connect-src 'self'. An API on another origin is not something this stack makes.
[ -z "${VITE_API_BASE_URL:-}" ] ||
	fail "unset VITE_API_BASE_URL: the deployed web app reaches the API as the site's own /api"
if [ -n "${RESERVED_CONCURRENCY+set}" ] && ! [[ "$RESERVED_CONCURRENCY" =~ ^(-1|[1-9][0-9]{0,4})$ ]]; then
	fail "RESERVED_CONCURRENCY must be -1 (no cap) or at least 1 (0 would refuse every request)"
fi

[[ "$KEEP_DEPLOYS" =~ ^[1-9][0-9]*$ && "$KEEP_DAYS" =~ ^[0-9]+$ ]] ||
	fail "KEEP_DEPLOYS must be at least 1 and KEEP_DAYS a whole number of days"

# The Clerk Frontend API origin a publishable key names: pk_test_/pk_live_ + base64("<host>$").
clerk_frontend_api() {
	python3 - "$1" <<'PY'
import base64, re, sys
key = sys.argv[1]
match = re.fullmatch(r"pk_(?:test|live)_([A-Za-z0-9+/]+=*)", key)
try:
    host = base64.b64decode(match.group(1).rstrip("=") + "=" * (-len(match.group(1).rstrip("=")) % 4)).decode()
except Exception:
    host = ""
if not host.endswith("$") or not re.fullmatch(r"[A-Za-z0-9.-]+(:[0-9]+)?", host[:-1]):
    sys.exit("deploy: CLERK_PUBLISHABLE_KEY is not a Clerk publishable key (pk_test_… or pk_live_…)")
print("https://" + host[:-1])
PY
}
if [ -n "${CLERK_PUBLISHABLE_KEY:-}" ]; then
	clerk_origin="$(clerk_frontend_api "$CLERK_PUBLISHABLE_KEY")" || exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"

[ "$DRY_RUN" != 1 ] || say "Dry run: the commands are printed, not run; AWS's answers are stand-ins"
account="$(answer account aws sts get-caller-identity --query Account --output text)" ||
	fail "no AWS credentials: run 'aws configure' (or set a profile) first"
owner=(--expected-bucket-owner "$account")
code_bucket="${STACK_NAME}-artifacts-${account}-${REGION}"

# ---- The stack as it is ----
describe_stack() {
	if ! answer stack aws cloudformation describe-stacks --stack-name "$STACK_NAME" --output json \
		>"$work/stack.json" 2>"$work/stack.err"; then
		grep -q "does not exist" "$work/stack.err" || {
			cat "$work/stack.err" >&2
			fail "cannot describe stack ${STACK_NAME}"
		}
		: >"$work/stack.json"
	fi
}
# status | param:<name> | output:<name>; empty when absent (status: NONE)
stack_field() {
	python3 - "$work/stack.json" "$1" <<'PY'
import json, sys
path, field = sys.argv[1:]
text = open(path).read().strip()
stack = json.loads(text)["Stacks"][0] if text else None
if field == "status":
    print(stack["StackStatus"] if stack else "NONE")
elif stack:
    kind, name = field.split(":")
    items = stack.get("Parameters" if kind == "param" else "Outputs", [])
    key = "ParameterKey" if kind == "param" else "OutputKey"
    value = "ParameterValue" if kind == "param" else "OutputValue"
    print(next((i[value] for i in items if i[key] == name), ""))
PY
}
output() {
	local value
	value="$(stack_field "output:$1")"
	if [ -z "$value" ] && [ "$DRY_RUN" = 1 ]; then value="<$1>"; fi
	printf '%s\n' "$value"
}

# Deletes keys (one a line on stdin) from a bucket, 1000 a call, checking the bucket's owner.
delete_keys() {
	python3 -c '
import json, sys
keys = [k for k in sys.stdin.read().split() if k != "None"]
for i in range(0, len(keys), 1000):
    print(json.dumps({"Objects": [{"Key": k} for k in keys[i:i + 1000]], "Quiet": True}, separators=(",", ":")))' |
		while IFS= read -r batch; do
			run aws s3api delete-objects --bucket "$1" --delete "$batch" "${owner[@]}" >/dev/null
		done
}

describe_stack
status="$(stack_field status)"
# A stack from before stages were named is production.
if [ "$status" != NONE ]; then
	stack_stage="$(stack_field param:Stage)"
	stack_stage="${stack_stage:-production}"
	[ "$stack_stage" = "$STAGE" ] ||
		fail "stack ${STACK_NAME} is the ${stack_stage} stage, not ${STAGE}: use --stage ${stack_stage}, or another STACK_NAME"
fi
SECRET_NAME="${SECRET_NAME:-$(stack_field param:SecretName)}"
SECRET_NAME="${SECRET_NAME:-${STACK_NAME}/app}"

# ---- Destroy ----
if [ "$destroy" = 1 ]; then
	[ "$status" != NONE ] || fail "there is no stack ${STACK_NAME} in ${REGION}"
	what="stack ${STACK_NAME} in account ${account}, ${REGION}"
	if [ "$delete_data" = 1 ]; then what+=", WITH every user's images, the tables and the secret"; fi
	if [ "$assume_yes" != 1 ]; then
		confirm "Delete ${what}? Type the stack name to confirm:" "$STACK_NAME" ||
			fail "not deleted (from a script, add --yes)"
	fi
	web_bucket="$(stack_field output:WebBucketName)"
	images_bucket="$(output ImagesBucketName)"
	log_bucket="$(output AccessLogBucketName)"
	users_table="$(output UsersTableName)"
	images_table="$(output ImagesTableName)"
	say "Deleting ${what}"
	# CloudFormation cannot delete a bucket that holds objects.
	if [ -n "$web_bucket" ]; then
		run aws s3 rm --only-show-errors --recursive "s3://${web_bucket}"
	fi
	run aws cloudformation delete-stack --stack-name "$STACK_NAME" "${cfn_role[@]}"
	run aws cloudformation wait stack-delete-complete --stack-name "$STACK_NAME"
	if answer artifacts aws s3api head-bucket --bucket "$code_bucket" "${owner[@]}" >/dev/null 2>&1; then
		answer nothing aws s3api list-objects-v2 --bucket "$code_bucket" --query 'Contents[].Key' \
			--output text "${owner[@]}" | delete_keys "$code_bucket"
		run aws s3api delete-bucket --bucket "$code_bucket" "${owner[@]}"
	fi
	if [ "$delete_data" = 1 ]; then
		for bucket in "$images_bucket" "$log_bucket"; do
			[ -z "$bucket" ] || {
				run aws s3 rm --only-show-errors --recursive "s3://${bucket}"
				run aws s3api delete-bucket --bucket "$bucket" "${owner[@]}"
			}
		done
		for table in "$users_table" "$images_table"; do
			[ -z "$table" ] || run aws dynamodb delete-table --table-name "$table" >/dev/null
		done
		run aws secretsmanager delete-secret --secret-id "$SECRET_NAME" --recovery-window-in-days 7 >/dev/null
		say "Deleted; the secret can be restored for 7 days (aws secretsmanager restore-secret)"
	else
		say "Deleted. Kept, with everyone's data: images bucket ${images_bucket:-?}, its access logs ${log_bucket:-?}, tables ${users_table:-?} and ${images_table:-?}, secret ${SECRET_NAME} (--destroy --delete-data removes them)"
	fi
	exit 0
fi

# ---- Deploy ----
say "Deploying the ${STAGE} stage, stack ${STACK_NAME}, to account ${account} in ${REGION}"
case "$status" in
ROLLBACK_COMPLETE)
	say "Stack ${STACK_NAME} is ROLLBACK_COMPLETE: its first deploy failed, and such a stack can only be deleted"
	echo "Why it failed: aws cloudformation describe-stack-events --stack-name ${STACK_NAME}"
	if [ "$delete_failed" = 1 ] || confirm "Delete it and deploy afresh? [y/N]" y; then
		run aws cloudformation delete-stack --stack-name "$STACK_NAME" "${cfn_role[@]}"
		run aws cloudformation wait stack-delete-complete --stack-name "$STACK_NAME"
		status=NONE
		: >"$work/stack.json"
	else
		fail "stack ${STACK_NAME} is ROLLBACK_COMPLETE: delete it (infra/deploy.sh --delete-failed-stack) and deploy again"
	fi
	;;
*_IN_PROGRESS) fail "stack ${STACK_NAME} is ${status}: wait until it has finished" ;;
*_FAILED) fail "stack ${STACK_NAME} is ${status}: see aws cloudformation describe-stack-events --stack-name ${STACK_NAME}" ;;
esac

# Clerk stays as the stack has it unless CLERK_PUBLISHABLE_KEY is set (empty: switch it off).
if [ -n "${CLERK_PUBLISHABLE_KEY+set}" ]; then
	clerk_key="$CLERK_PUBLISHABLE_KEY"
else
	clerk_key="$(stack_field param:ClerkPublishableKey)"
	if [ -n "$clerk_key" ]; then clerk_origin="$(clerk_frontend_api "$clerk_key")" || exit 1; fi
fi

# Secrets live in one Secrets Manager secret; CloudFormation resolves them into the function's
# (encrypted) configuration at deploy time, pinned to the version written here. They never
# pass through argv.
if answer secret aws secretsmanager get-secret-value --secret-id "$SECRET_NAME" --output json \
	>"$work/secret.json" 2>"$work/secret.err"; then
	existing=1
else
	grep -q ResourceNotFoundException "$work/secret.err" || {
		cat "$work/secret.err" >&2
		fail "cannot read secret ${SECRET_NAME}"
	}
	echo '{}' >"$work/secret.json"
	existing=0
fi
read -r changed current_version missing < <(python3 - "$work/secret.json" "$work/secret-value.json" "$clerk_key" <<'PY'
import json, os, secrets, sys
source, target, clerk_key = sys.argv[1:]
with open(source) as f:
    response = json.load(f)
value = json.loads(response.get("SecretString", "{}"))
before = dict(value)
value.setdefault("MEDIA_SIGNING_KEY", secrets.token_hex(32))
# CloudFront sends it to the API; the function refuses /api requests without it.
value.setdefault("ORIGIN_SECRET", secrets.token_hex(32))
for name in ("TOGETHER_AI_API_KEY", "CLERK_SECRET_KEY"):
    if os.environ.get(name):
        value[name] = os.environ[name]
missing = [n for n in ["TOGETHER_AI_API_KEY"] + (["CLERK_SECRET_KEY"] if clerk_key else []) if not value.get(n)]
with open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
    json.dump(value, f)
print("yes" if value != before else "no", response.get("VersionId", "-"), ",".join(missing) or "-")
PY
)
[ -n "${changed:-}" ] || fail "cannot read secret ${SECRET_NAME}"
case "$missing" in
-) ;;
*CLERK_SECRET_KEY*) fail "Clerk is on but the secret has no CLERK_SECRET_KEY: set CLERK_SECRET_KEY too" ;;
*) fail "set TOGETHER_AI_API_KEY (it is stored in Secrets Manager as ${SECRET_NAME})" ;;
esac
if [ "$existing" = 0 ]; then
	say "Creating secret ${SECRET_NAME}"
	secret_version="$(answer new-secret-version aws secretsmanager create-secret --name "$SECRET_NAME" \
		--description "PromptCanvas Pro secrets (${STACK_NAME})" \
		--secret-string "file://${work}/secret-value.json" --query VersionId --output text)"
elif [ "$changed" = yes ]; then
	say "Updating secret ${SECRET_NAME}"
	secret_version="$(answer new-secret-version aws secretsmanager put-secret-value --secret-id "$SECRET_NAME" \
		--secret-string "file://${work}/secret-value.json" --query VersionId --output text)"
else
	secret_version="$current_version"
fi
rm -f "$work/secret-value.json" "$work/secret.json"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
	say "Building the Lambda package"
	run make lambda
	say "Building the web app"
	run make web-build
fi
if [ -f "$LAMBDA_ZIP" ]; then
	zip_hash="$("${sha256[@]}" "$LAMBDA_ZIP" | cut -c1-64)"
elif [ "$DRY_RUN" = 1 ]; then
	zip_hash="sha256-of-bootstrap.zip"
else
	fail "$LAMBDA_ZIP is missing: run 'make lambda'"
fi
[ -f "$WEB_DIST/index.html" ] || [ "$DRY_RUN" = 1 ] || fail "$WEB_DIST is missing: run 'make web-build'"

# The package is named by its content, so a new build is what updates the function. The
# bucket's name is predictable, so every call checks that this account owns it.
code_key="lambda/${zip_hash}.zip"
if ! answer artifacts aws s3api head-bucket --bucket "$code_bucket" "${owner[@]}" >/dev/null 2>&1; then
	say "Creating the private artefact bucket ${code_bucket}"
	location=()
	[ "$REGION" = us-east-1 ] || location=(--create-bucket-configuration "LocationConstraint=${REGION}")
	run aws s3api create-bucket --bucket "$code_bucket" "${location[@]}" >/dev/null ||
		fail "cannot create ${code_bucket}: is the name taken by another account?"
	run aws s3api put-public-access-block --bucket "$code_bucket" "${owner[@]}" --public-access-block-configuration \
		BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
	run aws s3api put-bucket-ownership-controls --bucket "$code_bucket" "${owner[@]}" \
		--ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'
fi
# Old packages expire; each deploy renews the one the stack runs now, which a rollback needs.
run aws s3api put-bucket-lifecycle-configuration --bucket "$code_bucket" "${owner[@]}" --lifecycle-configuration \
	'{"Rules":[{"ID":"expire-old-packages","Status":"Enabled","Filter":{"Prefix":"lambda/"},"Expiration":{"Days":30},"AbortIncompleteMultipartUpload":{"DaysAfterInitiation":1}}]}'
previous_key="$(stack_field param:CodeKey)"
if [ -n "$previous_key" ] && [ "$previous_key" != "$code_key" ]; then
	run aws s3api copy-object --bucket "$code_bucket" --key "$previous_key" \
		--copy-source "${code_bucket}/${previous_key}" --metadata-directive REPLACE \
		"${owner[@]}" --expected-source-bucket-owner "$account" >/dev/null ||
		echo "deploy: the running package ${previous_key} is gone; a rollback of this deploy would fail" >&2
fi
run aws s3api put-object --bucket "$code_bucket" --key "$code_key" --body "$LAMBDA_ZIP" "${owner[@]}" >/dev/null

# Only what the operator set is passed: CloudFormation keeps the rest as the stack has it.
params=("Stage=${STAGE}" "CodeBucket=${code_bucket}" "CodeKey=${code_key}" "SecretName=${SECRET_NAME}" "SecretVersionId=${secret_version}")
if [ -n "${CLERK_PUBLISHABLE_KEY+set}" ]; then params+=("ClerkPublishableKey=${CLERK_PUBLISHABLE_KEY}"); fi
if [ -n "${CLERK_PUBLISHABLE_KEY+set}" ] || [ -n "$clerk_key" ]; then params+=("ClerkFrontendApi=${clerk_origin:-}"); fi
if [ -n "${CLERK_AUTHORIZED_PARTIES+set}" ]; then params+=("ClerkAuthorizedParties=${CLERK_AUTHORIZED_PARTIES}"); fi
if [ -n "${RESERVED_CONCURRENCY+set}" ]; then params+=("ReservedConcurrency=${RESERVED_CONCURRENCY}"); fi
if [ -n "${PROVISIONED_CONCURRENCY+set}" ]; then params+=("ProvisionedConcurrency=${PROVISIONED_CONCURRENCY}"); fi
if [ -n "${DOMAIN_NAME+set}" ]; then params+=("DomainName=${DOMAIN_NAME}"); fi
if [ -n "${CERTIFICATE_ARN+set}" ]; then params+=("CertificateArn=${CERTIFICATE_ARN}"); fi

say "Deploying infra/template.yaml"
run aws cloudformation deploy \
	--stack-name "$STACK_NAME" \
	"${cfn_role[@]}" \
	--template-file infra/template.yaml \
	--capabilities CAPABILITY_IAM \
	--no-fail-on-empty-changeset \
	--tags "Application=promptcanvas" "Stage=${STAGE}" \
	--parameter-overrides "${params[@]}"

[ "$DRY_RUN" = 1 ] || describe_stack
web_bucket="$(output WebBucketName)"
distribution="$(output DistributionId)"
site_url="$(output SiteUrl)"

say "Uploading the web app to ${web_bucket}"
# Hashed assets never change under their name: cached for a year, uploaded first, and never
# deleted right away (a tab with the previous index.html still loads the previous chunks).
# Source maps stay behind: they are built for the operator, not for browsers.
run aws s3 sync --only-show-errors "$WEB_DIST/assets" "s3://${web_bucket}/assets" \
	--exclude "*.map" --cache-control "public, max-age=31536000, immutable"
# Then the other files, revalidated on every load, and index.html, which names the new assets, last.
run aws s3 sync --only-show-errors --delete "$WEB_DIST" "s3://${web_bucket}" \
	--exclude "assets/*" --exclude "_deploys/*" --exclude "index.html" --exclude "*.map" --cache-control "no-cache"
run aws s3 cp --only-show-errors "$WEB_DIST/index.html" "s3://${web_bucket}/index.html" --cache-control "no-cache"

# Record this deploy's assets; delete the ones no recent deploy used (infra/web_assets.py).
now="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$work/deploys"
answer nothing aws s3 cp --only-show-errors --recursive "s3://${web_bucket}/_deploys/" "$work/deploys/"
answer nothing aws s3api list-objects-v2 --bucket "$web_bucket" --prefix assets/ \
	--query 'Contents[].Key' --output text "${owner[@]}" >"$work/existing"
build_assets="$WEB_DIST/assets"
[ -d "$build_assets" ] || build_assets="$work/deploys" # a dry run before any build
python3 infra/web_assets.py plan "$work/deploys" "$work/existing" "$build_assets" "$now" \
	"$KEEP_DEPLOYS" "$KEEP_DAYS" "$work/manifest.txt" >"$work/delete"
run aws s3api put-object --bucket "$web_bucket" --key "_deploys/${now}.txt" --body "$work/manifest.txt" \
	--content-type "text/plain" --cache-control "no-cache" "${owner[@]}" >/dev/null
delete_keys "$web_bucket" <"$work/delete"

say "Refreshing CloudFront"
run aws cloudfront create-invalidation --distribution-id "$distribution" \
	--paths "/*" --query Invalidation.Id --output text >/dev/null

say "Done: the ${STAGE} stage"
echo "Site: ${site_url}"
echo "Check: infra/smoke.sh ${site_url}"
