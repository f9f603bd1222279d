"""The report's list of overdue measures (issue 14): one rule (controlling.measures.model.overdue), as HTML."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

from controlling.measures.model import overdue


def overdue_measures_html(measures: pd.DataFrame, area_names: dict[str, str], day: dt.date) -> str:
    """'Überfällige Maßnahmen': title, due date, status, responsible, Gemeinden; '' when none is overdue."""
    late = measures.loc[overdue(measures, day)]
    if late.empty:
        return ""
    due = pd.to_datetime(late["due_date"]).dt.strftime("%d.%m.%Y")
    places = late["area_list"].explode().dropna().map(lambda code: area_names.get(code, code))
    where = places.groupby(level=0).agg(", ".join).reindex(late.index, fill_value="Landkreis insgesamt")
    items = (
        "<li><b>"
        + late["title"].map(html.escape)
        + "</b> – fällig am "
        + due
        + ", Stand "
        + late["status"].map(html.escape)
        + " (<b class='late'>überfällig</b>); "
        + late["responsible"].map(html.escape)
        + "; "
        + where.map(html.escape)
        + (" · Kennzahlen " + late["indicators"].fillna("").map(html.escape)).where(
            late["indicators"].fillna("") != "", ""
        )
        + "</li>"
    )
    return (
        f"<h2>Überfällige Maßnahmen ({len(late)})</h2><p class='small'>Fälligkeitsdatum verstrichen, nicht "
        f"abgeschlossen (Stand {day:%d.%m.%Y}).</p><ul class='off'>" + "".join(items) + "</ul>"
    )
