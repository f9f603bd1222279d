"""The process's store and the cached, viewer-safe tables every page reads (recomputed per data version)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from controlling import charts, report, service
from controlling.bootstrap import OpenedStore, open_store
from controlling.db import Store, default_db_path
from controlling.errors import ControllingError
from controlling.overview import map_rows
from controlling.privacy import minimum_count, protect_status, protect_values
from controlling.reference import DATA_DIR

APP_TITLE = "Integrationscontrolling"


@st.cache_resource(show_spinner="Datenbank wird geöffnet …")
def _opened_store(path: str) -> OpenedStore:
    return open_store(path, demo_on_create=True)


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
            "`data/` und **Demodaten** für den Landkreis Peine (2015–2024) sind geladen."
        )
    if opened.store.values.has_demo_data():
        st.sidebar.warning("**Demodaten**: Die angezeigten Werte sind erfunden und nur zur Vorführung.")


@st.cache_data(show_spinner="Ampeln werden berechnet …", max_entries=32)
def _status_table(path: str, version: int, year: int | None) -> pd.DataFrame:
    return service.status_table(store(), year=year)


def _year_key(year: int | None) -> int | None:
    """'Each pair's latest value' equals 'latest value up to the newest year': one cache entry for both."""
    if year is not None:
        return year
    years = available_years()
    return years[0] if years else None


def status_table(year: int | None = None) -> pd.DataFrame:
    """Cached status table; recomputed after every change to the data (data_version)."""
    current = store()
    return _status_table(current.path, current.data_version(), _year_key(year))


@st.cache_data(max_entries=8)
def _reference(path: str, version: int) -> dict[str, pd.DataFrame]:
    current = store()
    return {
        "fields": current.catalogue.fields(),
        "areas": current.catalogue.areas(),
        "indicators": current.catalogue.indicators(),
    }


def reference() -> dict[str, pd.DataFrame]:
    """Fields, areas and indicators, cached until the next change."""
    current = store()
    return _reference(current.path, current.data_version())


@st.cache_data(max_entries=8)
def _years(path: str, version: int) -> list[int]:
    return store().values.years()


def available_years() -> list[int]:
    """Years with values, newest first (cached until the next change)."""
    current = store()
    return _years(current.path, current.data_version())


@st.cache_data(max_entries=32)
def _viewer_status(path: str, version: int, year: int | None, minimum: int) -> pd.DataFrame:
    return protect_status(status_table(year), minimum=minimum)


def viewer_status(year: int | None) -> pd.DataFrame:
    """The status table as viewers may see it (small Gemeinde counts withheld), cached until the next change."""
    current = store()
    return _viewer_status(current.path, current.data_version(), _year_key(year), minimum_count())


@st.cache_data(max_entries=64)
def _viewer_values(path: str, version: int, indicators: tuple[str, ...], minimum: int) -> pd.DataFrame:
    units = reference()["indicators"].set_index("code")["unit"]
    return protect_values(store().values.current(indicators=list(indicators)), units, minimum=minimum)


def viewer_values(indicators: list[str]) -> pd.DataFrame:
    """Current values of these indicators (every year and area) as viewers may see them."""
    current = store()
    return _viewer_values(current.path, current.data_version(), tuple(sorted(indicators)), minimum_count())


def configured_geojson() -> dict[str, Any] | None:
    """The Gemeinde outlines from CONTROLLING_GEOJSON (or data/gemeinden.geojson), if configured."""
    configured = os.environ.get("CONTROLLING_GEOJSON")
    path = Path(configured) if configured else DATA_DIR / "gemeinden.geojson"
    if not path.is_file():
        return None
    return _geojson(str(path))


@st.cache_data(max_entries=4)
def _geojson(path: str) -> dict[str, Any]:
    return charts.load_geojson(Path(path))


def map_grid() -> pd.DataFrame:
    """Tile positions of the Gemeinden for the schematic map (data/kartenraster.csv)."""
    grid = pd.read_csv(DATA_DIR / "kartenraster.csv", sep=";", dtype={"gebiet": str})
    return grid.rename(columns={"gebiet": "area", "zeile": "row", "spalte": "column"})


def map_frame(code: str, year: int, home: pd.DataFrame) -> pd.DataFrame:
    """Value and light of each Gemeinde for one indicator and year (as viewers may see them)."""
    return map_rows(viewer_status(year), code=code, year=year, home=home)


_REPORT_LOCK = threading.Lock()  # one report at a time per process: each print starts a Chromium


@st.cache_data(max_entries=4, show_spinner=False)
def _report_files(
    path: str, version_key: int, year: int, version: int, day: dt.date, _progress: report.Progress
) -> tuple[bytes, bytes, str]:
    data = report.collect(store(), year=year, version=version, day=day)
    with tempfile.TemporaryDirectory() as folder:
        pdf, xlsx = Path(folder) / "bericht.pdf", Path(folder) / "bericht.xlsx"
        report.write_pdf(data, pdf, progress=_progress)
        report.write_excel(data, xlsx)
        return pdf.read_bytes(), xlsx.read_bytes(), data.data_stand


def report_files(year: int, version: int, progress: report.Progress) -> tuple[bytes, bytes, str]:
    """PDF, Excel and Datenstand of a report; made once per data version and day, one at a time."""
    if not _REPORT_LOCK.acquire(blocking=False):
        raise report.ReportError(
            "Gerade wird ein anderer Bericht erstellt. Bitte versuchen Sie es in einer Minute noch einmal."
        )
    try:
        current = store()
        return _report_files(current.path, current.data_version(), year, version, dt.date.today(), progress)
    finally:
        _REPORT_LOCK.release()
