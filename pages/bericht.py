"""Bericht: the Controlling-Bericht as PDF (and Excel) for the Kreisausschuss, built only when asked for."""

import streamlit as st

from controlling import auth, service, ui
from controlling.errors import ControllingError

ui.start_page()

store = ui.store()
st.title("Controlling-Bericht")
st.caption(
    "Ein PDF im A4-Format für die Sitzung: Titelseite, eine Seite »Auf einen Blick«, je Handlungsfeld jede "
    "Kennzahl mit Diagramm, Begründung, Einordnung und Maßnahmen, dazu ein Anhang mit Definitionen und Quellen. "
    "Der Bericht nennt seinen Datenstand; mit demselben Datenstand entsteht er später wieder genauso."
)
if not ui.available_years():
    st.info("Es sind noch keine Werte vorhanden.")
    st.stop()
year = ui.report_year()
versions = service.intake_history(store)
committed = versions.loc[versions["state"] == "committed", "id"].tolist()
staff = auth.may(ui.current_role(), "daten_pflegen")  # file names of imports are for staff only
version = st.selectbox("Datenstand", committed, format_func=lambda i: ui.intake_label(versions, i, with_file=staff))
if st.button("Bericht erstellen", type="primary"):
    bar = st.progress(0.0, text="Bericht wird vorbereitet …")
    try:
        pdf_bytes, xlsx_bytes, stand = ui.report_files(
            year, int(version), lambda share, text: bar.progress(share, text=text)
        )
        st.session_state["report_files"] = (pdf_bytes, xlsx_bytes, year, stand)
    except ControllingError as error:
        ui.show_problem(error)
files = st.session_state.get("report_files")
if files:
    pdf_bytes, xlsx_bytes, made_year, made_stand = files
    st.success(f"Bericht {made_year} ist fertig. Datenstand: {made_stand}.")
    left, right = st.columns(2)
    left.download_button(
        "PDF herunterladen",
        pdf_bytes,
        file_name=f"controlling_bericht_{made_year}.pdf",
        mime="application/pdf",
        width="stretch",
    )
    right.download_button(
        "Excel herunterladen",
        xlsx_bytes,
        file_name=f"controlling_bericht_{made_year}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        width="stretch",
    )
