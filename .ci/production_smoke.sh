#!/usr/bin/env bash
# Production-shape smoke: production settings on PostgreSQL and Redis, static files collected, gunicorn,
# a celery worker and celery beat. Checks /healthz through gunicorn (database ok, broker ok), the HTTPS
# hardening, one task round-tripping through the real broker, and beat's heartbeat reaching the worker.
# Everything it starts is stopped and its database dropped on exit, pass or fail.
# Usage: bash .ci/production_smoke.sh (from the repo root, after `make install`).
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh

PORT=${SMOKE_PORT:-8124}
PG_BASE=${SMOKE_PG_BASE:-postgres://postgres@127.0.0.1:5432}
SMOKE_DB=${SMOKE_DB:-partybuilding_smoke}
SMOKE_REDIS_URL=${SMOKE_REDIS_URL:-redis://127.0.0.1:6379/14}
PING_SECONDS=3
CI_TMP=$(mktemp -d /tmp/pb-production.XXXXXX)
CREATED_DB=0

redis_flush() {
    "$PY" -c 'import redis, sys; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=3).flushdb()' \
        "$SMOKE_REDIS_URL"
}

cleanup() {
    local rc=$?
    set +e
    # beat first (no new messages), then the worker (finishes what it holds), then the web server
    stop_group beat 15 || rc=1
    stop_group worker 30 || rc=1
    stop_group gunicorn 20 || rc=1
    if ! port_is_free "$PORT"; then
        fail "something still answers on port $PORT after stopping gunicorn"
        rc=1
    fi
    if ((CREATED_DB)); then
        psql "$PG_BASE/postgres" -qX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$SMOKE_DB\" WITH (FORCE)" \
            && say "dropped database $SMOKE_DB" || { fail "could not drop $SMOKE_DB"; rc=1; }
        redis_flush && say "flushed $SMOKE_REDIS_URL"
    fi
    keep_logs
    rm -rf "$CI_TMP"
    exit "$rc"
}
trap cleanup EXIT

say "preflight: PostgreSQL at $PG_BASE, Redis at $SMOKE_REDIS_URL, port $PORT"
psql "$PG_BASE/postgres" -qXtA -c "SELECT 1" >/dev/null || fail "PostgreSQL does not answer at $PG_BASE"
redis_flush || fail "Redis does not answer at $SMOKE_REDIS_URL"
port_is_free "$PORT" || fail "port $PORT is taken: set SMOKE_PORT to a free one"

psql "$PG_BASE/postgres" -qX -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS \"$SMOKE_DB\" WITH (FORCE)" -c "CREATE DATABASE \"$SMOKE_DB\""
CREATED_DB=1
say "created database $SMOKE_DB"

# The production environment: nothing but what docs/deploy.md lists as required, plus the heartbeat.
unset CELERY_BROKER_URL CELERY_RESULT_BACKEND CELERY_TASK_ALWAYS_EAGER DJANGO_DEBUG
export DJANGO_SETTINGS_MODULE=config.settings.production
export_production_secrets
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DATABASE_URL=$PG_BASE/$SMOKE_DB
export REDIS_URL=$SMOKE_REDIS_URL
export DJANGO_EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
export PLATFORM_PING_SECONDS=$PING_SECONDS

say "migrate"
"$PY" manage.py migrate --noinput -v 0
say "collectstatic"
"$PY" manage.py collectstatic --noinput -v 1 | tail -n 1

start_group gunicorn "$CI_TMP/gunicorn.log" .venv/bin/gunicorn config.wsgi:application \
    --bind "127.0.0.1:$PORT" --workers 2 --timeout 30 --access-logfile - --error-logfile - --no-control-socket
start_group worker "$CI_TMP/worker.log" .venv/bin/celery -A config worker --loglevel INFO \
    --concurrency 2 --hostname "smoke@%h"
start_group beat "$CI_TMP/beat.log" .venv/bin/celery -A config beat --loglevel INFO \
    --schedule "$CI_TMP/celerybeat-schedule" --pidfile "$CI_TMP/celerybeat.pid"

BASE=http://127.0.0.1:$PORT
HTTPS=(-H "X-Forwarded-Proto: https")  # as the TLS-terminating proxy sends it
wait_http gunicorn "$BASE/healthz" 60 "$CI_TMP/gunicorn.log"
wait_log worker "$CI_TMP/worker.log" "smoke@.* ready\." 60
say "worker ready"

section "production: /healthz through gunicorn"
health=$(curl --silent --max-time 15 "${HTTPS[@]}" "$BASE/healthz")
say "healthz: $health"
"$PY" -c 'import json, sys; s = json.loads(sys.argv[1]); sys.exit(not (s["database"] == s["broker"] == s["status"] == "ok"))' \
    "$health" || fail "healthz must say database ok and broker ok"

section "production: pages, static files and HTTPS hardening"
bad=0
expect() {  # expect CODE PATH [CURL_ARGS...]
    local want=$1 path=$2 code
    shift 2
    code=$(http_code "$BASE$path" "$@")
    if [[ "$code" == "$want" ]]; then
        say "GET $path $* → $code"
    else
        say "GET $path $* → $code (expected $want)"
        bad=1
    fi
}
expect 200 / "${HTTPS[@]}"
expect 200 /admin/login/ "${HTTPS[@]}"
expect 302 /portal/ "${HTTPS[@]}"
expect 200 /api/schema/ "${HTTPS[@]}"
expect 200 /static/admin/css/base.css "${HTTPS[@]}"
expect 301 /  # plain HTTP is sent to HTTPS
headers=$(curl --silent --max-time 15 --dump-header - --output /dev/null "${HTTPS[@]}" "$BASE/")
for header in Strict-Transport-Security Content-Security-Policy X-Content-Type-Options X-Frame-Options; do
    if grep -qi "^$header:" <<<"$headers"; then
        say "header $header present"
    else
        say "header $header missing"
        bad=1
    fi
done
((bad == 0)) || { show_log "$CI_TMP/gunicorn.log"; fail "production pages do not answer as they should"; }

section "production: task round trip through Redis"
reply=$(timeout 90 "$PY" manage.py shell -v 0 -c "
from config.tasks import PING_REPLY, platform_ping_task
result = platform_ping_task.delay()
reply = result.get(timeout=30)
print(f'platform_ping_task {result.id} -> {reply!r}')
assert reply == PING_REPLY, reply
") || { show_log "$CI_TMP/worker.log"; fail "platform_ping_task did not round-trip through the broker"; }
say "$reply"
task_id=$(awk '/^platform_ping_task /{print $2}' <<<"$reply")
grep -q "platform_ping_task\[$task_id\] succeeded" "$CI_TMP/worker.log" \
    || { show_log "$CI_TMP/worker.log"; fail "the worker log does not show task $task_id"; }
say "the worker ran it: $(grep "platform_ping_task\[$task_id\] succeeded" "$CI_TMP/worker.log" | sed 's/^.*Task //')"

section "production: beat heartbeat (every ${PING_SECONDS}s) reaches the worker"
wait_log beat "$CI_TMP/beat.log" "Sending due task platform-ping" 30
say "beat: $(grep -m1 "Sending due task platform-ping" "$CI_TMP/beat.log" | sed 's/^.*Scheduler: //')"
start=$SECONDS
until (($(grep -c "platform_ping_task\[.*\] succeeded" "$CI_TMP/worker.log") >= 2)); do
    ((SECONDS - start < 30)) || { show_log "$CI_TMP/worker.log"; fail "no beat-sent ping ran on the worker"; }
    sleep 1
done
say "worker ran $(grep -c "platform_ping_task\[.*\] succeeded" "$CI_TMP/worker.log") pings (1 from the shell, the rest from beat)"

for name in gunicorn worker beat; do
    if grep -q "Traceback" "$CI_TMP/$name.log"; then
        show_log "$CI_TMP/$name.log" 80
        fail "$name logged a traceback"
    fi
done
# Last, as Django logs the refusal with a traceback by design.
section "production: a host outside DJANGO_ALLOWED_HOSTS is refused"
expect 400 / "${HTTPS[@]}" -H "Host: evil.example"
((bad == 0)) || fail "a request for an unknown host was not refused"
say "production shape OK"
