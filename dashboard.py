"""Integrationscontrolling: entry point. Page config, who is signed in, navigation over pages/ by role."""

import logging

import streamlit as st

if __name__ != "__main__":
    # `streamlit run dashboard.py` imports this file as a module and serves `app`: Streamlit, the sign-in
    # routes that set and clear the HttpOnly session cookie, and a German message for unexpected errors.
    # For every page view Streamlit then runs this file as "__main__": the router below.
    # This import comes before Streamlit's runtime exists; the cached functions' check of their storage would
    # warn "No runtime found" for nothing (they use the runtime's storage once it runs), so it is quiet here.
    checks = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    level = checks.level
    checks.setLevel(logging.ERROR)
    from controlling.ui import routes

    checks.setLevel(level)
    routes.prepare_server()
    app = st.App(__file__, routes=routes.routes(), on_script_error=routes.show_unexpected_error)
else:
    from controlling import auth, ui
    from controlling.reference.shipped import DATA_DIR

    # A local icon: a page icon from the material set is fetched from a font host on every load.
    st.set_page_config(page_title=ui.APP_TITLE, page_icon=str(DATA_DIR / "icon.png"), layout="wide")
    ui.german_browser()  # Streamlit's own texts in German; the sidebar collapsed below 1000 px
    ui.show_start_notices()
    ui.sign_in_sidebar()
    role = ui.current_role()

    sections = {
        "Berichtsteil": [
            st.Page("pages/uebersicht.py", title="Übersicht", icon=":material/home:", default=True),
            st.Page("pages/leitbild.py", title="Leitbild und Ziele", icon=":material/account_tree:"),
            st.Page("pages/handlungsfeld.py", title="Handlungsfeld", icon=":material/category:"),
            st.Page("pages/kennzahl.py", title="Kennzahl", icon=":material/monitoring:"),
            st.Page("pages/gemeinde.py", title="Gemeinde", icon=":material/location_city:"),
            st.Page("pages/vergleich.py", title="Vergleich", icon=":material/compare_arrows:"),
            st.Page("pages/karte.py", title="Karte", icon=":material/map:"),
            st.Page("pages/massnahmen.py", title="Maßnahmen", icon=":material/task_alt:"),
            st.Page("pages/bericht.py", title="Bericht (PDF)", icon=":material/picture_as_pdf:"),
        ],
    }
    # Issue 27: public pages for the people the goals are about, the network, and taking part.
    sections["Mitwirken"] = [
        st.Page("pages/unsere_ziele.py", title="Unsere Ziele", icon=":material/diversity_3:"),
        st.Page("pages/netzwerk.py", title="Integrationsnetzwerk", icon=":material/hub:"),
        st.Page("pages/beteiligung.py", title="Beteiligung", icon=":material/forum:"),
    ]
    # Staff pages exist for everyone, so that a link or a reload finds them, but only staff see them in the
    # navigation; for anyone else the page itself refuses in German and offers the sign-in.
    staff = "visible" if auth.may(role, "daten_pflegen") else "hidden"
    sections["Datenpflege"] = [
        st.Page("pages/daten_hochladen.py", title="Daten hochladen", icon=":material/upload_file:", visibility=staff),
        st.Page("pages/amtliche_daten.py", title="Amtliche Daten", icon=":material/cloud_download:", visibility=staff),
        st.Page("pages/ziele.py", title="Ziele pflegen", icon=":material/flag:", visibility=staff),
        st.Page("pages/zielsystem.py", title="Zielsystem pflegen", icon=":material/account_tree:", visibility=staff),
        st.Page("pages/kennzahlen.py", title="Kennzahlen pflegen", icon=":material/tune:", visibility=staff),
        st.Page("pages/einordnung.py", title="Einordnung", icon=":material/edit_note:", visibility=staff),
        st.Page("pages/netzwerk_pflegen.py", title="Netzwerk pflegen", icon=":material/hub:", visibility=staff),
        st.Page(
            "pages/beteiligung_pflegen.py", title="Beteiligung moderieren", icon=":material/forum:", visibility=staff
        ),
        st.Page(
            "pages/uebersetzungen.py", title="Übersetzungen pflegen", icon=":material/translate:", visibility=staff
        ),
        st.Page("pages/protokoll.py", title="Änderungsprotokoll", icon=":material/history:", visibility=staff),
    ]
    # Issue 14: the delivery calendar for staff, and a provider's own deliveries (role lieferant).
    deliveries = "visible" if auth.may(role, "lieferungen_sehen") else "hidden"
    sections["Datenpflege"].insert(
        1,
        st.Page(
            "pages/datenlieferungen.py",
            title="Datenlieferungen",
            icon=":material/local_shipping:",
            visibility=deliveries,
        ),
    )
    # expanded: with every staff page the list is long, and the folded one says "View 4 more" in English
    navigation = st.navigation(sections, expanded=True)
    ui.entry_point_ran()
    st.sidebar.caption(f"{ui.home_kreis().name} · Referat Migration und Teilhabe")
    navigation.run()
