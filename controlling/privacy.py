"""Small numbers (DESIGN §5.5): counts of 1 or 2 for a Gemeinde are not shown to viewers."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

DEFAULT_MIN_COUNT = 3
SMALL_FLAG = "klein"  # value hidden: a count below the minimum
UNRELIABLE_FLAG = "unsicher"  # a quota whose numerator is below the minimum


def minimum_count() -> int:
    """Smallest count shown for a Gemeinde (env CONTROLLING_MIN_COUNT, default 3)."""
    return int(os.environ.get("CONTROLLING_MIN_COUNT", DEFAULT_MIN_COUNT))


def protect_values(values: pd.DataFrame, units: pd.Series, *, minimum: int | None = None) -> pd.DataFrame:
    """Hide Gemeinde counts 0 < x < minimum (flag 'klein'); mark quotas on such numerators 'unsicher'.

    `units` maps indicator code -> unit. Kreis and Land values are never hidden.
    """
    minimum = minimum_count() if minimum is None else minimum
    gemeinde = values["area"].str.len() == 8
    unit = values["indicator"].map(units)
    small = gemeinde & (unit == "Anzahl") & (values["value"] > 0) & (values["value"] < minimum)
    shaky = gemeinde & values["numerator"].between(0, minimum, inclusive="neither")
    result = values.copy()
    result.loc[small, ["value", "numerator", "denominator"]] = np.nan
    flags = result["flag"].astype(object)
    result["flag"] = flags.where(~small, SMALL_FLAG).where(~shaky | small, UNRELIABLE_FLAG)
    return result


def protect_status(status: pd.DataFrame, *, minimum: int | None = None) -> pd.DataFrame:
    """Status rows of a Gemeinde whose latest value is a small count: number and sentence withheld."""
    minimum = minimum_count() if minimum is None else minimum
    small = (
        (status["area"].str.len() == 8)
        & (status["unit"] == "Anzahl")
        & status["value"].between(0, minimum, inclusive="neither")
    )
    result = status.copy()
    hidden = ["value", "baseline_value", "planned_value", "projection", "previous_value", "window_start_value"]
    result.loc[small, hidden] = np.nan
    note = f"Wert unter der Mindestfallzahl von {minimum} – aus Datenschutzgründen nicht gezeigt."
    for column in ("light_text", "outlook_text", "explanation"):
        # Kept as pandas' string dtype: object columns of Python strings would hold half as much again.
        result[column] = result[column].astype("str").where(~small, note)
    return result
