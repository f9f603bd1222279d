"""Einordnung und Maßnahmen: staff comment a value and link measures to indicators."""

import datetime as dt

import streamlit as st

from controlling import maintenance, service, ui
from controlling.errors import ControllingError
from controlling.overview import home_areas

ui.start_page("daten_pflegen")
store = ui.store()
reference = ui.reference()
indicators = reference["indicators"]
names = dict(zip(indicators["code"], indicators["name"], strict=True))
areas = dict(zip(reference["areas"]["code"], reference["areas"]["name"], strict=True))
st.title("Einordnung und Maßnahmen")
left, right = st.columns(2)
with left.form("einordnung", clear_on_submit=True):
    st.subheader("Einordnung eines Wertes")
    code = st.selectbox("Kennzahl", list(indicators["code"]), format_func=lambda c: f"{c} – {names[c]}")
    kreis = home_areas(reference["areas"]).iloc[0]["code"]  # the Landkreis first, not the first other area
    area = st.selectbox("Gebiet", list(areas), format_func=areas.get, index=list(areas).index(kreis))
    year = st.selectbox("Jahr", ui.available_years())
    text = st.text_area("Einordnung", max_chars=2000)
    if st.form_submit_button("Einordnung speichern", type="primary"):
        try:
            maintenance.add_comment(store, indicator=code, area=area, year=int(year), text=text, user=ui.current_user())
        except ControllingError as error:
            ui.show_problem(error)
        else:
            st.success("Einordnung gespeichert.")
with right.form("massnahme", clear_on_submit=True):
    st.subheader("Neue Maßnahme")
    title = st.text_input("Titel")
    responsible = st.text_input("Verantwortlich")
    status = st.selectbox("Stand", maintenance.MEASURE_STATES)
    due = st.date_input("fällig am", dt.date.today() + dt.timedelta(days=365), format="DD.MM.YYYY")
    linked = st.multiselect(
        "Kennzahlen", list(indicators["code"]), format_func=lambda c: f"{c} – {names[c]}", placeholder="Bitte wählen"
    )
    if st.form_submit_button("Maßnahme speichern", type="primary"):
        try:
            maintenance.add_measure(
                store,
                title=title,
                responsible=responsible,
                status=status,
                due=due,
                indicators=linked,
                user=ui.current_user(),
            )
        except ControllingError as error:
            ui.show_problem(error)
        else:
            st.success("Maßnahme gespeichert.")
st.subheader("Einordnungen")
comments = service.comments(store)
st.dataframe(
    {
        "Kennzahl": comments["indicator"],
        "Gebiet": comments["area"].map(areas),
        "Jahr": comments["year"].astype(str),
        "Einordnung": comments["text"],
        "Von": comments["author"],
    },
    hide_index=True,
    width="stretch",
)
st.subheader("Maßnahmen")
measures = service.measures(store)
st.dataframe(
    {
        "Maßnahme": measures["title"],
        "Verantwortlich": measures["responsible"],
        "Stand": measures["status"],
        "Kennzahlen": measures["indicators"],
    },
    hide_index=True,
    width="stretch",
)
