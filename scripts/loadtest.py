#!/usr/bin/env python3
"""Load test on loopback: gunicorn (2 x cores + 1 sync workers) on PostgreSQL and Redis,
driven by wrk from the same machine, each scenario bounded in time.

    make load                                   # or: .venv/bin/python scripts/loadtest.py
    .venv/bin/python scripts/loadtest.py --duration 30 --connections 10

Scenarios: `bare` (a plain Django view behind the same middleware, the yardstick),
`healthz`, `browse` (home, a pricing page, provinces, lines), `quote` (POST a third-party
quote), `post` (a customer posts a request: routing fan-out), `leads` (an active agent
reads the inbox), `mix` (40% browse, 25% quote, 15% post, 20% leads), `sms` (POST
/api/v1/auth/otp/ for registered mobiles, each used once: a code row and a publish to
Redis; no worker runs, so delivery is not part of the figure).

It creates its own database (dropped at the end unless --keep-db), uses its own Redis
database number (flushed at the end), and stops every process it started. Rate limits are
lifted by scripts/loadtest_settings.py (all virtual clients share 127.0.0.1). Prints a
Markdown table of throughput (and its ratio to `bare`), p50/p95/p99 and errors.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv/bin/python"
GUNICORN = ROOT / ".venv/bin/gunicorn"
SMS_MOBILES_PER_THREAD = 20_000

LUA_DONE = r"""
done = function(summary, latency, requests)
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
    .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
