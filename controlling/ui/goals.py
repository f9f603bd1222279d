"""The goal tree on a page (Leitbild, Leitziele, Handlungsziele with their Kennzahlen and rolled-up lights),
cached per data version, and the list of target drafts with its decide and discard actions."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pandas as pd
import streamlit as st

from controlling.errors import ControllingError
from controlling.goals import service as goal_service
from controlling.goals.files import leitbild_html
from controlling.goals.service import GoalSystem
from controlling.goals.tree import ROLLUP_RULE
from controlling.ui.badges import light_badge, show_problem, unlinked
from controlling.ui.session import cached_table, store
from controlling.ui.signin import current_user, flash

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|$<>~:])")


def plain(text: Any) -> str:
    """Text shown as it is in Streamlit Markdown: every sign Markdown or a Streamlit directive reads is escaped."""
    return unlinked(_MARKDOWN_SPECIAL.sub(r"\\\1", "" if text is None or pd.isna(text) else str(text)))


def goal_system() -> GoalSystem:
    """The Leitbild and the goal tree, cached until the next change."""
    return cached_table("goal_system", (), lambda: goal_service.goal_system(store()), exclusive=False)


def show_leitbild(text: str) -> None:
    """The Leitbild text: the small Markdown subset turned into HTML with every character escaped."""
    if text:
        st.markdown(leitbild_html(text, heading=3), unsafe_allow_html=True)
    else:
        st.info("Es ist noch kein Leitbild hinterlegt.")


def show_tree(system: GoalSystem, linked: pd.DataFrame, lights: pd.DataFrame, fields: pd.DataFrame) -> None:
    """Handlungsfeld → Leitziel → Handlungsziel, each goal with its rolled-up light and counts, each
    Handlungsziel with its Kennzahlen (value, target in force, light)."""
    st.caption(ROLLUP_RULE)
    goals = system.goals
    names = dict(zip(fields["code"], fields["name"], strict=True))
    for field in [f for f in fields["code"] if f in set(goals["field"])]:  # a handful of fields
        st.subheader(f"Handlungsfeld {names[field]}")
        for leitziel in goals.loc[(goals["field"] == field) & (goals["kind"] == "leitziel")].itertuples():
            _show_leitziel(leitziel, goals, linked, lights)


def _goal_line(code: str, title: str, what: str, lights: pd.DataFrame) -> str:
    light = lights.loc[code]
    return f"{light_badge(str(light['light']))} **{what} {plain(code)}: {plain(title)}** · {light['counts']}"


def _show_leitziel(leitziel: object, goals: pd.DataFrame, linked: pd.DataFrame, lights: pd.DataFrame) -> None:
    code, title, text = (getattr(leitziel, name) for name in ("code", "title", "text"))
    with st.container(border=True):
        st.markdown(_goal_line(code, title, "Leitziel", lights))
        if text:
            st.caption(plain(text))
        for goal in goals.loc[goals["parent"] == code].itertuples():  # the Handlungsziele of one Leitziel
            st.markdown(_goal_line(goal.code, goal.title, "Handlungsziel", lights))
            rows = linked.loc[linked["goal_code"] == goal.code]
            lines = [
                f"- {light_badge(str(row.light))} {plain(row.indicator)} {plain(row.indicator_name)}: "
                f"{plain(row.value_text)}{' (' + str(int(row.year)) + ')' if row.has_value else ''} · "
                f"{plain(row.target_text)}"
                for row in rows.itertuples()
            ]
            st.markdown(((plain(goal.text) + "\n\n") if goal.text else "") + "\n".join(lines))


def drafts_section(drafts: pd.DataFrame, indicator_names: dict[str, str]) -> None:
    """Target drafts (not in any light) with the actions 'beschließen' (body, date, Vorlage) and 'verwerfen'."""
    st.subheader("Zielentwürfe – noch nicht beschlossen")
    st.caption(
        "Ein Entwurf (z. B. aus einem Workshop oder dem Koordinierungsstab) zählt in keiner Ampel. Erst mit "
        "Gremium und Beschlussdatum wird er beschlossen und löst das bisher geltende Ziel ab."
    )
    if drafts.empty:
        st.info("Es gibt keine Zielentwürfe.")
        return
    st.dataframe(
        {
            "Nr.": drafts["id"],
            "Kennzahl": drafts["indicator"] + " " + drafts["indicator"].map(indicator_names).fillna(""),
            "Gebiet": drafts["area"],
            "Zielwert": drafts["target_value"],
            "Zieljahr": drafts["target_year"].astype(str),
            "Basisjahr": drafts["baseline_year"].astype(str),
            "Quelle": drafts["source"],
            "Eingetragen": pd.to_datetime(drafts["created_at"]).dt.strftime("%d.%m.%Y"),
        },
        hide_index=True,
        width="stretch",
    )
    labels: dict[int, str] = {
        int(row["id"]): f"Nr. {row['id']}: {row['indicator']} {row['area']} – {row['source']}"
        for row in drafts.to_dict("records")
    }  # the drafts: a handful
    with st.form("entwurf_beschliessen"):
        chosen = int(st.selectbox("Entwurf", list(labels), format_func=lambda key: labels[key]) or 0)
        left, middle, right = st.columns(3)
        body = left.text_input("Gremium", value="Kreisausschuss")
        day = middle.date_input("Beschlussdatum", value=None, format="DD.MM.YYYY")
        vorlage = right.text_input("Vorlage (Nummer)", placeholder="z. B. KA/2026/012")
        valid_from = st.date_input("gilt ab", dt.date.today(), format="DD.MM.YYYY", key="entwurf_ab")
        decide, discard = st.columns(2)
        if decide.form_submit_button("Entwurf beschließen", type="primary"):
            _act(
                lambda: goal_service.decide_target(
                    store(),
                    chosen,
                    body=body,
                    decision_date=day,
                    vorlage=vorlage,
                    valid_from=valid_from,
                    user=current_user(),
                ),
                f"Entwurf Nr. {chosen} ist beschlossen; das bisher geltende Ziel ist abgelöst und bleibt erhalten.",
            )
        if discard.form_submit_button("Entwurf verwerfen"):
            _act(
                lambda: goal_service.discard_target(store(), chosen, user=current_user()),
                f"Entwurf Nr. {chosen} ist verworfen (im Änderungsprotokoll vermerkt).",
            )


TARGET_STATES = {"entwurf": "Entwurf", "beschlossen": "beschlossen", "abgeloest": "abgelöst"}


def target_history_section(indicator_names: dict[str, str], area_names: dict[str, str]) -> None:
    """Every target of one indicator × area with its state (Entwurf, beschlossen, abgelöst), newest first."""
    with st.expander("Verlauf eines Ziels: Entwürfe, Beschlüsse, abgelöste Ziele"):
        left, right = st.columns(2)
        code = left.selectbox(
            "Kennzahl",
            list(indicator_names),
            format_func=lambda c: f"{c} – {indicator_names[c]}",
            key="verlauf_kennzahl",
        )
        area = right.selectbox("Gebiet", list(area_names), format_func=lambda a: area_names[a], key="verlauf_gebiet")
        history = goal_service.target_history(store(), str(code), str(area))
        if history.empty:
            st.info("Für diese Kennzahl und dieses Gebiet gibt es kein Ziel.")
            return
        st.dataframe(
            {
                "Stand": history["state"].map(TARGET_STATES),
                "Zielwert": history["target_value"],
                "Zieljahr": history["target_year"].astype(str),
                "Basisjahr": history["baseline_year"].astype(str),
                "gültig ab": pd.to_datetime(history["valid_from"]).dt.strftime("%d.%m.%Y"),
                "gültig bis": pd.to_datetime(history["valid_to"]).dt.strftime("%d.%m.%Y").fillna(""),
                "Beschluss": history["decision"].fillna(""),
                "Quelle": history["source"].fillna(""),
            },
            hide_index=True,
            width="stretch",
        )


def _act(action: object, message: str) -> None:
    try:
        action()  # type: ignore[operator]
    except ControllingError as error:
        show_problem(error)
    else:
        flash(message)
