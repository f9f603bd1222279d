"""Lights, weather and trends as badges, the legend, the light matrix, and domain errors shown in German."""

from __future__ import annotations

import html
import re

import pandas as pd
import streamlit as st

from controlling.errors import ControllingError
from controlling.method.presentation import (
    BADGE_COLOURS,
    LEGEND,
    LIGHT_LOOKS,
    OUTLOOK_LOOKS,
    OUTLOOK_TITLE,
    SUMMARY_RULE,
    TREND_LOOKS,
    light_text,
    outlook_text,
    trend_text,
)


def light_badge(light: str) -> str:
    """Markdown badge: symbol, word and colour (never colour alone)."""
    return f":{BADGE_COLOURS[light]}-badge[{light_text(light)}]"


def outlook_badge(outlook: str) -> str:
    """Markdown badge for the weather (Entwicklung gegenüber dem Ziel)."""
    return f":{BADGE_COLOURS[outlook]}-badge[Wetter: {outlook_text(outlook)}]"


def trend_badge(trend: str) -> str:
    """Markdown badge for the Trend (direction only, one neutral colour)."""
    return f":gray-badge[Trend: {trend_text(trend)}]"


def legend() -> None:
    """The plain-words legend of Ampel, Wetter and Trend (DESIGN §4.3)."""
    with st.expander("Was bedeuten Ampel, Wetter und Trend?"):
        st.markdown(
            LEGEND
            + "\n\n**Ampel** – wo steht der neueste Wert, gemessen am Zielpfad vom Basisjahr zum Zieljahr?\n\n"
            + "\n".join(f"- {light_badge(k)} {look.meaning}" for k, look in LIGHT_LOOKS.items())
            + f"\n\n**{OUTLOOK_TITLE}** – reicht die Entwicklung der letzten fünf Jahre bis zum Ziel? "
            + "Keine Vorhersage.\n\n"
            + "\n".join(f"- {outlook_badge(k)} {look.meaning}" for k, look in OUTLOOK_LOOKS.items())
            + "\n\n**Trend** – nur die Richtung der letzten fünf Jahre, ohne Bewertung:\n\n"
            + "\n".join(f"- {trend_badge(k)} {look.meaning}" for k, look in TREND_LOOKS.items())
            + f"\n\n**Zusammenfassung** – {SUMMARY_RULE}"
        )


# The signs that make links, images, autolinks, icons, colours, formulas or emphasis out of text; `.` and `-`
# stay (they format nothing inside a sentence), except the dot of `www.`, which would start an autolink.
_MARKDOWN_SIGNS = re.compile(r"([\\`*_\[\]()#!|~<>$:]|(?<=www)\.)", re.IGNORECASE)


# Escapes do not stop what the renderer finds in the text after parsing: GFM's autolink literals (http://,
# https://, www., e-mail addresses) and Streamlit's :material/…: icons. A WORD JOINER (U+2060, invisible)
# after the sign that starts each keeps the characters and breaks the pattern (the browser test of issue 29
# found live outside links on the Leitbild page and in a Kennzahl heading).
_LIVE_STARTS = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\\?\.)|(?<=@)|(?<=:)(?=material/)", re.IGNORECASE)


def unlinked(text: str) -> str:
    """Text whose web addresses, e-mail addresses and icon names stay text where Markdown is rendered."""
    return _LIVE_STARTS.sub("\u2060", text)


def as_text(message: str) -> str:
    """A message for st.error and the like shown as the characters it is: a refused file's value such as
    ![Bild](https://…) or :material/home: must not become an image, a link or an icon (issue 29)."""
    return unlinked(_MARKDOWN_SIGNS.sub(r"\\\1", message))


def show_problem(error: ControllingError) -> None:
    """A typed domain error as a German message (with every listed problem), as plain text."""
    st.error(as_text(str(error)))


LIGHT_BACKGROUNDS = {"gruen": "#d4efe4", "gelb": "#fbe8c4", "rot": "#f7d3c0", "grau": "#efefef"}


def light_background(light: str) -> str:
    """A pale fill of the light's colour for table cells (the symbol carries the meaning too)."""
    return f"background-color: {LIGHT_BACKGROUNDS.get(light, '#ffffff')}"


# The first column stays while the areas scroll sideways; its own line, since a collapsed border scrolls away.
_STICKY = "position:sticky;left:0;z-index:1;box-shadow:inset -1px 0 #ddd"


def matrix_html(matrix: pd.DataFrame, summary: pd.DataFrame) -> str:
    """The light matrix as a plain HTML table: cells tinted by their worst rated light, symbols and counts
    in the text (readable without colour, printable, scrolls sideways on narrow screens)."""
    head = "".join(f"<th scope='col'>{html.escape(str(c))}</th>" for c in matrix.columns)
    rows = []
    for field in matrix.index:
        cells = "".join(
            f"<td style='{light_background(summary.loc[field, area])}'>{html.escape(str(matrix.loc[field, area]))}</td>"
            for area in matrix.columns
        )
        rows.append(
            f"<tr><th scope='row' class='lm-first' style='{_STICKY};background:#fff'>{html.escape(str(field))}</th>"
            f"{cells}</tr>"
        )
    return (
        # Focusable and named, so that a keyboard can scroll it where it is wider than the screen (WCAG 2.1.1).
        "<div role='region' aria-label='Ampelmatrix, seitlich verschiebbar' tabindex='0' style='overflow-x:auto'>"
        "<table style='border-collapse:collapse;width:100%;font-size:0.85rem'>"
        "<style>.lm th,.lm td{border:1px solid #ddd;padding:4px 6px;text-align:left;white-space:nowrap}"
        ".lm thead th{background:#f5f5f5}</style>"
        f"<thead class='lm'><tr><th scope='col' class='lm-first' style='{_STICKY};background:#f5f5f5'>"
        f"Handlungsfeld</th>{head}</tr></thead>"
        f"<tbody class='lm'>{''.join(rows)}</tbody></table></div>"
    )
