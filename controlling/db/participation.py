"""Consultations (Beteiligung, issue 27): the drafts a consultation asks about, the contributions of partners and
the public, their moderation and answers, and the deletion of the public's personal data after the period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from controlling.db.connection import Database, audit, next_id, now
from controlling.errors import NotFoundError

_CONTRIBUTION_COLUMNS = """c.id, c.consultation_id, c.item_key, i.label AS item_label, c.author_kind, c.actor_id,
    x.name AS actor_name, c.account, c.public_name, c.text, c.proposed_value, c.created_at, c.moderation, c.answer,
    c.answer_text, c.answered_by, c.answered_at"""


# The tables this repository writes: the PostgreSQL replica copies them (declared, not guessed; issue 28).
_WRITES = ("consultation", "consultation_item", "contribution", "audit_log")


class Participation:
    """Consultations with their drafts and contributions; every step audited."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def open(
        self,
        title: str,
        subject: str,
        opens_on: dt.date,
        closes_on: dt.date,
        items: Sequence[tuple[str, str]],
        *,
        user: str,
    ) -> int:
        """A consultation on drafts (item key, label as shown) for a period. Returns its id."""
        with self._db.transaction(writes=_WRITES) as cur:
            consultation_id = next_id(cur, "consultation_id_seq")
            cur.execute(
                "INSERT INTO consultation (id, title, subject, opens_on, closes_on, created_by, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [consultation_id, title, subject, opens_on, closes_on, user, now()],
            )
            cur.executemany(
                "INSERT INTO consultation_item VALUES (?, ?, ?, ?)",
                [[consultation_id, key, label, order] for order, (key, label) in enumerate(items)],
            )
            audit(
                cur,
                user,
                "eröffnen",
                "consultation",
                str(consultation_id),
                new=f"{title} ({subject}), {opens_on:%d.%m.%Y}–{closes_on:%d.%m.%Y}: {', '.join(k for k, _ in items)}",
            )
        return consultation_id

    def consultations(self) -> pd.DataFrame:
        """Every consultation, newest first."""
        return self._db.frame(
            "SELECT id, title, subject, opens_on, closes_on, created_by, created_at, purged_at FROM consultation "
            "ORDER BY opens_on DESC, id DESC"
        )

    def items(self, consultation_id: int | None = None) -> pd.DataFrame:
        """The drafts of one consultation (or all), in their order."""
        return self._db.frame(
            """SELECT consultation_id, item_key, label, sort_order FROM consultation_item
               WHERE ? IS NULL OR consultation_id = ? ORDER BY consultation_id, sort_order""",
            [consultation_id, consultation_id],
        )

    def contributions(
        self, consultation_id: int | None = None, *, released_only: bool = False, actor_id: int | None = None
    ) -> pd.DataFrame:
        """Contributions, oldest first: of one consultation or all; only released ones; only one actor's."""
        return self._db.frame(
            f"""SELECT {_CONTRIBUTION_COLUMNS}
                FROM contribution c
                JOIN consultation_item i ON i.consultation_id = c.consultation_id AND i.item_key = c.item_key
                LEFT JOIN actor x ON x.id = c.actor_id
                WHERE (? IS NULL OR c.consultation_id = ?) AND (NOT ? OR c.moderation = 'freigegeben')
                  AND (? IS NULL OR c.actor_id = ?)
                ORDER BY c.id""",
            [consultation_id, consultation_id, released_only, actor_id, actor_id],
        )

    def recent_from(self, client_key: str, since: dt.datetime) -> int:
        """How many contributions came from this client since then (the public form's throttle)."""
        return int(
            self._db.scalar(
                "SELECT count(*) FROM contribution WHERE client_key = ? AND created_at >= ?", [client_key, since]
            )
        )

    def add(
        self,
        consultation_id: int,
        item_key: str,
        text: str,
        proposed_value: float | None,
        *,
        author_kind: str,
        user: str,
        actor_id: int | None = None,
        account: str | None = None,
        public_name: str | None = None,
        client_key: str | None = None,
        at: dt.datetime | None = None,
    ) -> int:
        """One contribution, waiting for moderation, made `at` (default now). Returns its id."""
        with self._db.transaction(writes=_WRITES) as cur:
            contribution_id = next_id(cur, "contribution_id_seq")
            cur.execute(
                """INSERT INTO contribution (id, consultation_id, item_key, author_kind, actor_id, account,
                       public_name, client_key, text, proposed_value, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    contribution_id,
                    consultation_id,
                    item_key,
                    author_kind,
                    actor_id,
                    account,
                    public_name,
                    client_key,
                    text,
                    proposed_value,
                    at or now(),
                ],
            )
            # The audit names who wrote (an organisation, or "Öffentlichkeit"), never a public contributor's name.
            audit(
                cur,
                user,
                "beitragen",
                "contribution",
                str(contribution_id),
                new=f"Beteiligung {consultation_id}, {item_key}, {author_kind}: {text[:200]}"
                + ("" if proposed_value is None else f"; Zielwert {proposed_value:g}"),
            )
        return contribution_id

    def moderate(self, contribution_id: int, moderation: str, *, user: str) -> None:
        """Release a contribution for the public (freigegeben) or keep it back (abgelehnt)."""
        with self._db.transaction(writes=_WRITES) as cur:
            old = _one(cur, contribution_id, "moderation")
            cur.execute("UPDATE contribution SET moderation = ? WHERE id = ?", [moderation, contribution_id])
            audit(cur, user, "moderieren", "contribution", str(contribution_id), old=str(old), new=moderation)

    def answer(self, contribution_id: int, answer: str, text: str, *, user: str) -> None:
        """The Referat's answer to a contribution: übernommen, teilweise or nicht übernommen, with its reason."""
        with self._db.transaction(writes=_WRITES) as cur:
            old = _one(cur, contribution_id, "answer")
            cur.execute(
                "UPDATE contribution SET answer = ?, answer_text = ?, answered_by = ?, answered_at = ? WHERE id = ?",
                [answer, text, user, now(), contribution_id],
            )
            audit(
                cur,
                user,
                "beantworten",
                "contribution",
                str(contribution_id),
                old=None if old is None else str(old),
                new=f"{answer}: {text[:200]}",
            )

    def purge_personal_data(self, today: dt.date, *, user: str) -> int:
        """Delete the names and client keys of public contributors of every consultation whose period has ended.
        Returns how many contributions lost personal data. Nothing is written while no ended period is left to purge."""
        if not self._db.scalar("SELECT count(*) FROM consultation WHERE closes_on < ? AND purged_at IS NULL", [today]):
            return 0
        with self._db.transaction(writes=_WRITES) as cur:
            row = cur.execute(
                """SELECT count(*) FROM contribution c JOIN consultation k ON k.id = c.consultation_id
                   WHERE k.closes_on < ? AND c.author_kind = 'oeffentlich'
                     AND (c.public_name IS NOT NULL OR c.client_key IS NOT NULL)""",
                [today],
            ).fetchone()
            count = int(row[0]) if row else 0
            ended = "SELECT id FROM consultation WHERE closes_on < ?"
            cur.execute(
                f"""UPDATE contribution SET public_name = NULL, client_key = NULL
                    WHERE author_kind = 'oeffentlich' AND consultation_id IN ({ended})
                      AND (public_name IS NOT NULL OR client_key IS NOT NULL)""",
                [today],
            )
            cur.execute(
                f"UPDATE consultation SET purged_at = ? WHERE purged_at IS NULL AND id IN ({ended})", [now(), today]
            )
            if count:
                audit(
                    cur,
                    user,
                    "personendaten_loeschen",
                    "contribution",
                    "abgelaufen",
                    new=f"Namen und Absenderkennungen von {count} öffentlichen Beiträgen gelöscht",
                )
        return count


def _one(cur: object, contribution_id: int, column: str) -> object:
    row = cur.execute(f"SELECT {column} FROM contribution WHERE id = ?", [contribution_id]).fetchone()  # type: ignore[attr-defined]
    if row is None:
        raise NotFoundError(f"Einen Beitrag Nr. {contribution_id} gibt es nicht.")
    return row[0]
