"""Benchmark (issue 13): a generated GENESIS classic table of about 50 MB is read, checked and committed.

    python -m benchmarks.genesis [--mb 50]

The table has the shape of a Gemeinde table as downloaded: title lines, three header rows of column
dimensions and a unit row, a date column, region key and name, one row dimension (Altersgruppe), six
value columns with special values, and a footer. Its areas are Gemeinden of all Germany, so most rows
are skipped (not in the area list) as they are with a real download. Goal: under 30 s.
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

HEADER = (
    "GENESIS-Tabelle: 99999-01-01-5\n"
    "Bevölkerung nach Nationalität, Geschlecht und Altersgruppen;;;;;;;;;\n"
    "- Stichtag 31.12. - regionale Tiefe: Gemeinden;;;;;;;;;\n"
    ";;;;Nationalität;Nationalität;Nationalität;Nationalität;Nationalität;Nationalität\n"
    ";;;;Insgesamt;Insgesamt;Insgesamt;Ausländer(innen);Ausländer(innen);Ausländer(innen)\n"
    ";;;;Geschlecht;Geschlecht;Geschlecht;Geschlecht;Geschlecht;Geschlecht\n"
    ";;;;Insgesamt;männlich;weiblich;Insgesamt;männlich;weiblich\n"
    ";;;;Anzahl;Anzahl;Anzahl;Anzahl;Anzahl;Anzahl\n"
)
FOOTER = '__________\n"© Statistische Ämter des Bundes und der Länder, Deutschland."\n'
AGES = ("unter 18 Jahre", "18 bis unter 65 Jahre", "65 Jahre und mehr", "Insgesamt")


def write_table(path: Path, megabytes: float) -> int:
    """A classic table of about `megabytes` MB; returns its number of data lines."""
    rng = np.random.default_rng(13)
    per_line = 88  # bytes of one data line, roughly
    lines = int(megabytes * 1024 * 1024 / per_line)
    years = np.arange(2008, 2024)
    gemeinden = -(-lines // (len(years) * len(AGES)))
    peine = [f"03157{i:03d}" for i in (1, 2, 5, 6, 7, 8)]  # the Gemeinden valid in every year
    codes = peine + [f"{i:08d}" for i in range(1001001, 1001001 + gemeinden - len(peine))]
    grid = pd.MultiIndex.from_product([years, codes, AGES], names=["year", "code", "age"]).to_frame(index=False)
    grid = grid.head(lines)
    values = rng.integers(0, 60000, size=(len(grid), 6)).astype(str)
    values[rng.random(values.shape) < 0.02] = "."
    values[rng.random(values.shape) < 0.01] = "-"
    body = pd.DataFrame(values)
    body.insert(0, "age", grid["age"])
    body.insert(0, "name", "      Gemeinde " + grid["code"])
    body.insert(0, "code", grid["code"])
    body.insert(0, "date", "31.12." + grid["year"].astype(str))
    with path.open("w", encoding="utf-8") as file:
        file.write(HEADER)
        body.to_csv(file, sep=";", header=False, index=False)
        file.write(FOOTER)
    return len(grid)


INTAKE = """
import os, sys, time
os.environ["CONTROLLING_MAX_UPLOAD_MB"] = "100"  # the table may come out a little over the default 50 MB
from pathlib import Path
from controlling.intake import commit, prepare
from controlling.db import Store
store = Store(sys.argv[1])
path = Path(sys.argv[2])
started = time.perf_counter()
preview = prepare(store, path.name, path.read_bytes(), create_missing_indicators=True)
checked = time.perf_counter()
intake_id = commit(store, preview, user="Benchmark")
_result = {"seconds": time.perf_counter() - started, "check": checked - started, "rows": preview.count("new"),
           "skipped": len(preview.skipped), "rejected": preview.rejected}
"""


def main() -> None:
    """Generate the table, import it in a fresh process, print time and peak memory in German."""
    parser = argparse.ArgumentParser(description="Benchmark einer großen GENESIS-Tabelle")
    parser.add_argument("--mb", type=float, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        csv_path, db_path = Path(folder) / "99999-01-01-5.csv", Path(folder) / "bench.duckdb"
        lines = write_table(csv_path, args.mb)
        store = Store(db_path)
        initialize(store, demo=False)
        store.close()
        size = csv_path.stat().st_size / 1024 / 1024
        result = run_child(INTAKE, str(db_path), str(csv_path))
    print(f"GENESIS-Tabelle: {figure(size, 1)} MB, {figure(lines, 0)} Datenzeilen, {figure(lines * 6, 0)} Werte")
    print(
        f"Lesen, Prüfen und Vorschau: {figure(result['check'], 1)} s; mit Speichern: {figure(result['seconds'], 1)} s "
        f"(Ziel: unter 30 s)"
    )
    print(
        f"Gespeichert: {figure(result['rows'], 0)} Werte, übersprungen: {figure(result['skipped'], 0)} Zeilen, "
        f"abgelehnt: {figure(result['rejected'], 0)}"
    )
    print(f"Spitzenspeicher des Prozesses: {figure(result['peak_mib'], 0)} MiB")


if __name__ == "__main__":
    main()
