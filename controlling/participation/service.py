"""What the consultation pages, the report and the CLI ask (issue 27): open a consultation on drafts, take
contributions of partners and the public (checked, throttled), moderate, answer, delete personal data after the
period, and the trail per draft for the report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from controlling.db import Store
from controlling.errors import ControllingError, NotFoundError
from controlling.formatting import format_number
from controlling.freetext import check_text, parse_value
from controlling.participation import model
from controlling.participation.model import Subject


class ConsultationError(ControllingError):
    """A consultation step was refused; nothing was saved."""


@dataclass(frozen=True)
class Contributor:
    """Who contributes: a partner's account (bound to its actor) or a member of the public (a client, a name if
    given)."""

    kind: str  # "partner" | "oeffentlich"
    account: str | None = None
    actor_id: int | None = None
    public_name: str = ""
    client: str = ""


@dataclass(frozen=True)
class Viewer:
    """Who reads contributions: the Referat (all), a partner (released ones and its own), the public (released)."""

    staff: bool = False
    actor_id: int | None = None


def draft_choices(store: Store, subject: str) -> list[tuple[str, str]]:
    """The drafts a consultation on `subject` can ask about: (item key, label as shown)."""
    if subject == Subject.ZIELENTWURF:
        drafts = store.targets.drafts()
        names = dict(zip(*(store.catalogue.indicators()[c] for c in ("code", "name")), strict=True))
        areas = dict(zip(*(store.catalogue.areas()[c] for c in ("code", "name")), strict=True)) | {"*": "Landkreis"}
        return [
            (
                model.target_item_key(int(row["id"])),
                f"{row['indicator']} {names.get(row['indicator'], '')}, {areas.get(row['area'], row['area'])}: "
                f"Zielwert {format_number(row['target_value'], 1)} bis {int(row['target_year'])} "
                f"(Basisjahr {int(row['baseline_year'])})",
            )
            for row in drafts.to_dict("records")
        ]
    if subject == Subject.HANDLUNGSZIEL:
        goals = store.goals.handlungsziele()
        return [(model.goal_item_key(str(c)), f"{c}: {t}") for c, t in zip(goals["code"], goals["title"], strict=True)]
    if subject == Subject.LEITBILD:
        return [(model.LEITBILD_KEY, "Leitbild (Entwurf)")]
    raise ConsultationError(f"Unbekannter Gegenstand »{subject}«.")


def open_consultation(
    store: Store,
    title: str,
    subject: str,
    opens_on: dt.date | None,
    closes_on: dt.date | None,
    item_keys: Sequence[str],
    *,
    user: str,
) -> int:
    """Open a consultation on some drafts for a period (checked: a title, dates in order, at least one draft)."""
    title = check_text(title, "Titel", limit=model.TITLE_LIMIT, single_line=True)
    if opens_on is None or closes_on is None:
        raise ConsultationError("Bitte Beginn und Ende des Zeitraums angeben.")
    if closes_on < opens_on:
        raise ConsultationError(
            f"Das Ende ({closes_on:%d.%m.%Y}) liegt vor dem Beginn ({opens_on:%d.%m.%Y}) der Beteiligung."
        )
    choices = dict(draft_choices(store, subject))
    if not item_keys:
        raise ConsultationError("Bitte mindestens einen Entwurf wählen, zu dem sich alle äußern können.")
    unknown = [k for k in item_keys if k not in choices]
    if unknown:
        raise ConsultationError(f"Diese Entwürfe gibt es nicht (mehr): {', '.join(unknown[:5])}.")
    items = [(key, choices[key]) for key in dict.fromkeys(item_keys)]
    return store.participation.open(title, subject, opens_on, closes_on, items, user=user)


def consultations(store: Store, today: dt.date, *, open_only: bool = False) -> pd.DataFrame:
    """Consultations with a column `open` (taking contributions today) and the subject's label."""
    found = store.participation.consultations()
    found["open"] = (found["opens_on"].dt.date <= today) & (found["closes_on"].dt.date >= today) if len(found) else []
    found["subject_label"] = found["subject"].map(model.SUBJECT_LABELS)
    return found.loc[found["open"]] if open_only else found


def items(store: Store, consultation_id: int) -> pd.DataFrame:
    """The drafts one consultation asks about, in their order."""
    return store.participation.items(consultation_id)


def _consultation(store: Store, consultation_id: int) -> pd.Series:
    found = store.participation.consultations()
    row = found.loc[found["id"] == consultation_id]
    if row.empty:
        raise NotFoundError(f"Eine Beteiligung Nr. {consultation_id} gibt es nicht.")
    return row.iloc[0]


