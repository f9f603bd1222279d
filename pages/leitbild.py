"""Leitbild und Ziele: the Leitbild, and its Leitziele and Handlungsziele with their Kennzahlen' lights rolled up."""

import streamlit as st

from controlling import ui
from controlling.goals import service as goal_service
from controlling.method.overview import home_areas

ui.start_page()
reference = ui.reference()
system = ui.goal_system()
st.title("Leitbild und Ziele")
ui.show_leitbild(system.leitbild)
if system.goals.empty:
    st.info("Es sind noch keine Leit- und Handlungsziele hinterlegt.")
    st.stop()
years = ui.available_years()
year = ui.report_year() if years else None
home = home_areas(reference["areas"], year=year)
area_names = dict(zip(home["code"], home["name"], strict=True))
area = ui.url_choice("Gebiet", list(home["code"]), "gebiet", format_func=area_names.get)
status = ui.viewer_status(year) if years else None
linked, lights = goal_service.goal_status(
    system, None if status is None else status.loc[status["area"] == area], reference["indicators"]
)
st.header("Ziele und ihr Stand")
if year is None:
    st.info("Es sind noch keine Werte vorhanden; alle Ziele stehen auf »ohne Bewertung«.")
else:
    st.markdown(
        f"Die Ampeln gelten für **{ui.plain(area_names[area])}**, Berichtsjahr {year} (Gebiet und Jahr in der "
        "Seitenleiste wählen). Jede Kennzahl zeigt ihren neuesten Wert, das geltende beschlossene Ziel und ihre Ampel."
    )
ui.show_tree(system, linked, lights, reference["fields"])
ui.legend()
