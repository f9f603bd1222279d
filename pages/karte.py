"""Karte: the Gemeinden of the reporting Kreis on their true outlines, coloured by value or light, drawn offline."""

import streamlit as st

from controlling import charts, maps, ui
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
if not gemeinde_indicators:
    st.info("Es gibt noch keine Werte für Gemeinden.")
    st.stop()
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
shapes = ui.outlines(tuple(frame["area"]))
if not shapes["features"]:
    st.info("Für diese Gemeinden sind keine Umrisse mitgeliefert; die Werte stehen in der Tabelle.")
    st.dataframe(frame, hide_index=True, width="stretch")
    st.stop()
figure = charts.area_map(
    frame,
    shapes,
    by=by,
    title=f"{code} {meta['name']} {year}",
    unit=meta["unit"],
    decimals=int(meta["decimals"]),
    source_note=maps.SOURCE_NOTE,
)
st.plotly_chart(figure, width="stretch")
with st.expander("Werte als Tabelle"):
    st.dataframe(
        maps.map_table(frame, unit=meta["unit"], decimals=int(meta["decimals"])), hide_index=True, width="stretch"
    )
st.caption(
    "Die Karte kommt ohne Kartendienst aus und lädt nichts aus dem Internet. "
    f"[{maps.SOURCE_NOTE}](https://www.bkg.bund.de)"
)
if by == "light":
    ui.legend()
