"""Integrationsnetzwerk: who works on which Handlungsfeld in which Gemeinde (matrix and map), each actor's page,
the bodies and their meetings; without personal data (contact persons only for the Referat)."""

import pandas as pd
import streamlit as st

from controlling import charts, maps, ui
from controlling.network import service as network
from controlling.ui.network import is_staff, names_of, show_actor

ui.start_page()
store = ui.store()
staff = is_staff()
st.title("Integrationsnetzwerk")
st.caption(
    "Wer im Landkreis an welchem Handlungsfeld in welcher Gemeinde arbeitet. Gezeigt werden Organisationen, keine "
    "Personen; Ansprechpersonen sieht nur das Referat."
)
actors = network.actors(store, with_contacts=staff)
if actors.empty:
    st.info("Es sind noch keine Akteure des Netzwerks eingetragen.")
    st.stop()
field_names = network.rated_fields(store)
gemeinden = network.home_gemeinden(store)
area_names = dict(zip(gemeinden["code"], gemeinden["name"], strict=True))

st.header("Wer arbeitet wo?")
st.dataframe(network.matrix(store), width="stretch")
field = st.selectbox(
    "Karte für das Handlungsfeld",
    [None, *field_names],
    format_func=lambda code: "alle Handlungsfelder" if code is None else field_names[code],
    key="netzwerk_feld",
)
frame = network.map_rows(store, field)
shapes = ui.outlines(tuple(frame["area"]))
if shapes["features"]:
    title = f"Akteure je Gemeinde – {'alle Handlungsfelder' if field is None else field_names[field]}"
    figure = charts.area_map(frame, shapes, by="value", title=title, unit="", decimals=0, source_note=maps.SOURCE_NOTE)
    st.plotly_chart(figure, width="stretch")
st.caption(f"Die Karte kommt ohne Kartendienst aus. {maps.SOURCE_NOTE}")

st.header("Akteure")
table = pd.DataFrame(
    {
        "Name": actors["name"],
        "Art": actors["kind"],
        "Handlungsfelder": actors["field_list"].map(lambda codes: names_of(codes, field_names)),
        "Gemeinden": actors["area_list"].map(lambda codes: names_of(codes, area_names)),
    }
)
if staff:
    table["Ansprechperson"] = actors["contact_name"]
    table["E-Mail"] = actors["contact_email"]
st.dataframe(table, hide_index=True, width="stretch")
st.download_button(
    "Akteure als CSV" + (" (mit Ansprechpersonen)" if staff else ""),
    network.export_actors_csv(store, with_contacts=staff),
    file_name="netzwerk.csv",
    mime="text/csv",
)
names = dict(zip(actors["id"].astype(str), actors["name"], strict=True))
chosen = ui.url_choice("Akteur", list(names), "akteur", format_func=names.get, sidebar=False)
with st.container(border=True):
    show_actor(network.actor_page(store, int(chosen), with_contacts=staff), field_names, area_names)

st.header("Gremien und Sitzungen")
seats = network.seats(store)
meetings = network.meetings(store)
for body in network.bodies(store).itertuples():  # a handful of bodies
    with st.container(border=True):
        st.subheader(ui.plain(body.name))
        st.caption(f"{ui.plain(body.kind)} · {ui.plain(body.description)}")
        members = seats.loc[seats["body_id"] == body.id]
        st.markdown("**Sitze:** " + (ui.plain(", ".join(members["actor_name"] + " (" + members["seat"] + ")")) or "–"))
        for meeting in meetings.loc[meetings["body_id"] == body.id].itertuples():
            people = names_of([str(a) for a in meeting.participants], names)
            produced = [f"Zielentwurf Nr. {t}" for t in meeting.targets] + [
                f"Maßnahme Nr. {m}" for m in meeting.measures
            ]
            st.markdown(
                f"**Sitzung vom {pd.Timestamp(meeting.held_on):%d.%m.%Y}** – Teilnehmende: {ui.plain(people)}  \n"
                f"Beschlossen: {ui.plain(meeting.decisions)}"
                + (f"  \nDaraus entstanden: {', '.join(produced)}" if produced else "")
            )
st.caption("Zielentwürfe stehen im Bericht unter »Zielvorschläge« mit den Beiträgen der Beteiligung.")
