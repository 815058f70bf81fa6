#!/usr/bin/env bash
# API gate: schemathesis over /api/schema/ with a staff token and a secretary token, against a real
# server (gunicorn, PostgreSQL, the demo district). Fails on any 5xx, on a response that breaks the
# schema it documents (body, content type) and on a documented request the API refuses as invalid.
# Bounded: API_GATE_MAX_TIME seconds per token (default 75). Reproducible: a fixed seed unless
# API_GATE_SEED is set. Everything it starts is stopped and its database dropped on exit.
# Usage: bash .ci/api_gate.sh (from the repo root, after `make install`), or `make api-gate`.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh

PORT=${API_GATE_PORT:-8125}
PG_BASE=${API_GATE_PG_BASE:-postgres://postgres@127.0.0.1:5432}
GATE_DB=${API_GATE_DB:-partybuilding_api_gate}
MAX_TIME=${API_GATE_MAX_TIME:-75}
SEED=${API_GATE_SEED:-20261205}
CHECKS=not_a_server_error,response_schema_conformance,content_type_conformance
# No baseline: any failure fails the gate (issue 13, gate (b)).
CI_TMP=$(mktemp -d /tmp/pb-api-gate.XXXXXX)
CREATED_DB=0

cleanup() {
    local rc=$?
    set +e
    stop_group gunicorn 20 || rc=1
    if ((CREATED_DB)); then
        psql "$PG_BASE/postgres" -qX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$GATE_DB\" WITH (FORCE)" \
            && say "dropped database $GATE_DB" || { fail "could not drop $GATE_DB"; rc=1; }
    fi
    keep_logs
    rm -rf "$CI_TMP"
    exit "$rc"
}
trap cleanup EXIT

port_is_free "$PORT" || fail "port $PORT is taken: set API_GATE_PORT to a free one"
psql "$PG_BASE/postgres" -qX -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS \"$GATE_DB\" WITH (FORCE)" -c "CREATE DATABASE \"$GATE_DB\""
CREATED_DB=1
say "created database $GATE_DB"

# The quick-start settings on PostgreSQL: eager tasks, local-memory cache, DEBUG off (plain 500s).
# The limits that guard people (logins, lookups) are raised: the gate fuzzes, it does not brute-force.
unset REDIS_URL CELERY_BROKER_URL CELERY_RESULT_BACKEND
export DJANGO_SETTINGS_MODULE=config.settings.local DJANGO_DEBUG=false
export DATABASE_URL=$PG_BASE/$GATE_DB DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export RATE_LIMIT_LOOKUP=100000/m RATE_LIMIT_SIGNIN=100000/m RATE_LIMIT_API_TOKEN=100000/m
export DJANGO_EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend

say "migrate and seed the demo district"
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py seed_demo >"$CI_TMP/seed.log"
# Tokens made directly (the endpoint would also want the staff member's second factor).
read -r STAFF_TOKEN SECRETARY_TOKEN < <("$PY" manage.py shell -v 0 -c "
from knox.models import AuthToken
from accounts.models import User
print(*(AuthToken.objects.create(user=User.objects.get(username=n))[1] for n in ('district', 'secretary')))
")

start_group gunicorn "$CI_TMP/gunicorn.log" .venv/bin/gunicorn config.wsgi:application \
    --bind "127.0.0.1:$PORT" --workers 2 --timeout 60 --error-logfile - --no-control-socket
BASE=http://127.0.0.1:$PORT
wait_http gunicorn "$BASE/healthz" 60 "$CI_TMP/gunicorn.log"

failed=0
for who in staff secretary; do
    token=$STAFF_TOKEN
    [[ $who == secretary ]] && token=$SECRETARY_TOKEN
    section "api gate: schemathesis as $who (${MAX_TIME}s)"
    # The auth endpoints are left out: logging out would revoke the token mid-run.
    timeout --kill-after=15 $((MAX_TIME + 120)) .venv/bin/schemathesis run "$BASE/api/schema/" \
        --header "Authorization: Token $token" \
        --exclude-path-regex '^/api/v1/auth/' \
        --checks "$CHECKS" \
        --max-time "$MAX_TIME" --seed "$SEED" --workers 1 --request-timeout 20 \
        --suppress-health-check all --no-color \
        --report junit --report-junit-path "$CI_TMP/schemathesis-$who.xml" || failed=1
done
if ((failed)); then
    show_log "$CI_TMP/gunicorn.log" 80
    fail "schemathesis found server errors or schema violations (above)"
fi
say "api gate passed for the staff and the secretary tokens"
