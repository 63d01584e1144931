"""Browser tests: a real Niryat server in a subprocess, driven by Debian's chromium through Playwright.

Browsers cannot be downloaded here, so Playwright launches /usr/bin/chromium (NIRYAT_CHROMIUM to
use another). Without it the browser tests skip, unless NIRYAT_REQUIRE_BROWSER=1 (CI), which makes
that a failure. Each module gets its own server: a fresh data folder (SQLite), migrated, with the
demo loaded, served by `niryat manage runserver --noreload` with tasks run inline.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "test-results"
CHROMIUM = Path(os.environ.get("NIRYAT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT = 120.0


def browser_required() -> bool:
    return os.environ.get("NIRYAT_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes", "on"}


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"{CHROMIUM} not found (Debian: apt-get install chromium): browser tests not run"
        if browser_required():
            pytest.fail(f"NIRYAT_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return CHROMIUM


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(data_dir: Path) -> dict[str, str]:
    """The production settings module on a fresh SQLite database: nothing inherited from the test run."""
    inherited = ("NIRYAT_", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PG")
    env = {key: value for key, value in os.environ.items() if not key.startswith(inherited)}
    env.update(
        NIRYAT_DATA_DIR=str(data_dir),
        NIRYAT_DEMO="1",
        NIRYAT_TASK_BACKEND="immediate",
        NIRYAT_EMAIL_BACKEND="locmem",
        NIRYAT_DEBUG="0",
        NIRYAT_HTTPS="0",
        NIRYAT_ALLOWED_HOSTS="127.0.0.1",
        PYTHONUNBUFFERED="1",
    )
    return env


def niryat(*args: str, env: dict[str, str], log: Path) -> None:
    """Run `niryat ARGS` to completion; fail the test with its output if it fails."""
    with log.open("ab") as out:
        result = subprocess.run([sys.executable, "-m", "niryat", *args], env=env, cwd=log.parent,
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, timeout=300)
    if result.returncode != 0:
        pytest.fail(f"`niryat {' '.join(args)}` failed ({result.returncode}):\n{tail(log)}", pytrace=False)


def tail(log: Path, size: int = 6000) -> str:
    return log.read_text(errors="replace")[-size:] if log.exists() else "(no output)"


def wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server exited ({server.returncode}) before answering:\n{tail(log)}", pytrace=False)
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"the server did not answer {url} within {START_TIMEOUT:.0f}s:\n{tail(log)}", pytrace=False)


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def server_url(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (no trailing slash) of a real server with the demo loaded, on a free loopback port."""
    data_dir = tmp_path_factory.mktemp("server")
    log = data_dir / "server.log"
    env = server_env(data_dir)
    niryat("manage", "migrate", "--no-input", env=env, log=log)
    niryat("demo", env=env, log=log)
    port = free_port()
    with log.open("ab") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "niryat", "manage", "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env, cwd=data_dir, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/accounts/login/", server, log)
        yield base
    finally:
        stop(server)


@pytest.fixture(scope="module")
def browser(chromium_path: Path) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium_path), headless=True,
                                              args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def results_dir() -> Path:
    RESULTS.mkdir(exist_ok=True)
    return RESULTS
