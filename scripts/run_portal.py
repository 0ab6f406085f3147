#!/usr/bin/env python3
"""Run the whole portal on one machine with no database or broker server: `make run`.

Development settings (bimemall.settings.dev): SQLite at var/db.sqlite3, Celery's
`filesystem://` broker in var/celery-broker/, SMS codes printed to this console.

1. creates var/ and var/celery-broker/processed/;
2. `manage.py migrate --noinput`;
3. `manage.py load_demo_data`, when the project has that command;
4. starts three children: the web server (runserver 0.0.0.0:$PORT, PORT defaults to
   8000), a Celery worker (solo pool: SQLite has one writer) and Celery beat
   (django_celery_beat's DatabaseScheduler);
5. prefixes their output with [web] / [worker] / [beat], forwards SIGINT/SIGTERM to
   all of them, and if any child ends, stops the others and exits.

Environment variables that are set (DATABASE_URL, REDIS_URL, VAR_DIR, ...) are honoured.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MANAGE = [PYTHON, str(ROOT / "manage.py")]
STOP_GRACE_SECONDS = 10


def _env() -> dict:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "bimemall.settings.dev")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _port() -> int:
    raw = os.environ.get("PORT", "").strip() or "8000"
    try:
        port = int(raw)
    except ValueError:
        sys.exit(f"PORT={raw!r} is not a port number.")
    if not 0 < port < 65536:
        sys.exit(f"PORT={port} is out of range.")
    return port


def _var_dir() -> Path:
    return Path(os.environ.get("VAR_DIR", "").strip() or ROOT / "var")


def _step(title: str) -> None:
    print(f"==> {title}", flush=True)


def _run(args: list[str], env: dict) -> int:
    return subprocess.run(args, cwd=ROOT, env=env, check=False).returncode


def _has_command(name: str, env: dict) -> bool:
    listing = subprocess.run(
        [*MANAGE, "help", "--commands"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if listing.returncode != 0:
        sys.stderr.write(listing.stderr)
        sys.exit("manage.py help --commands failed; see above.")
    return name in listing.stdout.split()


def prepare(env: dict) -> None:
    var = _var_dir()
    (var / "celery-broker" / "processed").mkdir(parents=True, exist_ok=True)

    _step("manage.py migrate --noinput")
    if _run([*MANAGE, "migrate", "--noinput"], env) != 0:
        sys.exit("migrate failed; the portal was not started.")

    if _has_command("load_demo_data", env):
        _step("manage.py load_demo_data")
        if _run([*MANAGE, "load_demo_data"], env) != 0:
            print("!!! load_demo_data failed (see above); starting without demo data.", flush=True)
    else:
        print("(no load_demo_data command yet: starting without demo data)", flush=True)


class Child:
    def __init__(self, name: str, args: list[str], env: dict):
        self.name = name
        # Own session and process group: a signal reaches the whole group exactly once
        # (runserver's autoreloader runs the server in a grandchild).
        self.proc = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.pump = threading.Thread(target=self._pump, daemon=True)
        self.pump.start()

    def _pump(self) -> None:
        prefix = f"[{self.name}] ".encode()
        out = sys.stdout.buffer
        for line in iter(self.proc.stdout.readline, b""):
            try:
                out.write(prefix + line)
                out.flush()
            except (BrokenPipeError, ValueError):
                break

    def signal(self, signum: int) -> None:
        try:
            os.killpg(self.proc.pid, signum)
        except (ProcessLookupError, PermissionError):
            pass

    def alive(self) -> bool:
        return self.proc.poll() is None

    def group_alive(self) -> bool:
        try:
            os.killpg(self.proc.pid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True


def banner(port: int) -> None:
    url = f"http://127.0.0.1:{port}/"
    lines = [
        f"بیمه مال آماده است: {url}",
        f"Bimeh Mall is running: {url}",
        f"  admin: {url}admin/   API docs: {url}api/v1/docs/   health: {url}healthz",
        "  کدهای پیامکی در همین پنجره چاپ می‌شوند / SMS codes are printed in this console.",
        "  برای توقف Ctrl+C را بزنید / press Ctrl+C to stop.",
    ]
    width = max(len(line) for line in lines) + 2
    print("=" * width)
    for line in lines:
        print(" " + line)
    print("=" * width, flush=True)


def stop_all(children: list[Child], signum: int = signal.SIGTERM) -> None:
    for child in children:
        child.signal(signum)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    while time.monotonic() < deadline and any(c.alive() or c.group_alive() for c in children):
        time.sleep(0.1)
    for child in children:
        if child.alive() or child.group_alive():
            print(f"==> {child.name} did not stop in {STOP_GRACE_SECONDS}s; killing it", flush=True)
            child.signal(signal.SIGKILL)
    for child in children:
        try:
            child.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        child.pump.join(timeout=2)


def main() -> int:
    port = _port()
    env = _env()
    os.chdir(ROOT)
    prepare(env)

    celery = [PYTHON, "-m", "celery", "-A", "bimemall"]
    commands = {
        "web": [*MANAGE, "runserver", f"0.0.0.0:{port}"],
        "worker": [*celery, "worker", "--pool=solo", "-l", "info"],
        "beat": [
            *celery,
            "beat",
            "-l",
            "info",
            "-S",
            "django_celery_beat.schedulers:DatabaseScheduler",
        ],
    }

    received: list[int] = []

    def on_signal(signum, _frame):
        received.append(signum)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    children: list[Child] = []
    try:
        for name, args in commands.items():
            _step(f"starting {name}: {' '.join(args[1:])}")
            children.append(Child(name, args, env))
        banner(port)
        # Beat runs each job at its hour (09:00 Tehran and so on); queue them all once now so
        # what is due today shows on this console at once. The jobs are idempotent.
        _step("manage.py run_scheduled_jobs (each scheduled job once, now)")
        _run([*MANAGE, "run_scheduled_jobs"], env)

        while True:
            if received:
                signum = received[0]
                print(f"\n==> {signal.Signals(signum).name}: stopping web, worker and beat", flush=True)
                stop_all(children, signum)
                return 0
            dead = next((c for c in children if not c.alive()), None)
            if dead is not None:
                code = dead.proc.returncode
                print(f"==> {dead.name} exited with code {code}; stopping the others", flush=True)
                stop_all(children)
                # A child killed by signal N reports -N: exit like a shell would (128 + N).
                return 128 - code if code < 0 else (code or 1)
            time.sleep(0.2)
    finally:
        # Whatever happened (an exception included), leave no child behind.
        stop_all([c for c in children if c.alive() or c.group_alive()])


if __name__ == "__main__":
    sys.exit(main())
