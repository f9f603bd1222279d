"""What pages and the CLI ask for: store queries combined with the pure engine functions."""

from __future__ import annotations

import pandas as pd

from controlling.aggregate import county_values
from controlling.explain import explain_status
from controlling.status import compute_status
from controlling.store import Store


def current_values(store: Store, *, indicators: list[str] | None = None) -> pd.DataFrame:
    """Current totals per indicator × area × year, computed county values included and marked."""
    observations = store.current_observations(indicators=indicators, totals_only=True)
    return county_values(observations, store.indicators(include_retired=True), store.areas())


def status_table(store: Store, *, year: int | None = None) -> pd.DataFrame:
    """Ampel, Prognose and explanation for every indicator × area with a value, with display names."""
    indicators = store.indicators()
    values = current_values(store)
    values = values.loc[values["indicator"].isin(indicators["code"])]
    status = explain_status(compute_status(values, indicators, store.targets(), year=year), indicators)
    marks = values[["indicator", "area", "year", "computed", "converted", "flag"]]
    status = status.merge(marks, on=["indicator", "area", "year"], how="left")
    areas = store.areas().set_index("code")
    meta = indicators.set_index("code")
    status["indicator_name"] = status["indicator"].map(meta["name"])
    status["field"] = status["indicator"].map(meta["field"])
    status["field_name"] = status["indicator"].map(meta["field_name"])
    status["unit"] = status["indicator"].map(meta["unit"])
    status["decimals"] = status["indicator"].map(meta["decimals"])
    status["area_name"] = status["area"].map(areas["name"])
    status["area_level"] = status["area"].map(areas["level"])
    # Catalogue order (field order, then code); areas from Land over Kreis to Gemeinden.
    status["catalogue_order"] = status["indicator"].map(pd.Series(range(len(indicators)), index=indicators["code"]))
    status["area_order"] = status["area"].str.len()
    return status.sort_values(["catalogue_order", "area_order", "area"], ignore_index=True).drop(
        columns=["catalogue_order", "area_order"]
    )
