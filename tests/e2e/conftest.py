"""Browser tests: the real server (`streamlit run`) on 127.0.0.1, driven by Playwright in /usr/bin/chromium."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
STAFF_PASSWORD = "browser-test-passwort-2026"
SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@dataclass
class Server:
    url: str
    started: float  # time.monotonic() when `streamlit run` was started


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    """The server most browser tests share (demo data and a staff account)."""
    with running_server(tmp_path_factory.mktemp("e2e")) as started:
        yield started


@contextlib.contextmanager
def running_server(
    folder: Path,
    database: str | None = None,
    *,
    script: str = "dashboard.py",
    log: Path | None = None,
    kreis: str | None = None,
) -> Iterator[Server]:
    """`streamlit run dashboard.py` (or `script`) on a fresh demo database in `folder` (or on `database`),
    stopped afterwards; the server's output goes to `log` when given; `kreis` sets up that Kreis (else Peine)."""
    port = _free_port()
    env = {**os.environ, "CONTROLLING_DB": database or str(folder / "e2e.duckdb")}
    if kreis is not None:
        env["CONTROLLING_KREIS"] = kreis
    # A staff account for the browser tests that sign in (created the way a new installation gets one).
    subprocess.run(
        [sys.executable, "-m", "controlling", "init", "--demo"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    subprocess.run(
        [sys.executable, "-m", "controlling", "user", "add", "referat.test", "--role", "referat", "--password-stdin"],
        cwd=ROOT,
        env=env,
        input=f"{STAFF_PASSWORD}\n",
        text=True,
        check=True,
        capture_output=True,
    )
    started = time.monotonic()
    output = None if log is None else log.open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL if output is None else output,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("Der Streamlit-Server ist nicht gestartet.")
                time.sleep(0.3)
        yield Server(url=url, started=started)
    finally:
        process.terminate()
        process.wait(timeout=20)
        if output is not None:
            output.close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Browser-Tests übersprungen: /usr/bin/chromium fehlt (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Browser-Tests übersprungen: Playwright für Python ist nicht installiert")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1800}, locale="de-DE")
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(tab, name: str) -> Path:
    """Full-page screenshot under tests/e2e/screenshots/, to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def wait_until_rendered(tab, timeout_ms: int = 60_000) -> None:
    """Wait until the script run has finished and no element is still a loading skeleton."""
    tab.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
                 && !document.querySelector('[data-testid="stSkeleton"]')""",
        timeout=timeout_ms,
    )
    tab.wait_for_timeout(500)  # let the data grids paint their canvas


def sign_in(tab, url: str | None = None, *, form=None) -> None:
    """Sign in with the staff account through a sign-in form (the sidebar's unless given), like a person.

    The browser goes on to the sign-in route, which sets the session cookie and sends it back to the page.
    """
    if url is not None:
        tab.goto(url)
    form = form or tab.locator('[data-testid="stSidebar"] [data-testid="stForm"]')
    form.get_by_label("Name").fill("referat.test")
    form.get_by_label("Passwort").fill(STAFF_PASSWORD)
    form.get_by_role("button", name="Anmelden").click()
    tab.get_by_text("Angemeldet:").wait_for(timeout=60_000)
