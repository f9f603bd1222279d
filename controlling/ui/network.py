"""Streamlit glue for the Integrationsnetzwerk and the consultations (issue 27): who the signed-in partner speaks
for, the actor's page, a contribution and its answer, the hidden field of the public form. Free text is always
shown as text."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

import pandas as pd
import streamlit as st

from controlling import auth
from controlling.formatting import format_number
from controlling.network.service import ActorPage
from controlling.participation import model as participation_model
from controlling.ui.goals import plain
from controlling.ui.session import store
from controlling.ui.signin import current_role, signed_in

# The honeypot of the public form: in the page for bots, out of sight and out of the tab order for people.
HONEYPOT_CSS = """<style>
.st-key-beteiligung_honigtopf { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
</style>"""


def public_client() -> str:
    """Whom the public form's throttle counts: the browser's address (behind the reverse proxy the first one of
    X-Forwarded-For, else every visitor would share the proxy's), else a random mark kept for the session."""
    forwarded = st.context.headers.get("X-Forwarded-For") if st.context.headers else None
    address = forwarded.split(",")[0].strip() if isinstance(forwarded, str) and forwarded.strip() else None
    address = address or st.context.ip_address
    if isinstance(address, str) and address:  # AppTest's stand-in client has no real address
        return address
    return str(st.session_state.setdefault("_beteiligung_client", secrets.token_hex(8)))


def account_actor() -> int | None:
    """The network actor the signed-in partner speaks for (None for every other role)."""
    person = signed_in()
    if person is None or person.role != "partner":
        return None
    return store().accounts.actor(person.name)


def is_staff() -> bool:
    """True for the Referat (and Verwaltung): they see contact persons and every contribution."""
    return auth.may(current_role(), "daten_pflegen")


def names_of(codes: Iterable[object], names: dict[str, str]) -> str:
    """Codes as their names, comma-joined."""
    return ", ".join(names.get(str(code), str(code)) for code in codes)


def show_actor(page: ActorPage, field_names: dict[str, str], area_names: dict[str, str]) -> None:
    """An actor's page: kind, description, Handlungsfelder, Gemeinden, contact (when given), measures, seats,
    meetings."""
    actor = page.actor
    st.subheader(plain(actor["name"]))
    st.markdown(f"**Art:** {plain(actor['kind'])}")
    if actor["description"]:
        st.markdown(plain(actor["description"]))
    st.markdown(f"**Handlungsfelder:** {plain(names_of(actor['field_list'], field_names)) or 'keine angegeben'}")
    st.markdown(f"**Gemeinden:** {plain(names_of(actor['area_list'], area_names)) or 'keine angegeben'}")
    if "contact_name" in actor.index:
        st.markdown(
            f"**Ansprechperson (nur für das Referat sichtbar):** {plain(actor['contact_name']) or '–'} · "
            f"{plain(actor['contact_email']) or '–'}"
        )
    st.markdown("**Maßnahmen**")
    if page.measures.empty:
        st.caption("Keine Maßnahme ist diesem Akteur zugeordnet.")
    else:
        st.dataframe(
            page.measures.rename(
                columns={"measure_id": "Nr.", "title": "Maßnahme", "status": "Stand", "due_date": "Frist"}
            ),
            hide_index=True,
            width="stretch",
            column_config={"Frist": st.column_config.DateColumn(format="DD.MM.YYYY")},
        )
    st.markdown("**Sitze in Gremien**")
    if page.seats.empty:
        st.caption("Kein Sitz in einem Gremium.")
    else:
        st.markdown("\n".join(f"- {plain(r.body_name)}: {plain(r.seat)}" for r in page.seats.itertuples()))
    if len(page.meetings):
        st.markdown("**Teilgenommen an**")
        st.markdown(
            "\n".join(
                f"- {plain(r.body_name)}, {pd.Timestamp(str(r.held_on)):%d.%m.%Y}: {plain(r.decisions)}"
                for r in page.meetings.itertuples()
            )
        )


def contribution_line(row: pd.Series, *, staff: bool) -> str:
    """One contribution as Markdown with every free text escaped: who, when, the text, a proposed value, the
    answer (and for the Referat the moderation state and a public contributor's name)."""
    who = plain(row["author"])
    if staff and row["author_kind"] == "oeffentlich" and isinstance(row.get("public_name"), str):
        who += f" (Name: {plain(row['public_name'])})"
    value = (
        ""
        if pd.isna(row["proposed_value"])
        else f" · **vorgeschlagener Zielwert: {format_number(float(row['proposed_value']), 1)}**"
    )
    state = f" · _{participation_model.MODERATION_LABELS[str(row['moderation'])]}_"
    answer = (
        f"  \n↳ **Antwort des Referats: {plain(row['answer_label'])}** – {plain(row['answer_text'])}"
        if row["answer"] is not None and not pd.isna(row["answer"])
        else "  \n↳ _noch keine Antwort_"
    )
    return f"**{who}**, {pd.Timestamp(str(row['created_at'])):%d.%m.%Y}{state}{value}  \n{plain(row['text'])}{answer}"
