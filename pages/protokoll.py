"""Änderungsprotokoll: every change (who, when, what, old -> new), viewable and exportable by staff."""

import streamlit as st

from controlling import export, service, ui

ui.start_page("daten_pflegen")
log = service.audit_entries(ui.store())
st.title("Änderungsprotokoll")
table = log.rename(
    columns={
        "id": "Nr.",
        "changed_at": "Zeit",
        "user_name": "Von",
        "action": "Aktion",
        "entity": "Bereich",
        "entity_key": "Schlüssel",
        "old_value": "Alt",
        "new_value": "Neu",
    }
)
table["Zeit"] = table["Zeit"].dt.strftime("%d.%m.%Y %H:%M:%S")
st.dataframe(table, hide_index=True, width="stretch")
st.download_button(
    "Als CSV herunterladen", export.to_csv_bytes(table), file_name="aenderungsprotokoll.csv", mime="text/csv"
)
