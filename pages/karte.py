"""Karte: the Gemeinden coloured by value or light; a GeoJSON when configured, a tile map otherwise."""

import streamlit as st

from controlling import auth, charts, ui
from controlling.method.overview import home_areas

ui.start_page()

reference = ui.reference()
indicators = reference["indicators"]
st.title("Karte der Gemeinden")
if not ui.available_years():
    st.info("Es sind noch keine Werte vorhanden.")
    st.stop()
latest = ui.viewer_status(None)
gemeinde_indicators = sorted(latest.loc[latest["area"].str.len() == 8, "indicator"].unique())
names = dict(zip(indicators["code"], indicators["name"], strict=True))
code = ui.url_choice("Kennzahl", gemeinde_indicators, "kennzahl", format_func=lambda c: f"{c} – {names.get(c, c)}")
year = ui.report_year()
by = st.radio(
    "Färbung nach",
    ["value", "light"],
    horizontal=True,
    format_func={"value": "Wert", "light": "Ampel"}.get,
    key="karte_faerbung",
)
meta = indicators.set_index("code").loc[code]
home = home_areas(reference["areas"], year=year)
frame = ui.map_frame(code, year, home)
title = f"{code} {meta['name']} {year}"
geojson = ui.configured_geojson()
grid = ui.map_grid()
if geojson is None and not frame["area"].isin(grid["area"]).any():
    st.info(
        "Für diese Gemeinden gibt es weder Umrisse (CONTROLLING_GEOJSON) noch ein Kartenraster "
        "(data/kartenraster.csv); die Werte stehen in der Tabelle."
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    st.stop()
if geojson is None:
    st.caption("Schematische Karte: ein Feld je Gemeinde.")
    if auth.may(ui.current_role(), "daten_pflegen"):  # how to get outlines is a hint for staff, not the committee
        st.caption(
            "Für Gemeindegrenzen legen Sie eine GeoJSON-Datei mit der Eigenschaft AGS an "
            "(Umgebungsvariable CONTROLLING_GEOJSON)."
        )
    figure = charts.tile_map(
        frame, ui.map_grid(), by=by, title=title, unit=meta["unit"], decimals=int(meta["decimals"])
    )
else:
    figure = charts.choropleth(frame, geojson, by=by, title=title, unit=meta["unit"], decimals=int(meta["decimals"]))
st.plotly_chart(figure, width="stretch")
st.caption("Die Karte kommt ohne Kartendienst aus; sie funktioniert auch ohne Internet.")
if by == "light":
    ui.legend()
