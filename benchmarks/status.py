"""Benchmark (issue 3): full status table over 11,000 areas × 40 indicators × 15 years.

    python -m benchmarks.status [--areas 11000] [--indicators 40] [--years 15]

Builds a synthetic store (every Gemeinde in Germany is about 11,000 areas), then, each in a fresh process:
the bare scan of the values (the floor), the lights of every indicator × area without sentences, the
dashboard's table (its areas, with sentences) and the full table with sentences; prints seconds, rows and
peak memory, and the ratio of the lights to the floor (issue 30: at most 3), by wall-clock and by CPU seconds.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.common import figure, run_child
from controlling.db import Store
from controlling.reference.shipped import load_reference

GEMEINDEN_PER_KREIS = 28


def synthetic_areas(count: int) -> pd.DataFrame:
    """`count` Gemeinden with values, in Kreise of 28 (whose values are computed) and one Land."""
    kreise = -(-count // GEMEINDEN_PER_KREIS)
    kreis_codes = [f"99{k:03d}" for k in range(1, kreise + 1)]
    gemeinden = count
    per = np.array_split(np.arange(gemeinden), kreise)
    gemeinde_codes = [f"{kreis_codes[k]}{i - part[0] + 1:03d}" for k, part in enumerate(per) for i in part]
    parents = [kreis_codes[k] for k, part in enumerate(per) for _ in part]
    return pd.DataFrame(
        {
            "code": ["99", *kreis_codes, *gemeinde_codes],
            "name": ["Land", *(f"Kreis {c}" for c in kreis_codes), *(f"Gemeinde {c}" for c in gemeinde_codes)],
            "level": ["land", *["kreis"] * kreise, *["gemeinde"] * len(gemeinde_codes)],
            "parent": [None, *["99"] * kreise, *parents],
            "valid_from": None,
            "valid_to": None,
            "successor": None,
            # One reporting Landkreis; every other Kreis and Gemeinde is a comparison area, as when a
            # Landkreis imports nationwide Regionalstatistik tables.
            "comparison": [True, False, *[True] * (kreise - 1), *[p != kreis_codes[0] for p in parents]],
        }
    )


def synthetic_observations(areas: pd.DataFrame, indicators: pd.DataFrame, years: int) -> pd.DataFrame:
    """Random but plausible values: quotas with numerator and denominator, Kreis rows left to compute."""
    rng = np.random.default_rng(42)
    gemeinden = areas.loc[areas["level"] == "gemeinde", "code"].to_numpy()
    year_values = np.arange(2025 - years, 2025)
    n = len(gemeinden) * len(year_values)
    frames = []
    for code, aggregation in indicators[["code", "aggregation"]].itertuples(index=False):
        trend = rng.normal(0, 0.02)
        base = rng.uniform(5, 60, len(gemeinden))
        level = np.repeat(base, len(year_values)) * (1 + trend * np.tile(year_values - year_values[0], len(gemeinden)))
        level = np.clip(level * rng.normal(1, 0.03, n), 0.1, 99)
        denominator = np.rint(rng.uniform(50, 5000, n))
        numerator = np.rint(denominator * level / 100)
        quota = aggregation == "quote"
        frames.append(
            pd.DataFrame(
                {
                    "indicator": code,
                    "area": np.repeat(gemeinden, len(year_values)),
                    "year": np.tile(year_values, len(gemeinden)),
                    "breakdown": "",
                    "value": numerator / denominator * 100 if quota else np.rint(level * 10),
                    "numerator": numerator if quota else np.nan,
                    "denominator": denominator if quota else np.nan,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def build(path: Path, areas_count: int, indicator_count: int, years: int) -> int:
    """Create the synthetic store; returns the number of observations."""
    reference = load_reference()
    indicators = reference.indicators.head(indicator_count)
    areas = synthetic_areas(areas_count)
    store = Store(path)
    store.catalogue.insert_reference(reference.fields, areas, indicators, user="Benchmark")
    observations = synthetic_observations(areas, indicators, years)
    store.intakes.add(observations, user="Benchmark", file_name="synthetisch", sha256="-", format="werte")
    rated = indicators.loc[indicators["polarity"] != "neutral", "code"]
    targets = pd.DataFrame(
        {
            "indicator": rated,
            "area": "*",
            "target_year": 2030,
            "target_value": 50.0,
            "baseline_year": 2018,
            "decision": "Benchmark",
            "valid_from": pd.Timestamp("2020-01-01").date(),
        }
    )
    store.targets.add(targets, user="Benchmark")
    store.close()
    return len(observations)


MEASURE = """
import sys, time
from controlling.db import Store
from controlling import service
from controlling.method.overview import dashboard_areas
store, mode = Store(sys.argv[1]), sys.argv[2]
started, cpu = time.perf_counter(), time.process_time()
if mode == "boden":
    rows, sentences = store.values.window_scan(), 0
else:
    areas = list(dashboard_areas(store.catalogue.areas())) if mode == "dashboard" else None
    table = service.status_table(store, areas=areas, explain=mode != "ampeln")
    rows = len(table)
    sentences = int(table["explanation"].str.len().gt(0).sum()) if "explanation" in table else 0
_result = {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu, "rows": rows,
           "sentences": sentences}
"""

MODES = {
    "boden": "Boden: ein Lauf über die Werte (sechs neueste Jahre je Kennzahl × Gebiet)",
    "ampeln": "Ampeln, Wetter, Trend für alle Paare, ohne Sätze",
    "dashboard": "Tabelle des Dashboards (Land, Kreise, eigene Gemeinden) mit Sätzen",
    "voll": "volle Tabelle mit Sätzen (status --format csv)",
}


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark der Statustabelle")
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
            print(
                f"Aufbau: {figure(count, 0)} Werte ({args.areas} Gemeinden × {args.indicators} Kennzahlen × "
                f"{args.years} Jahre) in {figure(time.perf_counter() - started)} s"
            )
        results = {mode: run_child(MEASURE, str(path), mode) for mode in MODES}
    for mode, label in MODES.items():
        result = results[mode]
        print(
            f"{label}: {figure(result['seconds'], 2)} s (Rechenzeit aller Threads {figure(result['cpu'], 2)} s), "
            f"{figure(result['rows'], 0)} Zeilen, "
            f"{figure(result['sentences'], 0)} Sätze, Spitzenspeicher {figure(result['peak_mib'], 0)} MiB"
        )
    floor, floor_cpu = results["boden"]["seconds"], results["boden"]["cpu"]
    print(
        f"Verhältnis Ampeln / Boden: {figure(results['ampeln']['seconds'] / floor, 1)} (Ziel: höchstens 3); "
        f"nach Rechenzeit {figure(results['ampeln']['cpu'] / floor_cpu, 1)}"
    )
    print(
        f"Verhältnis volle Tabelle / Boden: {figure(results['voll']['seconds'] / floor, 1)}; "
        f"nach Rechenzeit {figure(results['voll']['cpu'] / floor_cpu, 1)}"
    )
    # On a loaded machine the wall-clock seconds swing with the other processes; the CPU seconds much less.


if __name__ == "__main__":
    main()
