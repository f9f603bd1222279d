"""The schema as named, numbered migrations, applied once each and recorded in schema_migration."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import duckdb

from controlling.db.connection import Database, now
from controlling.db.engines import to_postgres
from controlling.db.network_schema import NETWORK_STATEMENTS
from controlling.db.replica import (
    CREATE_CHANGES_SQL,
    CREATE_IDENTITY_SQL,
    CREATE_VERSIONS_SQL,
    STAMP_ALL_SQL,
    VERSIONS_TABLE,
    replica_statement,
)
from controlling.errors import SchemaTooNewError


@dataclass(frozen=True)
class Migration:
    """One numbered schema step; applied once, recorded in schema_migration.

    The statements are DuckDB's; on PostgreSQL each runs with its types spelled the PostgreSQL way
    (engines.to_postgres). A statement PostgreSQL cannot run at all gets a variant in `postgresql`,
    keyed by its index in `statements`.
    """

    version: int
    name: str
    statements: tuple[str, ...]
    postgresql: Mapping[int, str] = field(default_factory=dict)

    def statements_for(self, postgres: bool) -> tuple[str, ...]:
        """The statements to run on the engine: DuckDB's as written, or PostgreSQL's."""
        if not postgres:
            return self.statements
        return tuple(self.postgresql.get(i, to_postgres(s)) for i, s in enumerate(self.statements))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "Grundschema: Stammdaten, Werte, Ziele, Importe",
        (
            """CREATE TABLE field (
                code VARCHAR PRIMARY KEY,
                name VARCHAR NOT NULL UNIQUE,
                sort_order INTEGER NOT NULL,
                rated BOOLEAN NOT NULL DEFAULT TRUE)""",
            """CREATE TABLE area (
                code VARCHAR PRIMARY KEY,
                name VARCHAR NOT NULL,
                level VARCHAR NOT NULL CHECK (level IN ('land', 'kreis', 'gemeinde')),
                parent VARCHAR,
                valid_from DATE,
                valid_to DATE,
                successor VARCHAR,
                comparison BOOLEAN NOT NULL DEFAULT FALSE)""",
            """CREATE TABLE indicator (
                code VARCHAR PRIMARY KEY,
                name VARCHAR NOT NULL,
                field VARCHAR NOT NULL REFERENCES field (code),
                unit VARCHAR NOT NULL,
                polarity VARCHAR NOT NULL CHECK (polarity IN ('hoch', 'niedrig', 'neutral')),
                decimals INTEGER NOT NULL DEFAULT 1,
                aggregation VARCHAR NOT NULL CHECK (aggregation IN ('summe', 'quote', 'keine')),
                factor DOUBLE,
                definition VARCHAR NOT NULL DEFAULT '',
                source VARCHAR NOT NULL DEFAULT '',
                threshold_green DOUBLE,
                threshold_yellow DOUBLE,
                retired BOOLEAN NOT NULL DEFAULT FALSE)""",
            "CREATE SEQUENCE intake_id_seq START 1",
            """CREATE TABLE intake (
                id INTEGER PRIMARY KEY DEFAULT nextval('intake_id_seq'),
                created_at TIMESTAMP NOT NULL,
                user_name VARCHAR NOT NULL,
                file_name VARCHAR NOT NULL,
                sha256 VARCHAR NOT NULL,
                format VARCHAR NOT NULL,
                rows_new INTEGER NOT NULL DEFAULT 0,
                rows_changed INTEGER NOT NULL DEFAULT 0,
                rows_unchanged INTEGER NOT NULL DEFAULT 0,
                rows_rejected INTEGER NOT NULL DEFAULT 0,
                state VARCHAR NOT NULL CHECK (state IN ('committed', 'undone')),
                undone_at TIMESTAMP,
                undone_by VARCHAR)""",
            # No primary key on purpose: an ART index over millions of rows would slow every bulk
            # intake; uniqueness of (key, intake_id) is guaranteed by the intake's validation.
            """CREATE TABLE observation (
                indicator VARCHAR NOT NULL,
                area VARCHAR NOT NULL,
                year INTEGER NOT NULL,
                breakdown VARCHAR NOT NULL DEFAULT '',
                value DOUBLE,
                numerator DOUBLE,
                denominator DOUBLE,
                flag VARCHAR,
                note VARCHAR,
                intake_id INTEGER NOT NULL)""",
            """CREATE VIEW current_observation AS
                SELECT o.* FROM observation o
                JOIN intake i ON i.id = o.intake_id AND i.state = 'committed'
                QUALIFY row_number() OVER (
                    PARTITION BY o.indicator, o.area, o.year, o.breakdown
                    ORDER BY o.intake_id DESC) = 1""",
            "CREATE SEQUENCE target_id_seq START 1",
            """CREATE TABLE target (
                id INTEGER PRIMARY KEY DEFAULT nextval('target_id_seq'),
                indicator VARCHAR NOT NULL,
                area VARCHAR NOT NULL,
                target_year INTEGER NOT NULL,
                target_value DOUBLE NOT NULL,
                baseline_year INTEGER NOT NULL,
                decision VARCHAR NOT NULL DEFAULT '',
                valid_from DATE NOT NULL,
                valid_to DATE,
                created_by VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL,
                CHECK (target_year > baseline_year))""",
        ),
        postgresql={
            6: """CREATE VIEW current_observation AS
                SELECT indicator, area, year, breakdown, value, numerator, denominator, flag, note, intake_id
                FROM (SELECT o.*, row_number() OVER (
                          PARTITION BY o.indicator, o.area, o.year, o.breakdown ORDER BY o.intake_id DESC) AS rank
                      FROM observation o JOIN intake i ON i.id = o.intake_id AND i.state = 'committed') ranked
                WHERE rank = 1""",
        },
    ),
    Migration(
        2,
        "Einordnungen, Maßnahmen und Änderungsprotokoll",
        (
            "CREATE SEQUENCE comment_id_seq START 1",
            """CREATE TABLE comment (
                id INTEGER PRIMARY KEY DEFAULT nextval('comment_id_seq'),
                indicator VARCHAR NOT NULL,
                area VARCHAR NOT NULL,
                year INTEGER NOT NULL,
                text VARCHAR NOT NULL,
                author VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL)""",
            "CREATE SEQUENCE measure_id_seq START 1",
            """CREATE TABLE measure (
                id INTEGER PRIMARY KEY DEFAULT nextval('measure_id_seq'),
                title VARCHAR NOT NULL,
                description VARCHAR NOT NULL DEFAULT '',
                responsible VARCHAR NOT NULL,
                status VARCHAR NOT NULL
                    CHECK (status IN ('geplant', 'laufend', 'abgeschlossen', 'ausgesetzt')),
                due_date DATE,
                created_at TIMESTAMP NOT NULL)""",
            """CREATE TABLE measure_indicator (
                measure_id INTEGER NOT NULL,
                indicator VARCHAR NOT NULL,
                PRIMARY KEY (measure_id, indicator))""",
            "CREATE SEQUENCE audit_id_seq START 1",
            """CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY DEFAULT nextval('audit_id_seq'),
                changed_at TIMESTAMP NOT NULL,
                user_name VARCHAR NOT NULL,
                action VARCHAR NOT NULL,
                entity VARCHAR NOT NULL,
                entity_key VARCHAR NOT NULL,
                old_value VARCHAR,
                new_value VARCHAR)""",
        ),
    ),
    # Materialized "current version" flag: reading current values is then a filter, not a window over
    # every version (6.6 million rows in the benchmark). Commit and undo keep it right; the definition is
    # unchanged: the current value is the one from the newest intake that was not undone.
    Migration(
        3,
        "Aktuelle Version je Wert als Spalte",
        (
            "ALTER TABLE observation ADD COLUMN is_current BOOLEAN DEFAULT FALSE",
            """UPDATE observation SET is_current = TRUE FROM (
                   SELECT o.indicator, o.area, o.year, o.breakdown, max(o.intake_id) AS intake_id
                   FROM observation o JOIN intake i ON i.id = o.intake_id AND i.state = 'committed'
                   GROUP BY ALL) AS newest
               WHERE observation.indicator = newest.indicator AND observation.area = newest.area
                 AND observation.year = newest.year AND observation.breakdown = newest.breakdown
                 AND observation.intake_id = newest.intake_id""",
            "DROP VIEW current_observation",
            "CREATE VIEW current_observation AS SELECT * FROM observation WHERE is_current",
        ),
        postgresql={
            1: """UPDATE observation SET is_current = TRUE FROM (
                   SELECT o.indicator, o.area, o.year, o.breakdown, max(o.intake_id) AS intake_id
                   FROM observation o JOIN intake i ON i.id = o.intake_id AND i.state = 'committed'
                   GROUP BY o.indicator, o.area, o.year, o.breakdown) AS newest
               WHERE observation.indicator = newest.indicator AND observation.area = newest.area
                 AND observation.year = newest.year AND observation.breakdown = newest.breakdown
                 AND observation.intake_id = newest.intake_id""",
        },
    ),
    Migration(
        4,
        "Zuordnung fremder Quellen zu Kennzahlen",
        (
            """CREATE TABLE source_mapping (
                source VARCHAR PRIMARY KEY,
                indicator VARCHAR NOT NULL,
                total_breakdown VARCHAR NOT NULL DEFAULT '',
                add_comparison_areas BOOLEAN NOT NULL DEFAULT FALSE,
                created_by VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL)""",
        ),
    ),
    Migration(
        5,
        "Konten und Rollen",
        (
            """CREATE TABLE user_account (
                name VARCHAR PRIMARY KEY,
                role VARCHAR NOT NULL CHECK (role IN ('betrachter', 'referat', 'admin')),
                password_hash VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL,
                disabled BOOLEAN NOT NULL DEFAULT FALSE)""",
        ),
    ),
    # Method version 2 (DESIGN §3.1, §4.1): the smallest case number a Gemeinde's value is rated on,
    # where the data come from, and who delivers them.
    Migration(
        6,
        "Kennzahlen: Mindestfallzahl, Datenherkunft, Lieferant",
        (
            "ALTER TABLE indicator ADD COLUMN min_count INTEGER DEFAULT 20",
            "ALTER TABLE indicator ADD COLUMN origin VARCHAR DEFAULT 'eigen'",
            "ALTER TABLE indicator ADD COLUMN provider VARCHAR DEFAULT ''",
        ),
    ),
    # Ziele and Kennzahlen files are intakes too (issue 17): a target knows the intake that brought it, and
    # a catalogue intake keeps each indicator before ('absent' when new) and after, so undo restores it.
    Migration(
        7,
        "Ziele und Kennzahlen als rückgängig machbare Importe",
        (
            "ALTER TABLE target ADD COLUMN intake_id INTEGER",
            """CREATE TABLE indicator_version AS SELECT CAST(NULL AS INTEGER) AS intake_id,
                   CAST(NULL AS VARCHAR) AS image, * FROM indicator LIMIT 0""",
        ),
    ),
    # Sign-in that lasts (issues 16, 17): a browser session is a random token in an HttpOnly cookie; only its
    # sha256 is stored, with its expiry and last activity. A ticket (stored hashed too, one use, a minute) carries
    # a sign-in from the form to the route that sets the cookie. Sign-in attempts live apart from audit_log: they
    # change no data, and the audit log's growth keys the page caches.
    Migration(
        8,
        "Anmeldesitzungen, Anmeldetickets und Anmeldeversuche",
        (
            """CREATE TABLE web_session (
                id VARCHAR PRIMARY KEY,
                token_hash VARCHAR NOT NULL UNIQUE,
                user_name VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL,
                last_seen TIMESTAMP NOT NULL,
                expires_at TIMESTAMP NOT NULL)""",
            """CREATE TABLE sign_in_ticket (
                ticket_hash VARCHAR PRIMARY KEY,
                user_name VARCHAR NOT NULL,
                expires_at TIMESTAMP NOT NULL)""",
            "CREATE SEQUENCE sign_in_attempt_id_seq START 1",
            """CREATE TABLE sign_in_attempt (
                id INTEGER PRIMARY KEY DEFAULT nextval('sign_in_attempt_id_seq'),
                attempted_at TIMESTAMP NOT NULL,
                name_key VARCHAR NOT NULL,
                outcome VARCHAR NOT NULL CHECK (outcome IN ('offen', 'angemeldet', 'abgelehnt', 'gesperrt')),
                session_ref VARCHAR NOT NULL)""",
        ),
    ),
    # Issue 14: the goal system (Leitbild, Leitziele, Handlungsziele linked to Kennzahlen), every change kept as a
    # version; and targets move from proposal (entwurf) to decision (beschlossen) to replaced (abgeloest).
    # Existing targets were decided: they keep their decision text; those already closed are replaced.
    Migration(
        9,
        "Zielsystem (Leitbild, Leitziele, Handlungsziele) und Ziele vom Entwurf zum Beschluss",
        (
            """CREATE TABLE goal (
                code VARCHAR PRIMARY KEY,
                kind VARCHAR NOT NULL CHECK (kind IN ('leitziel', 'handlungsziel')),
                field VARCHAR NOT NULL,
                parent VARCHAR,
                title VARCHAR NOT NULL,
                text VARCHAR NOT NULL DEFAULT '',
                sort_order INTEGER NOT NULL,
                version INTEGER NOT NULL DEFAULT 1)""",
            """CREATE TABLE goal_indicator (
                goal_code VARCHAR NOT NULL,
                indicator VARCHAR NOT NULL,
                sort_order INTEGER NOT NULL,
                PRIMARY KEY (goal_code, indicator))""",
            # Every state a goal had, newest with the highest version; `removed` marks the end of a goal.
            """CREATE TABLE goal_version (
                code VARCHAR NOT NULL,
                version INTEGER NOT NULL,
                kind VARCHAR NOT NULL,
                field VARCHAR NOT NULL,
                parent VARCHAR,
                title VARCHAR NOT NULL,
                text VARCHAR NOT NULL,
                sort_order INTEGER NOT NULL,
                indicators VARCHAR NOT NULL,
                removed BOOLEAN NOT NULL DEFAULT FALSE,
                changed_by VARCHAR NOT NULL,
                changed_at TIMESTAMP NOT NULL,
                PRIMARY KEY (code, version))""",
            """CREATE TABLE leitbild_version (
                version INTEGER PRIMARY KEY,
                text VARCHAR NOT NULL,
                changed_by VARCHAR NOT NULL,
                changed_at TIMESTAMP NOT NULL)""",
            "ALTER TABLE target ADD COLUMN state VARCHAR DEFAULT 'beschlossen'",
            "ALTER TABLE target ADD COLUMN source VARCHAR DEFAULT ''",
            "ALTER TABLE target ADD COLUMN body VARCHAR DEFAULT ''",
            "ALTER TABLE target ADD COLUMN decision_date DATE",
            "ALTER TABLE target ADD COLUMN vorlage VARCHAR DEFAULT ''",
            "UPDATE target SET state = CASE WHEN valid_to IS NULL THEN 'beschlossen' ELSE 'abgeloest' END",
        ),
    ),
    # Issue 14 (measures, data deliveries): a measure as staff keep it, with its Gemeinden and the history of
    # every field; per indicator the delivery calendar (Stichtag, rhythm, deadline); the role `lieferant`
    # bound to one provider. DuckDB cannot change a CHECK: user_account is made anew with its rows.
    Migration(
        10,
        "Maßnahmen mit Verlauf, Lieferkalender, Rolle Lieferant",
        (
            "ALTER TABLE measure ADD COLUMN goal_code VARCHAR",
            "ALTER TABLE measure ADD COLUMN carrier VARCHAR DEFAULT ''",
            "ALTER TABLE measure ADD COLUMN funding VARCHAR DEFAULT ''",
            "ALTER TABLE measure ADD COLUMN funding_amount DOUBLE",
            "ALTER TABLE measure ADD COLUMN start_date DATE",
            "ALTER TABLE measure ADD COLUMN created_by VARCHAR DEFAULT ''",
            "ALTER TABLE measure ADD COLUMN changed_at TIMESTAMP",
            """CREATE TABLE measure_area (
                measure_id INTEGER NOT NULL,
                area VARCHAR NOT NULL,
                PRIMARY KEY (measure_id, area))""",
            "CREATE SEQUENCE measure_history_id_seq START 1",
            """CREATE TABLE measure_history (
                id INTEGER PRIMARY KEY DEFAULT nextval('measure_history_id_seq'),
                measure_id INTEGER NOT NULL,
                changed_at TIMESTAMP NOT NULL,
                user_name VARCHAR NOT NULL,
                field VARCHAR NOT NULL,
                old_value VARCHAR,
                new_value VARCHAR)""",
            "ALTER TABLE indicator ADD COLUMN reference_date VARCHAR DEFAULT ''",
            "ALTER TABLE indicator ADD COLUMN rhythm VARCHAR DEFAULT ''",
            "ALTER TABLE indicator ADD COLUMN deadline VARCHAR DEFAULT ''",
            # indicator_version holds images of indicator rows (SELECT i.*): the same columns, in the same order.
            "ALTER TABLE indicator_version ADD COLUMN reference_date VARCHAR",
            "ALTER TABLE indicator_version ADD COLUMN rhythm VARCHAR",
            "ALTER TABLE indicator_version ADD COLUMN deadline VARCHAR",
            """CREATE TABLE user_account_new (
                name VARCHAR PRIMARY KEY,
                role VARCHAR NOT NULL CHECK (role IN ('betrachter', 'referat', 'admin', 'lieferant')),
                password_hash VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL,
                disabled BOOLEAN NOT NULL DEFAULT FALSE,
                provider VARCHAR,
                CHECK ((role = 'lieferant') = (provider IS NOT NULL)))""",
            """INSERT INTO user_account_new (name, role, password_hash, created_at, disabled)
               SELECT name, role, password_hash, created_at, disabled FROM user_account""",
            "DROP TABLE user_account",
            "ALTER TABLE user_account_new RENAME TO user_account",
        ),
    ),
    # Method version 3 (issue 24): the kind of a target is decided, not inferred from its values. Only a target
    # whose decision or source says it is a limit becomes a Halteziel; the others stay improvement targets,
    # and "Ziele pflegen" lists those that version 2 rated as limits for the Referat to decide. Series
    # breaks of an indicator (`2022: Zensus 2022; …`) start its trend window anew.
    Migration(
        11,
        "Methode 3: Zieltyp beschlossen, Brüche in der Reihe",
        (
            "ALTER TABLE target ADD COLUMN target_type VARCHAR DEFAULT 'verbessern'",
            """UPDATE target SET target_type = 'halten'
               WHERE regexp_matches(lower(coalesce(decision, '') || ' ' || coalesce(source, '')),
                                    'halteziel|grenze|halten|nicht überschreiten|nicht unterschreiten')""",
            "ALTER TABLE indicator ADD COLUMN series_breaks VARCHAR DEFAULT ''",
            "ALTER TABLE indicator_version ADD COLUMN series_breaks VARCHAR",
            # The method in force when a data version was made: earlier intakes under method 2, new ones under 3
            # (a later method version moves this default on), so that a report of an old version says so.
            "ALTER TABLE intake ADD COLUMN method_version INTEGER DEFAULT 2",
            "ALTER TABLE intake ALTER COLUMN method_version SET DEFAULT 3",
        ),
        postgresql={
            1: """UPDATE target SET target_type = 'halten'
                  WHERE lower(coalesce(decision, '') || ' ' || coalesce(source, ''))
                        ~ 'halteziel|grenze|halten|nicht überschreiten|nicht unterschreiten'"""
        },
    ),
    # Issue 29: failed sign-ins are counted per name and client, so that guesses elsewhere cannot lock a user out.
    Migration(
        12,
        "Anmeldeversuche je Name und Client",
        ("ALTER TABLE sign_in_attempt ADD COLUMN client VARCHAR DEFAULT ''",),
    ),
    # Issue 23: a Kennzahl of official statistics names where it is published (`bezug`: the publication, the
    # series as labelled there, as value, quota or gap) and on which levels (`ebenen`), so that one command
    # fills it from the publisher's files.
    Migration(
        13,
        "Quellbindung und Ebenen der Kennzahlen",
        (
            "ALTER TABLE indicator ADD COLUMN binding VARCHAR DEFAULT ''",
            "ALTER TABLE indicator ADD COLUMN levels VARCHAR DEFAULT ''",
            "ALTER TABLE indicator_version ADD COLUMN binding VARCHAR",
            "ALTER TABLE indicator_version ADD COLUMN levels VARCHAR",
        ),
    ),
    # Issue 27: the Integrationsnetzwerk, consultations, translations and the role `partner` (db/network_schema.py).
    Migration(14, "Integrationsnetzwerk, Beteiligung, Übersetzungen, Rolle Partner", NETWORK_STATEMENTS),
)


# The keys of the tables without a primary key (an index over millions of rows would slow every intake):
# the columns that tell their rows apart. Every other table's key is its primary key above. The replica
# (replica.py) finds and ships rows by these.
ROW_KEYS: Mapping[str, tuple[str, ...]] = {
    "observation": ("indicator", "area", "year", "breakdown", "intake_id"),
    "indicator_version": ("intake_id", "image", "code"),
}


def known_version(migrations: Sequence[Migration]) -> int:
    """The newest schema version these migrations know."""
    return max((m.version for m in migrations), default=0)


def schema_version(db: Database) -> int:
    """The schema version recorded in the database."""
    return int(db.scalar("SELECT coalesce(max(version), 0) FROM schema_migration"))


def migrate(db: Database, migrations: Sequence[Migration]) -> None:
    """Apply every migration newer than the database, all in one transaction (on PostgreSQL directly).

    On PostgreSQL the process's replica then gets the same schema from DuckDB's statements (built anew
    only when the migrations differ from the ones it was built with).
    """
    with db.schema_session() as session:
        session.execute(
            """CREATE TABLE IF NOT EXISTS schema_migration (
                version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"""
        )
        found = int(session.scalar("SELECT coalesce(max(version), 0) FROM schema_migration"))
        if found > known_version(migrations):
            raise SchemaTooNewError(db.path, found, known_version(migrations))
        applied = False
        for migration in migrations:
            if migration.version <= found:
                continue
            for statement in migration.statements_for(session.postgres):
                session.execute(statement)
            session.execute("INSERT INTO schema_migration VALUES (?, ?, ?)", [migration.version, migration.name, now()])
            applied = True
        if session.postgres:
            missing = session.scalar(f"SELECT to_regclass('{VERSIONS_TABLE}') IS NULL")
            session.execute(CREATE_VERSIONS_SQL)
            session.execute(CREATE_CHANGES_SQL)
            session.execute(CREATE_IDENTITY_SQL)
            if applied or missing:
                session.execute(STAMP_ALL_SQL)
    if db.replica is not None:
        statements = [replica_statement(s) for m in migrations for s in m.statements_for(postgres=False)]
        schema = hashlib.sha256("\n".join(statements).encode()).hexdigest()

        def build(cursor: duckdb.DuckDBPyConnection) -> None:
            cursor.execute(
                """CREATE TABLE IF NOT EXISTS schema_migration (
                    version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"""
            )
            for statement in statements:
                cursor.execute(statement)

        db.replica.prepare(schema, build, ROW_KEYS)
