"""Built-in accounts and the audit trail."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from controlling.db.connection import Database, audit, now


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

    def save(self, name: str, role: str, password_hash: str, *, user: str, provider: str | None = None) -> None:
        """Create an account or set its role and password (`provider`: the one a `lieferant` delivers for)."""
        with self._db.transaction() as cur:
            old = cur.execute("SELECT role FROM user_account WHERE name = ?", [name]).fetchone()
            cur.execute("DELETE FROM user_account WHERE name = ?", [name])
            cur.execute(
                "INSERT INTO user_account (name, role, password_hash, created_at, disabled, provider) "
                "VALUES (?, ?, ?, ?, FALSE, ?)",
                [name, role, password_hash, now(), provider],
            )
            audit(
                cur,
                user,
                "ändern" if old else "anlegen",
                "account",
                name,
                old=None if old is None else old[0],
                new=role if provider is None else f"{role} ({provider})",
            )

    def provider(self, name: str) -> str | None:
        """The provider an active account delivers for (only a `lieferant` has one)."""
        with self._db.cursor() as cursor:
            row = cursor.execute("SELECT provider FROM user_account WHERE name = ? AND NOT disabled", [name]).fetchone()
        return None if row is None or row[0] is None else str(row[0])


class Audit:
    """The audit trail: every change and every sign-in attempt."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def log_event(self, user: str, action: str, entity: str, key: str, detail: str | None = None) -> None:
        """An audit entry for something that changes no table (a sign-in, a failed sign-in)."""
        with self._db.transaction() as cur:
            audit(cur, user, action, entity, key, new=detail)

    def recent_failures(self, name: str, minutes: int = 15) -> int:
        """Failed sign-ins for this name in the last minutes (to slow guessing down)."""
        return int(
            self._db.scalar(
                "SELECT count(*) FROM audit_log WHERE action = 'anmeldung_fehlgeschlagen' AND entity_key = ? "
                "AND changed_at >= ?",
                [name, now() - dt.timedelta(minutes=minutes)],
            )
        )

    def entries(self) -> pd.DataFrame:
        """The audit trail, newest first."""
        return self._db.frame(
            """SELECT id, changed_at, user_name, action, entity, entity_key, old_value, new_value
               FROM audit_log ORDER BY id DESC"""
        )
