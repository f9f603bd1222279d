"""Übersicht: where does the Landkreis stand, per Handlungsfeld and Gemeinde, and what is off track."""

import streamlit as st

from controlling import ui
from controlling.method import overview, presentation
from controlling.method.presentation import LIGHT_LOOKS, OUTLOOK_TITLE, light_text, outlook_text, trend_text
from controlling.ui.measures import measure_list, overdue_notice

ui.start_page()

reference = ui.reference()
if not ui.available_years():
    st.title("Übersicht")
    st.info("Es sind noch keine Werte vorhanden. Laden Sie Daten über »Daten hochladen« hoch.")
    st.stop()

year = ui.report_year()
status = ui.viewer_status(year)
previous = ui.viewer_status(year - 1)
home = overview.home_areas(reference["areas"], year=year)
kreis = home.iloc[0]

st.title(f"Übersicht {kreis['name']} {year}")
st.caption(
    "Stand der Kennzahlen des Integrationskonzepts gegenüber den Zielen des Kreisausschusses. "
    "Jede Ampel ist erklärt; Zahlen je Gemeinde und für den Landkreis."
)

counts = overview.light_counts(status.loc[status["field"] != "KTX"], kreis["code"])
columns = st.columns(4)
for column, (light, count) in zip(columns, counts.items(), strict=True):
    look = LIGHT_LOOKS[light]
    column.metric(f"{look.symbol} {look.label} ({kreis['name']})", count, help=look.meaning)

st.subheader("Ampeln je Handlungsfeld und Gemeinde")
matrix = overview.light_matrix(status, reference["fields"], home)
summary = overview.summary_lights(status, reference["fields"], home)
st.html(ui.matrix_html(matrix, summary))
st.caption(
    "Anzahl der Kennzahlen je Ampelfarbe: ✖ Rot · ▲ Gelb · ✔ Grün · ○ Grau (nicht bewertet). "
    + presentation.SUMMARY_RULE
)
ui.legend()

st.subheader("Wo wir vom Kurs abweichen")
off = overview.off_track(status, home)
if off.empty:
    st.success("Keine Kennzahl ist rot oder zeigt Gewitter.")
else:
    st.caption(
        f"{len(off)} Einträge: Ampel Rot oder Wetter Gewitter, zuerst der Landkreis. Klicken Sie auf eine "
        "Spaltenüberschrift, um zu sortieren; »öffnen« zeigt die Kennzahl mit der ganzen Begründung."
    )
    # Kennzahl, Gebiet, Ampel, the reason and its link first: on a tablet (820 px) and at 1280 px they are in
    # view; the reason wraps over up to four lines instead of being cut; Wetter and Trend follow.
    st.dataframe(
        ui.with_dark_pinned(
            {
                "Kennzahl": off["indicator"] + " " + off["indicator_name"],
                "Gebiet": off["area_name"],
                "Ampel": off["light"].map(light_text),
                "Warum": off["short_reason"],
                "Details": "/kennzahl?kennzahl=" + off["indicator"],
                "Wetter": off["outlook"].map(outlook_text),
                "Trend": off["trend"].map(trend_text),
            },
            "Kennzahl",
        ),
        column_config={
            # the name stays in view while the row scrolls sideways
            "Kennzahl": st.column_config.TextColumn(width=190, pinned=True),
            "Gebiet": st.column_config.TextColumn(width=105),
            "Ampel": st.column_config.TextColumn(width=70),
            "Warum": st.column_config.TextColumn(width=300),
            "Details": st.column_config.LinkColumn("Details", display_text="öffnen", width=65),
            "Wetter": st.column_config.TextColumn(width=120, help=OUTLOOK_TITLE),
            "Trend": st.column_config.TextColumn(width=95),
        },
        hide_index=True,
        width="stretch",
        row_height=88,  # above 64 px Streamlit wraps a cell's text: four lines, the reason is read whole
    )

overdue_notice(measure_list(), where="im Landkreis")

st.subheader(f"Veränderungen gegenüber {year - 1}")
changes = overview.light_changes(status, previous, home)
if changes.empty:
    st.write("Keine Ampel hat sich gegenüber dem Vorjahr verändert.")
else:
    # Narrow enough for a tablet (820 px): the name pinned and wrapping, the change of value over two lines.
    st.dataframe(
        ui.with_dark_pinned(
            {
                "Kennzahl": changes["indicator_name"],
                "Gebiet": changes["area_name"],
                "Vorjahr": changes["light_before"].map(light_text),
                "Jetzt": changes["light"].map(light_text),
                "Wert": presentation.change_of_value(changes),
                "Der Wert hat sich": changes["moved"].map(presentation.MOVED_WORDS),
            },
            "Kennzahl",
        ),
        column_config={
            "Kennzahl": st.column_config.TextColumn(width=210, pinned=True),
            "Gebiet": st.column_config.TextColumn(width=110),
            "Vorjahr": st.column_config.TextColumn(width=80),
            "Jetzt": st.column_config.TextColumn(width=80),
            "Wert": st.column_config.TextColumn(width=150),
            "Der Wert hat sich": st.column_config.TextColumn(width=120),
        },
        hide_index=True,
        width="stretch",
        row_height=66,  # above 64 px the grid wraps: three lines
    )
