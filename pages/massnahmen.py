"""Maßnahmen: every measure, filtered by Handlungsfeld, Kennzahl, Gemeinde, Stand and überfällig; Excel export;
staff add and edit measures, and every change is kept in the measure's history."""

import streamlit as st

from controlling import auth, ui
from controlling.errors import ControllingError
from controlling.goals import service as goal_service
from controlling.measures import model as measures
from controlling.method.overview import home_areas
from controlling.ui.measures import measure_form, measure_list

ui.start_page("lesen")
reference = ui.reference()
indicators = reference["indicators"]
fields = reference["fields"]
area_names = dict(zip(reference["areas"]["code"], reference["areas"]["name"], strict=True))
home = home_areas(reference["areas"])
gemeinden = dict(zip(home["code"].iloc[1:], home["name"].iloc[1:], strict=True))  # the Landkreis: no Gemeinde chosen
staff = auth.may(ui.current_role(), "daten_pflegen")

st.title("Maßnahmen")
st.caption(
    "Maßnahmen des Integrationskonzepts mit ihren Kennzahlen und Gemeinden. Überfällig ist eine Maßnahme, "
    "deren Fälligkeitsdatum verstrichen ist, ohne dass sie abgeschlossen wurde."
)
ui.show_flash()
rows = measure_list()
columns = st.columns(5)
chosen = measures.MeasureFilter(
    fields=columns[0].multiselect(
        "Handlungsfeld",
        list(fields["code"]),
        format_func=dict(zip(fields["code"], fields["name"], strict=True)).get,
        placeholder="alle",
    ),
    indicators=columns[1].multiselect(
        "Kennzahl",
        list(indicators["code"]),
        format_func=dict(zip(indicators["code"], indicators["code"] + " " + indicators["name"], strict=True)).get,
        placeholder="alle",
    ),
    areas=columns[2].multiselect("Gemeinde", list(gemeinden), format_func=gemeinden.get, placeholder="alle"),
    states=columns[3].multiselect("Stand", list(measures.STATES), placeholder="alle"),
    only_overdue=columns[4].toggle("Nur überfällige"),
)
shown = measures.filter_measures(rows, chosen, indicators)
late = int(rows["overdue"].sum())
summary = st.columns(3)
summary[0].metric("Maßnahmen", len(rows))
summary[1].metric("Überfällig", late)
summary[2].metric("Angezeigt", len(shown))
if shown.empty:
    st.info("Keine Maßnahme passt zu dieser Auswahl." if len(rows) else "Es gibt noch keine Maßnahme.")
else:
    table = measures.measure_table(shown, area_names)
    st.dataframe(
        table.style.apply(
            lambda column: ["color: #b00020; font-weight: 600" if "überfällig" in str(v) else "" for v in column],
            subset=["Stand"],
        ),
        hide_index=True,
        width="stretch",
        column_config={"Nr.": st.column_config.NumberColumn(format="%d", width="small")},
    )
    st.download_button(
        "Als Excel herunterladen",
        measures.export_xlsx(shown, area_names),
        file_name="massnahmen.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

if not staff:
    st.stop()
st.divider()
st.subheader("Maßnahme anlegen oder bearbeiten")
goal_rows = goal_service.handlungsziele(ui.store())
goals = dict(zip(goal_rows["code"], goal_rows["title"], strict=True))
new, edit = st.tabs(["Neue Maßnahme", "Bearbeiten und Verlauf"])
with new:
    entered = measure_form("massnahme_neu", indicators, gemeinden, goals)
    if entered is not None:
        try:
            measure_id = measures.save_measure(ui.store(), entered, user=ui.current_user())
        except ControllingError as error:
            ui.show_problem(error)
        else:
            ui.flash(f"Maßnahme {measure_id} »{entered.title.strip()}« angelegt.")
with edit:
    if rows.empty:
        st.write("Es gibt noch keine Maßnahme.")
        st.stop()
    titles = dict(zip(rows["id"], rows["title"], strict=True))
    picked = st.selectbox("Maßnahme", list(titles), format_func=lambda i: f"{i} – {titles[i]}", key="massnahme_wahl")
    existing = rows.set_index("id").loc[picked]
    entered = measure_form(f"massnahme_{picked}", indicators, gemeinden, goals, existing)
    if entered is not None:
        try:
            measures.save_measure(ui.store(), entered, user=ui.current_user(), measure_id=int(picked))
        except ControllingError as error:
            ui.show_problem(error)
        else:
            ui.flash(f"Maßnahme {picked} gespeichert; die Änderungen stehen im Verlauf.")
    history = measures.history(ui.store(), int(picked))
    st.markdown("**Verlauf** (wer, wann, alt → neu)")
    st.dataframe(
        {
            "Zeit": history["changed_at"].dt.strftime("%d.%m.%Y %H:%M"),
            "Von": history["user_name"],
            "Feld": history["field_label"],
            "Vorher": history["old_value"].fillna(""),
            "Nachher": history["new_value"].fillna(""),
        },
        hide_index=True,
        width="stretch",
    )
