"""Accounts, roles and what each role may do (issue: roles and staff workflows)."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import secrets
import time

import bcrypt

from controlling.db import Store
from controlling.db.connection import now
from controlling.deliveries.state import provider_names
from controlling.errors import ControllingError

ROLES = ("betrachter", "referat", "admin", "lieferant", "partner")
ROLE_LABELS = {
    "betrachter": "Betrachter (nur lesen)",
    "referat": "Referat (Daten pflegen)",
    "admin": "Verwaltung",
    "lieferant": "Datenlieferant",  # issue 14: bound to one provider (user_account.provider)
    "partner": "Netzwerkpartner",  # issue 27: one account per organisation (user_account.actor_id)
}
MIN_PASSWORD_LENGTH = 12
# Who may do what; pages check these, not role names.
PERMISSIONS = {
    "lesen": {"betrachter", "referat", "admin", "lieferant", "partner"},
    "daten_pflegen": {"referat", "admin"},
    "konten_verwalten": {"admin"},
    # Issue 14: the delivery calendar (staff: all providers; a provider: its own) and a provider's upload.
    "lieferungen_sehen": {"referat", "admin", "lieferant"},
    "liefern": {"lieferant"},
    # Issue 27: a partner contributes to consultations and keeps its own organisation's entry.
    "beteiligen": {"partner"},
}
ANONYMOUS = "betrachter"
_LOG = logging.getLogger("controlling.anmeldung")


class AuthError(ControllingError):
    """A sign-in or account change was refused."""


def may(role: str | None, permission: str) -> bool:
    """True when the role holds the permission (no role: read-only)."""
    return (role or ANONYMOUS) in PERMISSIONS[permission]


def check_password(password: str) -> None:
    """Refuse empty and short passwords (there is no default password)."""
    if len(password.strip()) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"Das Passwort ist zu kurz: mindestens {MIN_PASSWORD_LENGTH} Zeichen, bitte.")


def add_account(
    store: Store, name: str, role: str, password: str, *, by: str, provider: str | None = None, actor: str | None = None
) -> None:
    """Create an account (or reset its role and password) with a salted bcrypt hash; a `lieferant` is bound
    to one provider of the catalogue, a `partner` to one actor of the network."""
    name = name.strip()
    if not name or len(name) > 64 or not name.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise AuthError("Der Kontoname darf Buchstaben, Ziffern, Punkt, Binde- und Unterstrich enthalten (1–64).")
    if role not in ROLES:
        raise AuthError(f"Unbekannte Rolle »{role}«; erlaubt sind {', '.join(ROLES)}.")
    provider = check_provider(store, role, provider)
    actor_id = check_actor(store, role, actor)
    check_password(password)
    hashed = bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")
    store.accounts.save(name, role, hashed, user=by, provider=provider, actor_id=actor_id)


def check_actor(store: Store, role: str, actor: str | None) -> int | None:
    """The network actor a `partner` speaks for (its exact name, case aside, or its number); None for other roles."""
    if role != "partner":
        if actor:
            raise AuthError("Nur ein Konto mit der Rolle »partner« wird an einen Akteur des Netzwerks gebunden.")
        return None
    actors = store.network.actors()
    wanted = (actor or "").strip()
    found = actors.loc[(actors["name"].str.casefold() == wanted.casefold()) | (actors["id"].astype(str) == wanted)]
    if len(found) != 1:
        raise AuthError(
            f"Unbekannter Akteur »{wanted}«. Ein Konto mit der Rolle »partner« braucht einen Akteur des Netzwerks "
            f"(Name oder Nummer): {', '.join(actors['name'][:30])}."
        )
    return int(found["id"].iloc[0])


def check_provider(store: Store, role: str, provider: str | None) -> str | None:
    """The provider of a `lieferant` account, as the catalogue names it; None for every other role."""
    if role != "lieferant":
        if provider:
            raise AuthError("Nur ein Konto mit der Rolle »lieferant« wird an einen Lieferanten gebunden.")
        return None
    known = provider_names(store.catalogue.indicators(), store.catalogue.areas())
    wanted = (provider or "").strip().lower()
    words = set(wanted.split())
    exact = [name for name in known if name.lower() == wanted]
    # "Jobcenter Peine" names "Jobcenter Landkreis Peine" when no other provider has all its words.
    loose = [name for name in known if words and words <= set(name.lower().split())]
    found = exact or (loose if len(loose) == 1 else [])
    if not found:
        raise AuthError(
            f"Unbekannter Lieferant »{provider or ''}«. Ein Konto mit der Rolle »lieferant« braucht einen "
            f"Lieferanten aus dem Kennzahlen-Katalog: {', '.join(known)}."
        )
    return found[0]


def disable_account(store: Store, name: str, *, disabled: bool = True, by: str) -> None:
    """Disable an account (or enable it again); its sessions end at once."""
    if not store.accounts.set_disabled(name.strip(), disabled, user=by):
        raise AuthError(f"Es gibt kein Konto »{name.strip()}«.")


def normalized_name(name: str) -> str:
    """The key a sign-in is throttled by: blanks trimmed and collapsed, case folded ("Anna ", "anna")."""
    return " ".join(name.split()).casefold()


def positive_setting(variable: str, default: float) -> float:
    """A positive number from the environment, else the default."""
    raw = os.environ.get(variable, "").strip()
    try:
        value = float(raw.replace(",", ".")) if raw else default
    except ValueError:
        raise AuthError(f"{variable} muss eine Zahl größer als 0 sein, nicht »{raw}«.") from None
    if not value > 0:
        raise AuthError(f"{variable} muss eine Zahl größer als 0 sein, nicht »{raw}«.")
    return value


def lockout_failures() -> int:
    """Failed sign-ins of a name within the lockout window that lock it (CONTROLLING_LOCKOUT_FAILURES, 10)."""
    return int(positive_setting("CONTROLLING_LOCKOUT_FAILURES", 10))


def lockout_minutes() -> float:
    """The window failures are counted in, and so the longest lock (CONTROLLING_LOCKOUT_MINUTES, 15)."""
    return positive_setting("CONTROLLING_LOCKOUT_MINUTES", 15)


# Failures of a name from all clients together lock clients that never signed in with it, at this many times the
# limit of one client: many guessers cannot try more, and the person's own browser still gets in.
NAME_LIMIT_FACTOR = 10


@functools.cache
def _dummy_hash() -> bytes:
    """A hash of the same cost as a real one: an unknown name is checked as long as a known one."""
    return bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt())


def _password_matches(password: str, stored: bytes | None) -> bool:
    """bcrypt check against the account's hash, or against the dummy hash for an unknown name."""
    valid = bcrypt.checkpw(password.encode("utf-8"), stored or _dummy_hash())
    return valid and stored is not None


