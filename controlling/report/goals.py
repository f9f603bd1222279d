"""The report's "Leitbild und Ziele" section (same order as the page) and its "Zielvorschläge" (drafts)."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from controlling.formatting import format_number_column
from controlling.goals.files import leitbild_html
from controlling.goals.service import GoalSystem, goal_status
from controlling.goals.tree import COUNTED, ROLLUP_RULE, light_label
from controlling.method.presentation import light_text

CSS = """<style>
.goal { border-left: 3px solid #1f4e79; padding-left: 8px; margin: 8px 0; }
.keep { page-break-inside: avoid; }
.goal h3 { font-size: 11pt; margin: 2px 0; } .goal h4 { font-size: 10pt; margin: 6px 0 2px; }
.goal ul { margin: 2px 0 4px 16px; padding: 0; font-size: 9pt; } .counts { font-size: 9pt; color: #333; }
.leitbild blockquote { border: 1px solid #999; padding: 4px 8px; margin: 4px 0; }
.draft { border: 2px dashed #a33a00; padding: 6px; }
table.drafts { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
table.drafts th, table.drafts td { border: 1px solid #999; padding: 3px 4px; text-align: left; }
</style>"""


_WORDS = {"rot": "Rot", "gelb": "Gelb", "gruen": "Grün", "grau": "ohne Bewertung"}


def _e(text: Any) -> str:
    return html.escape("" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text))


def _badge(light: str) -> str:
    return f"<span class='badge {light}'>{light_text(light)}</span>"


def goals_html(
    system: GoalSystem, status: pd.DataFrame, indicators: pd.DataFrame, fields: pd.DataFrame, area_name: str
) -> str:
    """Leitbild, the roll-up rule and the tree with lights for one area's status rows; '' without a tree."""
    if system.goals.empty and not system.leitbild:
        return ""
    linked, lights = goal_status(system, status, indicators)
    parts = [CSS, "<section class='page'><h1>Leitbild und Ziele</h1>"]
    if system.leitbild:
        parts.append(f"<div class='leitbild'>{leitbild_html(system.leitbild, heading=2)}</div>")
    if system.goals.empty:
        return "".join([*parts, "</section>"])
    parts.append(f"<p class='small'>Ampeln für {_e(area_name)}. {_e(ROLLUP_RULE)}</p>")
    goals = system.goals
    names = dict(zip(fields["code"], fields["name"], strict=True))
    for field in [f for f in fields["code"] if f in set(goals["field"])]:  # a handful of fields
        # The field's heading is kept on the page of its first Leitziel's heading, each Handlungsziel whole.
        field_heading = f"<h2>Handlungsfeld {_e(names[field])}</h2>"
        for leitziel in goals.loc[(goals["field"] == field) & (goals["kind"] == "leitziel")].itertuples():
            parts.append(
                f"<div class='keep'>{field_heading}<div class='goal'>{_heading(leitziel, lights, 'Leitziel', 3)}"
            )
            parts.append("</div></div><div class='goal'>")
            field_heading = ""
            for goal in goals.loc[goals["parent"] == leitziel.code].itertuples():  # its Handlungsziele
                parts.append("<div class='keep'>" + _heading(goal, lights, "Handlungsziel", 4))
                rows = linked.loc[linked["goal_code"] == goal.code]
                parts.append(
                    "<ul>"
                    + "".join(
                        f"<li>{_badge(str(row.light))} {_e(row.indicator)} {_e(row.indicator_name)}: "
                        f"{_e(row.value_text)}{f' ({int(row.year)})' if row.has_value else ''} · "
                        f"{_e(row.target_text)}</li>"
                        for row in rows.itertuples()
                    )
                    + "</ul></div>"
                )
            parts.append("</div>")
    return "".join([*parts, "</section>"])


def _heading(goal: object, lights: pd.DataFrame, what: str, level: int) -> str:
    code, title, text = (getattr(goal, name) for name in ("code", "title", "text"))
    light = lights.loc[code]
    described = f"<p class='counts'>{_e(text)}</p>" if text else ""
    return (
        f"<h{level}>{_badge(str(light['light']))} {what} {_e(code)}: {_e(title)}</h{level}>"
        f"<p class='counts'>Zusammengefasst: {_e(light['counts'])}</p>{described}"
    )


def drafts_html(drafts: pd.DataFrame, indicators: pd.DataFrame, area_names: dict[str, str], kreis: str) -> str:
    """Zielvorschläge: drafts, clearly marked as not decided and not in any light; '' when there are none. The
    area by its name (`*`: the Landkreis, carried to its Gemeinden), the value with its unit and decimals."""
    if drafts.empty:
        return ""
    meta = indicators.set_index("code")
    area = drafts["area"].astype(str)
    shown_area = area.map(area_names).fillna(area).where(area != "*", f"{kreis} (für die Gemeinden anteilig)")
    value = format_number_column(
        drafts["target_value"].astype(float),
        drafts["indicator"].map(meta["decimals"]).fillna(1).astype(int),
        drafts["indicator"].map(meta["unit"]).fillna(""),
    )
    table = drafts.assign(shown_area=shown_area, shown_value=value, name=drafts["indicator"].map(meta["name"]))
    rows = "".join(
        f"<tr><td>{_e(row['indicator'])} {_e(row['name'])}</td>"
        f"<td>{_e(row['shown_area'])}</td><td>{_e(row['shown_value'])}</td>"
        f"<td>{int(row['target_year'])}</td><td>{int(row['baseline_year'])}</td><td>{_e(row['source'])}</td></tr>"
        for row in table.to_dict("records")
    )
    return (
        f"{CSS}<section class='page'><h1>Zielvorschläge (Entwürfe)</h1><p class='draft'><b>Entwurf – nicht "
        "beschlossen.</b> Diese Ziele sind vorgeschlagen (z. B. aus einem Workshop oder dem Koordinierungsstab) und "
        "gehen in keine Ampel ein, bis ein Gremium sie beschließt.</p><table class='drafts'><thead><tr>"
        "<th>Kennzahl</th><th>Gebiet</th><th>Zielwert</th><th>Zieljahr</th><th>Basisjahr</th>"
        f"<th>Quelle</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def goal_sheets(
    system: GoalSystem, status: pd.DataFrame, indicators: pd.DataFrame, drafts: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Excel sheets: 'Leitbild und Ziele' (the tree in page order, one row per goal and Kennzahl) and
    'Zielvorschläge' (drafts, marked)."""
    linked, lights = goal_status(system, status, indicators)
    goals = system.goals.merge(lights, left_on="code", right_index=True, how="left")
    goals["Ampel"] = goals["light"].fillna("grau").map(light_label)
    rows = goals.merge(
        linked[["goal_code", "indicator", "indicator_name", "value_text", "target_text", "light"]].rename(
            columns={"light": "indicator_light"}
        ),
        left_on="code",
        right_on="goal_code",
        how="left",
    )
    sheet = pd.DataFrame(
        {
            "Ebene": rows["kind"].map({"leitziel": "Leitziel", "handlungsziel": "Handlungsziel"}),
            "Code": rows["code"],
            "Handlungsfeld": rows["field"],
            "Titel": rows["title"],
            "Ampel (zusammengefasst)": rows["Ampel"],
            **{f"Anzahl {_WORDS[light]}": rows[light].fillna(0).astype(int) for light in COUNTED},
            "Kennzahl": rows["indicator"].fillna(""),
            "Bezeichnung": rows["indicator_name"].fillna(""),
            "Wert": rows["value_text"].fillna(""),
            "Ziel": rows["target_text"].fillna(""),
            "Ampel der Kennzahl": rows["indicator_light"].map(light_label, na_action="ignore").fillna(""),
        }
    )
    sheets = {"Leitbild und Ziele": sheet}
    if len(drafts):
        sheets["Zielvorschläge"] = pd.DataFrame(
            {
                "Stand": "Entwurf – nicht beschlossen",
                "Kennzahl": drafts["indicator"],
                "Gebiet": drafts["area"],
                "Zielwert": drafts["target_value"],
                "Zieljahr": drafts["target_year"],
                "Basisjahr": drafts["baseline_year"],
                "Quelle": drafts["source"],
            }
        )
    return sheets
