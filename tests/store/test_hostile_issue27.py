"""Hostile input in every new free-text field of issue 27 (HTML, a Markdown link, 1 MB of text): each is refused
with a German message and changes nothing, or kept as the text it is (pages show it escaped). Counted."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from controlling.errors import ControllingError
from controlling.languages import service as languages
from controlling.network import service as network
from controlling.participation import service as participation
from controlling.participation.service import Contributor

NOW = dt.datetime.now().replace(microsecond=0)
TODAY = NOW.date()
PAYLOADS = {
    "HTML": "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "Markdown-Link": "[Gewinn](https://spam.example)",
    "1 MB": "x" * 1_048_576,
}


def fields(store):
    """Every new free-text field as a function that saves the text through the service the pages use."""
    body = int(store.network.bodies()["id"].iloc[0])
    keys = [k for k, _ in participation.draft_choices(store, "zielentwurf")]
    consultation = int(store.participation.consultations()["id"].iloc[0])
    contribution = int(store.participation.contributions()["id"].iloc[0])
    actor = {"name": "Neuer Verein", "kind": "Verein"}
    clients = iter(range(10_000))

    def public(text: str = "Beitrag", name: str = "", value: str = "") -> None:
        participation.contribute(
            store,
            consultation,
            keys[0],
            text,
            value,
            now=NOW,
            who=Contributor("oeffentlich", public_name=name, client=f"c{next(clients)}"),
        )

    return {
        "Akteur: Name": lambda t: network.save_actor(store, {**actor, "name": t}, field_codes=[], areas=[], user="r"),
        "Akteur: Beschreibung": lambda t: network.save_actor(
            store, {**actor, "name": f"V{next(clients)}", "description": t}, field_codes=[], areas=[], user="r"
        ),
        "Akteur: Ansprechperson": lambda t: network.save_actor(
            store, {**actor, "name": f"V{next(clients)}", "contact_name": t}, field_codes=[], areas=[], user="r"
        ),
        "Akteur: E-Mail": lambda t: network.save_actor(
            store, {**actor, "name": f"V{next(clients)}", "contact_email": t}, field_codes=[], areas=[], user="r"
        ),
        "Gremium: Name": lambda t: network.save_body(store, t, "Arbeitsgruppe", "", {}, user="r"),
        "Gremium: Beschreibung": lambda t: network.save_body(
            store, f"AG {next(clients)}", "Arbeitsgruppe", t, {}, user="r"
        ),
        "Sitzung: Beschlüsse": lambda t: network.add_meeting(
            store, body, TODAY, t, participants=[], targets=[], measures=[], user="r", today=TODAY
        ),
        "Beteiligung: Titel": lambda t: participation.open_consultation(
            store, t, "zielentwurf", TODAY, TODAY, keys, user="r"
        ),
        "Beitrag: Text": lambda t: public(text=t),
        "Beitrag: Name": lambda t: public(name=t),
        "Beitrag: Zielwert": lambda t: public(value=t),
        "Antwort: Begründung": lambda t: participation.answer(store, contribution, "teilweise", t, user="r"),
        "Übersetzung: Titel": lambda t: languages.save_translation(
            store, "ziel:BIL-L1:titel", "en", t, TODAY, user="r", today=TODAY
        ),
        "Übersetzung: Beschreibung": lambda t: languages.save_translation(
            store, "ziel:BIL-L1:text", "en", t, TODAY, user="r", today=TODAY
        ),
        "Übersetzung: Leitbild": lambda t: languages.save_translation(
            store, "leitbild", "en", t, TODAY, user="r", today=TODAY
        ),
    }


def test_every_new_text_field_refuses_in_german_or_keeps_the_text(own_demo_store):
    store = own_demo_store
    outcomes: Counter[str] = Counter()
    table = []
    for field, save in fields(store).items():
        for kind, payload in PAYLOADS.items():
            audit = len(store.audit.entries())
            try:
                save(payload)
            except ControllingError as error:
                message = str(error)
                assert message and not any(w in message for w in ("Error", "Traceback", "must", "invalid"))
                assert len(store.audit.entries()) == audit  # refused: nothing written
                outcomes["abgelehnt"] += 1
                table.append((field, kind, "abgelehnt", message[:90]))
            else:
                assert len(store.audit.entries()) > audit
                assert kind != "1 MB", f"{field} nahm 1 MB an"
                outcomes["als Text gespeichert"] += 1
                table.append((field, kind, "als Text gespeichert", ""))
    for row in table:
        print(" | ".join(row))
    print(dict(outcomes), "von", len(table))
    assert sum(outcomes.values()) == len(fields(store)) * len(PAYLOADS) == 45
    assert outcomes["abgelehnt"] >= 15  # at least every 1 MB text


@pytest.mark.parametrize("kind", list(PAYLOADS))
def test_the_public_pages_show_stored_html_and_markdown_as_text(kind):
    from controlling.ui.goals import plain

    shown = plain(PAYLOADS[kind][:200])
    assert "<script>" not in shown.replace("\\<", "") or "\\<script\\>" in shown
    assert "](" not in shown.replace("\\]\\(", "")
