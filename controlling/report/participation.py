"""The report's "Zielvorschläge" continued (issue 27): each consulted draft with its released contributions and the
Referat's answers, and where the draft stands now (Entwurf, beschlossen). No public contributor is named."""

from __future__ import annotations

import html

import pandas as pd

from controlling.formatting import format_number


def _e(text: object) -> str:
    return html.escape("" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text))


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
    for (number, title), consultation in trail.groupby(["consultation_id", "title"], sort=False):
        first = consultation.iloc[0]
        parts.append(
            f"<h2>Beteiligung Nr. {int(number)}: {_e(title)} ({pd.Timestamp(first['opens_on']):%d.%m.%Y}–"
            f"{pd.Timestamp(first['closes_on']):%d.%m.%Y})</h2>"
        )
        for (_, label), item in consultation.groupby(["sort_order", "label"], sort=False):
            parts.append(f"<h3>{_e(label)}</h3><p class='small'><b>Stand:</b> {_e(item.iloc[0]['draft_state'])}</p>")
            said = item.loc[item["text"].notna()]
            if said.empty:
                parts.append("<p class='small'>Keine veröffentlichten Beiträge.</p>")
                continue
            parts.append(
                "<table class='drafts'><thead><tr><th>Von</th><th>Beitrag</th><th>Zielwert</th><th>Antwort</th>"
                "</tr></thead><tbody>"
                + "".join(
                    f"<tr><td>{_e(row['author'])}</td><td>{_e(row['text'])}</td>"
                    f"<td>{'' if pd.isna(row['proposed_value']) else _e(format_number(float(row['proposed_value']), 1))}</td>"
                    f"<td><b>{_e(row['answer_label'])}</b> {_e(row['answer_text'])}</td></tr>"
                    for row in said.to_dict("records")
                )
                + "</tbody></table>"
            )
    return "".join([*parts, "</section>"])
