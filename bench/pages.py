"""Every page under load on the production shape, with the trivial views alongside, in one pass.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pb_bench   # built by bench/generate_dataset.py
    .venv/bin/python bench/pages.py --redis redis://127.0.0.1:6379/4 [--seconds 5] [--connections 4]
    .venv/bin/python bench/pages.py --in-process 7 [--only admin]

What it does:
1. migrates the bench database (its name must contain "bench") and, once, adds what the page
   benchmark needs and generate_dataset.py does not make: events (a year and a half of meetings
   per party organization, a third of the activities public), attendance for them (members of the
   organizing branch), and three users — a secretary of the largest party tree, a district's staff
   member and a superuser — with sessions made directly in the session store (second factor marked
   as passed, as after a real login);
2. starts gunicorn (2 workers, DEBUG off, persistent database connections as in production,
   sessions and page cache on Redis) on a free local port;
3. for each page, runs `--connections` keep-alive clients for `--seconds` (after a warm-up), and
   prints p50, p95, requests per second and the ratio to the trivial view of the same kind
   (anonymous or logged in) measured in the same pass, before and after the pages.

`--in-process N` starts no server: each page is requested N times in this process and its median
wall time, this process's CPU time (Python: the steadiest figure on a shared machine), SQL time and
query count are printed; `--profile K` adds cProfile's K heaviest calls per page.

wrk is used when it is on the PATH; otherwise a small threaded client (http.client, one connection
per thread) measures the same thing. Both share the machine's cores with gunicorn and PostgreSQL.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
EVENTS_PER_PARTY_ORGANIZATION = 17
BENCH_USERS = ("bench-secretary", "bench-staff", "bench-root")
# (label, kind of session, path); {org}, {event}, {public_event}, {deep_cursor} are filled from the
# database.
PAGES = [
    ("public: home", "anon", "/"),
    ("public: /orgs/", "anon", "/orgs/"),
    ("public: /orgs/ name search", "anon", "/orgs/?q=组织0012"),
    ("public: /orgs/ street search", "anon", "/orgs/?street=街道"),
    ("public: /orgs/ page 400", "anon", "/orgs/?page=400"),
    ("public: organization", "anon", "/orgs/{org}/"),
    ("public: /events/ calendar", "anon", "/events/"),
    ("public: event", "anon", "/events/{public_event}/"),
    ("public: /news/", "anon", "/news/"),
    ("public: /alliances/", "anon", "/alliances/"),
    ("portal: home (secretary)", "secretary", "/portal/"),
    ("portal: /portal/events/ (secretary)", "secretary", "/portal/events/"),
    # Page 200 by its cursor (the links the list writes), and an old `?page=200` link sent on to it.
    ("portal: /portal/events/ page 200", "secretary", "/portal/events/?page=200&after={deep_cursor}"),
    ("portal: /portal/events/ old ?page=200 link", "secretary", "/portal/events/?page=200"),
    ("portal: members (secretary)", "secretary", "/portal/members/"),
    ("portal: branch (secretary)", "secretary", "/portal/branch/"),
    ("portal: event (secretary)", "secretary", "/portal/events/{event}/"),
    ("api: organizations (staff)", "staff", "/api/v1/organizations/"),
    ("api: party organizations (staff)", "staff", "/api/v1/party-organizations/"),
    ("api: members (staff)", "staff", "/api/v1/members/"),
    ("api: events (staff)", "staff", "/api/v1/events/"),
    ("admin: organizations", "root", "/admin/orgs/organization/"),
    ("admin: organizations search", "root", "/admin/orgs/organization/?q=组织0012"),
    ("admin: party organizations", "root", "/admin/branches/partyorganization/"),
    ("admin: members", "root", "/admin/members/member/"),
    ("admin: events", "root", "/admin/events/event/"),
    ("admin: regions", "root", "/admin/orgs/region/"),
]
TRIVIAL = {"anon": "/robots.txt", "logged_in": "/robots.txt"}


def setup_django(redis_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["REDIS_URL"] = redis_url
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    import django

    django.setup()


def seed(size_hint: str) -> None:
    """Events, attendance and the bench users, once (skipped when the events are already there)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM events_event")
        if cursor.fetchone()[0]:
            return
        started = time.perf_counter()
        # Meetings per party organization over 2025-07 … 2026-12; every third event is a public
        # activity (volunteer service), the rest party meetings.
        cursor.execute(
            """
            INSERT INTO events_event (kind, title, description, starts_at, ends_at, place, is_public,
                status, minutes, resolutions, signin_nonce, created_at, updated_at, party_organization_id)
            SELECT CASE WHEN n %% 3 = 0 THEN 'volunteer_service' ELSE 'general_meeting' END,
                   '活动 ' || po.id || '-' || n, '', s, s + interval '2 hours', '活动室', n %% 3 = 0,
                   CASE WHEN s < now() THEN 'held' ELSE 'scheduled' END, '', '',
                   md5(po.id || '-' || n)::varchar(32),
                   now(), now(), po.id
            FROM branches_partyorganization po
            CROSS JOIN generate_series(1, %s) AS n
            CROSS JOIN LATERAL (SELECT timestamptz '2025-07-01 09:00+08'
                                 + ((po.id * 7919 + n * 104729) %% 540) * interval '1 day'
                                 + ((po.id + n) %% 9) * interval '1 hour' AS s) AS t
            """,
            [EVENTS_PER_PARTY_ORGANIZATION],
        )
        cursor.execute(
            """
            INSERT INTO events_attendance (expected, voting, came, method, event_id, member_id)
            SELECT true, true, e.starts_at < now() AND m.id %% 5 <> 0, 'manual', e.id, m.id
            FROM events_event e JOIN members_member m ON m.party_organization_id = e.party_organization_id
            WHERE m.id %% 3 = e.id %% 3
            """,
            [],
        )
        cursor.execute("ANALYZE events_event")
        cursor.execute("ANALYZE events_attendance")
        cursor.execute("SELECT count(*) FROM events_event")
        events = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM events_attendance")
        attendances = cursor.fetchone()[0]
        took = time.perf_counter() - started
        print(f"seeded {events:,} events, {attendances:,} attendances in {took:.1f} s")


