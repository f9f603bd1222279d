"""What the Datenlieferungen page and the CLI ask about deliveries: the calendar of a year, a provider's
template, the reminder letter, and which provider an account delivers for."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from controlling.db import Store
from controlling.deliveries.state import calendar, provider_names, reminder_text
from controlling.deliveries.templates import template_csv, template_frame, template_xlsx
from controlling.method.overview import home_areas


def provider_of(store: Store, account: str) -> str | None:
    """The provider a signed-in account delivers for (None: not a provider's account)."""
    return store.accounts.provider(account)


def providers(store: Store) -> list[str]:
    """Every provider of the catalogue (an account of the role lieferant is bound to one of them)."""
    return provider_names(store.catalogue.indicators(), store.catalogue.areas())


def delivery_calendar(store: Store, year: int, *, today: dt.date | None = None) -> pd.DataFrame:
    """Every expected delivery of a year with its state and the import that brought it (deliveries.calendar)."""
    arrivals = store.deliveries.arrivals([year - 1, year])  # the year before: is a two-yearly one due?
    return calendar(
        store.catalogue.indicators(), store.catalogue.areas(), arrivals, year=year, today=today or dt.date.today()
    )


def delivery_years(store: Store, *, today: dt.date | None = None) -> list[int]:
    """The years a calendar can be shown for, newest first: from the first value's year to this year."""
    years = store.values.years()
    last = (today or dt.date.today()).year
    first = min(years) if years else last - 1
    return list(range(last, first - 1, -1))


def provider_template(store: Store, provider: str, year: int, *, kind: str = "csv") -> bytes:
    """A provider's pre-filled Werte template of a year (`csv` or `xlsx`) with last year's values as hints."""
    indicators = store.catalogue.indicators()
    previous = store.deliveries.current_totals(list(indicators["code"]), year - 1)
    frame = template_frame(indicators, store.catalogue.areas(), previous, provider=provider, year=year)
    if kind == "xlsx":
        return template_xlsx(frame)
    return template_csv(frame, indicators.set_index("code")["decimals"])


def reminder(store: Store, rows: pd.DataFrame, provider: str, *, today: dt.date | None = None) -> str:
    """The reminder letter for a provider's overdue deliveries ('' when nothing is overdue)."""
    kreis = str(home_areas(store.catalogue.areas()).iloc[0]["name"])
    region = "Landkreises " + kreis.removeprefix("Landkreis ") if kreis.startswith("Landkreis ") else f"Kreises {kreis}"
    return reminder_text(rows, provider=provider, region=region, today=today or dt.date.today())
