"""What the network pages and the CLI ask of the Integrationsnetzwerk: the register, an actor's page, bodies and
meetings, the public matrix and map, CSV in and out. Checks first; a refused input changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from controlling.db import Store
from controlling.errors import NotFoundError
from controlling.freetext import FreeTextError, check_text
from controlling.network import model
from controlling.network.model import BodyKind


@dataclass(frozen=True)
class ActorPage:
    """One actor as its page shows it: the register row, its measures, its seats and the meetings it attended."""

    actor: pd.Series
    measures: pd.DataFrame
    seats: pd.DataFrame
    meetings: pd.DataFrame


def _known(store: Store) -> tuple[dict[str, str], dict[str, str]]:
    """Rated Handlungsfelder and the home Gemeinden (code → name) an actor may name."""
    fields = store.catalogue.fields()
    fields = fields.loc[fields["rated"]]  # Kontext is shown, never worked on
    areas = store.catalogue.areas()
    gemeinden = areas.loc[(areas["level"] == "gemeinde") & ~areas["comparison"] & areas["valid_to"].isna()]
    return (
        dict(zip(fields["code"], fields["name"], strict=True)),
        dict(zip(gemeinden["code"], gemeinden["name"], strict=True)),
    )


def home_gemeinden(store: Store) -> pd.DataFrame:
    """The Gemeinden of the reporting Kreis valid today (code, name): the columns of the matrix and the map."""
    _, areas = _known(store)
    return pd.DataFrame({"code": list(areas), "name": list(areas.values())})


def rated_fields(store: Store) -> dict[str, str]:
    """The Handlungsfelder an actor can work in (code → name; Kontext is shown, never worked on)."""
    return _known(store)[0]


def bodies(store: Store) -> pd.DataFrame:
    """Every body by name."""
    return store.network.bodies()


def seats(store: Store) -> pd.DataFrame:
    """Every seat: body, actor, seat."""
    return store.network.seats()


def meetings(store: Store) -> pd.DataFrame:
    """Every meeting, newest first, with participants and results."""
    return store.network.meetings()


def measure_links(store: Store) -> pd.DataFrame:
    """Which actor carries which measure."""
    return store.network.measure_links()


def measure_titles(store: Store) -> dict[int, str]:
    """Every measure's title by its number (to choose one in a form)."""
    found = store.measures.list()
    return dict(zip(found["id"].astype(int), found["title"], strict=True))


def draft_labels(store: Store) -> dict[int, str]:
    """Every target draft by its number, as a form names it."""
    drafts = store.targets.drafts()
    return {
        int(i): f"Nr. {i}: {code} {area} ({source})"
        for i, code, area, source in zip(
            drafts["id"], drafts["indicator"], drafts["area"], drafts["source"], strict=True
        )
    }


def actors(store: Store, *, with_contacts: bool) -> pd.DataFrame:
    """The register; contact persons only `with_contacts` (the Referat, or a partner for its own organisation)."""
    found = store.network.actors()
    return found if with_contacts else model.public_actors(found)


def save_actor(
    store: Store,
    raw: dict[str, str],
    *,
    field_codes: Sequence[str],
    areas: Sequence[str],
    user: str,
    actor_id: int | None = None,
) -> int:
    """Check and save an actor (new, or `actor_id` changed); a name another actor has is refused."""
    fields = model.check_actor(raw)
    known_fields, known_areas = _known(store)
    unknown = [c for c in (*field_codes, *areas) if c not in known_fields and c not in known_areas]
    if unknown:
        raise FreeTextError(f"Unbekannte Handlungsfelder oder Gemeinden: {', '.join(unknown[:5])}.")
    register = store.network.actors()
    clash = register.loc[(register["name"].str.casefold() == fields["name"].casefold()) & (register["id"] != actor_id)]
    if len(clash):
        raise FreeTextError(f"Einen Akteur »{fields['name']}« gibt es schon.")
    return store.network.save_actor(fields, field_codes=field_codes, areas=areas, user=user, actor_id=actor_id)


def save_own_actor(
    store: Store, account: str, raw: dict[str, str], *, field_codes: Sequence[str], areas: Sequence[str]
) -> int:
    """A partner changes its own organisation's entry (never another's: the actor comes from the account)."""
    actor_id = store.accounts.actor(account)
    if actor_id is None:
        raise NotFoundError("Ihr Konto ist keiner Organisation des Netzwerks zugeordnet.")
    current = actor_row(store, actor_id)
    fields = {**raw, "name": current["name"], "kind": current["kind"]}  # name and kind are the Referat's
    return save_actor(store, fields, field_codes=field_codes, areas=areas, user=account, actor_id=actor_id)


def actor_row(store: Store, actor_id: int) -> pd.Series:
    """One actor of the register (with contacts: callers decide what to show)."""
    found = store.network.actors()
    row = found.loc[found["id"] == actor_id]
    if row.empty:
        raise NotFoundError(f"Einen Akteur Nr. {actor_id} gibt es nicht.")
    return row.iloc[0]


