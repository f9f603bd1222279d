"""Ziele pflegen: the targets in force, and deciding a new one (the previous one is kept, not overwritten)."""

import datetime as dt

import streamlit as st

from controlling import maintenance, service, ui
from controlling.errors import ControllingError
from controlling.formatting import form_number_column

ui.start_page("daten_pflegen")
store = ui.store()
reference = ui.reference()
indicators = reference["indicators"]
names = dict(zip(indicators["code"], indicators["name"], strict=True))
area_names = {
    "*": "alle Gebiete ohne eigenes Ziel",
    **dict(zip(reference["areas"]["code"], reference["areas"]["name"], strict=True)),
}
st.title("Ziele pflegen")
ui.show_flash()
st.caption(
    "Ein neues Ziel ersetzt das bisherige ab seinem Gültigkeitsdatum; das alte bleibt mit Enddatum erhalten, "
    "damit frühere Berichte nachvollziehbar bleiben."
)
targets = service.targets_in_force(store)[maintenance.TARGET_COLUMNS].reset_index(drop=True)
# The target value as German text (12,5; no thousands points, which a file's rules would read as decimals):
# typed 12,5, 1.234,5 or 12.5 it is read like a Ziele file and held to the indicator's unit.
targets["target_value"] = form_number_column(targets["target_value"])
st.subheader("Ziele in Kraft – in der Tabelle ändern")
edited = st.data_editor(
    targets,
    hide_index=True,
    width="stretch",
    disabled=["indicator", "area"],
    key="ziele_tabelle",
    column_config={
        "indicator": st.column_config.TextColumn("Kennzahl"),
        "area": st.column_config.TextColumn("Gebiet (* = alle)"),
        "target_year": st.column_config.NumberColumn("Zieljahr", format="%d", min_value=2000, max_value=2060),
        "target_value": st.column_config.TextColumn(
            "Zielwert", required=True, alignment="right", help="z. B. 25,0 oder 1.234,5"
        ),
        "baseline_year": st.column_config.NumberColumn("Basisjahr", format="%d", min_value=2000, max_value=2059),
        "decision": st.column_config.TextColumn("Beschluss", required=True),
    },
)
table_from = st.date_input("Geänderte Ziele gelten ab", dt.date.today(), format="DD.MM.YYYY", key="tabelle_ab")
if st.button("Geänderte Ziele speichern", type="primary"):
    try:
        count = maintenance.save_edited_targets(store, targets, edited, valid_from=table_from, user=ui.current_user())
    except ControllingError as error:
        ui.show_problem(error)
    else:
        ui.flash(f"{count} Ziele neu beschlossen; die bisherigen bleiben mit Enddatum erhalten.")
with st.form("ziel"):
    st.subheader("Neues Ziel (neue Kennzahl oder neues Gebiet)")
    code = st.selectbox("Kennzahl", list(indicators["code"]), format_func=lambda c: f"{c} – {names[c]}")
    area = st.selectbox("Gebiet", list(area_names), format_func=area_names.get)
    left, middle, right = st.columns(3)
    target_year = left.number_input("Zieljahr", 2020, 2060, 2030, step=1)
    baseline_year = middle.number_input("Basisjahr", 2000, 2059, 2020, step=1)
    value = right.text_input("Zielwert", placeholder="z. B. 25,0")
    decision = st.text_input("Beschluss", placeholder="Kreisausschuss-Beschluss KA/2025/012 vom 12.05.2025")
    valid_from = st.date_input("gültig ab", dt.date.today(), format="DD.MM.YYYY")
    if st.form_submit_button("Ziel speichern", type="primary"):
        try:
            maintenance.set_target(
                store,
                indicator=code,
                area=area,
                target_year=int(target_year),
                target_value=value,
                baseline_year=int(baseline_year),
                decision=decision,
                valid_from=valid_from,
                user=ui.current_user(),
            )
        except ControllingError as error:
            ui.show_problem(error)
        else:
            ui.flash(f"Ziel für {code} gespeichert.")
