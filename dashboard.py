"""Integrationscontrolling: entry point. Page config, first-start notice, navigation over pages/."""

import streamlit as st

from controlling import ui

st.set_page_config(page_title=ui.APP_TITLE, page_icon="📊", layout="wide")
ui.show_start_notices()

navigation = st.navigation(
    {
        "Berichtsteil": [
            st.Page("pages/uebersicht.py", title="Übersicht", icon="🏠", default=True),
        ],
        "Datenpflege": [
            st.Page("pages/daten_hochladen.py", title="Daten hochladen", icon="⬆️"),
        ],
    }
)
st.sidebar.caption("Landkreis Peine · Referat Migration und Teilhabe")
navigation.run()
