"""Benchmark (issue 30, issue 29 point 9): anonymous visitors at once on the 6.6-million-value store.

    python -m benchmarks.visitors [--db PATH] [--sessions 8] [--visits 6]

Builds the large store of benchmarks/status.py (or copies --db), starts the real server (`streamlit run
dashboard.py`) on it, opens the Übersicht once (the cold start, timed apart), and then lets `--sessions`
anonymous Chromium sessions at once each open `--visits` pages: the pages of the Berichtsteil in turn, each
with another Berichtsjahr (?jahr=…). A page counts as shown when its heading is there and Streamlit has
stopped running the script. Prints the median and the 90th percentile of the page times and the peak
resident memory (RSS) of the server. Goals (idle machine): median under 2 s, p90 under 4 s, RSS under 3 GiB.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import figure
from benchmarks.memory import CHROMIUM, CHROMIUM_FLAGS, Sampler, first_visit, own_peak_mib, prepare, server

PAGES = ("", "handlungsfeld", "kennzahl", "gemeinde", "vergleich", "karte", "leitbild", "massnahmen")
GOALS = {"median": 2.0, "p90": 4.0, "rss_mib": 3072.0}
# Shown: a first-level heading, and Streamlit no longer running the script (its status widget gone).
SHOWN = """() => document.querySelector('h1') !== null
    && document.querySelector('[data-testid="stStatusWidget"]') === null
    && document.querySelector('[data-testid="stSkeleton"]') === null"""


async def sessions(url: str, count: int, visits: int, years: list[int]) -> list[tuple[str, float]]:
    """`count` anonymous sessions at once, each opening `visits` pages; (page, seconds) of every visit."""
    from playwright.async_api import async_playwright

    times: list[tuple[str, float]] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)

        async def visitor(number: int) -> None:
            context = await browser.new_context(viewport={"width": 1280, "height": 1000}, locale="de-DE")
            page = await context.new_page()
            for visit in range(visits):
                path = PAGES[(number + visit) % len(PAGES)]
                year = years[(number * visits + visit) % len(years)]
                started = time.perf_counter()
                try:
                    await page.goto(f"{url}/{path}?jahr={year}")
                    await page.wait_for_function(SHOWN, timeout=300_000, polling=100)
                except Exception as error:  # a page that never shows counts with its time, and is named
                    print(f"  /{path}?jahr={year}: {type(error).__name__}")
                times.append((path or "uebersicht", time.perf_counter() - started))
            await context.close()

        await asyncio.gather(*(visitor(number) for number in range(count)))
        await browser.close()
    return times


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description="Seitenzeiten und Speicher unter gleichzeitigen anonymen Besuchern")
    parser.add_argument("--db", type=Path, default=None, help="große Benchmark-Datenbank (wird kopiert)")
    parser.add_argument("--sessions", type=int, default=8, help="gleichzeitige anonyme Sitzungen")
    parser.add_argument("--visits", type=int, default=6, help="Seitenaufrufe je Sitzung")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path, _, years = prepare(Path(folder), args.db)
        with server(path) as (url, process):
            sampler = Sampler(process.pid)
            sampler.start()
            started = time.perf_counter()
            asyncio.run(first_visit(url))
            print(f"Erster Besuch nach dem Start (Übersicht): {figure(time.perf_counter() - started, 1)} s")
            times = asyncio.run(sessions(url, args.sessions, args.visits, years))
            sampler.running = False
            sampler.join()
            peak = max(sampler.peak, own_peak_mib(process.pid))
    seconds = [took for _, took in times]
    median, p90 = statistics.median(seconds), percentile(seconds, 0.9)
    print(f"{args.sessions} Sitzungen × {args.visits} Seiten = {len(seconds)} Seitenaufrufe")
    for name in dict.fromkeys(page for page, _ in times):
        mine = [took for page, took in times if page == name]
        print(f"  {name}: Median {figure(statistics.median(mine), 1)} s, höchstens {figure(max(mine), 1)} s")

    def verdict(value: float, goal: float) -> str:
        return "eingehalten" if value < goal else "VERFEHLT"

    print(f"Median Seitenzeit: {figure(median, 1)} s (Ziel unter 2 s: {verdict(median, GOALS['median'])})")
    print(f"90. Perzentil: {figure(p90, 1)} s (Ziel unter 4 s: {verdict(p90, GOALS['p90'])})")
    print(
        f"Spitzenspeicher des Servers (RSS, samt Kindprozessen): {figure(peak, 0)} MiB "
        f"(Ziel unter 3.072 MiB: {verdict(peak, GOALS['rss_mib'])})"
    )


if __name__ == "__main__":
    main()
