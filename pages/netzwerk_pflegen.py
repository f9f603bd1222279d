"""Netzwerk pflegen (Referat): actors with their Handlungsfelder, Gemeinden and contact, which actors carry which
measure, bodies with their seats, meetings with participants, decisions and results; CSV import and export."""

import datetime as dt

import streamlit as st

from controlling import ui
from controlling.errors import ControllingError
from controlling.network import model
from controlling.network import service as network

ui.start_page("daten_pflegen")
store = ui.store()
user = ui.current_user()
st.title("Netzwerk pflegen")
ui.show_flash()


def act(action, message: str) -> None:  # type: ignore[no-untyped-def]
    """Run a change; a refusal shows its German reason, success the message after the rerun."""
    try:
        action()
    except ControllingError as error:
        st.error(ui.plain(str(error)))  # the message may quote what was typed
    else:
        ui.flash(message)


actors = network.actors(store, with_contacts=True)
field_names = network.rated_fields(store)
gemeinden = network.home_gemeinden(store)
area_names = dict(zip(gemeinden["code"], gemeinden["name"], strict=True))
actor_names = dict(zip(actors["id"].astype(int), actors["name"], strict=True))
tab_actor, tab_measures, tab_body, tab_meeting, tab_file = st.tabs(
    ["Akteur", "Maßnahmen zuordnen", "Gremium", "Sitzung", "CSV-Datei"]
)
with tab_actor:
    picked = st.selectbox(
        "Akteur", [None, *actor_names], format_func=lambda i: "(neuer Akteur)" if i is None else actor_names[i]
    )
    current = actors.loc[actors["id"] == picked].iloc[0] if picked is not None else None
    with st.form("akteur"):
        name = st.text_input("Name", "" if current is None else current["name"], max_chars=model.NAME_LIMIT)
        kinds = [k.value for k in model.ActorKind]
        kind = st.selectbox("Art", kinds, index=0 if current is None else kinds.index(current["kind"]))
        description = st.text_area("Beschreibung", "" if current is None else current["description"])
        chosen_fields = st.multiselect(
            "Handlungsfelder",
            list(field_names),
            [] if current is None else list(current["field_list"]),
            format_func=field_names.get,
            placeholder="wählen",
        )
        chosen_areas = st.multiselect(
            "Gemeinden",
            list(area_names),
            [] if current is None else list(current["area_list"]),
            format_func=area_names.get,
            placeholder="wählen",
        )
        contact = st.text_input("Ansprechperson", "" if current is None else current["contact_name"])
        email = st.text_input("E-Mail", "" if current is None else current["contact_email"])
        if st.form_submit_button("Akteur speichern", type="primary"):
            raw = {
                "name": name,
                "kind": kind,
                "description": description,
                "contact_name": contact,
                "contact_email": email,
            }
            act(
                lambda: network.save_actor(
                    store, raw, field_codes=chosen_fields, areas=chosen_areas, user=user, actor_id=picked
                ),
                f"Akteur »{name.strip()[:60]}« ist gespeichert.",
            )
with tab_measures:
    links = network.measure_links(store)
    titles = network.measure_titles(store)
    if titles:
        with st.form("massnahme_akteure"):
            measure = st.selectbox("Maßnahme", list(titles), format_func=titles.get)
            carried = st.multiselect(
                "Getragen von", list(actor_names), format_func=actor_names.get, placeholder="wählen"
            )
            if st.form_submit_button("Zuordnen"):
                act(
                    lambda: network.link_measure(store, int(measure), carried, user=user),
                    "Die Träger der Maßnahme sind gespeichert.",
                )
        st.dataframe(links.assign(Akteur=links["actor_id"].map(actor_names)), hide_index=True, width="stretch")
with tab_body, st.form("gremium"):
    body_name = st.text_input("Name des Gremiums", max_chars=model.NAME_LIMIT)
    body_kind = st.selectbox("Art des Gremiums", [k.value for k in model.BodyKind])
    body_text = st.text_area("Beschreibung des Gremiums")
    chair = st.multiselect("Vorsitz", list(actor_names), format_func=actor_names.get, placeholder="wählen")
    members = st.multiselect("Mitglieder", list(actor_names), format_func=actor_names.get, placeholder="wählen")
    if st.form_submit_button("Gremium anlegen"):
        seats = {a: "Mitglied" for a in members} | {a: "Vorsitz" for a in chair}
        act(
            lambda: network.save_body(store, body_name, body_kind, body_text, seats, user=user),
            "Das Gremium ist angelegt.",
        )
with tab_meeting:
    bodies = network.bodies(store)
    body_names = dict(zip(bodies["id"].astype(int), bodies["name"], strict=True))
    draft_names = network.draft_labels(store)
    measure_names = network.measure_titles(store)
    if body_names:
        with st.form("sitzung"):
            body = st.selectbox("Gremium", list(body_names), format_func=body_names.get)
            held_on = st.date_input("Datum der Sitzung", dt.date.today(), format="DD.MM.YYYY")
            decisions = st.text_area("Beschlüsse und Ergebnisse", max_chars=model.DECISIONS_LIMIT)
            present = st.multiselect(
                "Teilnehmende", list(actor_names), format_func=actor_names.get, placeholder="wählen"
            )
            targets = st.multiselect(
                "Daraus entstandene Zielentwürfe", list(draft_names), format_func=draft_names.get, placeholder="wählen"
            )
            produced = st.multiselect(
                "Daraus entstandene Maßnahmen", list(measure_names), format_func=measure_names.get, placeholder="wählen"
            )
            if st.form_submit_button("Sitzung speichern"):
                act(
                    lambda: network.add_meeting(
                        store,
                        int(body),
                        held_on,
                        decisions,
                        participants=present,
                        targets=targets,
                        measures=produced,
                        user=user,
                        today=dt.date.today(),
                    ),
                    "Die Sitzung ist gespeichert.",
                )
with tab_file:
    st.caption(
        f"Spalten: {';'.join(model.CSV_COLUMNS)}. Handlungsfelder und Gemeinden mit Komma getrennt (Code oder Name)."
    )
    st.download_button(
        "Akteure als CSV (mit Ansprechpersonen)",
        network.export_actors_csv(store, with_contacts=True),
        file_name="netzwerk.csv",
        mime="text/csv",
    )
    uploaded = st.file_uploader("CSV-Datei mit Akteuren", type=["csv", "txt"], key="netzwerk_datei")
    if uploaded is not None and st.button("Akteure einlesen"):
        act(
            lambda: network.import_actors_csv(store, uploaded.getvalue(), uploaded.name, user=user),
            f"{uploaded.name}: Akteure eingelesen.",
        )
