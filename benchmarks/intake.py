"""Benchmark (issue 4): a generated 1,000,000-row Werte file is validated and committed.

    python -m benchmarks.intake [--rows 1000000]

Prints the seconds and peak memory of prepare + commit (in a fresh process, on a fresh store with the
shipped catalogue) and the ratio to DuckDB's bare read_csv of the same file. Goal: under 20 s, under
2 GiB, ratio under 10.

The bare read is read_csv reading every value of the file (into a table): what any import has to do at
least. `SELECT count(*) FROM read_csv(...)` is printed for comparison; there DuckDB only finds the line
ends and builds no value, so it is not a reading of the file's values (writing the million rows into the
database alone takes about twice as long as that count).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.common import figure, run_child
from controlling.bootstrap import initialize
from controlling.db import Store
from controlling.reference.shipped import load_reference


def write_file(path: Path, rows: int) -> None:
    """kennzahl;gebiet;jahr;wert;zaehler;nenner;aufschluesselung with unique keys, German decimals."""
    reference = load_reference()
    quotas = reference.indicators.loc[reference.indicators["aggregation"] == "quote", "code"].to_numpy()
    areas = reference.areas.loc[reference.areas["valid_to"].isna(), "code"].to_numpy()
    years = np.arange(2015, 2025)
    per_breakdown = len(quotas) * len(areas) * len(years)
    breakdowns = -(-rows // per_breakdown)
    rng = np.random.default_rng(1)
    grid = (
        pd.MultiIndex.from_product(
            [quotas, areas, years, [f"Gruppe=G{i:05d}" for i in range(breakdowns)]],
            names=["kennzahl", "gebiet", "jahr", "aufschluesselung"],
        )
        .to_frame(index=False)
        .head(rows)
    )
    denominator = rng.integers(100, 5000, len(grid))
    numerator = (denominator * rng.uniform(0.05, 0.6, len(grid))).astype(int)
    grid["wert"] = np.char.replace(np.char.mod("%.1f", numerator / denominator * 100), ".", ",")
    grid["zaehler"] = numerator
    grid["nenner"] = denominator
    grid[["kennzahl", "gebiet", "jahr", "wert", "zaehler", "nenner", "aufschluesselung"]].to_csv(
        path, sep=";", index=False
    )


INTAKE = """
import sys, time
from pathlib import Path
from controlling.intake import commit, prepare
from controlling.db import Store
store = Store(sys.argv[1])
path = Path(sys.argv[2])
started = time.perf_counter()
preview = prepare(store, path.name, path.read_bytes())
checked = time.perf_counter()
intake_id = commit(store, preview, user="Benchmark")
_result = {"seconds": time.perf_counter() - started, "check": checked - started, "rows": preview.count("new"),
           "rejected": preview.rejected, "intake": intake_id}
"""

# DuckDB's bare read_csv, twice: counting the rows (DuckDB may skip building the values) and reading
# every value into a table (what any import has to do at least). Best of three each.
BARE = """
import sys, time, duckdb
con = duckdb.connect()
def best(sql):
    times = []
    for _ in range(3):
        started = time.perf_counter()
        con.execute(sql, [sys.argv[1]]).fetchall()
        times.append(time.perf_counter() - started)
    return min(times)
options = "delim=';', header=true, all_varchar=true"
_result = {"count": best(f"SELECT count(*) FROM read_csv(?, {options})"),
           "table": best(f"CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv(?, {options})")}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark des Imports")
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        csv_path, db_path = Path(folder) / "werte_gross.csv", Path(folder) / "bench.duckdb"
        write_file(csv_path, args.rows)
        store = Store(db_path)
        initialize(store, demo=False)
        store.close()
        size = csv_path.stat().st_size / 1024 / 1024
        intake = run_child(INTAKE, str(db_path), str(csv_path))
        bare = run_child(BARE, str(csv_path))
    print(f"Datei: {figure(args.rows, 0)} Zeilen, {figure(size, 1)} MB")
    print(
        f"Prüfen und Vorschau: {figure(intake['check'], 2)} s; mit Speichern: {figure(intake['seconds'], 2)} s "
        f"(Ziel: unter 20 s); gespeichert: {figure(intake['rows'], 0)} Werte, abgelehnt: {intake['rejected']}"
    )
    print(f"Spitzenspeicher des Prozesses: {figure(intake['peak_mib'], 0)} MiB (Ziel: unter 2.048 MiB)")
    print(
        f"DuckDB read_csv derselben Datei, jeder Wert gelesen: {figure(bare['table'], 2)} s; Verhältnis: "
        f"{figure(intake['seconds'] / bare['table'], 1)} (Ziel: unter 10)"
    )
    print(
        f"Zum Vergleich: read_csv nur Zeilen gezählt (ohne Werte zu bilden): {figure(bare['count'], 2)} s; "
        f"Verhältnis: {figure(intake['seconds'] / bare['count'], 1)}"
    )


if __name__ == "__main__":
    main()
