"""Built-in accounts and the audit trail."""

from __future__ import annotations

import duckdb
import pandas as pd

from controlling.db.connection import Database, audit, now

# The tables an account change writes (its sessions and tickets end with it).
_WRITES = ("user_account", "web_session", "sign_in_ticket", "audit_log")


class Accounts:
    """Built-in accounts (only bcrypt hashes are stored)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def list(self) -> pd.DataFrame:
        """Built-in accounts (without their hashes)."""
        return self._db.frame("SELECT name, role, created_at, disabled, provider FROM user_account ORDER BY name")

    def password_hash(self, name: str) -> tuple[str, str] | None:
        """(role, password hash) of an active account, or None."""
        with self._db.cursor() as cursor:
            row = cursor.execute(
                "SELECT role, password_hash FROM user_account WHERE name = ? AND NOT disabled", [name]
            ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

    def save(
        self,
        name: str,
        role: str,
        password_hash: str,
        *,
        user: str,
        provider: str | None = None,
        actor_id: int | None = None,
    ) -> None:
        """Create an account or set its role and password (`provider`: the one a `lieferant` delivers
        for; `actor_id`: the network actor a `partner` speaks for); a changed account's sessions end."""
        with self._db.transaction(writes=_WRITES) as cur:
            old = cur.execute("SELECT role FROM user_account WHERE name = ?", [name]).fetchone()
            cur.execute("DELETE FROM user_account WHERE name = ?", [name])
            cur.execute(
                "INSERT INTO user_account (name, role, password_hash, created_at, disabled, provider, actor_id) "
                "VALUES (?, ?, ?, ?, FALSE, ?, ?)",
                [name, role, password_hash, now(), provider, actor_id],
            )
            _end_sessions(cur, name)
            audit(
                cur,
                user,
                "ändern" if old else "anlegen",
                "account",
                name,
                old=None if old is None else old[0],
                new=role if provider is None and actor_id is None else f"{role} ({provider or f'Akteur {actor_id}'})",
            )

    def provider(self, name: str) -> str | None:
        """The provider an active account delivers for (only a `lieferant` has one)."""
        with self._db.cursor() as cursor:
            row = cursor.execute("SELECT provider FROM user_account WHERE name = ? AND NOT disabled", [name]).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def actor(self, name: str) -> int | None:
        """The network actor an active account speaks for (only a `partner` has one)."""
        with self._db.cursor() as cursor:
            row = cursor.execute("SELECT actor_id FROM user_account WHERE name = ? AND NOT disabled", [name]).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def set_disabled(self, name: str, disabled: bool, *, user: str) -> bool:
        """Disable (or enable again) an account; its sessions end. False when there is no such account."""
        with self._db.transaction(writes=_WRITES) as cur:
            row = cur.execute("SELECT disabled FROM user_account WHERE name = ?", [name]).fetchone()
            if row is None:
                return False
            cur.execute("UPDATE user_account SET disabled = ? WHERE name = ?", [disabled, name])
            _end_sessions(cur, name)
            audit(
                cur,
                user,
                "sperren" if disabled else "entsperren",
                "account",
                name,
                old="gesperrt" if row[0] else "aktiv",
                new="gesperrt" if disabled else "aktiv",
            )
        return True


def _end_sessions(cursor: duckdb.DuckDBPyConnection, name: str) -> None:
    """Every session and open ticket of an account ends with a change of the account."""
    cursor.execute("DELETE FROM web_session WHERE user_name = ?", [name])
    cursor.execute("DELETE FROM sign_in_ticket WHERE user_name = ?", [name])


class Audit:
    """The audit trail: every change (sign-in attempts are kept apart, in db.signins)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def entries(self) -> pd.DataFrame:
        """The audit trail, newest first."""
        return self._db.frame(
            """SELECT id, changed_at, user_name, action, entity, entity_key, old_value, new_value
               FROM audit_log ORDER BY id DESC"""
        )
