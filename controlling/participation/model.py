"""Consultations' rules (issue 27): what a consultation asks about, the answers, the limits of the public form."""

from __future__ import annotations

import datetime as dt
import hashlib
from enum import StrEnum


class Subject(StrEnum):
    """What a consultation asks about."""

    ZIELENTWURF = "zielentwurf"
    HANDLUNGSZIEL = "handlungsziel"
    LEITBILD = "leitbild"


SUBJECT_LABELS = {
    Subject.ZIELENTWURF: "Zielentwürfe (Zielwerte)",
    Subject.HANDLUNGSZIEL: "Handlungsziele (Entwurf)",
    Subject.LEITBILD: "Leitbild (Entwurf)",
}
ANSWER_LABELS = {
    "uebernommen": "übernommen",
    "teilweise": "teilweise übernommen",
    "nicht_uebernommen": "nicht übernommen",
}
MODERATION_LABELS = {
    "eingegangen": "wartet auf Prüfung",
    "freigegeben": "veröffentlicht",
    "abgelehnt": "nicht veröffentlicht",
}
AUTHOR_LABELS = {"partner": "Netzwerkpartner", "oeffentlich": "Öffentlichkeit"}
LEITBILD_KEY = "leitbild"

TEXT_LIMIT = 2000  # a contribution or a reason
NAME_LIMIT = 80  # a public contributor's name (optional)
TITLE_LIMIT = 200
# The public form: per client (address, or the browser session where none is known) this many contributions
# in the window; a session that posted is asked to wait between two posts.
PUBLIC_POSTS_PER_WINDOW = 3
PUBLIC_WINDOW_MINUTES = 30
PARTNER_POSTS_PER_WINDOW = 20
HONEYPOT_LABEL = "Bitte dieses Feld leer lassen"


def target_item_key(target_id: int) -> str:
    """The key of a draft target in a consultation."""
    return f"ziel:{target_id}"


def target_of(item_key: str) -> int | None:
    """The draft target an item is about, or None (a Handlungsziel or the Leitbild)."""
    return int(item_key.split(":", 1)[1]) if item_key.startswith("ziel:") else None


def goal_item_key(code: str) -> str:
    """The key of a draft Handlungsziel in a consultation."""
    return f"ziel-text:{code}"


def is_open(opens_on: dt.date, closes_on: dt.date, today: dt.date) -> bool:
    """A consultation takes contributions from its first to its last day."""
    return opens_on <= today <= closes_on


def client_key(client: str) -> str:
    """What the throttle keeps of a client: a hash of its address, deleted with the name after the period."""
    return hashlib.sha256(f"beteiligung:{client}".encode()).hexdigest()[:32]
