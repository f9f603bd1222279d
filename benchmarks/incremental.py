"""Benchmark (issue 30, point 2): the status after an import of one Kreis's 500 values on the large store.

    python -m benchmarks.incremental [--db PATH] [--values 500]

On a copy of the store of benchmarks/status.py (built when --db is not given), in one fresh process: the
status table is computed once (all pairs without sentences, and the dashboard's rows with sentences), then
500 values of the reporting Kreis's Gemeinden are imported (the newest year, changed by 5 %). Printed: the
import's seconds, the status after it as kept and brought up to date (only the touched pairs computed), and
the full computation the code did before after every import, with whether both tables are equal.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.common import figure, run_child
from benchmarks.status import build

MEASURE = """
import sys, time
import pandas as pd
from controlling import service
from controlling.db import Store
from controlling.method.overview import dashboard_areas
from controlling.status_cache import STATUS_CACHE
store, count = Store(sys.argv[1]), int(sys.argv[2])
views = {"alle": (None, False), "dashboard": (list(dashboard_areas(store.catalogue.areas())), True)}
_result = {}
for view, (areas, explain) in views.items():
    started = time.perf_counter()
    service.status_table(store, areas=areas, explain=explain)
    _result[view + "_erst"] = time.perf_counter() - started
areas = store.catalogue.areas()
kreis = areas.loc[(areas["level"] == "kreis") & ~areas["comparison"], "code"].min()
gemeinden = areas.loc[areas["parent"] == kreis, "code"]
current = store.values.current_observations(totals_only=True)
newest = current.loc[current["area"].isin(gemeinden) & (current["year"] == current["year"].max())]
chosen = newest.head(count).assign(numerator=lambda f: (f["numerator"] * 1.05).round(), breakdown="")
share = chosen["numerator"] / chosen["denominator"] * 100
chosen["value"] = share.where(chosen["denominator"].notna(), chosen["value"] * 1.05)
chosen = chosen[["indicator", "area", "year", "breakdown", "value", "numerator", "denominator"]]
started = time.perf_counter()
store.intakes.add(chosen, user="Benchmark", file_name="kreis.csv", sha256="-", format="werte")
_result["import"] = time.perf_counter() - started
_result["values"] = len(chosen)
kept = {}
for view, (areas, explain) in views.items():
    started = time.perf_counter()
    kept[view] = service.status_table(store, areas=areas, explain=explain)
    _result[view + "_teilweise"] = time.perf_counter() - started
    _result[view + "_weg"], _result[view + "_zeilen"] = STATUS_CACHE.last
STATUS_CACHE.clear()  # what the code did before: the whole table again after every import
for view, (areas, explain) in views.items():
    started = time.perf_counter()
    whole = service.status_table(store, areas=areas, explain=explain)
    _result[view + "_ganz"] = time.perf_counter() - started
    _result[view + "_gleich"] = bool(kept.pop(view).equals(whole))
    STATUS_CACHE.clear()
    del whole
"""


def main() -> None:
    parser = argparse.ArgumentParser(description="Status nach einem kleinen Import auf der großen Datenbank")
    parser.add_argument("--db", type=Path, default=None, help="große Benchmark-Datenbank (wird kopiert)")
    parser.add_argument("--values", type=int, default=500, help="Werte des Imports")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "gross.duckdb"
        if args.db is None:
            build(path, 11_000, 40, 15)
        else:
            shutil.copy(args.db, path)
        started = time.perf_counter()
        result = run_child(MEASURE, str(path), str(args.values))
        total = time.perf_counter() - started
    print(f"Import von {figure(result['values'], 0)} Werten des berichtenden Kreises: {figure(result['import'], 2)} s")
    for view, label in (("alle", "alle Paare, ohne Sätze"), ("dashboard", "Dashboard, mit Sätzen")):
        print(
            f"{label}: zuerst {figure(result[view + '_erst'], 2)} s; nach dem Import nur die berührten Paare "
            f"({result[view + '_weg']}, {figure(result[view + '_zeilen'], 0)} Zeilen berechnet) "
            f"{figure(result[view + '_teilweise'], 2)} s, ganz neu berechnet (wie bisher) "
            f"{figure(result[view + '_ganz'], 2)} s; gleich: {'ja' if result[view + '_gleich'] else 'NEIN'}"
        )
    print(f"Spitzenspeicher des Messprozesses {figure(result['peak_mib'], 0)} MiB; gesamt {figure(total, 1)} s")


if __name__ == "__main__":
    main()
