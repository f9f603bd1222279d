"""Sign-in state shared by every browser session of the process: attempts, one-time tickets, lasting sessions.

Tokens and tickets arrive here already hashed (sha256): nothing in this table could be sent back as a cookie.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from controlling.db.connection import Database, next_id

# An attempt is recorded as 'offen' before the password is checked, and counts as a failure until it is
# decided: parallel sessions cannot slip more guesses past the limit than it allows. Failures count per name
# and client (an attacker elsewhere cannot lock a person out of their own browser) and per name over all
# clients, which locks only clients that never signed in with that name.
_FAILURES = """
    SELECT count(*) FROM sign_in_attempt
    WHERE name_key = $name AND client = $client AND outcome IN ('offen', 'abgelehnt') AND attempted_at >= $since
      AND id > coalesce((SELECT max(id) FROM sign_in_attempt
                         WHERE name_key = $name AND client = $client AND outcome = 'angemeldet'), 0)"""
_NAME_FAILURES = """
    SELECT count(*) FROM sign_in_attempt
    WHERE name_key = $name AND outcome IN ('offen', 'abgelehnt') AND attempted_at >= $since
      AND id > coalesce((SELECT max(id) FROM sign_in_attempt WHERE name_key = $name AND outcome = 'angemeldet'), 0)"""
_KNOWN_CLIENT = """
    SELECT count(*) FROM sign_in_attempt WHERE name_key = $name AND client = $client AND outcome = 'angemeldet'"""


@dataclass(frozen=True)
class SessionRow:
    """A lasting sign-in found by its token: its public reference, the account's name and current role."""

    session_id: str
    name: str
    role: str


