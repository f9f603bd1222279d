"""Benchmark (issue 5): server time of every page, on the demo data and on the large synthetic store.

    python -m benchmarks.pages [--large PATH]

Runs each page with Streamlit's AppTest (the script on the server, no browser): the first run computes
and caches, the second run is what a reader gets after that. Goal: under 1 s on the demo data, under
3 s on the large store (11,000 Gemeinden, see benchmarks/status.py, which builds it with --db PATH).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from benchmarks.common import figure

ROOT = Path(__file__).resolve().parent.parent
PAGES = (
    "uebersicht",
    "handlungsfeld",
    "kennzahl",
    "gemeinde",
    "vergleich",
    "karte",
    "bericht",
    "daten_hochladen",
    "ziele",
    "einordnung",
    "protokoll",
)
LIMIT = 120  # seconds per page run before it counts as "über 120 s"


def measure(database: Path) -> list[tuple[str, float, float]]:
    """(page, first run s, second run s) for every page against one database file."""
    from streamlit.testing.v1 import AppTest

    from controlling.ui import SignedIn

    os.environ["CONTROLLING_DB"] = str(database)
    os.chdir(ROOT)
    results = []
    started = time.perf_counter()
    AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600).run()
    results.append(("(Kaltstart)", time.perf_counter() - started, float("nan")))
    for page in PAGES:
        app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=LIMIT)
        app.session_state["_signed_in"] = SignedIn(name="Messung", role="referat", via="konto")
        app.run()
        timings = []
        for _ in range(2):
            started = time.perf_counter()
            try:
                app.switch_page(f"pages/{page}.py").run()
            except RuntimeError:  # AppTest's own time limit
                timings.append(float("inf"))
                continue
            timings.append(time.perf_counter() - started)
            if app.exception:
                raise SystemExit(f"{page}: {app.exception[0].value}")
        results.append((page, timings[0], timings[1]))
    return results


def report(title: str, results: list[tuple[str, float, float]], goal: float) -> None:
    print(f"{title} (Ziel: unter {figure(goal, 0)} s je Seite, zweiter Aufruf)")
    for page, first, second in results:
        if page == "(Kaltstart)":
            print(f"  erster Seitenaufruf nach dem Start (Öffnen, Berechnen, Zwischenspeichern): {figure(first, 2)} s")
            continue

        def shown(seconds: float) -> str:
            return "über 120" if seconds == float("inf") else figure(seconds, 2)

        print(f"  {page:<16} erster Aufruf {shown(first):>8} s   danach {shown(second):>8} s")


def main() -> None:
    parser = argparse.ArgumentParser(description="Renderzeiten der Seiten")
    parser.add_argument("--large", type=Path, default=None, help="große Datenbank aus benchmarks.status --db")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        report("Demodaten", measure(Path(folder) / "demo.duckdb"), 1)
    if args.large is not None:
        report(f"Große Datenbank {args.large}", measure(args.large), 3)


if __name__ == "__main__":
    main()
