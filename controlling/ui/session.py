"""The process's store and the cached, viewer-safe tables every page reads (recomputed per data version)."""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
import threading
from collections.abc import Callable, Hashable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from controlling import service
from controlling.bootstrap import OpenedStore, configured_kreis, open_store
from controlling.db import Store, default_db_path
from controlling.errors import ControllingError
from controlling.method.overview import dashboard_areas, map_rows
from controlling.method.status import METHOD_VERSION
from controlling.privacy import minimum_count, protect_status, protect_values
from controlling.reference import areas
from controlling.report import pdf as report
from controlling.table_cache import TableCache, configured_budget
from controlling.ui.german import narrow_only

T = TypeVar("T")

APP_TITLE = "Integrationscontrolling"


@st.cache_resource(show_spinner="Datenbank wird geöffnet …")
def _opened_store(path: str) -> OpenedStore:
    return open_store(path, demo_on_create=True, kreis=configured_kreis())


def opened_store() -> OpenedStore:
    """The process's store (created with demo data on first start); stops the page on a German error."""
    try:
        return _opened_store(str(default_db_path()))
    except ControllingError as error:
        st.error(str(error))
        st.stop()
        raise  # st.stop() never returns; this keeps type checkers content


def store() -> Store:
    """The process's store."""
    return opened_store().store


@st.cache_resource
def _first_start_notice() -> dict[str, bool]:
    return {"shown": False}


def show_start_notices() -> None:
    """The first-start notice (for the first visit after the database was created) and the Demodaten marker."""
    opened = opened_store()
    notice = _first_start_notice()
    if opened.demo_loaded and (not notice["shown"] or st.session_state.get("start_notice_shown")):
        notice["shown"] = True
        st.session_state["start_notice_shown"] = True
        st.toast("Die Datenbank wurde beim ersten Start neu angelegt und mit Demodaten gefüllt.", icon="ℹ️")
        st.info(
            f"Die Datenbank `{opened.store.path}` wurde beim ersten Start neu angelegt: Stammdaten aus "
            f"`data/` und **Demodaten** für {home_kreis().accusative} (2015–2024) sind geladen."
        )
    if opened.store.values.has_demo_data():
        st.sidebar.warning("**Demodaten**: Die angezeigten Werte sind erfunden und nur zur Vorführung.")
        narrow_only(
            "<strong>Demodaten</strong>: Die angezeigten Werte sind erfunden und nur zur Vorführung.", kind="warning"
        )


@st.cache_resource
def _table_cache() -> TableCache:
    return TableCache(configured_budget())


def table_cache() -> TableCache:
    """The process's one cache of computed tables (every session shares it; bounded by CONTROLLING_CACHE_MB)."""
    try:
        return _table_cache()
    except ControllingError as error:
        st.error(str(error))
        st.stop()
        raise


def cached_table(kind: str, arguments: tuple[Hashable, ...], compute: Callable[[], T], *, exclusive: bool = True) -> T:
    """A table of the current data version from the process's cache, computed once on a miss.

    Keyed by data version and method (never by audit events such as a sign-in: see Store.data_version),
    so a change of the data is the only thing that makes tables be computed again.
    """
    current = store()
    key = (current.path, current.data_version(), kind, *arguments)
    return table_cache().get(key, compute, exclusive=exclusive)


