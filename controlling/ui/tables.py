"""Tables of lights that keep their key columns in view on a tablet, and open a long Begründung on click."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from controlling.ui.badges import unlinked

REASON = "Begründung"
# Widths that show the short columns whole ("↗ gleichbleibend", "⛅ Leicht bewölkt") and no wider.
WIDTHS = {"Jahr": 60, "Ampel": 85, "Trend": 125, "Wetter": 135, "Wert": 85, "Ziel": 170}
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")  # `:` too: no link, icon or colour directive


def _plain(text: str) -> str:
    """Text shown as it is: no markdown character of a name or sentence formats anything."""
    return unlinked(_MARKDOWN.sub(r"\\\1", text))


def explained_table(
    columns: Mapping[str, pd.Series | list[object]],
    *,
    key: str,
    first: str,
    first_width: int = 220,
    config: Mapping[str, Any] | None = None,
) -> None:
    """A status table: `first` (the row's name) pinned, short columns as wide as they need, the Begründung cut to the
    cell; a click on a row shows its whole Begründung under the table (a cell cannot wrap, and at 820 px
    no width shows a sentence of 300 characters)."""
    frame = pd.DataFrame(dict(columns)).reset_index(drop=True)
    column_config: dict[str, Any] = {
        first: st.column_config.TextColumn(first, pinned=True, width=first_width),
        **{name: st.column_config.TextColumn(name, width=width) for name, width in WIDTHS.items() if name in frame},
        **dict(config or {}),
    }
    if REASON in frame.columns:
        column_config[REASON] = st.column_config.TextColumn(
            REASON, width="large", help="Zeile anklicken: die ganze Begründung steht unter der Tabelle."
        )
    event = st.dataframe(
        frame,
        column_config=column_config,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=key,
    )
    chosen = list(event.selection.rows)
    if REASON not in frame.columns:
        return
    if not chosen:
        st.caption("Eine Zeile anklicken, um ihre ganze Begründung zu lesen.")
        return
    row = frame.iloc[chosen[0]]
    st.info(f"**{_plain(str(row[first]))}**  \n{_plain(str(row[REASON]))}")


def chart_as_table(table: pd.DataFrame, what: str) -> None:
    """A chart's data as a table under it, folded: the text alternative a screen reader or a printout needs."""
    with st.expander(f"{what} als Tabelle"):
        st.dataframe(table, hide_index=True, width="stretch")
