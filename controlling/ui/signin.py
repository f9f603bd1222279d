"""Who is signed in (a built-in account's lasting session or the Landkreis's OpenID Connect), page permissions,
one-time messages."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.errors import StreamlitSecretNotFoundError
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

from controlling import auth, websession
from controlling.errors import ControllingError
from controlling.ui.session import store


@dataclass(frozen=True)
class SignedIn:
    """Who signed in. Kept as an object: no widget can produce it, so a session-state value typed in by hand
    (a string "referat") never grants a role."""

    name: str
    role: str
    via: str  # "konto" | "oidc"


# The routes (controlling/ui/routes.py) that turn a ticket into the session cookie and clear it again.
FINISH_SIGN_IN_PATH = "/anmeldung/abschliessen"
SIGN_OUT_PATH = "/abmelden"


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, StreamlitSecretNotFoundError):
        return False


def session_token() -> str:
    """The token of this browser's lasting sign-in (the HttpOnly cookie sent when the page was opened)."""
    token = st.context.cookies.get(websession.COOKIE_NAME)
    return token if isinstance(token, str) else ""  # AppTest's stand-in client sends no real cookies


def signed_in() -> SignedIn | None:
    """The signed-in person: from the Landkreis's OpenID Connect provider, or a built-in account's session.

    The session cookie is looked up on every call, so a sign-out elsewhere, an account change, expiry and
    the idle limit take effect with the next click. Without a cookie, a SignedIn the process itself put into
    the session counts (the AppTest harness does; the app never does: it signs in through the cookie).
    """
    if _oidc_configured() and getattr(st.user, "is_logged_in", False):
        claim = str(st.secrets.get("controlling", {}).get("role_claim", "roles"))
        role = auth.role_from_claim(st.user.get(claim))
        return SignedIn(name=str(st.user.get("email") or st.user.get("name") or "OIDC"), role=role, via="oidc")
    token = session_token()
    if token:
        found = websession.find(store(), token)
        return None if found is None else SignedIn(name=found.name, role=found.role, via="konto")
    entry = st.session_state.get("_signed_in")
    return entry if isinstance(entry, SignedIn) else None


def current_role() -> str:
    """The role in force: the signed-in person's, else read-only."""
    person = signed_in()
    return person.role if person else auth.ANONYMOUS


def current_user() -> str:
    """The name written into the audit trail."""
    person = signed_in()
    return person.name if person else "anonym"


def session_reference() -> str:
    """A short, non-secret reference to this browser session for the sign-in record and the server log."""
    ctx = get_script_run_ctx()
    return websession.session_reference(ctx.session_id if ctx is not None else "")


def _route(path: str) -> str:
    """A route's path under the server's base path (server.baseUrlPath behind a reverse proxy)."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}{path}" if base else path


def _go_to_route(path: str, ticket: str = "") -> None:
    """Send the browser to a sign-in route, which sends it back to the page it is on now.

    The run goes on: stopping it before dashboard.py reaches st.navigation would leave Streamlit without pages.
    """
    target = json.dumps(_route(path) + (f"?ticket={ticket}&" if ticket else "?") + "ziel=")
    st.html(
        f"<script>window.location.replace({target} + "
        "encodeURIComponent(window.location.pathname + window.location.search));</script>",
        unsafe_allow_javascript=True,
    )


def sign_in_sidebar() -> None:
    """Sign-in (OIDC button or built-in form), the signed-in name, sign-out."""
    person = signed_in()
    box = st.sidebar.container(border=True)
    if person is None:
        sign_in_form(box, key="login")
        return
    box.markdown(f"Angemeldet: **{html.escape(person.name)}**  \n{auth.ROLE_LABELS[person.role]}")
    if box.button("Abmelden", key="logout"):
        if person.via == "oidc":
            st.logout()  # Streamlit's own route clears its cookie and comes back
            return
        websession.sign_out(store(), session_token())
        st.session_state.pop("_signed_in", None)
        _go_to_route(SIGN_OUT_PATH)


def sign_in_form(box: DeltaGenerator, *, key: str) -> None:
    """The OIDC button, or the built-in form; a valid sign-in goes on to the route that sets the cookie."""
    if _oidc_configured():
        box.button("Anmelden (Landkreis-Konto)", on_click=st.login, key=f"{key}_oidc")
        return
    if store().accounts.list().empty:
        # No command line here: committee members read this page too; the README says how staff get accounts.
        box.caption(
            "Nur Lesen: Es gibt noch kein Konto für Mitarbeiterinnen und Mitarbeiter "
            "(siehe README, »Anmeldung und Rollen«)."
        )
        return
    with box.form(key, clear_on_submit=True):
        name = st.text_input("Name")
        password = st.text_input("Passwort", type="password")
        submitted = st.form_submit_button("Anmelden")
    if submitted:
        try:
            auth.authenticate(store(), name, password, session_ref=session_reference(), client=client_address())
        except ControllingError as error:
            box.error(str(error))
        else:
            _go_to_route(FINISH_SIGN_IN_PATH, websession.issue_ticket(store(), name.strip()))


def client_address() -> str:
    """Where a sign-in comes from (the browser's address), for a lock that leaves other clients alone; the
    session where the server does not know it."""
    return str(st.context.ip_address or session_reference())


_ENTRY_RAN = "_entry_point_ran"


# "Press Enter to submit form" under a field says nothing a person needs; the uploader's English is translated
# in the browser (ui.german), so that its button keeps a name a screen reader can read.
GERMAN_WIDGETS = """<style>
[data-testid="InputInstructions"] { display: none; }
</style>"""


def start_page(permission: str | None = None) -> None:
    """The first call of every page: run it inside dashboard.py, and stop it for a role without `permission`.

    For an app with a pages/ folder Streamlit starts in its old mode: until dashboard.py has called
    st.navigation once, a request for a page URL runs that page alone, under a list of file names, with no
    sign-in. The first run of such a session is repeated at once through dashboard.py, which keeps the
    page and its link. (A later run is not repeated: that would drop the click that caused it.)
    """
    st.html(GERMAN_WIDGETS)
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        if not st.session_state.get(_ENTRY_RAN):
            st.rerun()
    if permission is not None and not auth.may(current_role(), permission):
        who = signed_in()
        if who is None:
            st.error("Diese Seite ist dem Referat Migration und Teilhabe vorbehalten. Bitte melden Sie sich an.")
            sign_in_form(st.container(border=True), key="login_seite")
        else:  # signed in with a role that may not (a provider): asking them to sign in would lead nowhere
            st.error(
                f"Diese Seite ist dem Referat Migration und Teilhabe vorbehalten; Ihr Konto »{who.name}« hat keinen "
                "Zugang zu ihr. Die Seiten, die Sie nutzen können, stehen links in der Navigation."
            )
        st.stop()


def entry_point_ran() -> None:
    """dashboard.py has set up this session's navigation (see start_page)."""
    st.session_state[_ENTRY_RAN] = True


def flash(message: str, *, saved: bool = True) -> None:
    """Show a message after the rerun that brings the page's tables up to date (`saved`: as a success)."""
    st.session_state["_flash"] = (message, saved)
    st.rerun()


def show_flash() -> None:
    """The message of the last change, once."""
    message, saved = st.session_state.pop("_flash", (None, True))
    if message:
        (st.success if saved else st.info)(message)
