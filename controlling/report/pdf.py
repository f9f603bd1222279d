"""Controlling-Bericht: an A4 PDF for the Kreisausschuss (HTML printed by the system Chromium) and Excel."""

from __future__ import annotations

import datetime as dt
import html
import importlib.util
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.offline

from controlling import charts, service
from controlling.db import Store
from controlling.errors import ControllingError
from controlling.formatting import format_number_column
from controlling.goals import service as goal_service
from controlling.goals.service import GoalSystem
from controlling.measures.model import measure_state
from controlling.method.overview import dashboard_areas, home_areas, light_matrix, off_track, summary_lights
from controlling.method.presentation import (
    LEGEND,
    LIGHT_LOOKS,
    OUTLOOK_LOOKS,
    SUMMARY_RULE,
    TARGET_KIND_LABELS,
    TREND_LOOKS,
    light_text,
    outlook_text,
    target_column,
    trend_text,
)
from controlling.method.status import METHOD_NAME, METHOD_VERSION
from controlling.participation import service as participation_service
from controlling.reference.areas import AREAS_SOURCE
from controlling.report.goals import drafts_html, goal_sheets, goals_html
from controlling.report.measures import overdue_measures_html
from controlling.report.participation import participation_html

CHROMIUM = Path("/usr/bin/chromium")
Progress = Callable[[float, str], None]


class ReportError(ControllingError):
    """The report could not be produced."""


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows, fixed to a data version."""

    title: str
    year: int
    version: int
    made: dt.date
    demo: bool
    status: pd.DataFrame
    values: pd.DataFrame
    fields: pd.DataFrame
    indicators: pd.DataFrame
    areas: pd.DataFrame
    comments: pd.DataFrame
    measures: pd.DataFrame
    data_stand: str  # the data version in words: number and date of the newest import it holds
    context_stand: str  # whose targets, comments and measures the report uses
    method: str = ""  # the method the report rates by, and the one in force when its data version was made
    goals: GoalSystem | None = None  # Leitbild und Ziele (issue 14)
    drafts: pd.DataFrame | None = None  # Zielvorschläge: targets not decided
    participation: pd.DataFrame | None = None  # issue 27: consulted drafts with contributions and answers


def method_note(made_under: int) -> str:
    """'Bewertet nach Methode 3 (…)', and for a data version made under an earlier method, which one that was."""
    note = f"Bewertet nach {METHOD_NAME}."
    if made_under < METHOD_VERSION:
        note += (
            f" Als dieser Datenstand entstand, galt Methode {made_under}; die Ampeln können von einem damals "
            "erstellten Bericht abweichen (siehe README, »Wie bewertet wird«)."
        )
    return note


def collect(
    store: Store, *, year: int | None = None, version: int | None = None, day: dt.date | None = None
) -> ReportData:
    """Gather a report's data as of an intake (default: the newest); the same version gives the same numbers."""
    newest = store.values.last_intake_id()
    version = newest if version is None else version
    values = store.values.current(as_of=version)
    if values.empty:
        raise ReportError("Für den Bericht fehlen Werte; bitte zuerst Daten importieren.")
    year = int(values["year"].max()) if year is None else year
    made = day or dt.date.today()
    intakes = store.intakes.history()
    intake = intakes.loc[intakes["id"] == version].iloc[0]
    taken = pd.Timestamp(intake["created_at"])
    # The import's number, not its file name: the report is for everyone, file names are for staff (issue 17).
    data_stand = f"Import Nr. {version} vom {taken:%d.%m.%Y, %H:%M} Uhr"
    method = method_note(int(intake["method_version"]))
    comments, measures = store.notes.comments(), store.measures.list()
    if version == newest:
        # The newest data: today's targets, comments and measures.
        in_force = made
        context_stand = f"Ziele, Einordnungen und Maßnahmen: Stand {made:%d.%m.%Y}"
    else:
        # An earlier data version: the targets in force and the comments and measures written by then.
        in_force = taken.date()
        comments = comments.loc[pd.to_datetime(comments["created_at"]) <= taken]
        measures = measures.loc[pd.to_datetime(measures["created_at"]) <= taken]
        context_stand = (
            f"Ziele und Einordnungen: Stand {taken:%d.%m.%Y} wie der Datenstand; Maßnahmen, die es damals gab, "
            f"mit ihrem heutigen Bearbeitungsstand ({made:%d.%m.%Y})"
        )
    areas = store.catalogue.areas()
    kreis = home_areas(areas, year=year).iloc[0]
    shown = dashboard_areas(areas)  # Gemeinden of other Kreise would pass Excel's 1,048,576 rows
    status = service.status_table(store, year=year, day=in_force, as_of=version, areas=list(shown))
    return ReportData(
        title=f"Controlling-Bericht Integration {kreis['name']}",
        year=year,
        version=version,
        made=made,
        demo=store.values.has_demo_data(),
        status=status.loc[status["area"].isin(shown)].reset_index(drop=True),
        values=values.loc[values["area"].isin(shown)].reset_index(drop=True),
        fields=store.catalogue.fields(),
        indicators=store.catalogue.indicators(),
        areas=areas,
        comments=comments,
        measures=measures.assign(shown_status=measure_state(measures, made)),
        data_stand=data_stand,
        context_stand=context_stand,
        method=method,
        goals=goal_service.goal_system(store),
        drafts=goal_service.target_drafts(store),
        participation=participation_service.trail(store),
    )


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text))


