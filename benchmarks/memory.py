"""Benchmark (issue 17): anonymous visitors on the 6.6-million-value store keep the server under 4 GiB.

    python -m benchmarks.memory [--db PATH] [--sign-ins 100] [--years 30] [--reports 10] [--parallel 4]

Builds the large store of benchmarks/status.py (11,000 Gemeinden × 40 Kennzahlen × 15 Jahre; or copies
--db), adds one staff account (so the sign-in form shows), starts the real server (`streamlit run
dashboard.py`) on it and drives it with Chromium like anonymous visitors, `--parallel` at a time:
failed sign-ins in the sidebar, year switches on the Übersicht (each a new visit with ?jahr=…), and
"Bericht erstellen" on the Bericht page. Meanwhile it samples the resident memory (RSS) of the server's
whole process tree (the server and any Chromium it starts for a report) every 0.2 s and prints the peak
per phase and overall. Goal: under 4 GiB. It also checks that the failed sign-ins moved no data version.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from benchmarks.common import figure
from benchmarks.status import build

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
GOAL_MIB = 4096
STAFF, PASSWORD = "referat.messung", "messung-passwort-2026"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]


def tree_memory_mib(root: int) -> tuple[float, float]:
    """(RSS, PSS) of a process and all its descendants, from /proc (MiB).

    The RSS sum counts pages that processes share (Chromium's many processes share most of their
    libraries) once per process, so it overstates; PSS gives each process its share of them.
    """
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid, parent = int(entry.name), int(fields["PPid"].strip())
        children.setdefault(parent, []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, proportional, todo = 0, 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        with contextlib.suppress(OSError, IndexError, ValueError):
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            proportional += int(rollup.split("\nPss:", 1)[1].split()[0])
        todo.extend(children.get(pid, []))
    return total / 1024, proportional / 1024


def own_peak_mib(pid: int) -> float:
    """The kernel's high-water mark of one process's resident memory (VmHWM, MiB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Sampler(threading.Thread):
    """Samples the server tree's RSS; keeps the peak of the whole run and of the current phase."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.running = pid, True
        self.peak, self.phase_peak, self.pss_peak = 0.0, 0.0, 0.0

    def run(self) -> None:
        while self.running:
            with contextlib.suppress(OSError, KeyError, ValueError):
                now, proportional = tree_memory_mib(self.pid)
                self.peak, self.phase_peak = max(self.peak, now), max(self.phase_peak, now)
                self.pss_peak = max(self.pss_peak, proportional)
            time.sleep(0.2)

    def next_phase(self) -> float:
        """The peak since the last call (and start a new phase)."""
        peak, self.phase_peak = self.phase_peak, 0.0
        return peak


def prepare(folder: Path, source: Path | None) -> tuple[Path, int, list[int]]:
    """The store to serve (built, or copied from --db) with one staff account; its data version and years."""
    from controlling import auth
    from controlling.bootstrap import initialize
    from controlling.db import Store

    path = folder / "gross.duckdb"
    if source is None:
        started = time.perf_counter()
        count = build(path, 11_000, 40, 15)
        print(f"Aufbau: {figure(count, 0)} Werte in {figure(time.perf_counter() - started)} s")
    else:
        shutil.copy(source, path)
    store = Store(path)
    initialize(store, demo=False)  # what the server's start would add (e.g. the shipped goal system), done now
    auth.add_account(store, STAFF, "referat", PASSWORD, by="Messung")
    version, years = store.data_version(), store.values.years()
    store.close()
    return path, version, years


def audit_after(path: Path) -> tuple[int, int]:
    """(data version, refused sign-in attempts) once the server has stopped.

    Attempts are recorded in sign_in_attempt, apart from the audit log that keys the page caches.
    """
    from controlling.db import Store

    store = Store(path)
    try:
        attempts = store.signins.attempts()
        return store.data_version(), int(attempts["outcome"].isin(["abgelehnt", "gesperrt"]).sum())
    finally:
        store.close()


@contextlib.contextmanager
def server(path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`streamlit run dashboard.py` on the store; stopped (this process only) afterwards."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {**os.environ, "CONTROLLING_DB": str(path)}
    command = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    log = (path.parent / "server.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("Der Streamlit-Server ist nicht gestartet.") from None
                time.sleep(0.3)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


async def visitors(count: int, parallel: int, visit) -> list[str]:  # type: ignore[no-untyped-def]
    """Run `visit(page, index)` for index 0..count-1, `parallel` anonymous visitors at a time."""
    from playwright.async_api import async_playwright

    outcomes: list[str] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(count):
        queue.put_nowait(index)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)

        async def worker() -> None:
            context = await browser.new_context(viewport={"width": 1280, "height": 1000}, locale="de-DE")
            page = await context.new_page()
            while not queue.empty():
                index = queue.get_nowait()
                try:
                    outcomes.append(await visit(page, index))
                except Exception as error:  # a visit that times out is counted, not fatal
                    outcomes.append(f"Fehler: {type(error).__name__}")
            await context.close()

        await asyncio.gather(*(worker() for _ in range(parallel)))
        await browser.close()
    return outcomes


def phases(url: str, args: argparse.Namespace, years: list[int]) -> Iterator[tuple[str, list[str]]]:
    """The three phases; each yields its name and the outcome of every visit."""

    async def sign_in(page, index: int) -> str:  # type: ignore[no-untyped-def]
        await page.goto(url)  # every attempt a new visit, as a script that floods the form would do
        name = page.get_by_label("Name")
        await name.wait_for(timeout=120_000)
        await name.fill(f"besuch.{index}" if index % 2 else STAFF)
        await page.get_by_label("Passwort").fill(f"falsch-{index}")
        await page.get_by_role("button", name="Anmelden", exact=True).click()
        # a wrong password is refused; after 10 failures for a name it is locked out (issue 17), faster
        answer = page.get_by_text("Anmeldung fehlgeschlagen").or_(page.get_by_text("Zu viele Fehlversuche"))
        try:
            await answer.first.wait_for(timeout=30_000)
        except Exception:
            return "ohne Antwort"
        return "gesperrt" if "Zu viele" in await answer.first.inner_text() else "abgewiesen"

    async def switch_year(page, index: int) -> str:  # type: ignore[no-untyped-def]
        year = years[index % len(years)]
        await page.goto(f"{url}/?jahr={year}")
        await page.get_by_role("heading", name=re.compile(rf"Übersicht .* {year}")).wait_for(timeout=600_000)
        return "gezeigt"

    async def ask_report(page, index: int) -> str:  # type: ignore[no-untyped-def]
        await page.goto(f"{url}/bericht")
        await page.get_by_role("button", name="Bericht erstellen").click(timeout=600_000)
        done = page.get_by_text(re.compile("ist fertig|Gerade werden schon|Bericht .* nicht"))
        await done.first.wait_for(timeout=1_800_000)
        text = await done.first.inner_text()
        return "fertig" if "ist fertig" in text else "abgewiesen (Warteschlange voll)"

    yield "Fehlgeschlagene Anmeldungen", asyncio.run(visitors(args.sign_ins, args.parallel, sign_in))
    yield "Jahreswechsel (Übersicht)", asyncio.run(visitors(args.years, args.parallel, switch_year))
    yield "Berichte angefordert", asyncio.run(visitors(args.reports, args.parallel, ask_report))


def tally(outcomes: list[str]) -> str:
    counts = {outcome: outcomes.count(outcome) for outcome in sorted(set(outcomes))}
    return ", ".join(f"{count} {outcome}" for outcome, count in counts.items())


def main() -> None:
    parser = argparse.ArgumentParser(description="Speicher des Servers unter anonymen Besuchern")
    parser.add_argument("--db", type=Path, default=None, help="große Benchmark-Datenbank (wird kopiert)")
    parser.add_argument("--sign-ins", type=int, default=100, help="fehlgeschlagene Anmeldungen")
    parser.add_argument("--years", type=int, default=30, help="Jahreswechsel auf der Übersicht")
    parser.add_argument("--reports", type=int, default=10, help="Klicks auf »Bericht erstellen«")
    parser.add_argument("--parallel", type=int, default=4, help="gleichzeitige Besucher")
    args = parser.parse_args()
    from controlling.table_cache import MIB, configured_budget

    with tempfile.TemporaryDirectory() as folder:
        path, version_before, years = prepare(Path(folder), args.db)
        print(
            f"Zwischenspeicher-Budget (CONTROLLING_CACHE_MB): {figure(configured_budget() / MIB, 0)} MiB; "
            f"gleichzeitige Besucher: {args.parallel}"
        )
        with server(path) as (url, process):
            sampler = Sampler(process.pid)
            sampler.start()
            started = time.perf_counter()
            asyncio.run(first_visit(url))
            print(
                f"Erster Besuch (Öffnen, erste Ampeln): {figure(time.perf_counter() - started, 1)} s, "
                f"Spitze {figure(sampler.next_phase(), 0)} MiB"
            )
            for name, outcomes in phases(url, args, years):
                seconds = time.perf_counter() - started
                print(
                    f"{name}: {len(outcomes)} ({tally(outcomes)}); bis hier {figure(seconds, 0)} s, "
                    f"Spitze dieser Phase {figure(sampler.next_phase(), 0)} MiB"
                )
            time.sleep(1)
            sampler.running = False
            sampler.join()
            server_peak = own_peak_mib(process.pid)
        version_after, failures = audit_after(path)
    print(
        f"Abgewiesene oder gesperrte Anmeldeversuche (sign_in_attempt): {failures}; "
        f"Datenversion vorher {version_before}, "
        f"nachher {version_after} ({'unverändert' if version_after == version_before else 'VERÄNDERT'})"
    )
    print(f"Spitze des Serverprozesses allein (VmHWM): {figure(server_peak, 0)} MiB")
    print(f"Spitze samt Kindprozessen, geteilte Seiten anteilig (PSS): {figure(sampler.pss_peak, 0)} MiB")
    peak = max(sampler.peak, server_peak)  # sampling may miss a short peak that VmHWM holds
    verdict = "eingehalten" if peak < GOAL_MIB else "VERFEHLT"
    print(
        f"Spitzenspeicher des Servers samt Kindprozessen (RSS): {figure(peak, 0)} MiB "
        f"(Ziel: unter {figure(GOAL_MIB, 0)} MiB – {verdict})"
    )


async def first_visit(url: str) -> None:
    """Open the Übersicht once (the cold start)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = await browser.new_page()
        await page.goto(url)
        await page.get_by_role("heading", name=re.compile(r"Übersicht .* \d{4}")).wait_for(timeout=900_000)
        await browser.close()


if __name__ == "__main__":
    main()
