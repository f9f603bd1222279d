"""Ziele pflegen: the decided targets in force, the drafts to decide, and a new target (proposed or decided).

A decided target replaces the previous one from its day on (the old one is kept, abgelöst); a draft counts in
no light until it is decided with body and date.
"""

import datetime as dt

import streamlit as st

from controlling import maintenance, service, ui
from controlling.errors import ControllingError
from controlling.formatting import form_number_column
from controlling.goals import service as goal_service
from controlling.method import overview, presentation
from controlling.rules import TARGET_TYPES

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
    "Ein Ziel ist erst ein **Entwurf** (mit seiner Quelle, z. B. Workshop oder Koordinierungsstab), dann "
    "**beschlossen** (Gremium, Datum, Vorlage) und schließlich **abgelöst**, wenn ein neueres beschlossenes Ziel "
    "gilt. Die Ampeln rechnen nur mit beschlossenen Zielen; abgelöste bleiben für frühere Berichte erhalten."
)
targets = service.targets_in_force(store)[maintenance.TARGET_COLUMNS].reset_index(drop=True)
# The target value as German text (12,5; no thousands points, which a file's rules would read as decimals):
# typed 12,5, 1.234,5 or 12.5 it is read like a Ziele file and held to the indicator's unit.
targets["target_value"] = form_number_column(targets["target_value"])
st.subheader("Beschlossene Ziele in Kraft – in der Tabelle ändern")
edited = st.data_editor(
    targets,
    hide_index=True,
    width="stretch",
    disabled=["indicator", "area", "decision"],
    key="ziele_tabelle",
    column_config={
        "indicator": st.column_config.TextColumn("Kennzahl"),
        "area": st.column_config.TextColumn("Gebiet (* = alle)"),
        "target_year": st.column_config.NumberColumn("Zieljahr", format="%d", min_value=2000, max_value=2060),
        "target_value": st.column_config.TextColumn(
            "Zielwert", required=True, alignment="right", help="z. B. 25,0 oder 1.234,5"
        ),
        "baseline_year": st.column_config.NumberColumn("Basisjahr", format="%d", min_value=2000, max_value=2059),
        "body": st.column_config.TextColumn("Gremium"),
        "decision_date": st.column_config.DateColumn("Beschlussdatum", format="DD.MM.YYYY"),
        "vorlage": st.column_config.TextColumn("Vorlage"),
        "decision": st.column_config.TextColumn("Beschluss"),
        "target_type": st.column_config.SelectboxColumn(
            "Zieltyp",
            options=list(TARGET_TYPES),
            required=True,
            help="verbessern: der Wert soll sich zum Ziel hin bewegen; halten: eine Grenze, die eingehalten wird",
        ),
    },
)
st.caption("Eine geänderte Zeile ohne Gremium und Beschlussdatum wird ein Entwurf; das geltende Ziel bleibt.")
table_from = st.date_input("Geänderte Ziele gelten ab", dt.date.today(), format="DD.MM.YYYY", key="tabelle_ab")
if st.button("Geänderte Ziele speichern", type="primary"):
    try:
        count = maintenance.save_edited_targets(store, targets, edited, valid_from=table_from, user=ui.current_user())
    except ControllingError as error:
        ui.show_problem(error)
    else:
        ui.flash(f"{count} Ziele gespeichert; die bisherigen bleiben erhalten.")
to_decide = overview.targets_to_decide(ui.status_table())
if not to_decide.empty:
    st.warning(
        f"{len(to_decide)} beschlossene Ziele verlangen keine Verbesserung gegenüber ihrem Ausgangswert und werden "
        "seit Methode 3 nicht bewertet (Methode 2 las sie als Grenze). Bitte als Halteziel beschließen (Zieltyp "
        "»halten«) oder den Zielwert prüfen."
    )
    st.dataframe(presentation.targets_to_decide_table(to_decide), hide_index=True, width="stretch")
ui.drafts_section(goal_service.target_drafts(store), names)
ui.target_history_section(names, area_names)
with st.form("ziel"):
    st.subheader("Neues Ziel (neue Kennzahl oder neues Gebiet)")
    code = st.selectbox("Kennzahl", list(indicators["code"]), format_func=lambda c: f"{c} – {names[c]}")
    area = st.selectbox("Gebiet", list(area_names), format_func=area_names.get)
    left, middle, right = st.columns(3)
    target_year = left.number_input("Zieljahr", 2020, 2060, 2030, step=1)
    baseline_year = middle.number_input("Basisjahr", 2000, 2059, 2020, step=1)
    value = right.text_input("Zielwert", placeholder="z. B. 25,0")
    target_type = st.radio(
        "Zieltyp",
        list(TARGET_TYPES),
        horizontal=True,
        format_func={"verbessern": "verbessern (Ziel)", "halten": "halten (Grenze, z. B. höchstens 30 %)"}.get,
    )
    decided = st.radio("Stand", ["Entwurf", "beschlossen"], horizontal=True)
    source = st.text_input("Quelle des Entwurfs", placeholder="z. B. Workshop Integrationsleitbild, Koordinierungsstab")
    left, middle, right = st.columns(3)
    body = left.text_input("Gremium (wenn beschlossen)", placeholder="Kreisausschuss")
    decision_date = middle.date_input("Beschlussdatum", value=None, format="DD.MM.YYYY")
    vorlage = right.text_input("Vorlage", placeholder="KA/2025/012")
    valid_from = st.date_input("gültig ab", dt.date.today(), format="DD.MM.YYYY")
    if st.form_submit_button("Ziel speichern", type="primary"):
        decision = (
            {"body": body, "decision_date": decision_date, "vorlage": vorlage, "state": "beschlossen"}
            if decided == "beschlossen"
            else {"source": source, "state": "entwurf"}
        )
        try:
            warnings = maintenance.set_target(
                store,
                indicator=code,
                area=area,
                target_year=int(target_year),
                target_value=value,
                baseline_year=int(baseline_year),
                valid_from=valid_from,
                user=ui.current_user(),
                target_type=str(target_type),
                **decision,
            )
        except ControllingError as error:
            ui.show_problem(error)
        else:
            ui.flash(" ".join([f"Ziel für {code} gespeichert ({decided}).", *warnings]), saved=not warnings)
