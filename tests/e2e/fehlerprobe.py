"""A page that fails on purpose, served the way dashboard.py is: the browser test of the German error page."""

import streamlit as st

if __name__ != "__main__":
    from controlling.ui import routes

    routes.prepare_server()
    app = st.App(__file__, on_script_error=routes.show_unexpected_error)
else:
    st.title("Fehlerprobe")
    raise RuntimeError("geheimer Pfad /srv/controlling/daten.duckdb")
