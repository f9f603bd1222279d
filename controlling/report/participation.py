"""The report's "Zielvorschläge" continued (issue 27): each consulted draft with its released contributions and the
Referat's answers, and where the draft stands now (Entwurf, beschlossen). No public contributor is named."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from controlling.formatting import format_number


def _e(text: Any) -> str:
    return html.escape("" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text))


def _day(value: Any) -> str:
    return f"{pd.Timestamp(value):%d.%m.%Y}"


def participation_html(trail: pd.DataFrame) -> str:
    """Per consultation and draft: where the draft stands, then each contribution (who, text, proposed value) with
    its answer; '' without consultations."""
    if trail.empty:
        return ""
    parts = [
        "<section class='page'><h1>Zielvorschläge: Beteiligung und Antworten</h1><p class='small'>Veröffentlichte "
        "Beiträge von Netzwerkpartnern und Öffentlichkeit zu den Entwürfen, mit der Antwort des Referats. Namen "
        "von Bürgerinnen und Bürgern werden nicht genannt.</p>"
    ]
    for _, consultation in trail.groupby("consultation_id", sort=False):
        first = consultation.iloc[0]
        parts.append(
            f"<h2>Beteiligung Nr. {first['consultation_id']}: {_e(first['title'])} ({_day(first['opens_on'])}–"
            f"{_day(first['closes_on'])})</h2>"
        )
        for (_, label), item in consultation.groupby(["sort_order", "label"], sort=False):
            parts.append(f"<h3>{_e(label)}</h3><p class='small'><b>Stand:</b> {_e(item.iloc[0]['draft_state'])}</p>")
            said = item.loc[item["text"].notna()]
            values = said["proposed_value"].map(lambda v: "" if pd.isna(v) else format_number(float(v), 1))
            if said.empty:
                parts.append("<p class='small'>Keine veröffentlichten Beiträge.</p>")
                continue
            parts.append(
                "<table class='drafts'><thead><tr><th>Von</th><th>Beitrag</th><th>Zielwert</th><th>Antwort</th>"
                "</tr></thead><tbody>"
                + "".join(
                    f"<tr><td>{_e(row['author'])}</td><td>{_e(row['text'])}</td>"
                    f"<td>{_e(value)}</td><td><b>{_e(row['answer_label'])}</b> {_e(row['answer_text'])}</td></tr>"
                    for row, value in zip(said.to_dict("records"), values, strict=True)
                )
                + "</tbody></table>"
            )
    return "".join([*parts, "</section>"])
