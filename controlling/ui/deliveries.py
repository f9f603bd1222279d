"""Data deliveries in the UI: the cached calendar of a year and the provider a signed-in account delivers for."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from controlling.deliveries import service as delivery_service
from controlling.ui.session import cached_table, store
from controlling.ui.signin import signed_in


def delivery_calendar(year: int) -> pd.DataFrame:
    """Every expected delivery of a year and its state, cached until the next change (or the next day)."""
    day = dt.date.today()
    return cached_table("deliveries", (year, day), lambda: delivery_service.delivery_calendar(store(), year, today=day))


def account_provider() -> str | None:
    """The provider the signed-in account delivers for; None for staff and everyone else."""
    person = signed_in()
    if person is None or person.role != "lieferant":
        return None
    return delivery_service.provider_of(store(), person.name)
