"""Beteiligung moderieren (Referat): open a consultation on drafts for a period, release or keep back each
contribution, answer it (übernommen, teilweise, nicht übernommen, with a reason), then decide the target."""

import datetime as dt

import streamlit as st

from controlling import ui
from controlling.errors import ControllingError
from controlling.goals import service as goal_service
from controlling.participation import model
from controlling.participation import service as participation
from controlling.ui.network import contribution_line

ui.start_page("daten_pflegen")
store = ui.store()
today = dt.date.today()
purged = participation.purge_personal_data(store, today, user=ui.current_user())
st.title("Beteiligung moderieren")
ui.show_flash()
if purged:
    st.info(f"Die Namen von {purged} öffentlichen Beiträgen abgelaufener Beteiligungen sind gelöscht.")

st.header("Beteiligung eröffnen")
subject = st.radio(
    "Gegenstand", list(model.SUBJECT_LABELS), format_func=model.SUBJECT_LABELS.get, horizontal=True, key="gegenstand"
)
choices = dict(participation.draft_choices(store, subject))
with st.form("beteiligung_eroeffnen"):
    title = st.text_input("Titel", max_chars=model.TITLE_LIMIT)
    keys = st.multiselect("Entwürfe", list(choices), format_func=choices.get, placeholder="Entwürfe wählen")
    left, right = st.columns(2)
    opens_on = left.date_input("Beginn", today, format="DD.MM.YYYY")
    closes_on = right.date_input("Ende", today + dt.timedelta(days=28), format="DD.MM.YYYY")
    if st.form_submit_button("Beteiligung eröffnen", type="primary"):
        try:
            number = participation.open_consultation(
                store, title, subject, opens_on, closes_on, keys, user=ui.current_user()
            )
        except ControllingError as error:
            st.error(ui.plain(str(error)))  # the message may quote what was typed
        else:
            ui.flash(f"Beteiligung Nr. {number} ist eröffnet.")

st.header("Beiträge prüfen und beantworten")
found = participation.consultations(store, today)
if found.empty:
    st.info("Es gibt noch keine Beteiligung.")
    st.stop()
titles = {int(r.id): f"Nr. {r.id}: {r.title} ({'läuft' if r.open else 'beendet'})" for r in found.itertuples()}
chosen = st.selectbox("Beteiligung", list(titles), format_func=titles.get, key="moderation_wahl")
rows = participation.visible_contributions(store, chosen, participation.Viewer(staff=True))
if rows.empty:
    st.caption("Zu dieser Beteiligung ist noch nichts eingegangen.")
for _, row in rows.iterrows():  # one consultation's contributions, shown and answered one by one
    with st.container(border=True):
        st.markdown(f"Nr. {row['id']} · {ui.plain(row['item_label'])}  \n" + contribution_line(row, staff=True))
        release, hold = st.columns(2)
        if release.button("Veröffentlichen", key=f"frei_{row['id']}", disabled=row["moderation"] == "freigegeben"):
            participation.moderate(store, int(row["id"]), True, user=ui.current_user())
            ui.flash(f"Beitrag Nr. {row['id']} ist veröffentlicht.")
        if hold.button("Nicht veröffentlichen", key=f"ab_{row['id']}", disabled=row["moderation"] == "abgelehnt"):
            participation.moderate(store, int(row["id"]), False, user=ui.current_user())
            ui.flash(f"Beitrag Nr. {row['id']} wird nicht veröffentlicht.")
        with st.form(f"antwort_{row['id']}"):
            answers = list(model.ANSWER_LABELS)
            given = answers.index(row["answer"]) if row["answer"] in answers else 0
            kind = st.radio("Antwort", answers, index=given, format_func=model.ANSWER_LABELS.get, horizontal=True)
            reason = st.text_area(
                "Begründung", row["answer_text"] or "", max_chars=model.TEXT_LIMIT, key=f"grund_{row['id']}"
            )
            if st.form_submit_button("Antwort speichern"):
                try:
                    participation.answer(store, int(row["id"]), kind, reason, user=ui.current_user())
                except ControllingError as error:
                    st.error(ui.plain(str(error)))  # the message may quote what was typed
                else:
                    ui.flash(f"Beitrag Nr. {row['id']} ist beantwortet.")

st.header("Ziel beschließen")
indicators = ui.reference()["indicators"]
ui.drafts_section(goal_service.target_drafts(store), dict(zip(indicators["code"], indicators["name"], strict=True)))
