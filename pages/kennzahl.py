"""Kennzahl: one indicator over time for every area, with target path, projection, flags and context."""

import datetime as dt

import streamlit as st

from controlling import charts, service, ui
from controlling.formatting import format_number_column
from controlling.measures.model import measure_state
from controlling.method.overview import home_areas
from controlling.method.presentation import COUNTY_RULES, DIRECTIONS, flag_text, status_display
from controlling.report import export

ui.start_page()

reference = ui.reference()
indicators = reference["indicators"]
names = dict(zip(indicators["code"], indicators["name"], strict=True))
code = ui.url_choice("Kennzahl", list(indicators["code"]), "kennzahl", format_func=lambda c: f"{c} – {names[c]}")
meta = indicators.set_index("code").loc[code]
values = ui.viewer_values([code])
status = ui.viewer_status(None)
status = status.loc[status["indicator"] == code]
areas = reference["areas"]
area_names = dict(zip(areas["code"], areas["name"], strict=True))
home = home_areas(areas)
kreis = home.iloc[0]["code"]

st.title(f"{code} {ui.plain(meta['name'])}")
st.caption(f"Handlungsfeld {meta['field_name']} · Einheit: {meta['unit']} · Richtung: {DIRECTIONS[meta['polarity']]}")
if values.empty:
    st.info("Für diese Kennzahl liegen noch keine Werte vor.")
    st.stop()

# The Landkreis, its Gemeinden, the Land and other Kreise: never every Gemeinde of a nationwide data set.
candidates = areas.loc[areas["code"].isin(home["code"]) | areas["level"].isin(["land", "kreis"]), "code"]
offered = sorted(set(candidates) & set(values["area"]), key=lambda a: (len(a), a))
home_codes = set(home["code"])
shown = st.multiselect(
    "Gebiete im Diagramm",
    offered,
    default=[a for a in offered if a in home_codes or len(a) == 2],
    format_func=lambda a: area_names.get(a, a),
    placeholder="Gebiete wählen",
)
with_status = set(status["area"])
focus_options = sorted((a for a in shown if a in with_status), key=lambda a: a != kreis) or [kreis]
focus = st.selectbox("Ziel und Wetter zeigen für", focus_options, format_func=lambda a: area_names.get(a, a))
in_chart = values.loc[values["area"].isin(shown)]
st.plotly_chart(charts.time_series(in_chart, status, meta, area_names, focus=focus), width="stretch")
ui.chart_as_table(charts.series_table(in_chart, meta, area_names), "Die Werte des Diagramms")  # its text alternative

row = status.loc[status["area"] == focus]
if len(row):
    row = row.iloc[0]
    st.markdown(
        f"{ui.light_badge(row['light'])} {ui.outlook_badge(row['outlook'])} {ui.trend_badge(row['trend'])}  \n"
        f"{row['explanation']}"
    )
ui.legend()

st.subheader("Gemeinden und Landkreis im neuesten Jahr")
latest = status.loc[status["area"].isin(home["code"])]
ui.explained_table(
    {
        "Gebiet": latest["area_name"],
        "Jahr": latest["year"].astype(str),
        **status_display(latest, int(meta["decimals"]), meta["unit"]),
        "Begründung": latest["explanation"],
    },
    key="gebiete_tabelle",
    first="Gebiet",
    first_width=140,
)

st.subheader("Alle Werte mit Kennzeichen")
listed = values.loc[values["area"].isin(offered)]  # the Landkreis, its Gemeinden, Land and Kreise
table = (
    listed.assign(Gebiet=listed["area"].map(area_names), Kennzeichen=flag_text(listed))[
        ["Gebiet", "area", "year", "value", "numerator", "denominator", "Kennzeichen"]
    ]
    .rename(columns={"area": "AGS", "year": "Jahr", "value": "Wert", "numerator": "Zähler", "denominator": "Nenner"})
    .sort_values(["AGS", "Jahr"])
)
decimals = int(meta["decimals"])
shown = table.assign(  # German figures by the indicator's decimals, whatever the browser's language
    Jahr=table["Jahr"].astype(str),
    Wert=format_number_column(table["Wert"], decimals),
    Zähler=format_number_column(table["Zähler"], 0).replace("–", ""),
    Nenner=format_number_column(table["Nenner"], 0).replace("–", ""),
)
right_aligned = {name: st.column_config.TextColumn(alignment="right") for name in ("Wert", "Zähler", "Nenner")}
st.dataframe(shown, hide_index=True, width="stretch", column_config=right_aligned)
left, right = st.columns(2)
left.download_button(
    "Als CSV herunterladen",
    export.to_csv_bytes(table, decimals={"Wert": decimals}),
    file_name=f"{code}.csv",
    mime="text/csv",
)
right.download_button(
    "Als Excel herunterladen",
    export.to_excel_bytes({code: table}),
    file_name=f"{code}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)

st.subheader("Definition und Quelle")
st.markdown(
    f"**Definition:** {ui.plain(meta['definition'])}  \n**Quelle:** {ui.plain(meta['source'])}  \n"
    f"**Kreiswert:** {COUNTY_RULES[meta['aggregation']]}"
)

store = ui.store()
comments = service.comments(store, code)
measures = service.measures(store, code)
st.subheader("Einordnung und Maßnahmen")
if comments.empty and measures.empty:
    st.write("Zu dieser Kennzahl gibt es noch keine Einordnung und keine Maßnahme.")
for comment in comments.itertuples():
    st.markdown(
        f"**{ui.plain(area_names.get(comment.area, comment.area))} {comment.year}** – {ui.plain(comment.text)} "
        f"*({ui.plain(comment.author)})*"
    )
if not measures.empty:
    st.dataframe(
        {
            "Maßnahme": measures["title"],
            "Verantwortlich": measures["responsible"],
            "Stand": measure_state(measures, dt.date.today()),
            "Fällig": measures["due_date"].map(lambda d: "" if d is None or str(d) == "NaT" else f"{d:%d.%m.%Y}"),
        },
        hide_index=True,
        width="stretch",
    )
