"""Gemeinde: every indicator of one Gemeinde against the Kreis, its lights, and where it stands out."""

import streamlit as st

from controlling import ui
from controlling.formatting import format_number_column
from controlling.measures.model import for_area, measure_table
from controlling.method.overview import NOT_COMPARED, home_areas, light_counts, standing_out
from controlling.method.presentation import LIGHT_LOOKS, light_text, outlook_text, target_column, trend_text
from controlling.ui.measures import measure_list, overdue_notice

ui.start_page()

reference = ui.reference()
if not ui.available_years():
    st.title("Gemeinde")
    st.info("Es sind noch keine Werte vorhanden.")
    st.stop()
year = ui.report_year()
home = home_areas(reference["areas"], year=year)
kreis = home.iloc[0]
gemeinden = home.iloc[1:]
names = dict(zip(home["code"], home["name"], strict=True))
area = ui.url_choice("Gemeinde", list(gemeinden["code"]), "gebiet", format_func=names.get)

st.title(f"{names[area]} im Vergleich zum {kreis['name']}")
status = ui.viewer_status(year)
rows = standing_out(status.loc[status["field"] != "KTX"], area=area, kreis=kreis["code"])
if rows.empty:
    st.info(f"Für {names[area]} liegen keine Werte vor.")
    st.stop()
columns = st.columns(4)
for column, (light, count) in zip(columns, light_counts(rows, area).items(), strict=True):
    column.metric(f"{LIGHT_LOOKS[light].symbol} {LIGHT_LOOKS[light].label}", count, help=LIGHT_LOOKS[light].meaning)

rows["value_text"] = format_number_column(rows["value"], rows["decimals"], rows["unit"])
rows["kreis_text"] = format_number_column(rows["kreis_value"], rows["decimals"], rows["unit"])
left, right = st.columns(2)
for place, direction, title, word in (
    (left, "besser", "Deutlich besser als der Kreis", "günstiger"),
    (right, "schlechter", "Deutlich schlechter als der Kreis", "ungünstiger"),
):
    chosen = rows.loc[rows["stands_out"] & (rows["direction"] == direction)]
    place.subheader(title)
    place.markdown(
        "\n".join(
            f"- **{ui.plain(name)}**: {value} (Kreis {county})"
            for name, value, county in zip(
                chosen["indicator_name"], chosen["value_text"], chosen["kreis_text"], strict=True
            )
        )
        or f"Keine Kennzahl liegt mindestens 10 % {word} als der Kreiswert."
    )

not_compared = int(rows["direction"].eq(NOT_COMPARED).sum())
if not_compared:
    st.caption(
        f"{not_compared} Kennzahlen beruhen in {names[area]} auf zu kleinen Fallzahlen; sie werden weder bewertet "
        "noch mit dem Kreis verglichen (in der Tabelle: »nicht verglichen«)."
    )

st.subheader("Alle Kennzahlen")
ui.explained_table(
    {
        "Kennzahl": rows["indicator"] + " " + rows["indicator_name"],
        names[area]: rows["value_text"],
        kreis["name"]: rows["kreis_text"],
        "Vergleich": rows["direction"],
        "Ampel": rows["light"].map(light_text),
        "Wetter": rows["outlook"].map(outlook_text),
        "Trend": rows["trend"].map(trend_text),
        "Ziel": target_column(rows, rows["decimals"], rows["unit"]),
        "Jahr": rows["year"].astype(str),
        "Handlungsfeld": rows["field_name"],
        "Begründung": rows["explanation"],
    },
    key="gemeinde_tabelle",
    first="Kennzahl",
    before_reason=(names[area], kreis["name"], "Vergleich", "Ampel"),
    config={
        name: st.column_config.TextColumn(name, alignment="right", width=110) for name in (names[area], kreis["name"])
    },
)
ui.legend()

st.subheader("Maßnahmen")
local = for_area(measure_list(), area)
if local.empty:
    st.write(f"Für {names[area]} ist keine eigene Maßnahme eingetragen.")
else:
    st.dataframe(
        measure_table(local, names)[["Maßnahme", "Stand", "Fällig am", "Kennzahlen", "Verantwortlich"]],
        hide_index=True,
        width="stretch",
    )
    overdue_notice(local, where=f"in {names[area]}")
