"""The demo's consultation (issue 27): the draft targets open for comments around the day the demo is made, with a
partner's contribution released and answered."""

from __future__ import annotations

import datetime as dt

from controlling.db import Store
from controlling.participation.model import Subject
from controlling.participation.service import draft_choices

DEMO_USER = "demo"


def load_demo_consultation(store: Store, *, day: dt.date) -> None:
    """One consultation on the demo's draft targets, two weeks running and four to go, with one answered
    contribution of the Kreissportbund."""
    drafts = store.targets.drafts()
    if drafts.empty:
        return
    items = draft_choices(store, Subject.ZIELENTWURF)
    consultation = store.participation.open(
        "Zielentwürfe aus Workshop und Koordinierungsstab (Demodaten)",
        Subject.ZIELENTWURF,
        day - dt.timedelta(days=14),
        day + dt.timedelta(days=28),
        items,
        user=DEMO_USER,
    )
    actors = store.network.actors()
    sport = actors.loc[actors["kind"] == "Kreissportbund", "id"]
    if sport.empty:
        return
    last = items[-1][0]
    contribution = store.participation.add(
        consultation,
        last,
        "Die Vereine melden steigende Mitgliederzahlen; 25 % bis 2030 ist erreichbar, wenn Schwimmkurse dazukommen.",
        27.0,
        author_kind="partner",
        user=DEMO_USER,
        actor_id=int(sport.iloc[0]),
        account=None,
        client_key=None,
    )
    store.participation.moderate(contribution, "freigegeben", user=DEMO_USER)
    store.participation.answer(
        contribution,
        "teilweise",
        "Die Schwimmkurse werden als Maßnahme aufgenommen; der Zielwert bleibt bei 25 %, bis die Daten 2025 vorliegen.",
        user=DEMO_USER,
    )
