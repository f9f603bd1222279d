"""County values from Gemeinde values, and merged Gemeinden on today's boundaries (DESIGN §3.3)."""

from __future__ import annotations

import numpy as np
import pandas as pd

KEY = ["indicator", "area", "year", "breakdown"]
VALUE_COLUMNS = ["value", "numerator", "denominator"]


def _year_span(areas: pd.DataFrame) -> pd.DataFrame:
    """First and last year each area exists (open ends as ±inf-like bounds)."""
    span = areas[["code", "level", "parent", "successor"]].copy()
    span["first_year"] = pd.to_datetime(areas["valid_from"]).dt.year.fillna(0).astype(int)
    span["last_year"] = pd.to_datetime(areas["valid_to"]).dt.year.fillna(9999).astype(int)
    return span


def _combine(parts: pd.DataFrame, group: list[str], expected: pd.Series, meta: pd.DataFrame) -> pd.DataFrame:
    """Sum values (summe) or numerators and denominators (quote) when every expected part has them.

    `expected` counts the parts each (area, year) needs, indexed by area and year.
    """
    parts = parts.assign(
        has_value=parts["value"].notna(),
        has_ratio=parts["numerator"].notna() & parts["denominator"].notna(),
    )
    summed = parts.groupby(group, as_index=False, sort=False).agg(
        value=("value", "sum"),
        numerator=("numerator", "sum"),
        denominator=("denominator", "sum"),
        with_value=("has_value", "sum"),
        with_ratio=("has_ratio", "sum"),
    )
    summed = summed.merge(expected.rename("expected").reset_index(), on=list(expected.index.names), how="left")
    summed = summed.merge(meta, left_on="indicator", right_index=True, how="inner")
    is_sum = (summed["aggregation"] == "summe") & (summed["with_value"] == summed["expected"])
    is_quota = (
        (summed["aggregation"] == "quote") & (summed["with_ratio"] == summed["expected"]) & (summed["denominator"] > 0)
    )
    summed["value"] = np.where(
        is_quota, summed["numerator"] / summed["denominator"] * summed["factor"], summed["value"]
    )
    summed.loc[is_sum, ["numerator", "denominator"]] = np.nan
    return summed.loc[is_sum | is_quota, [*group, *VALUE_COLUMNS]]


def _missing_only(candidates: pd.DataFrame, existing: pd.DataFrame) -> pd.DataFrame:
    """Candidates whose key has no stored row."""
    stored = pd.MultiIndex.from_frame(existing[KEY])
    return candidates.loc[~pd.MultiIndex.from_frame(candidates[KEY]).isin(stored)]


def merged_predecessor_values(
    observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame
) -> pd.DataFrame:
    """Series of a merged Gemeinde before its merger, summed from its predecessors."""
    span = _year_span(areas)
    predecessors = span.loc[span["successor"].notna(), ["code", "successor"]]
    if predecessors.empty:
        return observations.iloc[0:0]
    parts = observations.merge(predecessors, left_on="area", right_on="code")
    successor_start = span.set_index("code")["first_year"]
    parts = parts.loc[parts["year"] < parts["successor"].map(successor_start).astype("int64")]
    expected = predecessors.groupby("successor").size()
    parts = parts.drop(columns=["area", "code"]).rename(columns={"successor": "area"})
    expected_by_key = pd.Series(
        parts["area"].map(expected).to_numpy(), index=pd.MultiIndex.from_frame(parts[["area", "year"]])
    )
    expected_by_key = expected_by_key[~expected_by_key.index.duplicated()]
    meta = indicators.set_index("code")[["aggregation", "factor"]]
    combined = _combine(parts, KEY, expected_by_key, meta)
    return _missing_only(combined, observations)


def county_values(observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Stored values plus computed ones, with the flags `computed` and `converted` (DESIGN §3.3).

    A county value is computed only where none is stored and every Gemeinde valid in that year
    has a value (summe) or numerator and denominator (quote); `keine` is never computed.
    """
    observations = observations.astype({column: "float64" for column in VALUE_COLUMNS})
    base = observations.assign(computed=False, converted=False)
    converted = merged_predecessor_values(observations, indicators, areas).assign(computed=True, converted=True)
    span = _year_span(areas)
    gemeinden = span.loc[span["level"] == "gemeinde"]
    # Only Gemeinden valid in the year count towards their Kreis.
    parts = observations.merge(
        gemeinden[["code", "parent", "first_year", "last_year"]], left_on="area", right_on="code"
    )
    parts = parts.loc[(parts["year"] >= parts["first_year"]) & (parts["year"] <= parts["last_year"])]
    parts = parts.drop(columns=["area"]).rename(columns={"parent": "area"})
    years = pd.Series(np.unique(parts["year"]), name="year")
    membership = gemeinden.merge(years, how="cross")
    membership = membership.loc[
        (membership["year"] >= membership["first_year"]) & (membership["year"] <= membership["last_year"])
    ]
    expected = membership.groupby(["parent", "year"]).size()
    expected.index = expected.index.set_names(["area", "year"])
    meta = indicators.set_index("code")[["aggregation", "factor"]]
    counties = _missing_only(_combine(parts, KEY, expected, meta), observations).assign(computed=True, converted=False)
    frames = [frame for frame in (base, converted, counties) if not frame.empty]
    result = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)
    return result.sort_values(KEY, ignore_index=True)
