#!/usr/bin/env bash
# Deploys the whole PromptCanvas Pro stack to one AWS account and region:
# builds the Lambda package and the web app, deploys infra/template.yaml,
# uploads the web app with the right cache headers and refreshes CloudFront.
#
#   AWS_REGION=eu-west-1 TOGETHER_AI_API_KEY=... infra/deploy.sh
#
# Settings (environment):
#   AWS_REGION             region to deploy to (required; AWS_DEFAULT_REGION also works)
#   STACK_NAME             CloudFormation stack name (default: promptcanvas)
#   SECRET_NAME            Secrets Manager secret with the app's secrets (default: STACK_NAME/app)
#   TOGETHER_AI_API_KEY    stored into the secret (required on the first deploy)
#   CLERK_PUBLISHABLE_KEY  use Clerk sign-in (public key; CLERK_SECRET_KEY then goes into the secret)
#   CLERK_SECRET_KEY       stored into the secret when set
#   CLERK_AUTHORIZED_PARTIES  origins allowed in Clerk tokens (default: the site URL)
#   RESERVED_CONCURRENCY   cap on concurrent executions (default: -1, none)
#   VITE_API_BASE_URL      API origin built into the web app (default: empty, the site's own /api)
#   SKIP_BUILD=1           deploy the existing target/lambda/bootstrap.zip and web/dist as they are
set -euo pipefail
cd "$(dirname "$0")/.."

STACK_NAME="${STACK_NAME:-promptcanvas}"
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
SECRET_NAME="${SECRET_NAME:-${STACK_NAME}/app}"
RESERVED_CONCURRENCY="${RESERVED_CONCURRENCY:--1}"
LAMBDA_ZIP="target/lambda/bootstrap.zip"

say() { printf '\n==> %s\n' "$*"; }
fail() { printf 'deploy: %s\n' "$*" >&2; exit 1; }

for tool in aws python3 make npm; do
	command -v "$tool" >/dev/null 2>&1 || fail "$tool is required"
done
[ -n "$REGION" ] || fail "set AWS_REGION (for example eu-west-1)"
export AWS_REGION="$REGION" AWS_DEFAULT_REGION="$REGION"

account="$(aws sts get-caller-identity --query Account --output text)" ||
	fail "no AWS credentials: run 'aws configure' (or set a profile) first"
say "Deploying stack ${STACK_NAME} to account ${account} in ${REGION}"

# Secrets live in one Secrets Manager secret; CloudFormation resolves them into the
# function's (encrypted) configuration at deploy time. They never pass through argv.
secret_file="$(mktemp)"
trap 'rm -f "$secret_file"' EXIT
chmod 600 "$secret_file"
if aws secretsmanager describe-secret --secret-id "$SECRET_NAME" >/dev/null 2>&1; then
	aws secretsmanager get-secret-value --secret-id "$SECRET_NAME" \
		--query SecretString --output text >"$secret_file"
	existing=1
else
	[ -n "${TOGETHER_AI_API_KEY:-}" ] ||
		fail "set TOGETHER_AI_API_KEY for the first deploy (it is stored in Secrets Manager as ${SECRET_NAME})"
	echo '{}' >"$secret_file"
	existing=0
fi
changed="$(python3 - "$secret_file" <<'PY'
import json, os, secrets, sys
path = sys.argv[1]
with open(path) as f:
    value = json.load(f)
before = dict(value)
value.setdefault("MEDIA_SIGNING_KEY", secrets.token_hex(32))
for name in ("TOGETHER_AI_API_KEY", "CLERK_SECRET_KEY"):
    if os.environ.get(name):
        value[name] = os.environ[name]
with open(path, "w") as f:
    json.dump(value, f)
print("yes" if value != before else "no")
PY
)"
if [ "$existing" = 0 ]; then
	say "Creating secret ${SECRET_NAME}"
	aws secretsmanager create-secret --name "$SECRET_NAME" \
		--description "PromptCanvas Pro secrets (${STACK_NAME})" \
		--secret-string "file://${secret_file}" >/dev/null
