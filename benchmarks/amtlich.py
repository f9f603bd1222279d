"""The official-data command on a whole release: seconds, peak memory, what it filled, and a second run.

    python -m benchmarks.amtlich [QUELLE]     (default: ../shared/published/lsn-integrationsmonitoring-2025-12)

Runs `python -m controlling amtlich QUELLE` twice on a fresh store (without demo data) in a child process, and
prints: the seconds and peak memory of each run; per bound Kennzahl its source and how many values landed for
the Landkreis Peine, the Land, and how many Kreise and Gemeinden have values; ten stored values beside the same
cell of the published file; and the rated Kennzahlen that published data alone fill for Peine.
"""

from __future__ import annotations

import argparse
import csv
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from controlling.db import Store
from controlling.formatting import format_number
from controlling.reference.bindings import catalogue_bindings

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "published" / "lsn-integrationsmonitoring-2025-12"
HOME = "03157"
# Ten cells of the release, each a value the store must hold identically: (Kennzahl, file, GeoCode, year, filter).
SAMPLES: tuple[tuple[str, str, str, str, dict[str, str]], ...] = (
    ("KTX-02", "indicator_1-2-1.csv", "K03157", "2024", {}),
    ("KTX-03", "indicator_1-1-1.csv", "K03157", "2024", {}),
    ("KTX-01", "indicator_1-2-2.csv", "K03157", "2024", {}),
    ("KTX-01", "indicator_1-2-2.csv", "K03151", "2020", {}),
    (
        "BIL-03",
        "indicator_4-1-4.csv",
        "K03157",
        "2024",
        {"Nationalität": "Ausländerinnen und Ausländer", "Units": "Prozent"},
    ),
    (
        "BIL-03",
        "indicator_4-1-4.csv",
        "K030",
        "2015",
        {"Nationalität": "Ausländerinnen und Ausländer", "Units": "Prozent"},
    ),
    (
        "ARB-11",
        "indicator_6-2-1.csv",
        "K03157",
        "2024",
        {"Nationalität": "Ausländerinnen und Ausländer", "Units": "Quote"},
    ),
    (
        "GES-10",
        "indicator_2-1-3.csv",
        "RH03157",
        "2024",
        {"Befristung": "zeitlich unbefristet", "Geschlecht": "insgesamt", "Units": "Prozent"},
    ),
    (
        "KTX-07",
        "indicator_1-3-1.csv",
        "MZ03157",
        "2024",
        {"Kategorie": "Personen mit Migrationshintergrund im weiteren Sinne", "Units": "%"},
    ),
    ("KTX-16", "indicator_5-2-1.csv", "K03241", "2023", {"Geschlecht": "Insgesamt", "Units": "Anzahl"}),
)


def run(db: Path, source: Path) -> tuple[float, float, str]:
    """One run of the command in a child process: seconds, peak MiB of that child, its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "controlling", "--db", str(db), "amtlich", str(source), "--user", "benchmark"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - start
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    return seconds, peak, done.stdout


def published_cell(source: Path, file: str, geocode: str, year: str, wanted: dict[str, str]) -> str:
    """The Value of the release's row with this GeoCode, year and labels."""
    with (source / "data" / file).open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row.get("GeoCode") == geocode and row["Year"] == year and all(row[k] == v for k, v in wanted.items()):
                return row["Value"]
    return "(nicht gefunden)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "amtlich.duckdb"
        subprocess.run(
            [sys.executable, "-m", "controlling", "--db", str(db), "init"], check=True, cwd=ROOT, capture_output=True
        )
        first = run(db, args.source)
        second = run(db, args.source)
        print(f"1. Lauf: {format_number(first[0], 1)} s, Spitze {format_number(first[1], 0)} MiB")
        print(f"2. Lauf: {format_number(second[0], 1)} s, Spitze {format_number(second[1], 0)} MiB")
        print("2. Lauf sagt: " + second[2].strip().splitlines()[-1])
        store = Store(db)
        indicators = store.catalogue.indicators().set_index("code")
        coverage = store.values.coverage(HOME).set_index("indicator").to_dict("index")
        print("\nKennzahl | bewertet | Quelle | Werte Peine | Werte Land | Kreise | Gemeinden")
        rated_filled = []
        for binding in catalogue_bindings(indicators.reset_index()):  # the bound Kennzahlen: a few dozen
            code = binding.indicator
            row = coverage.get(code)
            rated = indicators.loc[code, "polarity"] != "neutral"
            peine = 0 if row is None else int(row["home_values"])
            if rated and peine:
                rated_filled.append(code)
            cells = (
                ("0", "0", "0", "0")
                if row is None
                else (str(peine), str(int(row["land_values"])), str(int(row["kreise"])), str(int(row["gemeinden"])))
            )
            print(f"{code} | {'ja' if rated else 'nein'} | {', '.join(binding.publications())} | " + " | ".join(cells))
        print(
            f"\nBewertete Kennzahlen mit Werten für Peine allein aus Veröffentlichungen: {len(rated_filled)} "
            f"({', '.join(rated_filled)})"
        )
        print("\nZehn Werte aus der Datenbank neben derselben Zelle der Veröffentlichung:")
        values = store.values.current_observations(totals_only=True).set_index(["indicator", "area", "year"])
        for code, file, geocode, year, wanted in SAMPLES:
            area = geocode.lstrip("KRHMZ")
            area = area[:2] if area == "030" else area
            stored = values["value"].get((code, area, int(year)))
            cell = published_cell(args.source, file, geocode, year, wanted)
            same = stored is not None and cell not in ("", "(nicht gefunden)") and float(cell) == float(stored)
            verdict = "gleich" if same else "VERSCHIEDEN"
            print(f"{code} {area} {year}: Datenbank {stored} | {file} {geocode} »{cell}« | {verdict}")
        store.close()


if __name__ == "__main__":
    main()
