"""Vergleich: the Landkreis against its Land and the other Kreise of the Land (bars, a map, the time series)."""

import streamlit as st

from controlling import charts, maps, ui
from controlling.method.overview import comparable_indicators, home_areas

ui.start_page()

reference = ui.reference()
areas = reference["areas"]
indicators = reference["indicators"]
home = home_areas(areas)
kreis = home.iloc[0]["code"]
st.title("Vergleich mit Land und anderen Kreisen")
codes = comparable_indicators(ui.viewer_status(None), areas, kreis=kreis)
if not codes:
    st.info(
        "Für einen Vergleich fehlen Werte des Landes oder anderer Kreise. Importieren Sie z. B. die Dateien des "
        "Integrationsmonitorings Ihres Landes (in Niedersachsen: LSN) unter »Daten hochladen«; die Kreise Ihres "
        "Landes sind schon angelegt, andere Kreise und Länder übernimmt dort »Unbekannte Kreise und Länder als "
        "Vergleichsgebiete übernehmen«."
    )
    st.stop()
names = dict(zip(indicators["code"], indicators["name"], strict=True))
code = ui.url_choice("Kennzahl", codes, "kennzahl", format_func=lambda c: f"{c} – {names.get(c, c)}")
meta = indicators.set_index("code").loc[code]
values = ui.viewer_values([code])
rows = values.loc[values["area"].str.len() <= 5]
area_names = dict(zip(areas["code"], areas["name"], strict=True))
year = ui.url_choice("Jahr", sorted((int(y) for y in rows["year"].unique()), reverse=True), "jahr")
land_kreise = maps.land_kreise_rows(rows, kreis=kreis, year=int(year))
land_rows = rows.loc[(rows["area"] == kreis[:2]) & (rows["year"] == int(year)), "value"]
st.markdown(
    "**"
    + maps.rank_sentence(
        land_kreise,
        kreis=kreis,
        land_value=float(land_rows.iloc[0]) if len(land_rows) else None,
        meta=meta,
        year=int(year),
    )
    + "**"
)
st.caption(f"{area_names[kreis]} (dunkelblau) gegenüber dem Land (grau) und anderen Kreisen (hellblau).")
st.plotly_chart(charts.comparison(rows, meta, area_names, year=int(year), highlight=kreis), width="stretch")
ui.chart_as_table(charts.comparison_table(rows, meta, area_names, year=int(year)), "Die Werte der Balken und der Karte")
if land_kreise["value"].notna().sum() < 2:
    st.caption("Eine Karte der Kreise des Landes erscheint, sobald Werte anderer Kreise des Landes vorliegen.")
else:
    st.plotly_chart(
        charts.area_map(
            land_kreise,
            ui.outlines(tuple(land_kreise["area"])),
            by="value",
            title=f"Die Kreise des Landes {year}: {meta['name']}",
            unit=meta["unit"],
            decimals=int(meta["decimals"]),
            source_note=maps.SOURCE_NOTE,
            highlight=kreis,
            label="value",
        ),
        width="stretch",
    )
    st.caption(
        f"{area_names[kreis]} ist schwarz umrandet; Kreise ohne Wert sind weiß und gepunktet. Die Karte lädt nichts "
        f"aus dem Internet. [{maps.SOURCE_NOTE}](https://www.bkg.bund.de)"
    )
others = [a for a in rows["area"].unique() if a != kreis]
over_time = rows.loc[rows["area"].isin([kreis, *[a for a in others if len(a) == 2]])]
st.plotly_chart(
    charts.time_series(
        over_time,
        rows.iloc[0:0].assign(target_value=None),
        meta,
        area_names,
        focus=kreis,
    ),
    width="stretch",
)
ui.chart_as_table(charts.series_table(over_time, meta, area_names), "Die Werte der Zeitreihe")