def bench_users() -> dict:
    """The three bench users (made once) and a fresh session cookie for each."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.db.models import F
    from django_otp.plugins.otp_static.models import StaticDevice

    from branches.models import PartyOrganization
    from orgs.models import Region

    User = get_user_model()
    root = (
        PartyOrganization.objects.filter(level=0)
        .annotate(size=F("rght") - F("lft"))
        .order_by("-size")
        .first()
    )
    district = Region.objects.filter(kind="district").order_by("code").first()
    specs = {
        "secretary": ("bench-secretary", {"role": "secretary", "party_organization": root}),
        "staff": ("bench-staff", {"role": "staff", "is_staff": True, "scope_region": district}),
        "root": ("bench-root", {"is_staff": True, "is_superuser": True}),
    }
    store = import_module(settings.SESSION_ENGINE).SessionStore
    cookies = {}
    for kind, (username, fields) in specs.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username, password="Bench-Only-2026", **fields)
        device, _ = StaticDevice.objects.get_or_create(user=user, name="bench")
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session["otp_device_id"] = device.persistent_id
        session["_auth_started_at"] = time.time()
        session.create()
        # and the CSRF cookie a browser holds once it has seen the login form
        cookies[kind] = (
            f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={'c' * 32}"
        )
    return cookies


def page_ids() -> dict:
    from django.contrib.auth import get_user_model

    from accounts.actors import PUBLIC
    from events.models import Event
    from events.views.portal_events import PAGE_SIZE, event_list_paginator
    from orgs.models import Organization

    secretary = get_user_model().objects.get(username="bench-secretary")
    org = Organization.objects.visible_to(PUBLIC).order_by("pk").values_list("pk", flat=True)[1000:1001]
    secretary_event = Event.objects.visible_to(secretary).order_by("pk").values_list("pk", flat=True).first()
    public_event = Event.objects.visible_to(PUBLIC).order_by("pk").values_list("pk", flat=True).first()
    paginator = event_list_paginator(secretary)
    deep = paginator.key_at(199 * PAGE_SIZE - 1)  # the last row of page 199
    return {
        "org": org[0] if org else 1,
        "event": secretary_event or 1,
        "public_event": public_event or 1,
        "deep_cursor": paginator.encode(deep) if deep else "",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def load(port: int, path: str, cookie: str | None, seconds: float, connections: int) -> dict:
    """`connections` threads, each on one keep-alive connection, requesting `path` for `seconds`."""
    path = quote(path, safe="/?=&")
    headers = {"Accept-Language": "zh-hans", "Host": "127.0.0.1"}
    if cookie:
        headers["Cookie"] = cookie
    latencies: list[float] = []
    statuses: set[int] = set()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        seen = set()
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            seen.add(response.status)
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()
        with lock:
            latencies.extend(mine)
            statuses.update(seen)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    if not latencies:
        return {"p50": 0.0, "p95": 0.0, "rps": 0.0, "status": "error"}
    return {
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "rps": len(latencies) / elapsed,
        "status": ",".join(str(s) for s in sorted(statuses)),
    }


def selected(label: str, only: str) -> bool:
    """The page is measured: its label contains one of the comma-separated parts of --only."""
    return any(part in label for part in only.split(","))


def in_process(cookies: dict, ids: dict, repeat: int, only: str, profile: int = 0) -> None:
    """Each page requested `repeat` times in this process (Django's test client, after one warm-up):
    the median wall time, the median time spent in SQL and the queries per request. The machine's
    other load inflates wall times; SQL time and the query count are the steadier evidence."""
    from django.db import connection
    from django.test import Client

    print(f"in process, median of {repeat} requests after a warm-up; load average {os.getloadavg()[0]:.1f}")
    print("| page | wall ms | CPU ms | SQL ms | queries | status |")
    print("|---|---|---|---|---|---|")
    trivial = [
        ("trivial (anonymous)", "anon", TRIVIAL["anon"]),
        ("trivial (logged in)", "secretary", TRIVIAL["logged_in"]),
    ]
    for label, kind, path in trivial + PAGES:
        if not selected(label, only):
            continue
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        if kind != "anon":
            for pair in cookies[kind].split("; "):
                name, value = pair.split("=", 1)
                client.cookies[name] = value
        url = path.format(**ids)
        walls, cpus, sqls, counts = [], [], [], []
        for n in range(repeat + 1):
            timings: list[float] = []

            statements: list[tuple[float, str]] = []

            def timed(execute, sql, params, many, context, timings=timings, statements=statements):
                started = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    timings.append(time.perf_counter() - started)
                    statements.append((timings[-1], sql))

            started, cpu = time.perf_counter(), time.process_time()
            with connection.execute_wrapper(timed):
                response = client.get(url)
            if n:  # the first request warms caches and connections
                walls.append((time.perf_counter() - started) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
                sqls.append(sum(timings) * 1000)
                counts.append(len(timings))
        wall, cpu, sql = statistics.median(walls), statistics.median(cpus), statistics.median(sqls)
        figures = f"{wall:.1f} | {cpu:.1f} | {sql:.1f} | {max(counts)} | {response.status_code}"
        print(f"| {label} | {figures} |", flush=True)
        if os.environ.get("SHOW_SQL"):  # the last request's statements, with their time
            for seconds, text in statements:
                print(f"    {seconds * 1000:7.2f} ms  {' '.join(text.split())[:300]}")
        if profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(repeat):
                client.get(url)
            profiler.disable()
            order = os.environ.get("PROFILE_SORT", "cumulative")  # e.g. tottime
            pstats.Stats(profiler, stream=sys.stdout).sort_stats(order).print_stats(profile)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/4"))
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument(
        "--only",
        default="",
        help="measure only the pages whose label contains this (several: comma-separated)",
    )
    parser.add_argument(
        "--in-process",
        type=int,
        default=0,
        metavar="N",
        help="no server, no load: each page N times in this process, with its SQL time and queries",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="K",
        help="with --in-process: cProfile's K heaviest calls per page",
    )
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if "bench" not in database_url.rsplit("/", 1)[-1]:
        raise SystemExit("DATABASE_URL must name a bench database (its name contains 'bench')")
    setup_django(args.redis)
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seed("")
    cache.clear()
    cookies = bench_users()
    ids = page_ids()
    if args.in_process:
        in_process(cookies, ids, args.in_process, args.only, args.profile)
        return
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DJANGO_DEBUG": "false"}
    env["REDIS_URL"] = args.redis
    env["CONN_MAX_AGE"] = "60"  # persistent connections, as config/settings/production.py has them
    from probe import machine_probe

    probe_before = machine_probe()
    port = free_port()
    server = start_gunicorn(port, env)
    tool = "wrk" if subprocess.run(["which", "wrk"], capture_output=True).returncode == 0 else "threads"
    print(f"load: {args.connections} connections × {args.seconds:g} s per page ({tool}), gunicorn -w 2")
    rows = []
    try:

        def measure(label, kind, path):
            cookie = None if kind == "anon" else cookies[kind]
            load(port, path, cookie, args.warmup, args.connections)
            result = load(port, path, cookie, args.seconds, args.connections)
            rows.append((label, kind, path, result))
            p50, p95, rps = result["p50"], result["p95"], result["rps"]
            line = (
                f"  {label:40} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {rps:7.1f} req/s  [{result['status']}]"
            )
            print(line, flush=True)

        measure("trivial (anonymous)", "anon", TRIVIAL["anon"])
        measure("trivial (logged in)", "secretary", TRIVIAL["logged_in"])
        for label, kind, path in PAGES:
            if selected(label, args.only):
                measure(label, kind, path.format(**ids))
        measure("trivial (anonymous), again", "anon", TRIVIAL["anon"])
        measure("trivial (logged in), again", "secretary", TRIVIAL["logged_in"])
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
    print(
        f"machine probe (bench/probe.py, 10M additions): {probe_before:.2f} s before the pass, "
        f"{machine_probe():.2f} s after"
    )
    trivial_anon = statistics.mean(r[3]["rps"] for r in rows if r[0].startswith("trivial (anonymous)"))
    trivial_user = statistics.mean(r[3]["rps"] for r in rows if r[0].startswith("trivial (logged in)"))
    print()
    print("| page | p50 ms | p95 ms | req/s | vs trivial | status |")
    print("|---|---|---|---|---|---|")
    for label, kind, _path, result in rows:
        base = trivial_anon if kind == "anon" else trivial_user
        ratio = result["rps"] / base
        flag = "" if result["p95"] <= 100 else " (over 100 ms)"
        figures = f"{result['p50']:.1f} | {result['p95']:.1f} | {result['rps']:.0f} | {ratio:.0%}"
        print(f"| {label}{flag} | {figures} | {result['status']} |")


if __name__ == "__main__":
    main()