def _badge(light: str) -> str:
    return f"<span class='badge {light}'>{light_text(light)}</span>"


def _outlook(outlook: str) -> str:
    return f"<span class='outlook'>Wetter: {outlook_text(outlook)}</span>"


def _trend(trend: str) -> str:
    return f"<span class='trend'>Trend: {trend_text(trend)}</span>"


def report_html(data: ReportData) -> str:
    """The whole report as one HTML document (plotly.js inline, so it works without internet)."""
    home = home_areas(data.areas, year=data.year)
    kreis = home.iloc[0]
    names = dict(zip(data.areas["code"], data.areas["name"], strict=True))
    status = data.status
    matrix = light_matrix(status, data.fields, home)
    summary = summary_lights(status, data.fields, home)
    off = off_track(status, home)
    charts_js: list[str] = []
    parts = [_title_page(data, kreis["name"]), "<section class='page'>", "<h1>Auf einen Blick</h1>"]
    counts = status.loc[(status["area"] == kreis["code"]) & (status["field"] != "KTX"), "light"].value_counts()
    parts.append(
        "<p class='lead'>"
        + " · ".join(f"{_badge(k)} {int(counts.get(k, 0))}" for k in ("rot", "gelb", "gruen", "grau"))
        + f" Kennzahlen – {_e(kreis['name'])}</p>"
    )
    parts.append(
        "<table class='matrix'><thead><tr><th>Handlungsfeld</th>"
        + "".join(f"<th>{_e(c)}</th>" for c in matrix.columns)
        + "</tr></thead><tbody>"
    )
    for field in matrix.index:
        parts.append(
            f"<tr><th>{_e(field)}</th>"
            + "".join(f"<td class='{summary.loc[field, a]}'>{_e(matrix.loc[field, a])}</td>" for a in matrix.columns)
            + "</tr>"
        )
    parts.append(
        "</tbody></table><p class='small'>✖ Rot · ▲ Gelb · ✔ Grün · ○ Grau (nicht bewertet): Anzahl "
        f"der Kennzahlen je Ampel. {_e(SUMMARY_RULE)}</p>"
    )
    parts.append("<h2>Wo der Landkreis vom Kurs abweicht</h2><ul class='off'>")
    for row in off.loc[off["area"] == kreis["code"]].itertuples():
        parts.append(
            f"<li>{_badge(row.light)} {_outlook(row.outlook)} {_trend(row.trend)} "
            f"<b>{_e(row.indicator)} {_e(row.indicator_name)}</b><br>"
            f"{_e(row.explanation)}</li>"
        )
    parts.append("</ul>")
    gemeinden = off.loc[off["area"] != kreis["code"]]
    if len(gemeinden):
        # One line per Gemeinde and Kennzahl (the list with its sentences ran over three pages); the heading
        # stays with the table's first rows (CSS .keep-next).
        rows = "".join(
            f"<tr><td>{_badge(row.light)} {_outlook(row.outlook)}</td><td>{_e(row.area_name)}</td>"
            f"<td><b>{_e(row.indicator)}</b> {_e(row.indicator_name)}</td><td>{_e(row.short_reason)}</td></tr>"
            for row in gemeinden.itertuples()
        )
        parts.append(
            "<h2>Gemeinden, die vom Kurs abweichen</h2><p class='small'>Ohne eigenes Ziel gilt für eine Gemeinde "
            "das Kreisziel anteilig: dieselbe prozentuale Veränderung wie im Landkreis. Die Begründungen stehen "
            "auf der Seite »Gemeinde« im Dashboard.</p><table class='off'><thead><tr><th>Ampel, Wetter</th>"
            f"<th>Gemeinde</th><th>Kennzahl</th><th>Warum</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    parts.append(overdue_measures_html(data.measures, names, data.made))
    parts.append("</section>")
    parts.append(_goal_part(data, kreis))
    for field in data.fields.itertuples():
        rows = status.loc[(status["field"] == field.code) & (status["area"] == kreis["code"])]
        if rows.empty:
            continue
        parts.append(f"<section class='page'><h1>Handlungsfeld {_e(field.name)}</h1>")
        for row in rows.itertuples():
            meta = data.indicators.set_index("code").loc[row.indicator]
            series = data.values.loc[
                (data.values["indicator"] == row.indicator) & data.values["area"].isin([kreis["code"], "03"])
            ]
            figure = charts.time_series(
                series, rows.loc[rows["indicator"] == row.indicator], meta, names, focus=kreis["code"]
            )
            figure.update_layout(height=300, width=680, margin={"l": 55, "r": 10, "t": 40, "b": 70}, legend={"y": -0.3})
            figure.update_xaxes(title=None, dtick=2, tickangle=0)
            chart_id = f"chart{len(charts_js)}"
            charts_js.append(
                f"((s) => Plotly.newPlot('{chart_id}', s.data, s.layout, {{staticPlot: true}}))({figure.to_json()})"
            )
            comment = data.comments.loc[
                (data.comments["indicator"] == row.indicator) & (data.comments["area"] == kreis["code"])
            ].head(1)
            measures = data.measures.loc[data.measures["indicators"].fillna("").str.contains(row.indicator)]
            value = format_number_column(pd.Series([row.value]), int(meta["decimals"]), meta["unit"]).iloc[0]
            shown_target = target_column(rows.loc[[row.Index]], int(meta["decimals"]), meta["unit"]).iloc[0]
            target = f" · Ziel {int(row.target_year)}: {_e(shown_target)}" if shown_target else ""
            parts.append(
                f"<div class='indicator'><h2>{_e(row.indicator)} {_e(row.indicator_name)}</h2>"
                f"<p>{_badge(row.light)} {_outlook(row.outlook)} {_trend(row.trend)} <b>{_e(value)}</b> ({row.year})"
                f"{target}</p>"
                f"<div id='{chart_id}' class='chart'></div><p>{_e(row.explanation)}</p>"
            )
            if len(comment):
                parts.append(
                    f"<p class='comment'><b>Einordnung des Referats ({comment.iloc[0]['year']}):</b> "
                    f"{_e(comment.iloc[0]['text'])}</p>"
                )
            if len(measures):
                parts.append(
                    "<p class='measures'><b>Maßnahmen:</b> "
                    + "; ".join(
                        f"{_e(m.title)} ({_e(m.responsible)}, {_status_html(str(m.shown_status))})"
                        for m in measures.itertuples()
                    )
                    + "</p>"
                )
            parts.append("</div>")
        parts.append("</section>")
    if data.drafts is not None:
        parts.append(drafts_html(data.drafts, data.indicators, names, str(kreis["name"])))
    if data.participation is not None:
        parts.append(participation_html(data.participation))
    parts.append("<section class='page'><h1>Anhang: Definitionen und Quellen</h1><dl>")
    for meta in data.indicators.itertuples():
        parts.append(
            f"<dt>{_e(meta.code)} {_e(meta.name)} ({_e(meta.unit)})</dt><dd>{_e(meta.definition)}"
            f"<br><i>Quelle:</i> {_e(meta.source)}</dd>"
        )
    parts.append(f"</dl><p><i>Gebiete:</i> {_e(AREAS_SOURCE)}</p></section>")
    script = (
        "<script>" + str(plotly.offline.get_plotlyjs()) + "</script><script>"
        "Promise.all([" + ",".join(charts_js) + "]).then(() => { document.body.dataset.ready = 'ja'; });</script>"
    )
    return (
        f"<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'><title>{_e(data.title)} {data.year}</title>"
        f"<style>{CSS}</style></head><body>" + "".join(parts) + script + "</body></html>"
    )


def _goal_part(data: ReportData, kreis: pd.Series) -> str:
    """Leitbild und Ziele with the Landkreis's lights, in the page's order (controlling.report.goals)."""
    if data.goals is None:
        return ""
    rows = data.status.loc[data.status["area"] == kreis["code"]]
    return goals_html(data.goals, rows, data.indicators, data.fields, str(kreis["name"]))


def _status_html(status: str) -> str:
    """A measure's status; an overdue one stands out."""
    return f"<b class='late'>{_e(status)}</b>" if "überfällig" in status else _e(status)


def _title_page(data: ReportData, kreis: str) -> str:
    demo = "<p class='demo'>DEMODATEN – die Werte sind erfunden und nur zur Vorführung.</p>" if data.demo else ""
    legend = LEGEND.replace("**", "")
    return (
        "<section class='page title'>"
        f"<h1>{_e(data.title)}</h1><p class='subtitle'>Berichtsjahr {data.year}</p>{demo}"
        f"<p>Landkreis: {_e(kreis)}<br>Erstellt am {data.made:%d.%m.%Y}<br>"
        f"Datenstand: {_e(data.data_stand)}<br>{_e(data.context_stand)}<br>"
        f"{_e(data.method)}</p>"
        f"<p class='small'>{_e(legend)}</p>"
        "<p class='small'>Ampel: ✔ Grün = Ziel erreicht, Grenze eingehalten oder auf dem Zielpfad · ▲ Gelb = leicht "
        "dahinter · ✖ Rot = deutlich dahinter, vom Ziel weg oder Grenze verfehlt · ○ Grau = nicht bewertet. "
        "Wetter (Entwicklung gegenüber dem Ziel): ☀ Sonne · ⛅ Leicht bewölkt · ☁ Bewölkt · ⚡ Gewitter. "
        "Trend: ↗ steigend · ↘ fallend · → gleichbleibend. Jede Ampel ist im Text begründet.</p></section>"
    )


CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10.5pt; color: #111; font-variant-ligatures: none; }
.page { page-break-after: always; } .page:last-of-type { page-break-after: auto; }
.title h1 { font-size: 26pt; margin-top: 60mm; } .subtitle { font-size: 16pt; }
.demo { border: 2px solid #111; padding: 6px; font-weight: bold; }
h1 { font-size: 17pt; border-bottom: 2px solid #1f4e79; } h2 { font-size: 12.5pt; margin: 10px 0 4px; }
.small { font-size: 8.5pt; color: #333; } .lead { font-size: 12pt; }
.badge { border: 1px solid #555; border-radius: 3px; padding: 0 4px; font-weight: bold; white-space: nowrap; }
.badge.gruen { background: #d4efe4; } .badge.gelb { background: #fbe8c4; } .badge.rot { background: #f7d3c0; }
.badge.grau { background: #efefef; } .outlook { border: 1px dashed #555; padding: 0 4px; white-space: nowrap; }
.trend { border: 1px dotted #777; padding: 0 4px; white-space: nowrap; } .late { color: #a33a00; }
table.matrix { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
table.matrix th, table.matrix td { border: 1px solid #999; padding: 3px 4px; text-align: left; }
td.gruen { background: #d4efe4; } td.gelb { background: #fbe8c4; } td.rot { background: #f7d3c0; }
td.grau { background: #efefef; }
ul.off li { margin-bottom: 6px; break-inside: avoid; } .indicator { page-break-inside: avoid; margin-bottom: 8px; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; } h2 + p.small { break-after: avoid; }
table.off { border-collapse: collapse; width: 100%; font-size: 8.5pt; break-before: avoid; }
table.off th, table.off td { border-bottom: 1px solid #bbb; padding: 2px 4px; text-align: left; vertical-align: top; }
table.off tr { break-inside: avoid; }
.chart { width: 680px; height: 300px; } .comment, .measures { font-size: 9.5pt; }
dt { font-weight: bold; margin-top: 6px; } dd { margin-left: 0; font-size: 9pt; }
"""

FOOTER = (
    "<div style='font-size:8pt;width:100%;text-align:center;color:#333'>"
    "Seite <span class='pageNumber'></span> von <span class='totalPages'></span></div>"
)


def write_pdf(data: ReportData, path: Path, progress: Progress | None = None) -> None:
    """Print the report with the system Chromium (Playwright drives /usr/bin/chromium)."""
    say = progress or (lambda share, text: None)
    if not CHROMIUM.exists():
        raise ReportError("Für den PDF-Bericht fehlt Chromium (/usr/bin/chromium): apt-get install chromium.")
    say(0.2, "Bericht wird zusammengestellt …")
    document = report_html(data)
    if importlib.util.find_spec("playwright") is None:
        raise ReportError("Für den PDF-Bericht fehlt Playwright (pip install -r requirements.txt).")
    say(0.4, "Diagramme werden gezeichnet, das PDF wird gedruckt …")
    # Playwright's sync API refuses to run in a thread with a running asyncio loop; a thread of its own
    # has none, wherever the report is asked for (CLI, Streamlit page, tests beside a browser session).
    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(_print, document, path).result()
    say(1.0, "Fertig.")


def _print(document: str, path: Path) -> None:
    """Load the HTML in Chromium, wait until every chart is drawn, print A4 with page numbers."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        try:
            page = browser.new_page()
            page.set_content(document, wait_until="load")
            page.wait_for_function("document.body.dataset.ready === 'ja'", timeout=120_000)
            page.pdf(
                path=str(path),
                format="A4",
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER,
                print_background=True,
                margin={"top": "18mm", "bottom": "20mm", "left": "16mm", "right": "16mm"},
            )
        finally:
            browser.close()


def write_excel(data: ReportData, path: Path) -> None:
    """Status sheet, one sheet per Handlungsfeld (values of the report's areas), metadata; numbers stay numbers."""
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    status = data.status.loc[data.status["field"].isin(data.fields["code"])]
    headers = {
        "indicator": "Kennzahl",
        "indicator_name": "Bezeichnung",
        "area_name": "Gebiet",
        "year": "Jahr",
        "value": "Wert",
        "target_kind": "Zielart",
        "target_value": "Zielwert",
        "target_year": "Zieljahr",
        "light": "Ampel",
        "outlook": "Wetter",
        "trend": "Trend",
        "explanation": "Begründung",
    }
    sheets = {
        "Status": status[list(headers)]
        .rename(columns=headers)
        .assign(
            Zielart=lambda f: f["Zielart"].map(TARGET_KIND_LABELS).fillna(""),
            Ampel=lambda f: f["Ampel"].map(lambda k: LIGHT_LOOKS[k].label),
            Wetter=lambda f: f["Wetter"].map(lambda k: OUTLOOK_LOOKS[k].label),
            Trend=lambda f: f["Trend"].map(lambda k: TREND_LOOKS[k].label),
        )
    }
    names = dict(zip(data.areas["code"], data.areas["name"], strict=True))
    for code, field_name in zip(data.fields["code"], data.fields["name"], strict=True):
        codes = data.indicators.loc[data.indicators["field"] == code, "code"]
        rows = data.values.loc[data.values["indicator"].isin(codes)]
        sheets[str(field_name)] = pd.DataFrame(
            {
                "Kennzahl": rows["indicator"],
                "Gebiet": rows["area"].map(names),
                "AGS": rows["area"],
                "Jahr": rows["year"],
                "Wert": rows["value"],
                "Zähler": rows["numerator"],
                "Nenner": rows["denominator"],
                "Kennzeichen": rows["flag"],
                "berechnet": rows["computed"].map({True: "ja", False: "nein"}),
            }
        )
    if data.goals is not None:
        kreis = home_areas(data.areas, year=data.year).iloc[0]
        rows = data.status.loc[data.status["area"] == kreis["code"]]
        sheets.update(
            goal_sheets(data.goals, rows, data.indicators, pd.DataFrame() if data.drafts is None else data.drafts)
        )
    sheets["Metadaten"] = pd.DataFrame(
        {
            "Angabe": [
                "Bericht",
                "Berichtsjahr",
                "Datenstand",
                "Ziele, Einordnungen, Maßnahmen",
                "Bewertungsmethode",
                "Erstellt am",
                "Demodaten",
                "Gebiete",
            ],
            "Wert": [
                data.title,
                str(data.year),
                data.data_stand,
                data.context_stand,
                data.method,
                f"{data.made:%d.%m.%Y}",
                "ja" if data.demo else "nein",
                AREAS_SOURCE,
            ],
        }
    )
    from controlling.report.export import neutralize

    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            neutralize(frame).to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            for index, column in enumerate(frame.columns, start=1):
                letter = get_column_letter(index)
                sheet.column_dimensions[letter].width = min(60, max(10, len(str(column)) + 4))
                if column in ("Wert", "Zielwert", "Zähler", "Nenner"):
                    for cell in sheet[letter][1:]:
                        cell.number_format = "#,##0.0##"
