"""Data deliveries in the UI: the cached calendar of a year and the provider a signed-in account delivers for."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from controlling import delivery_service
from controlling.ui.session import store
from controlling.ui.signin import signed_in


@st.cache_data(max_entries=16)
def _calendar(path: str, version: int, year: int, day: dt.date) -> pd.DataFrame:
    return delivery_service.delivery_calendar(store(), year, today=day)


def delivery_calendar(year: int) -> pd.DataFrame:
    """Every expected delivery of a year and its state, cached until the next change (or the next day)."""
    current = store()
    return _calendar(current.path, current.data_version(), year, dt.date.today())


def account_provider() -> str | None:
    """The provider the signed-in account delivers for; None for staff and everyone else."""
    person = signed_in()
    if person is None or person.role != "lieferant":
        return None
    return delivery_service.provider_of(store(), person.name)
