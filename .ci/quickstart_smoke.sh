#!/usr/bin/env bash
# Quick-start smoke: the newcomer's `make run` (SQLite, demo data, runserver) answers on every face,
# and stops without leaving a server behind. Usage: bash .ci/quickstart_smoke.sh (from the repo root).
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh

PORT=${QUICKSTART_PORT:-8123}
CI_TMP=$(mktemp -d /tmp/pb-quickstart.XXXXXX)
LOG=$CI_TMP/make-run.log

cleanup() {
    local rc=$?
    set +e
    stop_group make-run 15 || rc=1
    if ! port_is_free "$PORT"; then
        fail "something still answers on port $PORT after stopping make run"
        rc=1
    fi
    keep_logs
    rm -rf "$CI_TMP"
    exit "$rc"
}
trap cleanup EXIT

port_is_free "$PORT" || fail "port $PORT is taken: set QUICKSTART_PORT to a free one"

# The quick start as a newcomer gets it: no PostgreSQL, no Redis, no settings module chosen; a temp
# SQLite file instead of ./db.sqlite3 so a developer's own data is never touched.
start_group make-run "$LOG" env -u DJANGO_SETTINGS_MODULE -u REDIS_URL -u CELERY_BROKER_URL \
    -u CELERY_RESULT_BACKEND -u CELERY_TASK_ALWAYS_EAGER -u DJANGO_DEBUG \
    DATABASE_URL="sqlite:///$CI_TMP/db.sqlite3" make run HOST=127.0.0.1 PORT="$PORT"

BASE=http://127.0.0.1:$PORT
wait_http make-run "$BASE/healthz" 300 "$LOG"

say "what seed_demo printed:"
sed -n '/Demo logins/,/Portal:/p' "$LOG"
grep -q "Demo logins" "$LOG" || fail "seed_demo did not print the demo logins"
for user in admin district street secretary contact; do
    grep -Eq "[[:space:]]$user / [^[:space:]]+" "$LOG" || fail "seed_demo printed no login for '$user'"
done

# path → accepted status codes (a redirect to the login page counts as answering)
declare -A EXPECT=(
    ["/"]="200"
    ["/healthz"]="200"
    ["/admin/login/"]="200"
    ["/portal/"]="200 302"
    ["/api/schema/"]="200"
)
bad=0
for path in / /healthz /admin/login/ /portal/ /api/schema/; do
    code=$(http_code "$BASE$path")
    if [[ " ${EXPECT[$path]} " == *" $code "* ]]; then
        say "GET $path → $code"
    else
        say "GET $path → $code (expected ${EXPECT[$path]})"
        bad=1
    fi
done
login=$(curl --silent --output /dev/null --max-time 15 --write-out '%{redirect_url}' "$BASE/portal/")
if [[ -n "$login" && "$login" != *"/accounts/login/"* ]]; then
    say "/portal/ redirects to $login, not to the login page"
    bad=1
fi
# The first run is complete (issue 11): the public home shows the coverage card of today's snapshot.
if ! curl --silent --max-time 15 "$BASE/" | grep -q 'data-testid="coverage-headline"'; then
    say "the public home has no coverage card: make run did not leave a coverage snapshot"
    bad=1
fi
grep -Eq "Statistics: [0-9]+ coverage snapshots" "$LOG" || { say "seed_demo wrote no coverage snapshot"; bad=1; }
health=$(curl --silent --max-time 15 "$BASE/healthz")
say "healthz: $health"
"$PY" -c 'import json, sys; s = json.loads(sys.argv[1]); sys.exit(s["database"] != "ok" or s["broker"] != "eager")' \
    "$health" || { say "healthz should say database ok, broker eager on the quick start"; bad=1; }
if ((bad)); then
    show_log "$LOG" 80
    fail "the quick start does not answer as it should"
fi
if grep -q "Traceback" "$LOG"; then
    show_log "$LOG" 80
    fail "the quick start logged a traceback"
fi
say "quick start OK"
