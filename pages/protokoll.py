"""Änderungsprotokoll: every change (who, when, what, old -> new), viewable and exportable by staff."""

import streamlit as st

from controlling import export, service, ui
from controlling.presentation import audit_table

ui.start_page("daten_pflegen")
log = service.audit_entries(ui.store())
st.title("Änderungsprotokoll")
table = audit_table(log)
st.dataframe(table, hide_index=True, width="stretch")
st.download_button(
    "Als CSV herunterladen", export.to_csv_bytes(table), file_name="aenderungsprotokoll.csv", mime="text/csv"
)
