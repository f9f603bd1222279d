"""Unsere Ziele: the Leitbild and the Handlungsziele with their state, for the people the goals are about, in German,
Leichte Sprache and the languages the Referat maintains (right to left for Arabic); missing translations in German."""

import streamlit as st

from controlling import ui
from controlling.goals import service as goal_service
from controlling.languages import model, service
from controlling.languages.page import public_goals_html

ui.start_page()
store = ui.store()
st.title("Unsere Ziele")
st.caption(
    "Was der Landkreis mit der Integration erreichen will und wie weit er ist. Die Übersetzungen pflegt das Referat "
    "Migration und Teilhabe; wo eine fehlt, steht der deutsche Text."
)
language = ui.url_choice(
    "Sprache",
    [language.key for language in model.LANGUAGES],
    "sprache",
    format_func=lambda key: (
        f"{model.BY_KEY[key].german_name} – {model.BY_KEY[key].own_name}"
        if model.BY_KEY[key].own_name != model.BY_KEY[key].german_name
        else model.BY_KEY[key].german_name
    ),
    sidebar=False,
)
page = service.localized(store, language)
system = ui.goal_system()
status = ui.viewer_status(None) if ui.available_years() else None
kreis = ui.home_kreis().code
_, lights = goal_service.goal_status(
    system, None if status is None else status.loc[status["area"] == kreis], ui.reference()["indicators"]
)
st.html(public_goals_html(page, lights))
st.caption(
    "Der Stand eines Ziels fasst die Ampeln seiner Kennzahlen für den ganzen Landkreis zusammen (die schlechteste "
    "zählt). Alle Zahlen stehen auf der Seite »Leitbild und Ziele«."
)
