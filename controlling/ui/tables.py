"""Tables of lights that keep their key columns in view on a tablet, and open a long Begründung on click."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from controlling.ui.badges import unlinked

REASON = "Begründung"
# Widths that show the short columns whole ("↗ gleichbleibend", "⛅ Leicht bewölkt") and no wider.
WIDTHS = {"Jahr": 60, "Ampel": 85, "Trend": 125, "Wetter": 135, "Wert": 112, "Ziel": 150}
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")  # `:` too: no link, icon or colour directive


def _plain(text: str) -> str:
    """Text shown as it is: no markdown character of a name or sentence formats anything."""
    return unlinked(_MARKDOWN.sub(r"\\\1", text))


# A pinned column's text is drawn at 60 % opacity: black comes out #666 (5.7:1 on white; the theme's #262730
# came out 4.1:1).
PINNED_TEXT = "#000000"
ROW_HEIGHT = 112  # px: five lines of a wrapped Begründung
REASON_WIDTH = 330  # px: about 55 characters a line


def with_dark_pinned(columns: pd.DataFrame | Mapping[str, pd.Series | list[object]], first: str) -> Any:
    """The table with its pinned column `first` drawn dark: the grid draws pinned text at 60 % opacity."""
    frame = pd.DataFrame(dict(columns)).reset_index(drop=True)
    return frame.style.map(lambda _: f"color: {PINNED_TEXT}", subset=[first])


def _height(rows: int) -> int:
    """Every row in view up to twelve (the tall rows would leave four of the default height's ten)."""
    return 38 + min(rows, 12) * ROW_HEIGHT + 2


def explained_table(
    columns: Mapping[str, pd.Series | list[object]],
    *,
    key: str,
    first: str,
    first_width: int = 200,
    config: Mapping[str, Any] | None = None,
    before_reason: Sequence[str] = ("Jahr", "Wert", "Ampel"),
) -> None:
    """A status table: `first` (the row's name) pinned, short columns as wide as they need, rows tall enough for
    the Begründung to wrap over five lines; a click on any cell of a row (or its checkbox) shows its whole
    Begründung under the table (at 820 px no width shows a sentence of 300 characters). The columns
    `before_reason` come first after the name, then the Begründung, then the rest in their order."""
    frame = pd.DataFrame(dict(columns)).reset_index(drop=True)
    # The reason beside the light it explains: at 1280 px name, year, value, light and the wrapped reason are in
    # view together; the other columns follow (and scroll sideways on a tablet, the name pinned).
    leading = [name for name in (first, *before_reason, REASON) if name in frame.columns]
    frame = frame[leading + [name for name in frame.columns if name not in leading]]
    column_config: dict[str, Any] = {
        first: st.column_config.TextColumn(first, pinned=True, width=first_width),
        **{name: st.column_config.TextColumn(name, width=width) for name, width in WIDTHS.items() if name in frame},
        **dict(config or {}),
    }
    if REASON in frame.columns:
        column_config[REASON] = st.column_config.TextColumn(
            REASON, width=REASON_WIDTH, help="Zeile anklicken: die ganze Begründung steht unter der Tabelle."
        )
    shown = with_dark_pinned(frame, first)
    event = st.dataframe(
        shown,
        column_config=column_config,
        hide_index=True,
        width="stretch",
        # Rows taller than 4rem let the grid wrap text: a reason reads over four lines instead of being cut.
        row_height=ROW_HEIGHT if REASON in frame.columns else None,
        height=_height(len(frame)) if REASON in frame.columns else "auto",
        on_select="rerun",
        # A click on any cell chooses its row, as the caption says (a row selection alone needed the checkbox).
        selection_mode=["single-row", "single-cell"],
        key=key,
    )
    chosen = list(event.selection.rows) or [row for row, _ in event.selection.get("cells", [])]
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
