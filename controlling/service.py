"""What pages and the CLI ask for: store queries combined with the pure engine functions."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from controlling.explain import explain_status
from controlling.status import compute_status
from controlling.store import Store


def status_table(store: Store, *, year: int | None = None, day: dt.date | None = None) -> pd.DataFrame:
    """Ampel, Prognose and explanation for every indicator × area with a value, with display names.

    Evaluated at `year` (default: each pair's latest value) with the targets in force on `day`
    (default today). Computed county values are included and marked (`computed`, `converted`).
    Rows come in catalogue order, areas from Land over Kreis to the Gemeinden.
    """
    inputs = store.status_inputs(year=year, day=day or dt.date.today())
    return explain_status(compute_status(inputs))
