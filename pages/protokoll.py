"""Änderungsprotokoll: every change (who, when, what, old -> new), viewable and exportable by staff."""

import streamlit as st

from controlling import service, ui
from controlling.measures.model import name_fields_in_german
from controlling.method.presentation import audit_table
from controlling.report import export

ui.start_page("daten_pflegen")
log = service.audit_entries(ui.store())
st.title("Änderungsprotokoll")
table = name_fields_in_german(audit_table(log))
st.dataframe(table, hide_index=True, width="stretch")
st.download_button(
    "Als CSV herunterladen", export.to_csv_bytes(table), file_name="aenderungsprotokoll.csv", mime="text/csv"
)
