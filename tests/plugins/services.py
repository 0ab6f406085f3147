"""Tests that need real services: skip on a bare laptop, fail in CI.

Markers (registered in pyproject.toml and here):

    @pytest.mark.postgres   the default database is PostgreSQL (DATABASE_URL=postgres://...)
    @pytest.mark.redis      a Redis server answers at REDIS_URL (fixture `redis_url`)
    @pytest.mark.browser    a Chromium binary exists (fixture `chromium_executable`)
    @pytest.mark.e2e        browser journeys; implies `browser`

Without the service the test is skipped, unless REQUIRE_SERVICES=1 (as `.ci/run` sets
it): then it fails with a message that says what is missing. With REQUIRE_SERVICES=1
the session also fails if any test was skipped for whatever reason, and lists them: in
CI a skipped test is a test that does not exist.

Fixtures: `redis_url`, `chromium_executable`, `chromium_launch_options` (Playwright
`launch()` keyword arguments for Debian's Chromium, never a downloaded browser),
`playwright_browser` (per module) and `page` (a fresh context and page per test).
"""

import os
import shutil
from contextlib import suppress
from functools import cache

import pytest

REQUIRE_ENV = "REQUIRE_SERVICES"
CHROMIUM_ENV = ("CHROMIUM_EXECUTABLE", "PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH")
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# Chromium on a machine whose only network is loopback: no sandbox as root, and none of
# the background connections that the closed network would refuse.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--lang=fa-IR",
]


def services_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def _missing(message: str):
    """Skip on a laptop; fail when the environment promises the services."""
    if services_required():
        pytest.fail(f"{REQUIRE_ENV}=1 and this test {message}", pytrace=False)
    pytest.skip(message)


# --- probes (each asked once per process) -------------------------------------------


def _postgres_problem() -> str | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return (
            f"needs PostgreSQL; the default database is {connection.vendor} "
            "(set DATABASE_URL=postgres://user:password@host:5432/name)"
        )
    return None


def configured_redis_url() -> str | None:
    url = os.environ.get("REDIS_URL", "").strip()
    if url:
        return url
    with suppress(Exception):
        from django.conf import settings

        return getattr(settings, "REDIS_URL", None) or None
    return None


@cache
def _redis_problem_for(url: str | None) -> str | None:
    if not url:
        return "needs Redis; REDIS_URL is not set (e.g. REDIS_URL=redis://127.0.0.1:6379/0)"
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:
        return f"needs Redis; {redact_url(url)} does not answer: {exc.__class__.__name__}: {exc}"
    return None


def _redis_problem() -> str | None:
    return _redis_problem_for(configured_redis_url())


@cache
def find_chromium() -> str | None:
    for name in CHROMIUM_ENV:
        value = os.environ.get(name, "").strip()
        if value:
            return value if os.path.isfile(value) and os.access(value, os.X_OK) else None
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def _browser_problem() -> str | None:
    if find_chromium():
        return None
    configured = next((os.environ[n] for n in CHROMIUM_ENV if os.environ.get(n, "").strip()), None)
    if configured:
        return f"needs Chromium; {configured} (from the environment) is not an executable file"
    return "needs Chromium; none was found on PATH (apt-get install chromium)"


PROBES = {"postgres": _postgres_problem, "redis": _redis_problem, "browser": _browser_problem}


def redact_url(url: str) -> str:
    """redis://:secret@host/0 -> redis://***@host/0"""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
    return url


# --- hooks ----------------------------------------------------------------------------


def pytest_configure(config):
    for line in (
        "postgres: needs PostgreSQL (skips on a laptop, fails in CI without it)",
        "redis: needs Redis (skips on a laptop, fails in CI without it)",
        "browser: needs Chromium (skips on a laptop, fails in CI without it)",
        "e2e: browser journeys",
    ):
        config.addinivalue_line("markers", line)
    # Playwright must never fetch a browser of its own: Debian's Chromium is used.
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("e2e") and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    for marker, probe in PROBES.items():
        if item.get_closest_marker(marker):
            problem = probe()
            if problem:
                _missing(problem)


# (nodeid, reason) of every skipped test or module in this process.
_SKIPPED: list[tuple[str, str]] = []


def _record_skip(report):
    if not report.skipped or hasattr(report, "wasxfail"):
        return
    reason = ""
    if isinstance(report.longrepr, tuple) and len(report.longrepr) == 3:
        reason = str(report.longrepr[2])
    elif report.longrepr is not None:
        reason = str(report.longrepr)
    _SKIPPED.append((report.nodeid, reason.removeprefix("Skipped: ")))


def pytest_sessionstart(session):
    _SKIPPED.clear()


def pytest_runtest_logreport(report):
    _record_skip(report)


def pytest_collectreport(report):
    _record_skip(report)


def _is_xdist_worker(config) -> bool:
    return hasattr(config, "workerinput")


def pytest_sessionfinish(session, exitstatus):
    # Under pytest-xdist the controller sees every worker's reports and decides.
    if not services_required() or not _SKIPPED or _is_xdist_worker(session.config):
        return
    if exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = _SKIPPED
    if not services_required() or not skipped or _is_xdist_worker(config):
        return
    terminalreporter.section(f"{REQUIRE_ENV}=1: skipped tests fail the run", sep="=", red=True, bold=True)
    terminalreporter.line(
        f"{len(skipped)} test(s) skipped; with {REQUIRE_ENV}=1 a skipped test is a test that does not exist:",
        red=True,
    )
    for nodeid, reason in skipped:
        terminalreporter.line(f"  SKIPPED {nodeid}: {reason}")


# --- fixtures -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The URL of a Redis server that answers (skip, or fail under REQUIRE_SERVICES=1)."""
    problem = _redis_problem()
    if problem:
        _missing(problem)
    return configured_redis_url()


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """The path of the Chromium binary, e.g. /usr/bin/chromium."""
    problem = _browser_problem()
    if problem:
        _missing(problem)
    return find_chromium()


@pytest.fixture(scope="session")
def chromium_launch_options(chromium_executable) -> dict:
    """Keyword arguments for Playwright's `chromium.launch(**options)`."""
    headless = os.environ.get("HEADED", "").strip().lower() not in {"1", "true", "yes"}
    return {"executable_path": chromium_executable, "headless": headless, "args": list(CHROMIUM_ARGS)}


@pytest.fixture(scope="module")
def playwright_browser(chromium_launch_options):
    """A Playwright Chromium browser (Debian's binary), one per test module.

    Module scope, not session: while Playwright's sync API is running, Django needs
    DJANGO_ALLOW_ASYNC_UNSAFE, and that variable must not leak into the rest of the run
    (pytest-django reorders tests, and a subprocess such as `check --deploy` inherits it).
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - playwright is in requirements-dev.txt
        _missing(f"needs the playwright package ({exc})")
    # Playwright's sync API runs an event loop in this thread; Django's ORM, used by the
    # same tests (and by live_server's fixtures), would otherwise refuse to run.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    try:
        browser = manager.chromium.launch(**chromium_launch_options)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        manager.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(playwright_browser):
    """A fresh browser context (Persian locale, Tehran time) and page for one test."""
    context = playwright_browser.new_context(locale="fa-IR", timezone_id="Asia/Tehran")
    # 30 s, not 10: on the 2-core CI machine a live-server page under the whole suite's load
    # once took longer than 10 s to follow the sign-out redirect (a failure, not a bug).
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