end
"""

LUA_COMMON = r"""
local threads = {}
local counter = 0
setup = function(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
init = function(args)
  math.randomseed(os.time() * 1000 + (id or 1))
end
local json_headers = {["Content-Type"] = "application/json"}
local function auth(token)
  return {["Content-Type"] = "application/json", ["Authorization"] = "Token " .. token}
end
local function pick(list) return list[math.random(#list)] end
local pages = {"/", "/pricing/third_party/", "/api/v1/provinces/", "/api/v1/pricing/lines/"}
local function browse() return wrk.format("GET", pick(pages)) end
local function quote()
  local body = string.format(
    '{"line": "third_party", "params": {"vehicle_group": "car_4cyl", "no_claim_years": %d}}', math.random(0, 5))
  return wrk.format("POST", "/api/v1/pricing/quotes/", json_headers, body)
end
local function post()
  local body = '{"line": "third_party", "insurers": ["iran", "asia"], "params": {"vehicle_group": "car_4cyl", '
    .. '"usage": "personal", "no_claim_years": 3}, "province": "tehran", "city": "تهران", "note": "بار"}'
  return wrk.format("POST", "/api/v1/requests/", auth(pick(customers)), body)
end
local function leads() return wrk.format("GET", "/api/v1/agent/leads/", auth(pick(agents))) end
local function sms()
  counter = counter + 1
  local n = ((id or 1) - 1) * PER_THREAD + (counter % PER_THREAD)
  return wrk.format("POST", "/api/v1/auth/otp/", json_headers, string.format('{"mobile": "0935%07d"}', n))
end
"""

SCENARIOS = {
    "bare": "request = function() return wrk.format('GET', '/bench/bare/') end",
    "healthz": "request = function() return wrk.format('GET', '/healthz') end",
    "browse": "request = browse",
    "quote": "request = quote",
    "post": "request = post",
    "leads": "request = leads",
    "mix": """request = function()
  local r = math.random(100)
  if r <= 40 then return browse() elseif r <= 65 then return quote() elseif r <= 80 then return post() end
  return leads()
end""",
    "sms": "request = sms",
}


def log(message):
    print(f"[loadtest] {message}", file=sys.stderr, flush=True)


def environment(args, media):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="loadtest_settings",
        PYTHONPATH=f"{ROOT / 'scripts'}:{ROOT}",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        DEBUG="false",
        SECRET_KEY="loadtest-only-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SMS_BACKEND="locmem",
        CELERY_TASK_ALWAYS_EAGER="false",
        SECURE_SSL_REDIRECT="false",
        PAYMENT_SANDBOX_ENABLED="true",
        PAYMENT_GATEWAY="sandbox",
        OTP_HOURLY_CAP_PER_IP="100000000",
        LOG_LEVEL="WARNING",
        VAR_DIR=str(media),
        PRIVATE_MEDIA_ROOT=str(media / "private"),
        STATIC_ROOT=str(media / "static"),
    )
    return env


def recreate_database(url, drop_only=False):
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def seed(out: Path, threads: int):
    """Run inside the Django environment (python scripts/loadtest.py --seed DIR)."""
    import django

    django.setup()
    from rest_framework.test import APIClient

    from accounts.models import User
    from accounts.services import api_token_issue
    from tests.factories import UserFactory
    from tests.insurance_requests.factories import active_agent, request_payload

    agents = [active_agent(insurer=code) for code in ("iran", "asia") for _ in range(10)]
    customers = [UserFactory() for _ in range(50)]
    customer_tokens = [api_token_issue(user=c, ip=None, user_agent="loadtest")[1] for c in customers]
    agent_tokens = [api_token_issue(user=a.user, ip=None, user_agent="loadtest")[1] for a in agents]
    for customer in customers[:20]:  # leads in every inbox before the run
        client = APIClient()
        client.force_authenticate(customer)
        answer = client.post("/api/v1/requests/", request_payload(), format="json")
        if answer.status_code != 201:
            raise SystemExit(f"seeding a request failed: {answer.status_code} {answer.content[:300]!r}")
    total = threads * SMS_MOBILES_PER_THREAD
    User.objects.bulk_create(
        [
            User(mobile=f"0935{n:07d}", national_code=f"{8_000_000_000 + n:010d}", first_name="بار", last_name=str(n))
            for n in range(total)
        ],
        batch_size=5000,
    )
    (out / "tokens.json").write_text(json.dumps({"customers": customer_tokens, "agents": agent_tokens}))


COST_REQUESTS = 200


def costs(out: Path, threads: int):
    """Run inside the Django environment (python scripts/loadtest.py --costs DIR): each
    scenario's request, one client, in this process: SQL queries and CPU milliseconds of
    the Django process per request (the database's own CPU is not in it). It explains the
    ratios: under wrk the two cores are shared, so throughput follows the sum of both."""
    import itertools
    import time

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    tokens = json.loads((out / "tokens.json").read_text())
    spare_mobiles = itertools.count(threads * SMS_MOBILES_PER_THREAD - 1, -1)
    client = Client()
    customer = {"HTTP_AUTHORIZATION": f"Token {tokens['customers'][0]}"}
    agent = {"HTTP_AUTHORIZATION": f"Token {tokens['agents'][0]}"}
    post_body = {
        "line": "third_party",
        "insurers": ["iran", "asia"],
        "params": {"vehicle_group": "car_4cyl", "usage": "personal", "no_claim_years": 3},
        "province": "tehran",
        "city": "تهران",
    }
    calls = {
        "bare": lambda: client.get("/bench/bare/"),
        "healthz": lambda: client.get("/healthz"),
        "home": lambda: client.get("/"),
        "pricing page": lambda: client.get("/pricing/third_party/"),
        "provinces": lambda: client.get("/api/v1/provinces/"),
        "lines": lambda: client.get("/api/v1/pricing/lines/"),
        "quote": lambda: client.post(
            "/api/v1/pricing/quotes/",
            {"line": "third_party", "params": {"vehicle_group": "car_4cyl", "no_claim_years": 2}},
            content_type="application/json",
        ),
        "post": lambda: client.post("/api/v1/requests/", post_body, content_type="application/json", **customer),
        "leads": lambda: client.get("/api/v1/agent/leads/", **agent),
        # Mobiles of the wrk scenario's last thread, from its far end: never reached in 30 s.
        "sms": lambda: client.post(
            "/api/v1/auth/otp/", {"mobile": f"0935{next(spare_mobiles):07d}"}, content_type="application/json"
        ),
    }
    rows = {}
    for name, call in calls.items():
        count = 20 if name in ("post", "sms") else COST_REQUESTS  # writes: keep the seed as wrk will find it
        for _ in range(3):
            answer = call()
            if answer.status_code >= 400:
                raise SystemExit(f"costs: {name} answered {answer.status_code}: {answer.content[:200]!r}")
        with CaptureQueriesContext(connection) as queries:
            call()
        query_count = len(queries.captured_queries)  # now: the next request resets the log
        started = time.process_time()
        for _ in range(count):
            call()
        cpu_ms = (time.process_time() - started) / count * 1000
        rows[name] = {"queries": query_count, "cpu_ms": cpu_ms}
    (out / "costs.json").write_text(json.dumps(rows))


def lua_for(name, tokens, per_thread):
    header = (
        "local customers = {" + ",".join(f'"{t}"' for t in tokens["customers"]) + "}\n"
        "local agents = {" + ",".join(f'"{t}"' for t in tokens["agents"]) + "}\n"
        f"local PER_THREAD = {per_thread}\n"
    )
    return header + LUA_COMMON + SCENARIOS[name] + "\n" + LUA_DONE


def wait_ready(base, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as answer:  # noqa: S310 (loopback)
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz in time")


def run_wrk(args, base, script: Path, duration):
    command = [
        args.wrk,
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        base,
    ]
    output = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = sum(result[key] for key in ("connect", "read", "write", "status", "timeout"))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://bimemall:bimemall@127.0.0.1:5432/bimemall_load")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--duration", type=int, default=30, help="seconds per scenario (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of unmeasured load before each scenario")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--wrk", default=shutil.which("wrk") or "wrk")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--no-costs", action="store_true", help="skip the in-process cost table")
    parser.add_argument("--seed", help=argparse.SUPPRESS)
    parser.add_argument("--costs", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        seed(Path(args.seed), args.threads)
        return
    if args.costs:
        costs(Path(args.costs), args.threads)
        return
    if not shutil.which(args.wrk):
        raise SystemExit("wrk is missing: apt-get install wrk")
    host = urlparse(args.database_url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the load test only runs against loopback")

    work = Path(tempfile.mkdtemp(prefix="bimemall-load-"))
    env = environment(args, work)
    base = f"http://127.0.0.1:{args.port}"
    server = None
    try:
        log(f"database {urlparse(args.database_url).path.lstrip('/')}: recreate, migrate, seed")
        recreate_database(args.database_url)
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([PYTHON, __file__, "--seed", str(work), "--threads", str(args.threads)], env=env, check=True)
        tokens = json.loads((work / "tokens.json").read_text())
        if not args.no_costs:
            log("costs: each request in-process, one client")
            command = [PYTHON, __file__, "--costs", str(work), "--threads", str(args.threads)]
            subprocess.run(command, env=env, check=True)
        log(f"gunicorn: {args.workers} sync workers on {base}")
        server = subprocess.Popen(
            [GUNICORN, "bimemall.wsgi:application", "-w", str(args.workers), "-b", f"127.0.0.1:{args.port}"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        wait_ready(base)
        results = {}
        for name in args.scenarios.split(","):
            script = work / f"{name}.lua"
            script.write_text(lua_for(name, tokens, SMS_MOBILES_PER_THREAD))
            if args.warmup and name != "sms":  # warming `sms` would spend its mobiles
                run_wrk(args, base, script, args.warmup)
            results[name] = run_wrk(args, base, script, args.duration)
            r = results[name]
            log(
                f"{name}: {r['rps']:.0f} req/s, p50 {r['p50_us'] / 1000:.1f} ms, p95 {r['p95_us'] / 1000:.1f} ms, "
                f"errors {r['errors']}"
            )
        bare = results.get("bare", {}).get("rps")
        print(f"\n{args.workers} gunicorn workers, wrk -t{args.threads} -c{args.connections} -d{args.duration}s\n")
        print("| scenario | requests | req/s | vs bare | p50 | p95 | p99 | errors |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, r in results.items():
            ratio = f"{r['rps'] / bare:.0%}" if bare else "–"
            print(
                f"| {name} | {r['requests']:,} | {r['rps']:.0f} | {ratio} | {r['p50_us'] / 1000:.1f} ms "
                f"| {r['p95_us'] / 1000:.1f} ms | {r['p99_us'] / 1000:.1f} ms | {r['errors']} |"
            )
        if not args.no_costs:
            measured = json.loads((work / "costs.json").read_text())
            base_cpu = measured["bare"]["cpu_ms"]
            print("\nIn-process cost of one request (one client, no wrk): Django CPU and SQL queries\n")
            print("| request | queries | CPU per request | vs bare |")
            print("| --- | ---: | ---: | ---: |")
            for name, row in measured.items():
                print(f"| {name} | {row['queries']} | {row['cpu_ms']:.2f} ms | {row['cpu_ms'] / base_cpu:.1f}× |")
        if "sms" in results and "healthz" in results:
            print(f"\nsms p95 / healthz p95 = {results['sms']['p95_us'] / results['healthz']['p95_us']:.2f}")
        (work / "results.json").write_text(json.dumps(results, indent=2))
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        try:
            import redis

            redis.Redis.from_url(args.redis_url).flushdb()
        except Exception as exc:
            log(f"could not flush {args.redis_url}: {exc}")
        if not args.keep_db:
            recreate_database(args.database_url, drop_only=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
