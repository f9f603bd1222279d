"""Lasting sign-in of built-in accounts: a random token in an HttpOnly cookie, only its hash in the store.

A sign-in in the Streamlit form cannot set an HttpOnly cookie (the script has no HTTP response). It issues a
one-time ticket instead; the browser takes it to the route `/anmeldung/abschliessen`, which exchanges it for a
session and sets the cookie. Every script run looks the cookie's token up (`find`): expiry, idle time, a
disabled or changed account and a sign-out end a session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from urllib.parse import urlsplit

from controlling.auth import AuthError, positive_setting
from controlling.db import SessionRow, Store
from controlling.db.connection import now

COOKIE_NAME = "controlling_sitzung"
TICKET_SECONDS = 60


def session_hours() -> float:
    """How long a sign-in lasts at most (CONTROLLING_SESSION_HOURS, default 8)."""
    return positive_setting("CONTROLLING_SESSION_HOURS", 8)


def idle_minutes() -> float:
    """How long a sign-in lasts without activity (CONTROLLING_SESSION_IDLE_MINUTES, default 60)."""
    return positive_setting("CONTROLLING_SESSION_IDLE_MINUTES", 60)


def hashed(token: str) -> str:
    """What the store keeps of a token or ticket: its sha256, in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def session_reference(streamlit_session_id: str) -> str:
    """A short reference to a browser session for logs (not the session id itself)."""
    return hashed(streamlit_session_id)[:12] if streamlit_session_id else "-"


def issue_ticket(store: Store, name: str, *, at: dt.datetime | None = None) -> str:
    """A one-time ticket (valid a minute) that the sign-in route exchanges for a session of `name`."""
    ticket = secrets.token_urlsafe(32)
    store.signins.add_ticket(hashed(ticket), name, expires_at=(at or now()) + dt.timedelta(seconds=TICKET_SECONDS))
    return ticket


def redeem_ticket(store: Store, ticket: str, *, at: dt.datetime | None = None) -> str | None:
    """The cookie token of a new session for a valid ticket (used up now); None for a bad or late one."""
    at = at or now()
    name = store.signins.redeem_ticket(hashed(ticket), at=at) if ticket else None
    return None if name is None else open_session(store, name, at=at)


def open_session(store: Store, name: str, *, at: dt.datetime | None = None) -> str:
    """A new session for `name`; the token goes to the browser, its hash to the store."""
    at = at or now()
    token = secrets.token_urlsafe(32)
    store.signins.open_session(
        secrets.token_hex(8),
        hashed(token),
        name,
        at=at,
        expires_at=at + dt.timedelta(hours=session_hours()),
    )
    return token


def find(store: Store, token: str, *, at: dt.datetime | None = None) -> SessionRow | None:
    """The live session of a cookie's token (name, current role), or None."""
    if not token:
        return None
    at = at or now()
    return store.signins.find_session(hashed(token), at=at, idle_since=at - dt.timedelta(minutes=idle_minutes()))


def sign_out(store: Store, token: str) -> str | None:
    """End the session of a token; its reference, or None when it had none."""
    return store.signins.revoke_token(hashed(token)) if token else None


def cookie_secure(scheme: str, forwarded_proto: str | None) -> bool:
    """Whether the cookie is marked Secure (sent over TLS only).

    CONTROLLING_COOKIE_SECURE `ja`/`nein` decides; without it, the cookie is Secure when the request came over
    https, directly or through a reverse proxy that says so in X-Forwarded-Proto.
    """
    setting = os.environ.get("CONTROLLING_COOKIE_SECURE", "").strip().casefold()
    if setting in {"ja", "1", "true", "yes"}:
        return True
    if setting in {"nein", "0", "false", "no"}:
        return False
    if setting:
        raise AuthError(f"CONTROLLING_COOKIE_SECURE ist »ja« oder »nein« (oder nicht gesetzt), nicht »{setting}«.")
    proto = (forwarded_proto or "").split(",")[0].strip().casefold()
    return scheme == "https" or proto == "https"


def local_target(target: str | None, *, fallback: str = "/") -> str:
    """A path on this server to send the browser back to; anything else (another host) becomes `fallback`."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")):
        return fallback
    if any(ord(c) < 32 for c in target) or "\\" in target:
        return fallback
    return target
