"""What pages and the CLI ask for: store queries combined with the pure engine functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from controlling.db import Store
from controlling.measures.model import measures as measure_list
from controlling.method.explain import explain_status
from controlling.method.status import METHOD_VERSION, compute_status
from controlling.status_cache import STATUS_CACHE


def status_table(
    store: Store,
    *,
    year: int | None = None,
    day: dt.date | None = None,
    as_of: int | None = None,
    areas: Sequence[str] | None = None,
    explain: bool = True,
) -> pd.DataFrame:
    """Ampel, Wetter, Trend and explanation for every indicator × area with a value, with display names.

    Evaluated at `year` (default: each pair's latest value) with the targets in force on `day`
    (default today). Computed county values are included and marked (`computed`, `converted`).
    Rows come in catalogue order, areas from Land over Kreis to the Gemeinden. `as_of`: the values as they
    were right after that intake (a report's data version), so a report can be built again later.
    `areas`: only the rows of these areas (the dashboard's: not the whole country), every light computed from
    all values as before. `explain=False`: lights without sentences (explain_status adds them to the rows shown).
    The table is kept per store; asked for again after a change, only the pairs the change touched are computed
    (status_cache).
    """
    on = day or dt.date.today()

    def lights(some_areas: Sequence[str] | None, indicators: Sequence[str] | None) -> pd.DataFrame:
        inputs = store.values.status_inputs(year=year, day=on, as_of=as_of, areas=some_areas, indicators=indicators)
        return compute_status(inputs)

    def shown(status: pd.DataFrame) -> pd.DataFrame:
        return explain_status(status) if explain else status

    if as_of is not None:  # a report's data version never changes: nothing to keep up to date
        return shown(lights(areas, None))
    key = (METHOD_VERSION, year, on, None if areas is None else tuple(areas), explain)
    return STATUS_CACHE.get(store, key, areas, lights, shown)


def export_values(store: Store) -> pd.DataFrame:
    """Every current value: breakdowns as stored plus the totals with computed county values."""
    totals = store.values.current().assign(breakdown="")
    detail = store.values.current_observations()
    detail = detail.loc[detail["breakdown"] != ""].assign(computed=False)
    return pd.concat([totals, detail], ignore_index=True).sort_values(["indicator", "area", "year", "breakdown"])


def intake_history(store: Store) -> pd.DataFrame:
    """Every intake, newest first (for the import list and the report's data versions)."""
    return store.intakes.history()


def catalogue(store: Store, *, include_retired: bool = False) -> pd.DataFrame:
    """The indicator catalogue in field order."""
    return store.catalogue.indicators(include_retired=include_retired)


def fields(store: Store) -> pd.DataFrame:
    """The Handlungsfelder in display order."""
    return store.catalogue.fields()


def targets_in_force(store: Store, on: dt.date | None = None) -> pd.DataFrame:
    """The targets in force today (or on `on`)."""
    return store.targets.in_force(on=on)


def comments(store: Store, indicator: str | None = None) -> pd.DataFrame:
    """Einordnungen, newest year first, for one indicator or all."""
    return store.notes.comments(indicator)


def measures(store: Store, indicator: str | None = None) -> pd.DataFrame:
    """Maßnahmen with their linked indicators and the overdue rule applied, for one indicator or all."""
    return measure_list(store, indicator)


def audit_entries(store: Store) -> pd.DataFrame:
    """The audit trail, newest first."""
    return store.audit.entries()
