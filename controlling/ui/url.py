"""Shareable links: the view (Kennzahl, Gebiet, Jahr, Feld) lives in the URL."""

from __future__ import annotations

from typing import Any

import streamlit as st

from controlling.ui.german import narrow_only
from controlling.ui.session import available_years, default_year


def url_choice(
    label: str, options: list[Any], key: str, *, format_func: Any = str, default: Any = None, sidebar: bool = True
) -> Any:
    """A selectbox whose choice is read from and written to the URL (?key=value), so links restore views."""
    wanted = (st.query_params.get(key) or "").strip() or None
    texts = [str(option).lower() for option in options]  # a link may say bil-05 for BIL-05
    fallback = options.index(default) if default in options else 0
    found = wanted is not None and wanted.lower() in texts
    index = texts.index(wanted.lower()) if wanted is not None and found else fallback
    place = st.sidebar if sidebar else st
    if wanted is not None and not found and options:
        st.warning(
            f"»{wanted}« gibt es hier nicht ({label}); gezeigt wird »{format_func(options[fallback])}«.",
            icon="⚠️",
        )
    chosen = place.selectbox(label, options, index=index, format_func=format_func, key=f"url_{key}")
    st.query_params[key] = str(chosen)
    return chosen


DEFAULT_YEAR_RULE = (
    "Voreingestellt ist das neueste Jahr, für das der Landkreis Werte zu mehr als der Hälfte seiner bewerteten "
    "Kennzahlen hat; einzelne frühe Lieferungen verschieben es nicht."
)


def report_year() -> int:
    """The Berichtsjahr chosen in the sidebar (URL parameter jahr); by default the newest year for which the
    reporting Kreis has values for most of its rated Kennzahlen (the rule is said under the choice)."""
    years = available_years()
    preset = default_year()
    chosen = int(url_choice("Berichtsjahr", years, "jahr", default=preset if preset in years else years[0]))
    st.sidebar.caption(DEFAULT_YEAR_RULE)
    narrow_only(
        f"Berichtsjahr <strong>{chosen}</strong> · ein anderes Jahr wählen Sie in der Seitenleiste (» oben links)."
    )
    return chosen
