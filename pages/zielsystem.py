"""Zielsystem pflegen: the Leitbild text, Leitziele and Handlungsziele and their Kennzahlen; import and export.

Every save keeps the earlier version and is written to the Änderungsprotokoll (old → new).
"""

import streamlit as st

from controlling import ui
from controlling.errors import ControllingError
from controlling.goals import service as goal_service
from controlling.goals.service import GOALS_FILE, LEITBILD_FILE

ui.start_page("daten_pflegen")
store = ui.store()
reference = ui.reference()
st.title("Zielsystem pflegen")
ui.show_flash()
st.caption(
    "Leitbild, Leitziele je Handlungsfeld und Handlungsziele mit ihren Kennzahlen. Jede Änderung bleibt als "
    "Fassung erhalten und steht im Änderungsprotokoll; die Seite »Leitbild und Ziele« zeigt den neuen Stand."
)


def saved(action) -> None:
    """Run a change that returns what it did in words; show the German reason when it is refused."""
    try:
        message = action()
    except ControllingError as error:
        ui.show_problem(error)
    else:
        ui.flash(message)


new_tab, goals_tab, links_tab, text_tab, file_tab, versions_tab = st.tabs(
    ["Ziel anlegen", "Leit- und Handlungsziele", "Kennzahlen verknüpfen", "Leitbild", "Datei", "Fassungen"]
)
table = goal_service.editable_table(store)
fields = dict(zip(reference["fields"]["code"], reference["fields"]["name"], strict=True))
indicator_names = dict(zip(reference["indicators"]["code"], reference["indicators"]["name"], strict=True))
with new_tab:
    level = st.radio("Ebene", ["handlungsziel", "leitziel"], format_func=str.capitalize, horizontal=True)
    leitziele = table.loc[table["ebene"] == "leitziel"]
    if level == "handlungsziel":
        parent = st.selectbox(
            "Leitziel",
            list(leitziele["code"]),
            format_func=lambda c: f"{c} – {leitziele.set_index('code').at[c, 'titel']}",
        )
        field = ""
        suggested = goal_service.next_goal_code(store, parent=parent) if parent else ""
    else:
        field = st.selectbox("Handlungsfeld", list(fields), format_func=lambda c: fields[c])
        parent = ""
        suggested = goal_service.next_goal_code(store, field=field)
    with st.form("neues_ziel", clear_on_submit=False, border=False):
        code = st.text_input("Code", value=suggested, help="vorgeschlagen: der nächste freie Code")
        title = st.text_input("Titel")
        text = st.text_area("Beschreibung (freiwillig)", height=80)
        picked = (
            st.multiselect(
                "Kennzahlen, an denen es gemessen wird",
                list(indicator_names),
                format_func=lambda c: f"{c} – {indicator_names[c]}",
                placeholder="Kennzahlen wählen",
            )
            if level == "handlungsziel"
            else []
        )
        if st.form_submit_button("Ziel anlegen", type="primary"):
            saved(
                lambda: goal_service.add_goal(
                    store,
                    kind=level,
                    code=code,
                    field=field,
                    parent=parent or "",
                    title=title,
                    text=text,
                    indicators=picked,
                    user=ui.current_user(),
                ).sentence()
            )
with goals_tab:
    st.caption(
        "Zeilen ändern oder links markieren und entfernen; neue Ziele legen Sie unter »Ziel anlegen« an. Ein "
        "Handlungsziel nennt sein Leitziel (Spalte »übergeordnet«) und seine Kennzahlen (Codes mit Komma "
        "getrennt). Beim Speichern wird jedes angelegte, geänderte und entfernte Ziel genannt; eine Zeile mit "
        "Fehler wird nicht still verworfen, sondern mit Zeilennummer gemeldet."
    )
    # Keyed by the stored tree: after a save the editor starts from the new table, so that an edit made on
    # the old one can never land on a different row.
    edited = st.data_editor(
        table,
        num_rows="delete",
        hide_index=True,
        height=560,
        width="stretch",
        key=f"zielsystem_tabelle_{goal_service.table_fingerprint(table)}",
        column_config={
            "ebene": st.column_config.SelectboxColumn("Ebene", options=["leitziel", "handlungsziel"]),
            "code": st.column_config.TextColumn("Code", help="z. B. BIL-L1 oder BIL-L1-H2"),
            "handlungsfeld": st.column_config.SelectboxColumn(
                "Handlungsfeld", options=list(fields), help="ein Handlungsziel: das seines Leitziels"
            ),
            "uebergeordnet": st.column_config.TextColumn("übergeordnet", help="Code des Leitziels"),
            "titel": st.column_config.TextColumn("Titel"),
            "beschreibung": st.column_config.TextColumn("Beschreibung"),
            "kennzahlen": st.column_config.TextColumn("Kennzahlen", help="z. B. BIL-01, BIL-02"),
        },
    )
    if st.button("Änderungen speichern", type="primary"):
        saved(lambda: goal_service.save_goal_table_named(store, edited, user=ui.current_user()).sentence())
