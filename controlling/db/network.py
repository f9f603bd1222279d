"""The Integrationsnetzwerk (issue 27): actors with their Handlungsfelder, Gemeinden and measures, bodies with their
seats, meetings with participants and what they produced. Every change is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import pandas as pd

from controlling.db.connection import Database, audit, next_id, now
from controlling.errors import NotFoundError

# The actor's own columns a person edits (contact_* are the Referat's only; pages for others never ask for them).
ACTOR_FIELDS = ("name", "kind", "description", "contact_name", "contact_email")


# The tables this repository writes: the PostgreSQL replica copies them (declared, not guessed; issue 28).
_WRITES = (
    "actor",
    "actor_field",
    "actor_area",
    "measure_actor",
    "network_body",
    "body_seat",
    "meeting",
    "meeting_participant",
    "meeting_result",
    "audit_log",
)


class Network:
    """Actors, bodies, seats and meetings of the Integrationsnetzwerk."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def actors(self) -> pd.DataFrame:
        """Every actor with its Handlungsfelder and Gemeinden (as lists and comma-joined codes), by name."""
        return self._db.frame(
            f"""WITH f AS (SELECT actor_id, list(field ORDER BY field) AS field_list
                           FROM actor_field GROUP BY actor_id),
                     a AS (SELECT actor_id, list(area ORDER BY area) AS area_list FROM actor_area GROUP BY actor_id)
                SELECT x.id, {", ".join(f"x.{name}" for name in ACTOR_FIELDS)},
                       coalesce(f.field_list, []) AS field_list, coalesce(a.area_list, []) AS area_list,
                       array_to_string(coalesce(f.field_list, []), ', ') AS fields,
                       array_to_string(coalesce(a.area_list, []), ', ') AS areas
                FROM actor x LEFT JOIN f ON f.actor_id = x.id LEFT JOIN a ON a.actor_id = x.id
                ORDER BY lower(x.name), x.id"""
        )

    def presence(self) -> pd.DataFrame:
        """Who works on which Handlungsfeld in which Gemeinde: one row per actor × field × area (no personal data)."""
        return self._db.frame(
            """SELECT x.id AS actor_id, x.name, x.kind, f.field, a.area
               FROM actor x JOIN actor_field f ON f.actor_id = x.id JOIN actor_area a ON a.actor_id = x.id
               ORDER BY f.field, a.area, lower(x.name)"""
        )

    def save_actor(
        self,
        fields: Mapping[str, Any],
        *,
        field_codes: Sequence[str],
        areas: Sequence[str],
        user: str,
        actor_id: int | None = None,
    ) -> int:
        """Insert an actor (actor_id None) or change one, with its Handlungsfelder and Gemeinden. Returns its id."""
        values = [str(fields.get(name) or "") for name in ACTOR_FIELDS]
        with self._db.transaction(writes=_WRITES) as cur:
            if actor_id is None:
                actor_id = next_id(cur, "actor_id_seq")
                cur.execute(
                    f"INSERT INTO actor (id, {', '.join(ACTOR_FIELDS)}, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [actor_id, *values, now()],
                )
                old = None
            else:
                before = cur.execute(f"SELECT {', '.join(ACTOR_FIELDS)} FROM actor WHERE id = ?", [actor_id]).fetchone()
                if before is None:
                    raise NotFoundError(f"Einen Akteur Nr. {actor_id} gibt es nicht (mehr).")
                old = "; ".join(f"{n}: {v}" for n, v in zip(ACTOR_FIELDS, before, strict=True))
                cur.execute(
                    f"UPDATE actor SET {', '.join(f'{n} = ?' for n in ACTOR_FIELDS)} WHERE id = ?", [*values, actor_id]
                )
                cur.execute("DELETE FROM actor_field WHERE actor_id = ?", [actor_id])
                cur.execute("DELETE FROM actor_area WHERE actor_id = ?", [actor_id])
            _insert_pairs(cur, "actor_field", actor_id, field_codes)
            _insert_pairs(cur, "actor_area", actor_id, areas)
            new = "; ".join(f"{n}: {v}" for n, v in zip(ACTOR_FIELDS, values, strict=True))
            new += f"; Handlungsfelder: {', '.join(field_codes)}; Gemeinden: {', '.join(areas)}"
            audit(cur, user, "anlegen" if old is None else "ändern", "actor", str(actor_id), old=old, new=new)
        return actor_id

    def import_actors(self, actors: pd.DataFrame, fields: pd.DataFrame, areas: pd.DataFrame, *, user: str) -> int:
        """Actors from a checked file, matched by name: new ones added, known ones changed, their Handlungsfelder and
        Gemeinden replaced. `actors` has ACTOR_FIELDS, `fields` name/field, `areas` name/area. Returns the count."""
        with self._db.transaction(writes=_WRITES) as cur:
            cur.register("incoming_actor", actors[list(ACTOR_FIELDS)])
            cur.register("incoming_field", fields[["name", "field"]])
            cur.register("incoming_area", areas[["name", "area"]])
            cur.execute(
                f"""UPDATE actor SET {", ".join(f"{n} = i.{n}" for n in ACTOR_FIELDS if n != "name")}
                    FROM incoming_actor i WHERE actor.name = i.name"""
            )
            cur.execute(
                f"""INSERT INTO actor (id, {", ".join(ACTOR_FIELDS)}, created_at)
                    SELECT nextval('actor_id_seq'), {", ".join(f"i.{n}" for n in ACTOR_FIELDS)}, ?
                    FROM incoming_actor i WHERE i.name NOT IN (SELECT name FROM actor)""",
                [now()],
            )
            for table, column, incoming in (
                ("actor_field", "field", "incoming_field"),
                ("actor_area", "area", "incoming_area"),
            ):
                cur.execute(
                    f"""DELETE FROM {table} WHERE actor_id IN
                        (SELECT x.id FROM actor x JOIN incoming_actor i ON i.name = x.name)"""
                )
                cur.execute(
                    f"""INSERT INTO {table} (actor_id, {column})
                        SELECT DISTINCT x.id, n.{column} FROM {incoming} n JOIN actor x ON x.name = n.name"""
                )
            for name in ("incoming_actor", "incoming_field", "incoming_area"):
                cur.unregister(name)
            audit(
                cur,
                user,
                "importieren",
                "actor",
                "Datei",
                new=f"{len(actors)} Akteure: {', '.join(actors['name'][:20])}",
            )
        return len(actors)

    def measure_links(self) -> pd.DataFrame:
        """Which actor carries which measure (measure_id, actor_id, title, status, due_date)."""
        return self._db.frame(
            """SELECT l.measure_id, l.actor_id, m.title, m.status, m.due_date
               FROM measure_actor l JOIN measure m ON m.id = l.measure_id ORDER BY m.due_date NULLS LAST, m.id"""
        )

    def set_measure_actors(self, measure_id: int, actor_ids: Sequence[int], *, user: str) -> None:
        """The actors that carry a measure (replacing the former ones)."""
        with self._db.transaction(writes=_WRITES) as cur:
            old = [
                r[0]
                for r in cur.execute(
                    "SELECT actor_id FROM measure_actor WHERE measure_id = ? ORDER BY actor_id", [measure_id]
                ).fetchall()
            ]
            cur.execute("DELETE FROM measure_actor WHERE measure_id = ?", [measure_id])
            if actor_ids:
                cur.executemany(
                    "INSERT INTO measure_actor VALUES (?, ?)", [[measure_id, a] for a in dict.fromkeys(actor_ids)]
                )
            audit(
                cur,
                user,
                "ändern",
                "measure_actor",
                str(measure_id),
                old=", ".join(map(str, old)),
                new=", ".join(map(str, sorted(set(actor_ids)))),
            )

    def bodies(self) -> pd.DataFrame:
        """Every body (Koordinierungsstab, Arbeitsgruppe …) by name."""
        return self._db.frame("SELECT id, name, kind, description FROM network_body ORDER BY name")

    def seats(self) -> pd.DataFrame:
        """Every seat: body, actor and the seat's kind (Vorsitz, Mitglied …)."""
        return self._db.frame(
            """SELECT s.body_id, b.name AS body_name, s.actor_id, x.name AS actor_name, s.seat
               FROM body_seat s JOIN network_body b ON b.id = s.body_id JOIN actor x ON x.id = s.actor_id
               ORDER BY b.name, lower(x.name)"""
        )

    def save_body(
        self, name: str, kind: str, description: str, seats: Mapping[int, str], *, user: str, body_id: int | None = None
    ) -> int:
        """Insert a body (or change one) with its seats (actor id → seat)."""
        with self._db.transaction(writes=_WRITES) as cur:
            if body_id is None:
                body_id = next_id(cur, "network_body_id_seq")
                cur.execute("INSERT INTO network_body VALUES (?, ?, ?, ?)", [body_id, name, kind, description])
            else:
                cur.execute(
                    "UPDATE network_body SET name = ?, kind = ?, description = ? WHERE id = ?",
                    [name, kind, description, body_id],
                )
                cur.execute("DELETE FROM body_seat WHERE body_id = ?", [body_id])
            if seats:
                cur.executemany("INSERT INTO body_seat VALUES (?, ?, ?)", [[body_id, a, s] for a, s in seats.items()])
            audit(
                cur,
                user,
                "speichern",
                "network_body",
                str(body_id),
                new=f"{name} ({kind}); Sitze: {', '.join(f'{a}: {s}' for a, s in seats.items())}",
            )
        return body_id

    def meetings(self) -> pd.DataFrame:
        """Every meeting, newest first, with its participants' and results' ids as lists."""
        return self._db.frame(
            """WITH p AS (SELECT meeting_id, list(actor_id ORDER BY actor_id) AS participants
                          FROM meeting_participant GROUP BY meeting_id),
                    t AS (SELECT meeting_id, list(ref_id ORDER BY ref_id) FILTER (WHERE kind = 'target') AS targets,
                                 list(ref_id ORDER BY ref_id) FILTER (WHERE kind = 'measure') AS measures
                          FROM meeting_result GROUP BY meeting_id)
               SELECT m.id, m.body_id, b.name AS body_name, m.held_on, m.decisions, m.created_by,
                      coalesce(p.participants, []) AS participants, coalesce(t.targets, []) AS targets,
                      coalesce(t.measures, []) AS measures
               FROM meeting m JOIN network_body b ON b.id = m.body_id
               LEFT JOIN p ON p.meeting_id = m.id LEFT JOIN t ON t.meeting_id = m.id
               ORDER BY m.held_on DESC, m.id DESC"""
        )

    def add_meeting(
        self,
        body_id: int,
        held_on: dt.date,
        decisions: str,
        *,
        participants: Sequence[int],
        targets: Sequence[int],
        measures: Sequence[int],
        user: str,
    ) -> int:
        """A meeting of a body: date, who took part, what was decided and the drafts and measures it produced."""
        with self._db.transaction(writes=_WRITES) as cur:
            meeting_id = next_id(cur, "meeting_id_seq")
            cur.execute(
                "INSERT INTO meeting VALUES (?, ?, ?, ?, ?, ?)", [meeting_id, body_id, held_on, decisions, user, now()]
            )
            if participants:
                cur.executemany(
                    "INSERT INTO meeting_participant VALUES (?, ?)",
                    [[meeting_id, a] for a in dict.fromkeys(participants)],
                )
            results = [[meeting_id, "target", t] for t in dict.fromkeys(targets)]
            results += [[meeting_id, "measure", m] for m in dict.fromkeys(measures)]
            if results:
                cur.executemany("INSERT INTO meeting_result VALUES (?, ?, ?)", results)
            audit(
                cur,
                user,
                "anlegen",
                "meeting",
                str(meeting_id),
                new=f"Gremium {body_id}, {held_on:%d.%m.%Y}: {decisions[:200]}; Teilnehmende: "
                f"{', '.join(map(str, participants))}; Zielentwürfe: {', '.join(map(str, targets))}; "
                f"Maßnahmen: {', '.join(map(str, measures))}",
            )
        return meeting_id


def _insert_pairs(cur: duckdb.DuckDBPyConnection, table: str, actor_id: int, codes: Sequence[str]) -> None:
    if codes:
        cur.executemany(f"INSERT INTO {table} VALUES (?, ?)", [[actor_id, code] for code in dict.fromkeys(codes)])
