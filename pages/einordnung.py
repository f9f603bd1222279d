"""Einordnung: staff comment a value (measures have their own page, pages/massnahmen.py)."""

import streamlit as st

from controlling import maintenance, service, ui
from controlling.errors import ControllingError
from controlling.method.overview import home_areas

ui.start_page("daten_pflegen")
store = ui.store()
reference = ui.reference()
indicators = reference["indicators"]
names = dict(zip(indicators["code"], indicators["name"], strict=True))
areas = dict(zip(reference["areas"]["code"], reference["areas"]["name"], strict=True))
st.title("Einordnung")
st.caption("Maßnahmen werden auf der Seite »Maßnahmen« angelegt, bearbeitet und gefiltert.")
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
right.page_link("pages/massnahmen.py", label="Zu den Maßnahmen", icon=":material/task_alt:")
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
