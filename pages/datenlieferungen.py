"""Datenlieferungen: per year every expected delivery (indicator × provider × period) as erwartet, eingegangen
or überfällig; a provider's pre-filled template; the reminder letter; a provider uploads its own values here."""

import datetime as dt

import streamlit as st

from controlling import intake, ui
from controlling.deliveries import service as delivery_service
from controlling.deliveries import state as deliveries
from controlling.deliveries import templates as delivery_templates
from controlling.errors import ControllingError
from controlling.ui.deliveries import account_provider, delivery_calendar

ui.start_page("lieferungen_sehen")
store = ui.store()
own = account_provider()
if ui.current_role() == "lieferant" and own is None:
    st.error("Ihr Konto ist keinem Lieferanten zugeordnet. Bitte wenden Sie sich an das Referat.")
    st.stop()
today = dt.date.today()
st.title("Datenlieferungen" if own is None else f"Datenlieferungen – {own}")
st.caption(
    "Je Kennzahl liefert ein Lieferant zum Stichtag bis zur Lieferfrist. Eingegangen ist eine Lieferung, sobald "
    "ein Import nach dem Stichtag Werte des Jahres für eines seiner Gebiete gebracht hat; überfällig, wenn die "
    "Frist verstrichen ist und nichts kam. Halbjährliche Kennzahlen haben je Halbjahr eine Zeile: der Wert zum "
    "Stichtag ist der Jahreswert, der des anderen Halbjahrs trägt in der Vorlage »Halbjahr=1« (oder 2) in der "
    "Spalte »aufschluesselung« – eine Zeile ohne Halbjahr zählt nur für das Halbjahr des Stichtags. Zweijährliche "
    "Kennzahlen (z. B. eine Befragung jedes zweite Jahr) sind im Jahr nach einer Lieferung nicht fällig."
)
ui.show_flash()
years = delivery_service.delivery_years(store, today=today)
year = st.selectbox("Jahr der Daten", years, index=min(1, len(years) - 1), key="lieferjahr")
rows = delivery_calendar(int(year))
if own is not None:
    rows = rows.loc[rows["provider"] == own]
    provider = own
else:
    choices = ["(alle)", *sorted(rows["provider"].unique())]
    picked = st.selectbox("Lieferant", choices, key="lieferant")
    provider = None if picked == "(alle)" else str(picked)
    if provider is not None:
        rows = rows.loc[rows["provider"] == provider]

counts = deliveries.state_counts(rows)
for column, state in zip(st.columns(3), deliveries.STATES, strict=True):
    column.metric(deliveries.STATE_LABELS[state].capitalize(), counts[state])
if rows.empty:
    st.info("Für dieses Jahr ist keine Lieferung vorgesehen.")
else:
    colors = {"überfällig": "color: #b00020; font-weight: 600", "eingegangen": "color: #1b5e20"}
    table = deliveries.calendar_table(rows)
    if provider is not None:  # one provider: its name once in the heading, not in every row
        table = table.drop(columns="Lieferant")
    st.dataframe(
        table.style.map(lambda state: colors.get(state, ""), subset=["Stand"]),
        hide_index=True,
        width="stretch",
        column_config={"Kennzahl": st.column_config.TextColumn(width="medium")},
    )

if provider is not None:
    st.subheader(f"Vorlage {provider} {year}")
    st.caption(
        "Ihre Kennzahlen und Gebiete des Jahres, die Werte leer; »vorjahr« zeigt den Vorjahreswert als Hinweis. "
        "Die ausgefüllte Datei lässt sich unverändert hochladen."
    )
    left, right = st.columns(2)
    for place, kind, mime in (
        (left, "csv", "text/csv"),
        (right, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ):
        place.download_button(
            f"Vorlage als {kind.upper()}",
            delivery_service.provider_template(store, provider, int(year), kind=kind),
            file_name=delivery_templates.template_file_name(provider, int(year), kind),
            mime=mime,
            width="stretch",
        )
if own is None and provider is not None:
    letter = delivery_service.reminder(store, rows, provider, today=today)
    if letter:
        st.subheader("Erinnerung zum Kopieren")
        st.caption("Kopieren Sie den Text in eine E-Mail oder einen Brief (Symbol oben rechts im Feld).")
        st.code(letter, language=None, wrap_lines=True)
elif own is None:
    st.caption("Wählen Sie einen Lieferanten, um seine Vorlage und das Erinnerungsschreiben zu sehen.")

if own is not None:
    st.subheader("Werte hochladen")
    uploaded = st.file_uploader(
        "Ausgefüllte Vorlage (CSV oder Excel .xlsx)", type=["csv", "txt", "xlsx"], key=ui.upload_key()
    )
    if uploaded is not None:
        try:
            preview = ui.upload_preview(store, uploaded.name, uploaded.getvalue(), {}, provider=own)
        except ControllingError as error:
            ui.show_problem(error)
            st.stop()
        st.text(intake.describe_preview(preview))
        ui.show_preview(preview)
        if len(preview.problems):
            st.error("Die Datei enthält abgelehnte Zeilen; es wird nichts gespeichert. Bitte korrigieren Sie sie.")
        elif st.button("Import bestätigen", type="primary"):
            try:
                intake_id = intake.commit(store, preview, user=ui.current_user())
            except ControllingError as error:
                ui.show_problem(error)
            else:
                saved = intake_id is not None
                message = f"Gespeichert als Import {intake_id}." if saved else "Keine neuen oder geänderten Werte."
                ui.forget_upload(f"{preview.file_name}: {message}", saved=saved)
