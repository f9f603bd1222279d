"""Shareable links: the view (Kennzahl, Gebiet, Jahr, Feld) lives in the URL."""

from __future__ import annotations

from typing import Any

import streamlit as st

from controlling.ui.session import available_years


def url_choice(
    label: str, options: list[Any], key: str, *, format_func: Any = str, default: Any = None, sidebar: bool = True
) -> Any:
    """A selectbox whose choice is read from and written to the URL (?key=value), so links restore views."""
    wanted = st.query_params.get(key)
    texts = [str(option) for option in options]
    index = texts.index(wanted) if wanted in texts else (options.index(default) if default in options else 0)
    place = st.sidebar if sidebar else st
    chosen = place.selectbox(label, options, index=index, format_func=format_func, key=f"url_{key}")
    st.query_params[key] = str(chosen)
    return chosen


def report_year() -> int:
    """The Berichtsjahr chosen in the sidebar (URL parameter jahr), newest by default."""
    years = available_years()
    return int(url_choice("Berichtsjahr", years, "jahr", default=years[0]))
