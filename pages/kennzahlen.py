"""Kennzahlen pflegen: add and edit indicators (checked like the template), retire those with data."""

import pandas as pd
import streamlit as st

from controlling import maintenance, service, ui
from controlling.deliveries.schedule import RHYTHMS
from controlling.errors import ControllingError
from controlling.formatting import form_text
from controlling.method.presentation import COUNTY_RULES, DIRECTIONS
from controlling.reference.shipped import AGGREGATIONS, POLARITIES, UNITS

# Text fields of the indicator kept as they are read (origin, source binding and levels are not on the form and
# are kept unchanged).
CALENDAR_KEYS = ("provider", "reference_date", "rhythm", "deadline", "origin", "binding", "levels")

ui.start_page("daten_pflegen")
store = ui.store()
catalogue = service.catalogue(store, include_retired=True)
fields = service.fields(store)
st.title("Kennzahlen pflegen")
ui.show_flash()
st.dataframe(
    {
        "Kennzahl": catalogue["code"],
        "Bezeichnung": catalogue["name"],
        "Handlungsfeld": catalogue["field_name"],
        "Einheit": catalogue["unit"],
        "Richtung": catalogue["polarity"].map(DIRECTIONS),
        "Kreiswert": catalogue["aggregation"].map(COUNTY_RULES),
        "stillgelegt": catalogue["retired"].map({True: "ja", False: ""}),
    },
    hide_index=True,
    width="stretch",
)
names = dict(zip(catalogue["code"], catalogue["name"], strict=True))
editing = st.selectbox(
    "Bearbeiten",
    ["(neue Kennzahl)", *catalogue["code"]],
    format_func=lambda c: c if c.startswith("(") else f"{c} – {names[c]}",
)
current = catalogue.set_index("code").loc[editing] if editing in names else None
with st.form("kennzahl"):
    code = st.text_input("Kennzahl-Code", value=editing if current is not None else "", disabled=current is not None)
    name = st.text_input("Bezeichnung", value="" if current is None else current["name"])
    field_codes = list(fields["code"])
    field = st.selectbox(
        "Handlungsfeld",
        field_codes,
        format_func=dict(zip(fields["code"], fields["name"], strict=True)).get,
        index=0 if current is None else field_codes.index(current["field"]),
    )
    left, middle, right = st.columns(3)
    unit = left.selectbox("Einheit", UNITS, index=0 if current is None else UNITS.index(current["unit"]))
    polarity = middle.selectbox(
        "Richtung",
        POLARITIES,
        index=0 if current is None else POLARITIES.index(current["polarity"]),
        format_func=DIRECTIONS.get,
    )
    aggregation = right.selectbox(
        "Kreiswert",
        AGGREGATIONS,
        format_func=COUNTY_RULES.get,
        # a new indicator is a % share by default, whose county value is Σ Zähler ÷ Σ Nenner
        index=AGGREGATIONS.index("quote") if current is None else AGGREGATIONS.index(current["aggregation"]),
    )
    definition = st.text_area("Definition (Zähler ÷ Nenner)", value="" if current is None else current["definition"])
    source = st.text_input("Quelle", value="" if current is None else current["source"])
    # Numbers as text in German format (0,95), read by the template's rules: 12,5, 1.234,5 and 12.5 alike.
    digits, green, yellow, least = st.columns(4)
    decimals = digits.text_input("Nachkommastellen", value="1" if current is None else str(current["decimals"]))
    threshold_green = green.text_input(
        "Schwelle Grün", value="" if current is None else form_text(current["threshold_green"], 2), placeholder="0,95"
    )
    threshold_yellow = yellow.text_input(
        "Schwelle Gelb", value="" if current is None else form_text(current["threshold_yellow"], 2), placeholder="0,60"
    )
    min_count = least.text_input("Mindestfallzahl", value="20" if current is None else str(current["min_count"]))
    # Issue 14: who delivers the indicator and when (the delivery calendar).
    provider, reference_date, rhythm, deadline = st.columns(4)
    kept = {key: "" if current is None or pd.isna(current[key]) else str(current[key]) for key in CALENDAR_KEYS}
    provider_text = provider.text_input("Lieferant", value=kept["provider"])
    reference_text = reference_date.text_input("Stichtag (TT.MM.)", value=kept["reference_date"])
    rhythm_text = rhythm.selectbox(
        "Rhythmus", ["", *RHYTHMS], index=(["", *RHYTHMS].index(kept["rhythm"]) if kept["rhythm"] in RHYTHMS else 0)
    )
    deadline_text = deadline.text_input("Lieferfrist (TT.MM.)", value=kept["deadline"])
    breaks = st.text_input(
        "Brüche in der Reihe (Jahr: Grund; …)",
        value="" if current is None or pd.isna(current["series_breaks"]) else str(current["series_breaks"]),
        placeholder="2022: Bevölkerung auf Basis des Zensus 2022",
        help="Trend und Wetter zählen nur Werte ab dem letzten Bruch; die Ampel nennt einen Bruch seit dem Basisjahr.",
    )
    if st.form_submit_button("Speichern", type="primary"):
        try:
            maintenance.save_indicator(
                store,
                {
                    "kennzahl": editing if current is not None else code,
                    "bezeichnung": name,
                    "handlungsfeld": field,
                    "einheit": unit,
                    "richtung": polarity,
                    "aggregation": aggregation,
                    "nachkommastellen": decimals,
                    "definition": definition,
                    "quelle": source,
                    "schwelle_gruen": threshold_green,
                    "schwelle_gelb": threshold_yellow,
                    "mindestfallzahl": min_count,
                    "lieferant": provider_text,
                    "stichtag": reference_text,
                    "rhythmus": rhythm_text,
                    "lieferfrist": deadline_text,
                    "brueche": breaks,
                    "datenherkunft": kept["origin"],  # not on the form: kept as it is
                    "bezug": kept["binding"],  # the source binding, kept (page "Amtliche Daten")
                    "ebenen": kept["levels"],
                },
                user=ui.current_user(),
            )
        except ControllingError as error:
            ui.show_problem(error)
        else:
            ui.flash("Kennzahl gespeichert.")
if current is not None:
    left, right = st.columns(2)
    label = "Wieder aufnehmen" if current["retired"] else "Stilllegen (Werte bleiben erhalten)"
    if left.button(label):
        maintenance.set_indicator_retired(store, editing, not bool(current["retired"]), user=ui.current_user())
        st.rerun()
    if right.button("Löschen (nur ohne Werte und Ziele)"):
        try:
            maintenance.delete_indicator(store, editing, user=ui.current_user())
        except ControllingError as error:
            ui.show_problem(error)
        else:
            st.rerun()
