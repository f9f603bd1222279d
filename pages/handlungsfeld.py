"""Handlungsfeld: every indicator of one field with value, trend, target, Ampel, Wetter and a sparkline."""

import streamlit as st

from controlling import ui
from controlling.method.overview import field_table, home_areas
from controlling.method.presentation import status_display

ui.start_page()

reference = ui.reference()
fields = reference["fields"]
field_names = dict(zip(fields["code"], fields["name"], strict=True))
field = ui.url_choice("Handlungsfeld", list(fields["code"]), "feld", format_func=lambda c: field_names[c])
if not ui.available_years():
    st.title(f"Handlungsfeld {field_names[field]}")
    st.info("Es sind noch keine Werte vorhanden.")
    st.stop()
year = ui.report_year()
values = ui.viewer_values(list(reference["indicators"].loc[reference["indicators"]["field"] == field, "code"]))
home = home_areas(reference["areas"], year=year)
area = ui.url_choice(
    "Gebiet", list(home["code"]), "gebiet", format_func=dict(zip(home["code"], home["name"], strict=True)).get
)

st.title(f"Handlungsfeld {field_names[field]}")
st.caption(
    f"Stand {year} für {home.set_index('code').loc[area, 'name']}. Klicken Sie auf eine Spaltenüberschrift, "
    "um zu sortieren; die Linie zeigt die Werte ab 2015."
)
table = field_table(ui.viewer_status(year), values, field=field, area=area)
if table.empty:
    st.info("Für dieses Handlungsfeld und Gebiet liegen keine Werte vor.")
    st.stop()
ui.explained_table(
    {
        "Kennzahl": table["indicator"] + " " + table["indicator_name"],
        "Jahr": table["year"].astype(str),
        **status_display(table, table["decimals"], table["unit"]),
        "Verlauf": table["series"],
        "Begründung": table["explanation"],
    },
    key="feld_tabelle",
    first="Kennzahl",
    config={"Verlauf": st.column_config.LineChartColumn("Verlauf", width="small")},
)
ui.legend()
for row in table.itertuples():
    st.page_link(
        "pages/kennzahl.py",
        label=f"{row.indicator} {ui.plain(row.indicator_name)} im Detail",
        query_params={"kennzahl": row.indicator},
        icon=":material/monitoring:",
    )
