"""Migration 13 (issue 27), kept beside migrations.py: the Integrationsnetzwerk (actors, their fields, Gemeinden
and measures; bodies, seats, meetings and what they produced), consultations on drafts with contributions and
answers, texts the Referat translates, and the role `partner` bound to one actor. DuckDB cannot change a CHECK:
user_account is made anew with its rows."""

from __future__ import annotations

NETWORK_STATEMENTS: tuple[str, ...] = (
    "CREATE SEQUENCE actor_id_seq START 1",
    """CREATE TABLE actor (
        id INTEGER PRIMARY KEY,
        name VARCHAR NOT NULL UNIQUE,
        kind VARCHAR NOT NULL,
        description VARCHAR NOT NULL DEFAULT '',
        contact_name VARCHAR NOT NULL DEFAULT '',
        contact_email VARCHAR NOT NULL DEFAULT '',
        created_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE actor_field (
        actor_id INTEGER NOT NULL,
        field VARCHAR NOT NULL,
        PRIMARY KEY (actor_id, field))""",
    """CREATE TABLE actor_area (
        actor_id INTEGER NOT NULL,
        area VARCHAR NOT NULL,
        PRIMARY KEY (actor_id, area))""",
    """CREATE TABLE measure_actor (
        measure_id INTEGER NOT NULL,
        actor_id INTEGER NOT NULL,
        PRIMARY KEY (measure_id, actor_id))""",
    "CREATE SEQUENCE network_body_id_seq START 1",
    """CREATE TABLE network_body (
        id INTEGER PRIMARY KEY,
        name VARCHAR NOT NULL UNIQUE,
        kind VARCHAR NOT NULL,
        description VARCHAR NOT NULL DEFAULT '')""",
    """CREATE TABLE body_seat (
        body_id INTEGER NOT NULL,
        actor_id INTEGER NOT NULL,
        seat VARCHAR NOT NULL DEFAULT 'Mitglied',
        PRIMARY KEY (body_id, actor_id))""",
    "CREATE SEQUENCE meeting_id_seq START 1",
    """CREATE TABLE meeting (
        id INTEGER PRIMARY KEY,
        body_id INTEGER NOT NULL,
        held_on DATE NOT NULL,
        decisions VARCHAR NOT NULL DEFAULT '',
        created_by VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE meeting_participant (
        meeting_id INTEGER NOT NULL,
        actor_id INTEGER NOT NULL,
        PRIMARY KEY (meeting_id, actor_id))""",
    """CREATE TABLE meeting_result (
        meeting_id INTEGER NOT NULL,
        kind VARCHAR NOT NULL CHECK (kind IN ('target', 'measure')),
        ref_id INTEGER NOT NULL,
        PRIMARY KEY (meeting_id, kind, ref_id))""",
    "CREATE SEQUENCE consultation_id_seq START 1",
    """CREATE TABLE consultation (
        id INTEGER PRIMARY KEY,
        title VARCHAR NOT NULL,
        subject VARCHAR NOT NULL CHECK (subject IN ('zielentwurf', 'handlungsziel', 'leitbild')),
        opens_on DATE NOT NULL,
        closes_on DATE NOT NULL,
        created_by VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        purged_at TIMESTAMP)""",
    """CREATE TABLE consultation_item (
        consultation_id INTEGER NOT NULL,
        item_key VARCHAR NOT NULL,
        label VARCHAR NOT NULL,
        sort_order INTEGER NOT NULL,
        PRIMARY KEY (consultation_id, item_key))""",
    "CREATE SEQUENCE contribution_id_seq START 1",
    """CREATE TABLE contribution (
        id INTEGER PRIMARY KEY,
        consultation_id INTEGER NOT NULL,
        item_key VARCHAR NOT NULL,
        author_kind VARCHAR NOT NULL CHECK (author_kind IN ('partner', 'oeffentlich')),
        actor_id INTEGER,
        account VARCHAR,
        public_name VARCHAR,
        client_key VARCHAR,
        text VARCHAR NOT NULL,
        proposed_value DOUBLE,
        created_at TIMESTAMP NOT NULL,
        moderation VARCHAR NOT NULL DEFAULT 'eingegangen'
            CHECK (moderation IN ('eingegangen', 'freigegeben', 'abgelehnt')),
        answer VARCHAR CHECK (answer IN ('uebernommen', 'teilweise', 'nicht_uebernommen')),
        answer_text VARCHAR NOT NULL DEFAULT '',
        answered_by VARCHAR,
        answered_at TIMESTAMP)""",
    """CREATE TABLE translation (
        text_key VARCHAR NOT NULL,
        language VARCHAR NOT NULL,
        text VARCHAR NOT NULL,
        translated_on DATE NOT NULL,
        changed_by VARCHAR NOT NULL,
        PRIMARY KEY (text_key, language))""",
    """CREATE TABLE user_account_new (
        name VARCHAR PRIMARY KEY,
        role VARCHAR NOT NULL CHECK (role IN ('betrachter', 'referat', 'admin', 'lieferant', 'partner')),
        password_hash VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        disabled BOOLEAN NOT NULL DEFAULT FALSE,
        provider VARCHAR,
        actor_id INTEGER,
        CHECK ((role = 'lieferant') = (provider IS NOT NULL)),
        CHECK ((role = 'partner') = (actor_id IS NOT NULL)))""",
    """INSERT INTO user_account_new (name, role, password_hash, created_at, disabled, provider)
       SELECT name, role, password_hash, created_at, disabled, provider FROM user_account""",
    "DROP TABLE user_account",
    "ALTER TABLE user_account_new RENAME TO user_account",
)
