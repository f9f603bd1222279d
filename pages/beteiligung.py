"""Beteiligung: open consultations on drafts, the released contributions with the Referat's answers, and the form to
take part: network partners with their account, everyone else without one (checked, throttled, moderated)."""

import datetime as dt

import streamlit as st

from controlling import ui
from controlling.errors import ControllingError
from controlling.network import service as network
from controlling.participation import model
from controlling.participation import service as participation
from controlling.ui.network import HONEYPOT_CSS, account_actor, contribution_line, public_client

ui.start_page()
store = ui.store()
today = dt.date.today()
participation.purge_personal_data(store, today)  # names of the public go once a period has ended
actor_id = account_actor()
partner = ui.current_role() == "partner"
if partner and actor_id is None:
    st.error("Ihr Konto ist keiner Organisation des Netzwerks zugeordnet. Bitte wenden Sie sich an das Referat.")
    st.stop()
st.title("Beteiligung")
st.caption(
    "Das Referat Migration und Teilhabe stellt Entwürfe zur Diskussion. Jede und jeder kann sich äußern; Beiträge "
    "erscheinen hier erst, wenn das Referat sie geprüft hat, und jeder Beitrag bekommt eine Antwort. Einen Namen "
    "müssen Sie nicht nennen; wer einen nennt, dessen Name wird nach dem Ende der Beteiligung gelöscht."
)
ui.show_flash()
viewer = participation.Viewer(actor_id=actor_id)
running = participation.consultations(store, today, open_only=True)
if running.empty:
    st.info("Zurzeit läuft keine Beteiligung.")
names = dict(zip(running["id"], running["title"], strict=True))
for consultation in running.itertuples():  # a few consultations at a time
    with st.container(border=True):
        st.header(ui.plain(consultation.title))
        st.caption(
            f"{consultation.subject_label} · Beiträge bis zum {consultation.closes_on:%d.%m.%Y} "
            f"(seit {consultation.opens_on:%d.%m.%Y})"
        )
        items = participation.items(store, consultation.id)
        shown = participation.visible_contributions(store, consultation.id, viewer)
        for item in items.itertuples():
            st.subheader(ui.plain(item.label))
            rows = shown.loc[shown["item_key"] == item.item_key]
            for _, row in rows.iterrows():  # the released contributions of one draft
                st.markdown(contribution_line(row, staff=False))
            if rows.empty:
                st.caption("Noch keine veröffentlichten Beiträge.")

if not running.empty:
    st.header("Ihr Beitrag")
    st.html(HONEYPOT_CSS)
    chosen = st.selectbox("Beteiligung", list(names), format_func=names.get, key="beteiligung_wahl")
    items = participation.items(store, chosen)
    labels = dict(zip(items["item_key"], items["label"], strict=True))
    with st.form("beitrag", clear_on_submit=True):
        item_key = st.selectbox("Zu welchem Entwurf?", list(labels), format_func=labels.get)
        text = st.text_area("Ihr Beitrag (oder die Begründung Ihres Zielwerts)", max_chars=model.TEXT_LIMIT)
        value = st.text_input("Anderer Zielwert (nur bei Zielentwürfen, freiwillig)", max_chars=30)
        name = "" if partner else st.text_input("Ihr Name (freiwillig)", max_chars=model.NAME_LIMIT)
        honeypot = st.text_input(model.HONEYPOT_LABEL, key="beteiligung_honigtopf")
        sent = st.form_submit_button("Beitrag senden", type="primary")
    if sent:
        person = ui.signed_in()
        who = (
            participation.Contributor("partner", account=person.name if person else None, actor_id=actor_id)
            if partner
            else participation.Contributor("oeffentlich", public_name=name, client=public_client())
        )
        try:
            participation.contribute(
                store, int(chosen), item_key, text, value, who=who, now=dt.datetime.now(), honeypot=honeypot
            )
        except ControllingError as error:
            st.error(ui.plain(str(error)))  # the message may quote what was typed
        else:
            ui.flash("Danke! Ihr Beitrag ist eingegangen; er erscheint, sobald das Referat ihn geprüft hat.")

if partner and actor_id is not None:
    st.header("Beiträge Ihrer Organisation")
    own = participation.visible_contributions(store, None, viewer)
    own = own.loc[own["actor_id"] == actor_id]
    if own.empty:
        st.caption("Ihre Organisation hat noch nichts beigetragen.")
    for _, row in own.iterrows():  # one organisation's contributions
        st.markdown(f"{ui.plain(row['item_label'])}: " + contribution_line(row, staff=False))
    st.header("Ihre Organisation im Netzwerk")
    page = network.actor_page(store, actor_id, with_contacts=True)
    actor = page.actor
    field_names = network.rated_fields(store)
    gemeinden = network.home_gemeinden(store)
    with st.form("eigene_organisation"):
        st.markdown(f"**{ui.plain(actor['name'])}** ({ui.plain(actor['kind'])})")
        description = st.text_area("Beschreibung", actor["description"], max_chars=2000)
        chosen_fields = st.multiselect(
            "Handlungsfelder",
            list(field_names),
            list(actor["field_list"]),
            format_func=field_names.get,
        )
        chosen_areas = st.multiselect(
            "Gemeinden",
            list(gemeinden["code"]),
            list(actor["area_list"]),
            format_func=dict(zip(gemeinden["code"], gemeinden["name"], strict=True)).get,
        )
        contact = st.text_input("Ansprechperson (sieht nur das Referat)", actor["contact_name"], max_chars=120)
        email = st.text_input("E-Mail (sieht nur das Referat)", actor["contact_email"], max_chars=120)
        saved = st.form_submit_button("Speichern")
    if saved:
        try:
            network.save_own_actor(
                store,
                ui.current_user(),
                {"description": description, "contact_name": contact, "contact_email": email},
                field_codes=chosen_fields,
                areas=chosen_areas,
            )
        except ControllingError as error:
            st.error(ui.plain(str(error)))  # the message may quote what was typed
        else:
            ui.flash("Der Eintrag Ihrer Organisation ist gespeichert.")
