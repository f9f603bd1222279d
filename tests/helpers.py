"""Small in-memory stores built for one test."""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np
import pandas as pd

from controlling.db import Store
from controlling.reference.shipped import ReferenceData, load_reference


@cache
def _reference() -> ReferenceData:
    return load_reference()


def make_indicators(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Indicator rows with defaults for every catalogue column."""
    defaults = {
        "name": "Testkennzahl",
        "field": "BIL",
        "unit": "%",
        "polarity": "hoch",
        "decimals": 1,
        "aggregation": "keine",
        "factor": np.nan,
        "definition": "Test",
        "source": "Test",
        "threshold_green": np.nan,
        "threshold_yellow": np.nan,
    }
    return pd.DataFrame([{**defaults, **row} for row in rows])


def make_store(indicators: pd.DataFrame, areas: pd.DataFrame | None = None, address: str = ":memory:") -> Store:
    """A store (in memory, or at an empty `address`) with the shipped fields, the given indicators and areas
    (default: data/)."""
    store = Store(address)
    reference = _reference()
    store.catalogue.insert_reference(
        reference.fields, reference.areas if areas is None else areas, indicators, user="Test"
    )
    return store


def add_values(store: Store, rows: list[tuple[object, ...]]) -> int:
    """rows: (indicator, area, year, value[, numerator, denominator])."""
    frame = pd.DataFrame(
        [(*row, *([None] * (6 - len(row)))) for row in rows],
        columns=["indicator", "area", "year", "value", "numerator", "denominator"],
    )
    frame["breakdown"] = ""
    frame[["value", "numerator", "denominator"]] = frame[["value", "numerator", "denominator"]].astype(float)
    return store.intakes.add(frame, user="Test", file_name="test.csv", sha256="-", format="werte")


def add_target(
    store: Store,
    indicator: str,
    area: str,
    value: float,
    year: int = 2030,
    baseline: int = 2020,
    valid_from: dt.date = dt.date(2000, 1, 1),
    kind: str = "verbessern",
) -> None:
    store.targets.add(
        pd.DataFrame(
            [
                {
                    "indicator": indicator,
                    "area": area,
                    "target_year": year,
                    "target_value": value,
                    "baseline_year": baseline,
                    "decision": "Test",
                    "valid_from": valid_from,
                    "target_type": kind,
                }
            ]
        ),
        user="Test",
    )