def contribute(
    store: Store,
    consultation_id: int,
    item_key: str,
    text: str,
    value_text: str,
    *,
    who: Contributor,
    now: dt.datetime,
    honeypot: str = "",
) -> int:
    """Take one contribution (waiting for moderation), checked whole; a refused one changes nothing.

    The public form refuses a filled honeypot, links, and more than PUBLIC_POSTS_PER_WINDOW posts of a client in
    PUBLIC_WINDOW_MINUTES; a partner is throttled per account. A proposed target value is a number for a draft
    target, and the text is its reason.
    """
    if honeypot.strip():
        raise ConsultationError("Der Beitrag wurde nicht angenommen: Ein Feld, das leer bleiben muss, war ausgefüllt.")
    consultation = _consultation(store, consultation_id)
    if not model.is_open(consultation["opens_on"].date(), consultation["closes_on"].date(), now.date()):
        raise ConsultationError(
            f"Die Beteiligung »{consultation['title']}« läuft vom {consultation['opens_on']:%d.%m.%Y} bis zum "
            f"{consultation['closes_on']:%d.%m.%Y}; heute nimmt sie keine Beiträge an."
        )
    items = store.participation.items(consultation_id)
    if item_key not in set(items["item_key"]):
        raise ConsultationError("Zu diesem Entwurf nimmt diese Beteiligung keine Beiträge an.")
    value = parse_value(value_text, "Vorgeschlagener Zielwert")
    if value is not None and model.target_of(item_key) is None:
        raise ConsultationError("Einen anderen Zielwert kann man nur zu einem Zielentwurf vorschlagen.")
    text = check_text(text, "Begründung" if value is not None else "Ihr Beitrag", limit=model.TEXT_LIMIT, links=False)
    if who.kind == "partner":
        if who.account is None or who.actor_id is None:
            raise ConsultationError("Ihr Konto ist keiner Organisation des Netzwerks zugeordnet.")
        key, limit, name = model.client_key(f"konto:{who.account}"), model.PARTNER_POSTS_PER_WINDOW, None
    elif who.kind == "oeffentlich":
        key, limit = model.client_key(who.client or "unbekannt"), model.PUBLIC_POSTS_PER_WINDOW
        name = (
            check_text(who.public_name, "Name", limit=model.NAME_LIMIT, required=False, single_line=True, links=False)
            or None
        )
    else:
        raise ConsultationError(f"Unbekannte Art der Beteiligung »{who.kind}«.")
    since = now - dt.timedelta(minutes=model.PUBLIC_WINDOW_MINUTES)
    if store.participation.recent_from(key, since) >= limit:
        raise ConsultationError(
            f"Sie haben in den letzten {model.PUBLIC_WINDOW_MINUTES} Minuten schon {limit} Beiträge geschickt. "
            "Bitte warten Sie etwas, bevor Sie den nächsten schicken."
        )
    return store.participation.add(
        consultation_id,
        item_key,
        text,
        value,
        author_kind=who.kind,
        user=who.account or "öffentlich",
        actor_id=who.actor_id if who.kind == "partner" else None,
        account=who.account if who.kind == "partner" else None,
        public_name=name,
        client_key=key,
        at=now,  # the throttle counts by the same clock
    )


def visible_contributions(store: Store, consultation_id: int | None, viewer: Viewer) -> pd.DataFrame:
    """The contributions a viewer may read: the Referat all (with names); a partner the released ones and its own;
    the public the released ones. Outside the Referat nobody sees a public contributor's name."""
    found = store.participation.contributions(consultation_id)
    if not viewer.staff:
        own = found["actor_id"].eq(viewer.actor_id) if viewer.actor_id is not None else False
        found = found.loc[found["moderation"].eq("freigegeben") | own].drop(columns=["public_name", "account"])
    author = found["author_kind"].map(model.AUTHOR_LABELS)
    found["author"] = found["actor_name"].where(found["author_kind"].eq("partner"), author).fillna(author)
    found["answer_label"] = found["answer"].map(model.ANSWER_LABELS).fillna("noch keine Antwort")
    found["moderation_label"] = found["moderation"].map(model.MODERATION_LABELS)
    return found


def moderate(store: Store, contribution_id: int, release: bool, *, user: str) -> None:
    """Release a contribution for everyone, or keep it back."""
    store.participation.moderate(contribution_id, "freigegeben" if release else "abgelehnt", user=user)


def answer(store: Store, contribution_id: int, answer_kind: str, reason: str, *, user: str) -> None:
    """Answer a contribution: übernommen, teilweise or nicht übernommen, always with a reason."""
    if answer_kind not in model.ANSWER_LABELS:
        raise ConsultationError(
            f"Unbekannte Antwort »{answer_kind[:40]}«; erlaubt sind {', '.join(model.ANSWER_LABELS.values())}."
        )
    reason = check_text(reason, "Begründung der Antwort", limit=model.TEXT_LIMIT)
    store.participation.answer(contribution_id, answer_kind, reason, user=user)


def purge_personal_data(store: Store, today: dt.date, *, user: str = "system") -> int:
    """Delete the names (and throttle keys) of public contributors once a consultation's period has ended."""
    return store.participation.purge_personal_data(today, user=user)


def trail(store: Store) -> pd.DataFrame:
    """For the report: each consultation's drafts with where they stand now (`draft_state`) and their released
    contributions and answers, without any public contributor's name; a draft without contributions has one row
    with empty contribution."""
    items = store.participation.items()
    if items.empty:
        return pd.DataFrame()
    found = visible_contributions(store, None, Viewer())  # released only, as the public sees them
    drafts, decided = store.targets.drafts(), store.targets.in_force()
    target_ids = pd.to_numeric(items["item_key"].str.extract(r"^ziel:(\d+)$")[0])
    decisions = "beschlossen: " + target_ids.map(dict(zip(decided["id"], decided["decision"], strict=True))).fillna("")
    items["draft_state"] = np.select(
        [target_ids.isna() | target_ids.isin(drafts["id"]), target_ids.isin(decided["id"])],
        ["Entwurf", decisions],
        "verworfen oder abgelöst",
    )
    consultations = store.participation.consultations().rename(columns={"id": "consultation_id"})
    rows = items.merge(consultations[["consultation_id", "title", "opens_on", "closes_on"]], on="consultation_id")
    rows = rows.merge(
        found[["consultation_id", "item_key", "author", "text", "proposed_value", "answer_label", "answer_text", "id"]],
        on=["consultation_id", "item_key"],
        how="left",
    )
    return rows.sort_values(["consultation_id", "sort_order", "id"], na_position="first").reset_index(drop=True)
