#!/usr/bin/env bash
# `manage.py check --deploy` under the production settings with the environment they require:
# passes only on zero findings (no warning, nothing silenced).
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh

unset CELERY_BROKER_URL CELERY_RESULT_BACKEND CELERY_TASK_ALWAYS_EAGER DJANGO_DEBUG
export DJANGO_SETTINGS_MODULE=config.settings.production
export_production_secrets
export DJANGO_ALLOWED_HOSTS=dangjian.example.org
export DATABASE_URL=postgres://partybuilding:unused@127.0.0.1:5432/partybuilding
export REDIS_URL=redis://127.0.0.1:6379/0

out=$("$PY" manage.py check --deploy --fail-level WARNING 2>&1) || { echo "$out"; fail "check --deploy found issues"; }
echo "$out"
grep -q "System check identified no issues (0 silenced)" <<<"$out" || fail "check --deploy must report no issues, none silenced"
