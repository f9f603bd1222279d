"""Texts the Referat translates (issue 27): one text per key and language, with the date of the translation."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from controlling.db.connection import Database, audit

# The tables this repository writes: the PostgreSQL replica copies them (declared, not guessed; issue 28).
_WRITES = ("translation", "audit_log")


class Translations:
    """Translations of the Leitbild and the goals' titles and descriptions, per language."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def all(self, language: str | None = None) -> pd.DataFrame:
        """Every translation (of one language or all): text_key, language, text, translated_on, changed_by."""
        return self._db.frame(
            """SELECT text_key, language, text, translated_on, changed_by FROM translation
               WHERE ? IS NULL OR language = ? ORDER BY language, text_key""",
            [language, language],
        )

    def save(self, text_key: str, language: str, text: str, translated_on: dt.date, *, user: str) -> None:
        """Set the translation of one text into one language (empty text: remove it)."""
        with self._db.transaction(writes=_WRITES) as cur:
            old = cur.execute(
                "SELECT text FROM translation WHERE text_key = ? AND language = ?", [text_key, language]
            ).fetchone()
            cur.execute("DELETE FROM translation WHERE text_key = ? AND language = ?", [text_key, language])
            if text:
                cur.execute(
                    "INSERT INTO translation VALUES (?, ?, ?, ?, ?)", [text_key, language, text, translated_on, user]
                )
            audit(
                cur,
                user,
                "übersetzen",
                "translation",
                f"{text_key} [{language}]",
                old=None if old is None else str(old[0])[:200],
                new=f"{translated_on:%d.%m.%Y}: {text[:200]}",
            )

    def save_many(self, rows: pd.DataFrame, *, user: str) -> int:
        """Set many translations at once (text_key, language, text, translated_on). Returns the count."""
        with self._db.transaction(writes=_WRITES) as cur:
            cur.register("incoming_translation", rows[["text_key", "language", "text", "translated_on"]])
            cur.execute(
                """DELETE FROM translation WHERE (text_key, language) IN
                   (SELECT text_key, language FROM incoming_translation)"""
            )
            cur.execute(
                """INSERT INTO translation
                   SELECT text_key, language, text, translated_on, ? FROM incoming_translation""",
                [user],
            )
            cur.unregister("incoming_translation")
            audit(
                cur,
                user,
                "übersetzen",
                "translation",
                "mehrere",
                new=f"{len(rows)} Übersetzungen: {', '.join(sorted(set(rows['language'])))}",
            )
        return len(rows)
