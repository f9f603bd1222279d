"""Amtliche Daten: which Kennzahlen are bound to a publication, from where, the last fetch; fetch, preview, confirm."""

import streamlit as st

from controlling import ui
from controlling.errors import ControllingError
from controlling.intake import official

ui.start_page("daten_pflegen")
store = ui.store()
home = ui.home_kreis()
st.title("Amtliche Daten")
st.caption(
    "Kennzahlen mit einem Bezug auf eine Veröffentlichung (Integrationsmonitoring Niedersachsen des LSN, "
    "Regionalstatistik/GENESIS) werden mit einem Klick gefüllt: für das Land, jeden Kreis der Veröffentlichung "
    "(als Vergleichsgebiet) und die Gemeinden, wo veröffentlicht. Das ist ein Import wie jeder andere: erst "
    "Vorschau, dann Bestätigung, rückgängig zu machen unter »Daten hochladen«."
)
ui.show_flash()

table = official.overview(store, home.code).rename(columns={"Werte Kreis": f"Werte {home.name}"})
st.subheader(f"Gebundene Kennzahlen ({len(table)})")
st.dataframe(table, hide_index=True, width="stretch")
fetches = official.last_fetches(store)
if fetches.empty:
    st.write("Noch kein Abruf.")
else:
    last = fetches.iloc[0]
    st.write(
        f"Letzter Abruf: Import {int(last['id'])} am {last['created_at']:%d.%m.%Y um %H:%M} Uhr "
        f"von {last['user_name']} "
        f"({last['file_name']}; {int(last['rows_new'])} neu, {int(last['rows_changed'])} geändert)"
        + (" – rückgängig gemacht." if last["state"] != "committed" else ".")
    )

st.subheader("Jetzt abrufen")
source = st.text_input(
    "Quelle: Ordner wie veröffentlicht oder https-Adresse",
    value=official.default_source(),
    help="Ein Ordner mit data/indicator_*.csv (LSN) und GENESIS-Tabellen, deren Name mit dem Tabellencode beginnt, "
    "oder die Adresse, unter der das LSN seine Dateien veröffentlicht. Der Zugang zum GENESIS-Webservice kommt aus "
    "der Umgebung (GENESIS_USER, GENESIS_PASSWORD) oder .streamlit/secrets.toml und wird nirgends gespeichert.",
)
if st.button("jetzt abrufen", type="primary", disabled=not source.strip()):
    kept = st.session_state.pop("official_preview", None)
    if kept is not None and kept.preview is not None:
        official.discard(store, kept)
    try:
        with st.status("Abruf läuft …", expanded=True) as progress:
            fetched = official.fetch_bound(store, source.strip(), progress=st.write)
            result = official.prepare_official(store, fetched, progress=lambda step: progress.update(label=step))
            progress.update(label="Abruf und Prüfung abgeschlossen", state="complete", expanded=False)
    except ControllingError as error:
        ui.show_problem(error)
    else:
        st.session_state["official_preview"] = result

shown = st.session_state.get("official_preview")
if shown is not None:
    st.text(official.describe_official(shown))
    if len(shown.unbound):
        st.warning(
            "Nicht gefüllt – bitte den Bezug prüfen:\n\n"
            + "\n".join(f"- {row.indicator}: {row.message}" for row in shown.unbound.itertuples())
        )
    if len(shown.by_indicator):
        st.dataframe(official.counts_table(shown), hide_index=True, width="stretch")
    if shown.preview is not None:
        ui.show_preview(shown.preview)
        changes = shown.preview.count("new") + shown.preview.count("changed")
        if st.button("Import bestätigen", type="primary", disabled=changes == 0):
            try:
                intake_id = official.commit_official(store, shown, user=ui.current_user())
            except ControllingError as error:
                ui.show_problem(error)
            else:
                st.session_state.pop("official_preview", None)
                ui.flash(f"Amtliche Daten gespeichert als Import {intake_id}.")
        if changes == 0:
            st.info("Alle Werte sind schon so gespeichert; es gibt nichts zu bestätigen.")