class SignIns:
    """Sign-in attempts (for throttling and the record), tickets and sessions of built-in accounts."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def begin_attempt(
        self,
        name_key: str,
        session_ref: str,
        *,
        since: dt.datetime,
        limit: int,
        at: dt.datetime,
        client: str = "",
        name_limit: int | None = None,
    ) -> int:
        """Record an attempt for a normalized name from a client; its id, or 0 when it is locked: the name has
        `limit` failures from this client since `since`, or `name_limit` from all clients and this client never
        signed in with it."""
        params = {"name": name_key, "client": client, "since": since}
        with self._db.transaction(writes=("sign_in_attempt",)) as cur:
            row = cur.execute(_FAILURES, params).fetchone()
            locked = row is not None and int(row[0]) >= limit
            if not locked and name_limit is not None:
                everywhere = cur.execute(_NAME_FAILURES, {"name": name_key, "since": since}).fetchone()
                known = cur.execute(_KNOWN_CLIENT, {"name": name_key, "client": client}).fetchone()
                locked = everywhere is not None and int(everywhere[0]) >= name_limit and not (known and known[0])
            attempt_id = next_id(cur, "sign_in_attempt_id_seq")  # no RETURNING on PostgreSQL through DuckDB
            cur.execute(
                "INSERT INTO sign_in_attempt (id, attempted_at, name_key, outcome, session_ref, client) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [attempt_id, at, name_key, "gesperrt" if locked else "offen", session_ref, client],
            )
        return 0 if locked else attempt_id

    def finish_attempt(self, attempt_id: int, *, success: bool) -> None:
        """Decide an open attempt."""
        with self._db.transaction(writes=("sign_in_attempt",)) as cur:
            cur.execute(
                "UPDATE sign_in_attempt SET outcome = ? WHERE id = ?",
                ["angemeldet" if success else "abgelehnt", attempt_id],
            )

    def failures(self, name_key: str, *, since: dt.datetime, client: str = "") -> int:
        """Failed (and undecided) attempts for a normalized name from a client since `since` and since the last
        success there."""
        with self._db.cursor() as cur:
            row = cur.execute(_FAILURES, {"name": name_key, "client": client, "since": since}).fetchone()
        return int(row[0]) if row else 0

    def attempts(self) -> pd.DataFrame:
        """Every recorded attempt, newest first."""
        return self._db.frame(
            "SELECT id, attempted_at, name_key, outcome, session_ref FROM sign_in_attempt ORDER BY id DESC"
        )

    def add_ticket(self, ticket_hash: str, name: str, *, expires_at: dt.datetime) -> None:
        """A one-time ticket that turns into a session for `name` until `expires_at`."""
        with self._db.transaction(writes=("sign_in_ticket",)) as cur:
            cur.execute("DELETE FROM sign_in_ticket WHERE expires_at < ?", [expires_at - dt.timedelta(days=1)])
            cur.execute("INSERT INTO sign_in_ticket VALUES (?, ?, ?)", [ticket_hash, name, expires_at])

    def redeem_ticket(self, ticket_hash: str, *, at: dt.datetime) -> str | None:
        """The account name of a valid ticket, which is used up; None for an unknown, used or expired one."""
        with self._db.transaction(writes=("sign_in_ticket",)) as cur:
            # Read, then delete, in one transaction under the write lock (DELETE … RETURNING fails on PostgreSQL).
            row = cur.execute(
                "SELECT user_name, expires_at FROM sign_in_ticket WHERE ticket_hash = ?", [ticket_hash]
            ).fetchone()
            if row is not None:
                cur.execute("DELETE FROM sign_in_ticket WHERE ticket_hash = ?", [ticket_hash])
        return None if row is None or row[1] < at else str(row[0])

    def open_session(
        self, session_id: str, token_hash: str, name: str, *, at: dt.datetime, expires_at: dt.datetime
    ) -> None:
        """Store a new session (its token only hashed); sessions that have run out are removed on the way."""
        with self._db.transaction(writes=("web_session",)) as cur:
            cur.execute("DELETE FROM web_session WHERE expires_at < ?", [at])
            cur.execute(
                "INSERT INTO web_session VALUES (?, ?, ?, ?, ?, ?)", [session_id, token_hash, name, at, at, expires_at]
            )

    def find_session(self, token_hash: str, *, at: dt.datetime, idle_since: dt.datetime) -> SessionRow | None:
        """The live session of a token for an active account, touched as seen now; None when there is none.

        A session past its expiry or unused since before `idle_since` is removed. The role is the account's
        current one.
        """
        with self._db.cursor() as cursor:
            row = cursor.execute(
                """SELECT s.id, s.user_name, a.role, s.expires_at, s.last_seen, a.disabled
                   FROM web_session s LEFT JOIN user_account a ON a.name = s.user_name
                   WHERE s.token_hash = ?""",
                [token_hash],
            ).fetchone()
        if row is None:
            return None
        session_id, name, role, expires_at, last_seen, disabled = row
        if role is None or disabled or expires_at <= at or last_seen < idle_since:
            self.revoke(session_id)
            return None
        if at - last_seen >= dt.timedelta(minutes=1):  # one write a minute is precise enough for an idle limit
            with self._db.transaction(writes=("web_session",)) as cur:
                cur.execute("UPDATE web_session SET last_seen = ? WHERE id = ?", [at, session_id])
        return SessionRow(session_id=str(session_id), name=str(name), role=str(role))

    def revoke(self, session_id: str) -> None:
        """End one session."""
        with self._db.transaction(writes=("web_session",)) as cur:
            cur.execute("DELETE FROM web_session WHERE id = ?", [session_id])

    def revoke_token(self, token_hash: str) -> str | None:
        """End the session of a token (sign-out); its reference, or None when there was none."""
        with self._db.transaction(writes=("web_session",)) as cur:
            row = cur.execute("SELECT id FROM web_session WHERE token_hash = ?", [token_hash]).fetchone()
            if row is not None:
                cur.execute("DELETE FROM web_session WHERE id = ?", [row[0]])
        return None if row is None else str(row[0])

    def sessions(self) -> pd.DataFrame:
        """Every stored session (hashes, never tokens), newest first."""
        return self._db.frame(
            "SELECT id, token_hash, user_name, created_at, last_seen, expires_at FROM web_session "
            "ORDER BY created_at DESC, id"
        )
