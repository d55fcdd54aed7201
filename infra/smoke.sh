#!/usr/bin/env bash
# The smoke suite after a deploy: infra/smoke.sh BASE_URL (see infra/smoke.py).
set -euo pipefail
exec python3 "$(dirname "${BASH_SOURCE[0]}")/smoke.py" "$@"
