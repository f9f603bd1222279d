"""Daten hochladen: a file is read and checked completely, previewed, and committed only on confirmation."""

import streamlit as st

from controlling import intake, maintenance, service, ui
from controlling.errors import ControllingError
from controlling.method import presentation

ui.start_page("daten_pflegen")
store = ui.store()
st.title("Daten hochladen")
st.caption(
    "Werte, Ziele oder Kennzahlen als CSV oder Excel-Datei – als Vorlage ausgefüllt oder so, wie das Landesamt "
    "(Open SDG, GENESIS) sie herausgibt. Die Datei wird vollständig geprüft; gespeichert wird erst nach Ihrer "
    "Bestätigung, und jeder Import lässt sich rückgängig machen."
)

with st.expander("Vorlagen zum Ausfüllen (Excel: Semikolon, UTF-8)"):
    columns = st.columns(3)
    for column, (name, label) in zip(
        columns, (("werte", "Werte"), ("ziele", "Ziele"), ("kennzahlen", "Kennzahlen")), strict=True
    ):
        column.download_button(
            f"Vorlage {label}",
            ui.home_kreis().template(name),
            file_name=f"vorlage_{name}.csv",
            mime="text/csv",
            width="stretch",
        )

ui.show_flash()
uploaded = st.file_uploader(
    f"Datei auswählen (CSV, auch als ZIP, oder Excel .xlsx; höchstens {intake.max_upload_bytes() // 1024 // 1024} MB)",
    type=["csv", "zip", "txt", "xlsx"],
    key=ui.upload_key(),
)
if uploaded is not None:
    data = uploaded.getvalue()
    sheet = ui.choose_sheet(uploaded.name, data)
    choices = ui.upload_choices(store, uploaded.name, data, sheet)
    try:
        with st.status("Datei wird gelesen …") as progress:
            preview = ui.upload_preview(
                store, uploaded.name, data, choices, progress=lambda step: progress.update(label=step), sheet=sheet
            )
            progress.update(label="Prüfung abgeschlossen", state="complete")
    except ControllingError as error:
        ui.show_problem(error)
        st.stop()
    ui.show_refusal()
    st.text(intake.describe_preview(preview))
    if preview.kind == "ziele":  # method 3: said before the targets are saved, where the baseline value is stored
        for warning in maintenance.not_better_than_baseline(store, preview.listed):
            st.warning(warning)
    ui.show_preview(preview)
    allow_partial = False
    if len(preview.problems):
        allow_partial = st.checkbox(
            f"Nur die gültigen Zeilen speichern ({preview.rejected} Zeilen mit Fehlern werden nicht übernommen)"
        )
    ready = not preview.unmapped and (preview.problems.empty or allow_partial)
    if st.button("Import bestätigen", type="primary", disabled=not ready):
        try:
            intake_id = ui.commit_upload(store, preview, user=ui.current_user(), skip_invalid=allow_partial)
        except ControllingError as error:
            ui.show_problem(error)
        else:
            if intake_id is None and preview.kind == "werte":
                ui.forget_upload(
                    f"{preview.file_name} enthält keine neuen oder geänderten Werte; es wurde nichts gespeichert.",
                    saved=False,
                )
            ui.forget_upload(
                f"{preview.file_name}: gespeichert" + ("." if intake_id is None else f" als Import {intake_id}.")
            )

st.subheader("Bisherige Importe")
history = service.intake_history(store)
if history.empty:
    st.write("Noch keine Importe.")
else:
    st.dataframe(ui.intake_history_table(history), hide_index=True, width="stretch")
    committed = history.loc[history["state"] == "committed", "id"].tolist()
    if committed:
        # No form: a form empties its choice on submit, and a second press then undid the newest import.
        # The key names the newest import, so that a new import is preselected once it is there.
        chosen = st.selectbox(
            "Import rückgängig machen",
            committed,
            format_func=lambda i: ui.intake_label(history, i),
            key=f"undo_choice_{max(committed)}",
        )
        if st.button("Rückgängig machen …"):
            st.session_state["undo_pending"] = chosen
        if st.session_state.get("undo_pending") not in (chosen, None):
            st.session_state.pop("undo_pending")  # another import chosen since: ask again
        if st.session_state.get("undo_pending") == chosen:
            with st.container(border=True):
                st.warning(presentation.undo_question(history, int(chosen)))
                confirm, cancel = st.columns(2)
                if cancel.button("Abbrechen", width="stretch"):
                    st.session_state.pop("undo_pending")
                    st.rerun()
                if confirm.button(f"Import {chosen} jetzt zurücknehmen", type="primary", width="stretch"):
                    st.session_state.pop("undo_pending")
                    try:
                        maintenance.undo_intake(store, int(chosen), user=ui.current_user())
                    except ControllingError as error:
                        ui.show_problem(error)
                    else:  # shown after the rerun that brings the history up to date (st.success would vanish)
                        ui.flash(f"Import {chosen} wurde rückgängig gemacht; die vorherigen Werte gelten wieder.")
