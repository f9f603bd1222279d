"""Accounts, roles and what each role may do (issue: roles and staff workflows)."""

from __future__ import annotations

import time

import bcrypt

from controlling.db import Store
from controlling.deliveries import provider_names
from controlling.errors import ControllingError

ROLES = ("betrachter", "referat", "admin", "lieferant")
ROLE_LABELS = {
    "betrachter": "Betrachter (nur lesen)",
    "referat": "Referat (Daten pflegen)",
    "admin": "Verwaltung",
    "lieferant": "Datenlieferant",  # issue 14: bound to one provider (user_account.provider)
}
MIN_PASSWORD_LENGTH = 12
# Who may do what; pages check these, not role names.
PERMISSIONS = {
    "lesen": {"betrachter", "referat", "admin", "lieferant"},
    "daten_pflegen": {"referat", "admin"},
    "konten_verwalten": {"admin"},
    # Issue 14: the delivery calendar (staff: all providers; a provider: its own) and a provider's upload.
    "lieferungen_sehen": {"referat", "admin", "lieferant"},
    "liefern": {"lieferant"},
}
ANONYMOUS = "betrachter"


class AuthError(ControllingError):
    """A sign-in or account change was refused."""


def may(role: str | None, permission: str) -> bool:
    """True when the role holds the permission (no role: read-only)."""
    return (role or ANONYMOUS) in PERMISSIONS[permission]


def check_password(password: str) -> None:
    """Refuse empty and short passwords (there is no default password)."""
    if len(password.strip()) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"Das Passwort ist zu kurz: mindestens {MIN_PASSWORD_LENGTH} Zeichen, bitte.")


def add_account(store: Store, name: str, role: str, password: str, *, by: str, provider: str | None = None) -> None:
    """Create an account (or reset its role and password) with a salted bcrypt hash; a `lieferant` is bound
    to one provider of the catalogue."""
    name = name.strip()
    if not name or len(name) > 64 or not name.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise AuthError("Der Kontoname darf Buchstaben, Ziffern, Punkt, Binde- und Unterstrich enthalten (1–64).")
    if role not in ROLES:
        raise AuthError(f"Unbekannte Rolle »{role}«; erlaubt sind {', '.join(ROLES)}.")
    provider = check_provider(store, role, provider)
    check_password(password)
    hashed = bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")
    store.accounts.save(name, role, hashed, user=by, provider=provider)


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


def authenticate(store: Store, name: str, password: str) -> str:
    """The role of a valid sign-in; wrong passwords are slowed down (more after repeated failures) and logged."""
    account = store.accounts.password_hash(name.strip())
    valid = account is not None and bcrypt.checkpw(password.encode("utf-8"), account[1].encode("ascii"))
    if not valid or account is None:
        failures = store.audit.recent_failures(name)
        store.audit.log_event(name or "?", "anmeldung_fehlgeschlagen", "account", name)
        time.sleep(min(5.0, 0.5 * (failures + 1)))
        raise AuthError("Anmeldung fehlgeschlagen: Name oder Passwort stimmen nicht.")
    store.audit.log_event(name, "anmeldung", "account", name)
    return account[0]


def role_from_claim(claimed: object) -> str:
    """The role an OpenID Connect claim grants (a value or a list of them); the highest known one wins."""
    values = claimed if isinstance(claimed, list) else [claimed]
    return next((role for role in ("admin", "referat", "betrachter") if role in values), "betrachter")