def _slow_down(failures: int) -> None:
    """Wrong passwords wait longer after each failure (half a second more each, at most five)."""
    time.sleep(min(5.0, 0.5 * failures))


def authenticate(store: Store, name: str, password: str, *, session_ref: str = "", client: str = "") -> str:
    """The role of a valid sign-in.

    Attempts are counted per normalized name and client in the store (so across parallel sessions); after
    `lockout_failures()` failures within `lockout_minutes()` the name is locked for that client, and after
    NAME_LIMIT_FACTOR times as many from all clients for every client that never signed in with it. Every
    attempt is recorded with the session and client it came from; wrong passwords are slowed down, more after
    each failure.
    """
    key = normalized_name(name)
    at = now()
    since = at - dt.timedelta(minutes=lockout_minutes())
    limit = lockout_failures()
    attempt = store.signins.begin_attempt(
        key, session_ref, since=since, limit=limit, at=at, client=client, name_limit=NAME_LIMIT_FACTOR * limit
    )
    if not attempt:
        _LOG.warning("Anmeldung gesperrt: %r (Sitzung %s)", key, session_ref)
        # As long as a failure: a quick "gesperrt" would tell an attacker that the name is locked, so real.
        _password_matches(password, None)
        _slow_down(store.signins.failures(key, since=since, client=client))
        raise AuthError(
            f"Zu viele Fehlversuche für diesen Namen: Die Anmeldung ist für bis zu {lockout_minutes():g} Minuten "
            "gesperrt. Bitte versuchen Sie es später erneut oder wenden Sie sich an die Verwaltung."
        )
    account = store.accounts.password_hash(name.strip())
    valid = _password_matches(password, None if account is None else account[1].encode("ascii"))
    store.signins.finish_attempt(attempt, success=valid)
    if not valid or account is None:
        failures = store.signins.failures(key, since=since, client=client)
        _LOG.warning("Anmeldung fehlgeschlagen: %r (Sitzung %s, %d. Fehlversuch)", key, session_ref, failures)
        _slow_down(failures)
        raise AuthError("Anmeldung fehlgeschlagen: Name oder Passwort stimmen nicht.")
    _LOG.info("Anmeldung: %r (Sitzung %s)", key, session_ref)
    return account[0]


def role_from_claim(claimed: object) -> str:
    """The role an OpenID Connect claim grants (a value or a list of them); the highest known one wins."""
    values = claimed if isinstance(claimed, list) else [claimed]
    return next((role for role in ("admin", "referat", "betrachter") if role in values), "betrachter")