def _shown(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of the areas the dashboard shows (overview.dashboard_areas): what is cached, not the whole country."""
    return table.loc[table["area"].isin(dashboard_areas(reference()["areas"]))].reset_index(drop=True)


def _status(year: int | None, day: dt.date) -> pd.DataFrame:
    with st.spinner("Ampeln werden berechnet …"):
        # Only the rows the dashboard shows leave the store and get sentences (not all Gemeinden of the country).
        shown = list(dashboard_areas(reference()["areas"]))
        return service.status_table(store(), year=year, day=day, areas=shown).reset_index(drop=True)


def _year_key(year: int | None) -> int | None:
    """'Each pair's latest value' equals 'latest value up to the newest year': one cache entry for both."""
    if year is not None:
        return year
    years = available_years()
    return years[0] if years else None


def status_table(year: int | None = None) -> pd.DataFrame:
    """Status table (targets in force today) of the areas the dashboard shows; once per data version, method, day."""
    key, today = _year_key(year), dt.date.today()
    return cached_table("status", (METHOD_VERSION, key, today), lambda: _status(key, today))


def reference() -> dict[str, pd.DataFrame]:
    """Fields, areas and indicators, cached until the next change."""

    def load() -> dict[str, pd.DataFrame]:
        current = store()
        return {
            "fields": current.catalogue.fields(),
            "areas": current.catalogue.areas(),
            "indicators": current.catalogue.indicators(),
        }

    return cached_table("reference", (), load, exclusive=False)


def available_years() -> list[int]:
    """Years with values, newest first (cached until the next change)."""
    return cached_table("years", (), lambda: store().values.years(), exclusive=False)


def default_year() -> int | None:
    """The Berichtsjahr shown when none is chosen (Values.reporting_year), cached until the next change."""
    return cached_table("default_year", (), lambda: store().values.reporting_year(), exclusive=False)


def viewer_status(year: int | None) -> pd.DataFrame:
    """The status table as viewers may see it (small Gemeinde counts withheld), cached until the next change.

    Only this protected table is kept: the raw one it is made from is computed in passing, not cached beside it.
    """
    key, today, minimum = _year_key(year), dt.date.today(), minimum_count()
    return cached_table(
        "viewer_status",
        (METHOD_VERSION, key, today, minimum),
        lambda: protect_status(_status(key, today), minimum=minimum),
    )


def viewer_values(indicators: list[str]) -> pd.DataFrame:
    """Current values of these indicators (every year, the areas the dashboard shows) as viewers may see them."""
    codes, minimum = tuple(sorted(indicators)), minimum_count()

    def load() -> pd.DataFrame:
        units = reference()["indicators"].set_index("code")["unit"]
        return protect_values(_shown(store().values.current(indicators=list(codes))), units, minimum=minimum)

    return cached_table("viewer_values", (codes, minimum), load)


def outlines(codes: tuple[str, ...]) -> dict[str, Any]:
    """The shipped outlines (GeoJSON, property AGS) of these areas, cached per process."""
    return _outlines(tuple(sorted(codes)))


@st.cache_data(max_entries=16)
def _outlines(codes: tuple[str, ...]) -> dict[str, Any]:
    return areas.outlines(list(codes))


def home_kreis() -> areas.HomeKreis:
    """The reporting Kreis with the forms German texts need (cached until the next change)."""
    return cached_table("home_kreis", (), lambda: areas.home_kreis(reference()["areas"]), exclusive=False)


def map_frame(code: str, year: int, home: pd.DataFrame) -> pd.DataFrame:
    """Value and light of each Gemeinde for one indicator and year (as viewers may see them)."""
    return map_rows(viewer_status(year), code=code, year=year, home=home)


REPORT_QUEUE_LIMIT = 3  # reports asked for at once (one being made, the others waiting); more are refused


class _ReportQueue:
    """Counts the reports being made or waiting, so clicks beyond the limit are refused, not piled up."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.waiting = 0
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def place(self) -> Iterator[None]:
        """A place in the queue, or a German refusal when it is full."""
        with self._lock:
            if self.waiting >= self.limit:
                raise report.ReportError(
                    f"Gerade werden schon {self.waiting} Berichte erstellt oder warten darauf. "
                    "Bitte versuchen Sie es in einigen Minuten noch einmal."
                )
            self.waiting += 1
        try:
            yield
        finally:
            with self._lock:
                self.waiting -= 1


@st.cache_resource
def _report_queue() -> _ReportQueue:
    return _ReportQueue(REPORT_QUEUE_LIMIT)


def _build_report(year: int, version: int, day: dt.date, progress: report.Progress) -> tuple[bytes, bytes, str]:
    progress(0.05, "Die Daten des Berichts werden zusammengestellt …")
    data = report.collect(store(), year=year, version=version, day=day)
    with tempfile.TemporaryDirectory() as folder:
        pdf, xlsx = Path(folder) / "bericht.pdf", Path(folder) / "bericht.xlsx"
        report.write_pdf(data, pdf, progress=progress)
        report.write_excel(data, xlsx)
        return pdf.read_bytes(), xlsx.read_bytes(), data.data_stand


def report_files(year: int, version: int, progress: report.Progress) -> tuple[bytes, bytes, str]:
    """PDF, Excel and Datenstand of a report; made once per data version and day, one at a time.

    Anyone may ask for a report. A report already made is handed out at once; a new one waits its turn
    (the process makes one thing at a time, and so never runs two Chromiums), and when three are already
    made or waiting, the click is refused with a German message.
    """
    day = dt.date.today()
    arguments = (METHOD_VERSION, year, version, day)
    current = store()
    made = table_cache().cached((current.path, current.data_version(), "report", *arguments))
    if made is not None:
        return made  # type: ignore[no-any-return]
    with _report_queue().place():
        progress(0.0, "Der Bericht wartet, bis die Berechnung davor fertig ist …")
        return cached_table("report", arguments, lambda: _build_report(year, version, day, progress))
