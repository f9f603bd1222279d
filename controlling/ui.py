"""Streamlit glue shared by the pages: the store, cached queries, status rendering helpers.

The only module of the package that imports streamlit (DESIGN §2).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from controlling import service
from controlling.bootstrap import OpenedStore, open_store
from controlling.errors import ControllingError
from controlling.presentation import LIGHT_LOOKS, OUTLOOK_LOOKS, light_text, outlook_text
from controlling.store import Store, default_db_path

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


def show_start_notices() -> None:
    """First-start notice (once per browser session) and the permanent Demodaten marker."""
    opened = opened_store()
    if opened.demo_loaded and not st.session_state.get("start_notice_shown"):
        st.session_state["start_notice_shown"] = True
        st.toast("Die Datenbank wurde beim ersten Start neu angelegt und mit Demodaten gefüllt.", icon="ℹ️")
        st.info(
            f"Die Datenbank `{opened.store.path}` wurde beim ersten Start neu angelegt: Stammdaten aus "
            "`data/` und **Demodaten** für den Landkreis Peine (2015–2024) sind geladen."
        )
    if opened.store.has_demo_data():
        st.sidebar.warning("**Demodaten**: Die angezeigten Werte sind erfunden und nur zur Vorführung.")


@st.cache_data(show_spinner="Ampeln werden berechnet …", max_entries=32)
def _status_table(path: str, version: int, year: int | None) -> pd.DataFrame:
    return service.status_table(store(), year=year)


def status_table(year: int | None = None) -> pd.DataFrame:
    """Cached status table; recomputed after every change to the data (data_version)."""
    current = store()
    return _status_table(current.path, current.data_version(), year)


@st.cache_data(max_entries=8)
def _reference(path: str, version: int) -> dict[str, pd.DataFrame]:
    current = store()
    return {"fields": current.fields(), "areas": current.areas(), "indicators": current.indicators()}


def reference() -> dict[str, pd.DataFrame]:
    """Fields, areas and indicators, cached until the next change."""
    current = store()
    return _reference(current.path, current.data_version())


@st.cache_data(max_entries=8)
def _values(path: str, version: int) -> pd.DataFrame:
    return store().current_values()


def current_values() -> pd.DataFrame:
    """Current totals with computed county values, cached until the next change."""
    current = store()
    return _values(current.path, current.data_version())


def light_badge(light: str) -> str:
    """Markdown badge: symbol, word and colour (never colour alone)."""
    return f":{_badge_colour(light)}-badge[{light_text(light)}]"


def outlook_badge(outlook: str) -> str:
    """Markdown badge for a Prognose."""
    colour = {"sonne": "green", "leicht_bewoelkt": "blue", "bewoelkt": "orange", "gewitter": "red"}.get(outlook, "gray")
    return f":{colour}-badge[{outlook_text(outlook)}]"


def _badge_colour(light: str) -> str:
    return {"gruen": "green", "gelb": "orange", "rot": "red", "grau": "gray"}[light]


def legend() -> None:
    """The plain-words legend of lights and outlooks."""
    with st.expander("Was bedeuten Ampel und Prognose?"):
        st.markdown(
            "**Ampel** – wo steht die Kennzahl heute, gemessen am Zielpfad vom Basisjahr zum Zieljahr?\n\n"
            + "\n".join(f"- {light_badge(k)} {look.meaning}" for k, look in LIGHT_LOOKS.items())
            + "\n\n**Prognose** – wohin führt der Trend der letzten fünf Jahre bis zum Zieljahr?\n\n"
            + "\n".join(f"- {outlook_badge(k)} {look.meaning}" for k, look in OUTLOOK_LOOKS.items())
        )