elif [ "$changed" = yes ]; then
	say "Updating secret ${SECRET_NAME}"
	aws secretsmanager put-secret-value --secret-id "$SECRET_NAME" \
		--secret-string "file://${secret_file}" >/dev/null
fi
rm -f "$secret_file"
if [ -n "${CLERK_PUBLISHABLE_KEY:-}" ] && ! grep -q CLERK_SECRET_KEY <(
	aws secretsmanager get-secret-value --secret-id "$SECRET_NAME" --query SecretString --output text |
		python3 -c 'import json, sys; print("\n".join(json.load(sys.stdin)))'
); then
	fail "CLERK_PUBLISHABLE_KEY is set but the secret has no CLERK_SECRET_KEY: set CLERK_SECRET_KEY too"
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
	say "Building the Lambda package"
	make lambda
	say "Building the web app"
	make web-build
fi
[ -f "$LAMBDA_ZIP" ] || fail "$LAMBDA_ZIP is missing: run 'make lambda'"
[ -f web/dist/index.html ] || fail "web/dist is missing: run 'make web-build'"

# The package is named by its content, so a new build is what updates the function.
code_bucket="${STACK_NAME}-artifacts-${account}-${REGION}"
code_key="lambda/$(sha256sum "$LAMBDA_ZIP" | cut -c1-64).zip"
if ! aws s3api head-bucket --bucket "$code_bucket" >/dev/null 2>&1; then
	say "Creating the private artefact bucket ${code_bucket}"
	if [ "$REGION" = us-east-1 ]; then
		aws s3api create-bucket --bucket "$code_bucket" >/dev/null
	else
		aws s3api create-bucket --bucket "$code_bucket" \
			--create-bucket-configuration "LocationConstraint=${REGION}" >/dev/null
	fi
	aws s3api put-public-access-block --bucket "$code_bucket" --public-access-block-configuration \
		BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
	aws s3api put-bucket-ownership-controls --bucket "$code_bucket" \
		--ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'
fi
aws s3 cp --only-show-errors "$LAMBDA_ZIP" "s3://${code_bucket}/${code_key}"

say "Deploying infra/template.yaml"
aws cloudformation deploy \
	--stack-name "$STACK_NAME" \
	--template-file infra/template.yaml \
	--capabilities CAPABILITY_IAM \
	--no-fail-on-empty-changeset \
	--parameter-overrides \
	"CodeBucket=${code_bucket}" \
	"CodeKey=${code_key}" \
	"SecretName=${SECRET_NAME}" \
	"ClerkPublishableKey=${CLERK_PUBLISHABLE_KEY:-}" \
	"ClerkAuthorizedParties=${CLERK_AUTHORIZED_PARTIES:-}" \
	"ReservedConcurrency=${RESERVED_CONCURRENCY}"

output() {
	aws cloudformation describe-stacks --stack-name "$STACK_NAME" \
		--query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
web_bucket="$(output WebBucketName)"
distribution="$(output DistributionId)"
site_url="$(output SiteUrl)"
api_url="$(output ApiUrl)"

say "Uploading the web app to ${web_bucket}"
# Hashed assets never change under their name: cache them for a year.
aws s3 sync --only-show-errors --delete web/dist/assets "s3://${web_bucket}/assets" \
	--cache-control "public, max-age=31536000, immutable"
# Everything else (index.html first of all) is revalidated on every load.
aws s3 sync --only-show-errors --delete web/dist "s3://${web_bucket}" \
	--exclude "assets/*" --cache-control "no-cache"

say "Refreshing CloudFront"
aws cloudfront create-invalidation --distribution-id "$distribution" \
	--paths "/*" --query Invalidation.Id --output text >/dev/null

say "Done"
echo "Site: ${site_url}"
echo "API:  ${api_url} (also at ${site_url}/api)"
echo "Check: curl -s ${site_url}/api/health"
