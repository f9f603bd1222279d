"""Benchmark (issue 14): the delivery calendar of a year and a provider's template on the status benchmark's store.

    python -m benchmarks.deliveries [--areas 11000] [--indicators 40] [--years 15] [--db PATH]

The calendar reads which committed intakes brought values of the year (one SQL over every observation) and
computes the state of each delivery column-wise; the template reads last year's values of the provider's
indicators. Prints seconds and the peak memory of a fresh process.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.common import figure, run_child
from benchmarks.status import build

MEASURE = """
import sys, time, datetime as dt
from controlling.db import Store
from controlling.deliveries import service as delivery_service
store = Store(sys.argv[1])
started = time.perf_counter()
rows = delivery_service.delivery_calendar(store, 2024, today=dt.date(2026, 12, 1))
calendar_seconds = time.perf_counter() - started
started = time.perf_counter()
template = delivery_service.provider_template(store, "Jobcenter Landkreis Peine", 2025)
_result = {"calendar": calendar_seconds, "rows": len(rows), "arrived": int((rows["state"] == "eingegangen").sum()),
           "template": time.perf_counter() - started, "lines": template.count(b"\\n")}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark des Lieferkalenders")
    parser.add_argument("--areas", type=int, default=11_000, help="Gemeinden mit Werten")
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--years", type=int, default=15)
    parser.add_argument("--db", type=Path, default=None, help="vorhandene Benchmark-Datenbank wiederverwenden")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "bench.duckdb"
        if not path.exists():
            started = time.perf_counter()
            count = build(path, args.areas, args.indicators, args.years)
            print(f"Aufbau: {figure(count, 0)} Werte in {figure(time.perf_counter() - started)} s")
        result = run_child(MEASURE, str(path))
    print(
        f"Lieferkalender 2024: {figure(result['rows'], 0)} Lieferungen, davon {figure(result['arrived'], 0)} "
        f"eingegangen, in {figure(result['calendar'], 2)} s"
    )
    print(f"Vorlage Jobcenter 2025: {figure(result['lines'], 0)} Zeilen in {figure(result['template'], 2)} s")
    print(f"Spitzenspeicher des Prozesses: {figure(result['peak_mib'], 0)} MiB")


if __name__ == "__main__":
    main()