def actor_page(store: Store, actor_id: int, *, with_contacts: bool) -> ActorPage:
    """An actor's page: Handlungsfelder and Gemeinden, measures (linked), seats in bodies, meetings attended."""
    actor = actor_row(store, actor_id)
    if not with_contacts:
        actor = actor.drop(labels=["contact_name", "contact_email"])
    links = store.network.measure_links()
    seats = store.network.seats()
    meetings = store.network.meetings()
    attended = meetings.loc[meetings["participants"].map(lambda ids: actor_id in list(ids))]
    return ActorPage(
        actor=actor,
        measures=links.loc[links["actor_id"] == actor_id].drop(columns="actor_id"),
        seats=seats.loc[seats["actor_id"] == actor_id, ["body_id", "body_name", "seat"]],
        meetings=attended[["id", "body_name", "held_on", "decisions"]],
    )


def link_measure(store: Store, measure_id: int, actor_ids: Sequence[int], *, user: str) -> None:
    """Set the actors that carry a measure (both must exist)."""
    if not store.measures.exists(measure_id):
        raise NotFoundError(f"Eine Maßnahme Nr. {measure_id} gibt es nicht.")
    unknown = set(actor_ids) - set(store.network.actors()["id"])
    if unknown:
        raise NotFoundError(f"Unbekannte Akteure: {', '.join(map(str, sorted(unknown)))}.")
    store.network.set_measure_actors(measure_id, actor_ids, user=user)


def save_body(
    store: Store,
    name: str,
    kind: str,
    description: str,
    seats: dict[int, str],
    *,
    user: str,
    body_id: int | None = None,
) -> int:
    """Check and save a body with its seats (actor id → Vorsitz, Mitglied, Gast)."""
    name = check_text(name, "Name des Gremiums", limit=model.NAME_LIMIT, single_line=True)
    description = check_text(description, "Beschreibung", limit=model.DESCRIPTION_LIMIT, required=False)
    if kind not in {k.value for k in BodyKind}:
        raise FreeTextError(f"Unbekannte Art »{kind[:40]}«; erlaubt sind {', '.join(k.value for k in BodyKind)}.")
    bad = [s for s in seats.values() if s not in model.SEATS]
    if bad:
        raise FreeTextError(f"Unbekannter Sitz »{bad[0][:40]}«; erlaubt sind {', '.join(model.SEATS)}.")
    return store.network.save_body(name, kind, description, seats, user=user, body_id=body_id)


def add_meeting(
    store: Store,
    body_id: int,
    held_on: dt.date | None,
    decisions: str,
    *,
    participants: Sequence[int],
    targets: Sequence[int],
    measures: Sequence[int],
    user: str,
    today: dt.date,
) -> int:
    """Check and record a meeting: a known body, a date not to come, what was decided, known results."""
    if body_id not in set(store.network.bodies()["id"]):
        raise NotFoundError(f"Ein Gremium Nr. {body_id} gibt es nicht.")
    if held_on is None or held_on > today:
        raise FreeTextError("Bitte das Datum der Sitzung angeben (nicht in der Zukunft).")
    decisions = check_text(decisions, "Beschlüsse und Ergebnisse", limit=model.DECISIONS_LIMIT)
    known_targets = set(store.targets.drafts()["id"]) | set(store.targets.in_force()["id"]) if targets else set()
    if set(targets) - known_targets:
        raise NotFoundError(f"Unbekannte Ziele: {', '.join(map(str, sorted(set(targets) - known_targets)))}.")
    unknown = [m for m in measures if not store.measures.exists(m)]
    if unknown:
        raise NotFoundError(f"Unbekannte Maßnahmen: {', '.join(map(str, unknown))}.")
    return store.network.add_meeting(
        body_id, held_on, decisions, participants=participants, targets=targets, measures=measures, user=user
    )


def matrix(store: Store) -> pd.DataFrame:
    """The public matrix Handlungsfeld × Gemeinde with the actors working there (no personal data)."""
    return model.presence_matrix(store.network.presence(), store.catalogue.fields(), home_gemeinden(store))


def map_rows(store: Store, field: str | None) -> pd.DataFrame:
    """Each Gemeinde with the number of actors working there (in one Handlungsfeld, or any)."""
    return model.presence_map_rows(store.network.presence(), home_gemeinden(store), field)


def import_actors_csv(store: Store, data: bytes, file: str, *, user: str) -> int:
    """Actors from a CSV file (checked whole; matched by name). Returns how many were read."""
    fields, areas = _known(store)
    actors_frame, field_pairs, area_pairs = model.read_actor_csv(data, file, fields=fields, areas=areas)
    return store.network.import_actors(actors_frame, field_pairs, area_pairs, user=user)


def export_actors_csv(store: Store, *, with_contacts: bool) -> bytes:
    """The register as CSV, the contacts only for the Referat."""
    return model.actor_csv(store.network.actors(), with_contacts=with_contacts)
