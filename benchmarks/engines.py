"""Benchmark (issue 18): the large status and the 1 M-row intake on PostgreSQL next to the DuckDB file.

    python -m benchmarks.engines [--areas 11000] [--indicators 40] [--years 15] [--rows 1000000]

Starts a throwaway PostgreSQL server (Debian's `postgresql` package; see benchmarks/postgres.py), builds the
same synthetic store on both engines and measures, each in a fresh process:
- the first status table after the first start (on PostgreSQL with taking the whole replica from the
  server), after a restart (the replica is kept while the data did not change) and after another process
  imported a few values (the replica takes the changed tables);
- prepare + commit of a generated 1,000,000-row Werte file on a fresh store with the shipped catalogue.
Goal: status on PostgreSQL within 2× of DuckDB's, the first page after a start under 5 s.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks import postgres
from benchmarks.common import figure, run_child
from benchmarks.intake import INTAKE

# Built in a child process too: the parent stays small, so the children's peak memory is their own
# (Linux keeps a process's peak RSS across fork and exec).
BUILD = """
import sys, time
from benchmarks.status import build
started = time.perf_counter()
_result = {"values": build(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))}
_result["build"] = time.perf_counter() - started
"""
PREPARE = """
import sys
from benchmarks.intake import write_file
from controlling.bootstrap import initialize
from controlling.db import Store
if sys.argv[1] != "-":
    write_file(__import__("pathlib").Path(sys.argv[1]), int(sys.argv[2]))
for target in sys.argv[3:]:
    store = Store(target)
    initialize(store, demo=False)
    store.close()
_result = {}
"""

STATUS = """
import os, sys, time
if len(sys.argv) > 2:  # a folder without a replica: the first start of a process on this machine
    os.environ["CONTROLLING_REPLICA_DIR"] = sys.argv[2]
started = time.perf_counter()
from controlling.db import Store
from controlling import service
store = Store(sys.argv[1])
opened = time.perf_counter()
table = service.status_table(store)
_result = {"open": opened - started, "status": time.perf_counter() - opened,
           "first": time.perf_counter() - started, "rows": len(table)}
"""

# Another process imports a few values (through the intake, as the command line does).
NUDGE = """
from controlling.db import Store
from controlling.intake import commit, prepare
import sys
store = Store(sys.argv[1])
text = "kennzahl;gebiet;jahr;wert\\n" + "".join(f"BIL-01;99001001;{y};12,5\\n" for y in (2020, 2021))
commit(store, prepare(store, "nachlieferung.csv", text.encode()), user="Benchmark")
_result = {}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark: PostgreSQL neben der DuckDB-Datei")
    parser.add_argument("--areas", type=int, default=11_000, help="Gemeinden mit Werten")
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--years", type=int, default=15)
    parser.add_argument("--rows", type=int, default=1_000_000, help="Zeilen der Importdatei")
    args = parser.parse_args()
    rows: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder, postgres.throwaway_server() as server:
        targets = {
            "DuckDB-Datei": str(Path(folder) / "bench.duckdb"),
            "PostgreSQL": postgres.create_database(server, "bench_status"),
        }
        for engine, target in targets.items():
            rows[engine] = run_child(BUILD, target, str(args.areas), str(args.indicators), str(args.years))
            cold = Path(folder) / f"replica-{len(rows)}"
            rows[engine].update(run_child(STATUS, target, str(cold)))
            again = run_child(STATUS, target, str(cold))  # a restart: on PostgreSQL the replica is kept
            rows[engine].update({"restart": again["first"], "again": again["status"]})
            run_child(NUDGE, target)
            after = run_child(STATUS, target, str(cold))  # the replica takes what the other process changed
            rows[engine].update({"after_import": after["first"]})
        csv_path = Path(folder) / "werte_gross.csv"
        fresh = {
            "DuckDB-Datei": str(Path(folder) / "intake.duckdb"),
            "PostgreSQL": postgres.create_database(server, "bench_intake"),
        }
        run_child(PREPARE, str(csv_path), str(args.rows), *fresh.values())
        for engine, target in fresh.items():
            intake = run_child(INTAKE, target, str(csv_path))
            rows[engine].update(
                {
                    "check": intake["check"],
                    "intake": intake["seconds"],
                    "intake_mib": intake["peak_mib"],
                    "stored": intake["rows"],
                }
            )
    print(
        f"{figure(rows['DuckDB-Datei']['values'], 0)} Werte ({args.areas} Gemeinden × {args.indicators} Kennzahlen "
        f"× {args.years} Jahre); Importdatei {figure(args.rows, 0)} Zeilen"
    )
    print(f"{'':44} {'DuckDB-Datei':>14} {'PostgreSQL':>14} {'Verhältnis':>11}")
    lines = [
        ("Aufbau der Datenbank (s)", "build", 1),
        ("Öffnen nach dem Start (s)", "open", 2),
        ("Statustabelle, erste nach dem Start (s)", "status", 2),
        ("Erste Seite: Start bis Statustabelle (s)", "first", 2),
        ("Neustart: Statustabelle (s)", "again", 2),
        ("Neustart: Start bis Statustabelle (s)", "restart", 2),
        ("Nach Import eines anderen Prozesses (s)", "after_import", 2),
        ("Spitzenspeicher Status (MiB)", "peak_mib", 0),
        ("Import 1 Mio. Zeilen: Prüfen + Vorschau (s)", "check", 2),
        ("Import 1 Mio. Zeilen: mit Speichern (s)", "intake", 2),
        ("Spitzenspeicher Import (MiB)", "intake_mib", 0),
    ]
    duck, pg = rows["DuckDB-Datei"], rows["PostgreSQL"]
    for label, key, decimals in lines:
        ratio = figure(pg[key] / duck[key], 1) if duck[key] else "–"
        print(f"{label:44} {figure(duck[key], decimals):>14} {figure(pg[key], decimals):>14} {ratio:>11}")
    print("Ziele: Status auf PostgreSQL höchstens 2× DuckDB; erste Seite nach dem Start unter 5 s")


if __name__ == "__main__":
    main()
