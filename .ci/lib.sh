# Shared helpers for .ci/run and the smoke scripts: sourced, never run on its own.
# shellcheck shell=bash

PY=${PY:-.venv/bin/python}

section() {
    printf '\n\033[1m======== %s ========\033[0m\n' "$*"
}

say() {
    printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"
}

fail() {
    printf '[%s] FAIL: %s\n' "$(date +%H:%M:%S)" "$*" >&2
    return 1
}

# port_is_free PORT: nothing answers on 127.0.0.1:PORT.
port_is_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# start_group NAME LOGFILE CMD...: run CMD in a session (process group) of its own, stdin closed,
# output to LOGFILE. The group id is recorded so stop_group can end CMD and every child it spawned.
start_group() {
    local name=$1 log=$2
    shift 2
    setsid bash -c 'echo $$ >"$0"; exec "$@"' "$CI_TMP/$name.pgid" "$@" </dev/null >"$log" 2>&1 &
    local tries=0
    until [[ -s "$CI_TMP/$name.pgid" ]]; do
        ((++tries > 50)) && { fail "$name did not start"; return 1; }
        sleep 0.1
    done
    say "started $name (process group $(cat "$CI_TMP/$name.pgid")): $*"
}

group_alive() {
    local pgid
    pgid=$(cat "$CI_TMP/$1.pgid" 2>/dev/null) || return 1
    pgrep -g "$pgid" >/dev/null 2>&1
}

# stop_group NAME [GRACE_SECONDS]: TERM the whole group, KILL what is left after the grace period,
# then fail if any process of the group survived (an orphan server would outlive CI).
stop_group() {
    local name=$1 grace=${2:-20} pgid
    pgid=$(cat "$CI_TMP/$name.pgid" 2>/dev/null) || return 0
    if pgrep -g "$pgid" >/dev/null 2>&1; then
        kill -TERM -- "-$pgid" 2>/dev/null || true
        local waited=0
        while pgrep -g "$pgid" >/dev/null 2>&1 && ((waited < grace * 10)); do
            sleep 0.1
            ((++waited))
        done
        if pgrep -g "$pgid" >/dev/null 2>&1; then
            say "$name ignored TERM for ${grace}s: KILL"
            kill -KILL -- "-$pgid" 2>/dev/null || true
            sleep 1
        fi
    fi
    rm -f "$CI_TMP/$name.pgid"
    if pgrep -g "$pgid" >/dev/null 2>&1; then
        fail "processes of $name left running: $(pgrep -g "$pgid" | tr '\n' ' ')"
        return 1
    fi
    say "stopped $name: no process of its group left"
}

# http_code URL [CURL_ARGS...]: the status code (000 when nothing answered).
http_code() {
    local url=$1
    shift
    curl --silent --output /dev/null --max-time 15 --write-out '%{http_code}' "$@" "$url" || true
}

# wait_http NAME URL TIMEOUT LOG: until URL answers with any HTTP status; fail early when NAME's group died.
wait_http() {
    local name=$1 url=$2 timeout=$3 log=$4 start=$SECONDS code
    while ((SECONDS - start < timeout)); do
        code=$(http_code "$url")
        if [[ "$code" != 000 ]]; then
            say "$name answers at $url (HTTP $code) after $((SECONDS - start))s"
            return 0
        fi
        if ! group_alive "$name"; then
            show_log "$log"
            fail "$name exited before answering at $url"
            return 1
        fi
        sleep 1
    done
    show_log "$log"
    fail "$name did not answer at $url within ${timeout}s"
}

# wait_log NAME LOG PATTERN TIMEOUT: until LOG has a line matching PATTERN (grep -E).
wait_log() {
    local name=$1 log=$2 pattern=$3 timeout=$4 start=$SECONDS
    while ((SECONDS - start < timeout)); do
        grep -Eq -- "$pattern" "$log" 2>/dev/null && return 0
        if ! group_alive "$name"; then
            show_log "$log"
            fail "$name exited before logging /$pattern/"
            return 1
        fi
        sleep 1
    done
    show_log "$log"
    fail "$name did not log /$pattern/ within ${timeout}s"
}

# export_production_secrets: fresh random values for every secret the production settings require.
export_production_secrets() {
    DJANGO_SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(64))')
    FIELD_ENCRYPTION_KEYS=$("$PY" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')
    FIELD_HASH_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(48))')
    export DJANGO_SECRET_KEY FIELD_ENCRYPTION_KEYS FIELD_HASH_KEY
}

show_log() {
    printf -- '---- last lines of %s ----\n' "$1"
    tail -n "${2:-60}" "$1" 2>/dev/null || true
    printf -- '---- end of %s ----\n' "$1"
}

# keep_logs: copy this run's logs to artifacts/ci/ (gitignored) for a look after the run.
keep_logs() {
    mkdir -p artifacts/ci
    cp "$CI_TMP"/*.log artifacts/ci/ 2>/dev/null || true
}
