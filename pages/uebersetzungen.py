"""Übersetzungen pflegen (Referat): each text of the Leitbild and the goals per language, with the date of its
translation; written by people, never by a machine; an empty text removes the translation (German is shown)."""

import datetime as dt

import pandas as pd
import streamlit as st

from controlling import ui
from controlling.errors import ControllingError
from controlling.languages import model, service

ui.start_page("daten_pflegen")
store = ui.store()
st.title("Übersetzungen pflegen")
ui.show_flash()
st.caption(
    "Für »Unsere Ziele«: jeden Text in Leichter Sprache und in den Sprachen, die das Referat pflegt. Fehlt eine "
    "Übersetzung, zeigt die Seite den deutschen Text und sagt das. Nichts wird maschinell übersetzt."
)
language = st.selectbox(
    "Sprache", list(model.TRANSLATED), format_func=lambda key: model.BY_KEY[key].german_name, key="uebersetzung_sprache"
)
state = service.translation_state(store, language)
done = int(state["translation"].notna().sum())
st.metric("Übersetzt", f"{done} von {len(state)}")
st.dataframe(
    state.rename(columns={"what": "Text", "german": "Deutsch", "translation": "Übersetzung", "translated_on": "vom"})[
        ["Text", "Deutsch", "Übersetzung", "vom"]
    ],
    hide_index=True,
    width="stretch",
    column_config={"vom": st.column_config.DateColumn(format="DD.MM.YYYY")},
)
labels = dict(zip(state["text_key"], state["what"], strict=True))
key = st.selectbox("Text", list(labels), format_func=labels.get, key="uebersetzung_text")
row = state.loc[state["text_key"] == key].iloc[0]
st.markdown(f"**Deutsch:** {ui.plain(row['german'])}")
with st.form("uebersetzung"):
    text = st.text_area("Übersetzung", "" if pd.isna(row["translation"]) else row["translation"], height=200)
    day = st.date_input("Übersetzt am", dt.date.today(), format="DD.MM.YYYY")
    if st.form_submit_button("Übersetzung speichern", type="primary"):
        try:
            service.save_translation(store, key, language, text, day, user=ui.current_user(), today=dt.date.today())
        except ControllingError as error:
            st.error(ui.plain(str(error)))  # the message may quote what was typed
        else:
            ui.flash("Die Übersetzung ist gespeichert.")