with links_tab:
    targets = table.loc[table["ebene"] == "handlungsziel"]
    if targets.empty:
        st.info("Es gibt noch keine Handlungsziele.")
    else:
        chosen = st.selectbox(
            "Handlungsziel",
            list(targets.index),
            format_func=lambda i: f"{table.at[i, 'code']} – {table.at[i, 'titel']}",
        )
        names = indicator_names
        current = [c for c in table.at[chosen, "kennzahlen"].replace(" ", "").split(",") if c in names]
        picked = st.multiselect(
            "Kennzahlen", list(names), default=current, format_func=lambda c: f"{c} – {names[c]}", key=f"k_{chosen}"
        )
        if st.button("Verknüpfung speichern", type="primary"):
            linked = table.copy()
            linked.at[chosen, "kennzahlen"] = ", ".join(picked)
            saved(
                lambda: (
                    f"Kennzahlen verknüpft ({goal_service.save_goal_table(store, linked, user=ui.current_user())} "
                    "Ziel geändert)."
                )
            )
with text_tab:
    system = ui.goal_system()
    text = st.text_area(
        "Leitbild (Markdown: # Überschrift, - Aufzählung, **fett**, *kursiv*, > Hinweis; keine Links, Bilder, HTML)",
        system.leitbild,
        height=320,
    )
    if st.button("Leitbild speichern", type="primary"):
        saved(
            lambda: (
                "Leitbild gespeichert; die frühere Fassung bleibt erhalten."
                if goal_service.save_leitbild(store, text, user=ui.current_user())
                else "Das Leitbild ist unverändert."
            )
        )
    with st.expander("Vorschau"):
        ui.show_leitbild(text)
with file_tab:
    csv_data, leitbild_data = goal_service.export_goal_files(store)
    left, right = st.columns(2)
    left.download_button("zielsystem.csv herunterladen", csv_data, file_name=GOALS_FILE, mime="text/csv")
    right.download_button("leitbild.md herunterladen", leitbild_data, file_name=LEITBILD_FILE, mime="text/markdown")
    st.caption(
        "Eine hochgeladene zielsystem.csv ersetzt den ganzen Baum (Spalten ebene;code;handlungsfeld;"
        "uebergeordnet;titel;beschreibung;kennzahlen); sie wird ganz geprüft, bevor etwas gespeichert wird."
    )
    goals_file = st.file_uploader("zielsystem.csv", type=["csv"], key="ziele_datei")
    text_file = st.file_uploader("leitbild.md", type=["md", "txt"], key="leitbild_datei")
    if st.button("Dateien übernehmen", disabled=goals_file is None and text_file is None):

        def imported() -> str:
            changed, text_changed = goal_service.import_goal_files(
                store,
                user=ui.current_user(),
                goals=None if goals_file is None else (goals_file.name, goals_file.getvalue()),
                leitbild=None if text_file is None else (text_file.name, text_file.getvalue()),
            )
            return f"Übernommen: {changed} Ziele geändert, Leitbild {'geändert' if text_changed else 'unverändert'}."

        saved(imported)
with versions_tab:
    versions = goal_service.goal_versions(store)
    st.dataframe(
        {
            "Code": versions["code"],
            "Fassung": versions["version"],
            "Titel": versions["title"],
            "Kennzahlen": versions["indicators"],
            "entfernt": versions["removed"].map({True: "ja", False: ""}),
            "Von": versions["changed_by"],
            "Zeit": versions["changed_at"].dt.strftime("%d.%m.%Y %H:%M"),
        },
        hide_index=True,
        width="stretch",
    )
    texts = goal_service.leitbild_versions(store)
    st.caption(f"Leitbild: {len(texts)} Fassung(en); die neueste gilt.")
