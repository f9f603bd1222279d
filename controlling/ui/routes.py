"""What the server does besides Streamlit: the two sign-in routes, and the German page for unexpected errors.

dashboard.py builds its `st.App` from these. A Streamlit script has no HTTP response and so cannot set an
HttpOnly cookie; these routes can. `/anmeldung/abschliessen?ticket=…&ziel=/seite` exchanges a one-time
ticket (issued after a valid sign-in in the form) for the session cookie; `/abmelden` ends the session and
clears the cookie. Both send the browser back to `ziel`, a path on this server.
"""

from __future__ import annotations

import logging
import secrets
import sys

import streamlit as st
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from streamlit.runtime.pages_manager import PagesManager

from controlling import websession
from controlling.ui.session import store
from controlling.ui.signin import FINISH_SIGN_IN_PATH, SIGN_OUT_PATH

_LOG = logging.getLogger("controlling")


def _base() -> str:
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def _back(request: Request) -> RedirectResponse:
    """A redirect to `ziel` (a path on this server, else the start page), never cached."""
    target = websession.local_target(request.query_params.get("ziel"), fallback=f"{_base()}/")
    return RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})


def _secure(request: Request) -> bool:
    return websession.cookie_secure(request.url.scheme, request.headers.get("x-forwarded-proto"))


def finish_sign_in(request: Request) -> Response:
    """Exchange a sign-in ticket for the session cookie (HttpOnly, SameSite=Strict), then go back to the page."""
    response = _back(request)
    token = websession.redeem_ticket(store(), request.query_params.get("ticket", ""))
    if token is not None:
        websession.sign_out(store(), request.cookies.get(websession.COOKIE_NAME, ""))  # a session it replaces
        response.set_cookie(
            websession.COOKIE_NAME,
            token,
            max_age=int(websession.session_hours() * 3600),
            path=f"{_base()}/",
            httponly=True,
            samesite="strict",
            secure=_secure(request),
        )
    return response


def sign_out(request: Request) -> Response:
    """End this browser's session and clear its cookie, then go back to the page."""
    reference = websession.sign_out(store(), request.cookies.get(websession.COOKIE_NAME, ""))
    if reference:
        _LOG.info("Abmeldung (Sitzung %s)", reference)
    response = _back(request)
    response.delete_cookie(
        websession.COOKIE_NAME, path=f"{_base()}/", httponly=True, samesite="strict", secure=_secure(request)
    )
    return response


def routes() -> list[BaseRoute]:
    """The sign-in routes, under the server's base path."""
    return [
        Route(_base() + FINISH_SIGN_IN_PATH, finish_sign_in, methods=["GET"]),
        Route(_base() + SIGN_OUT_PATH, sign_out, methods=["GET"]),
    ]


def prepare_server() -> None:
    """Once per server, before the first page view: the log, and Streamlit's navigation mode.

    Messages of the controlling package go to the server's log (stderr), with time and level. Streamlit's old
    mode for a pages/ folder is switched off from the start (dashboard.py navigates with st.navigation): in
    that mode the first run after a start ran dashboard.py as one of the folder's pages, its widgets got other
    ids than in every later run, and so the first click after a start (a sign-in) was silently dropped.
    """
    logger = logging.getLogger("controlling")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    PagesManager.uses_pages_directory = False


def show_unexpected_error(error: Exception) -> bool:
    """An exception no page caught: a German message with a reference number; the traceback goes to the log.

    Everyone sees the same message, staff too: the traceback is for whoever runs the server, who finds it in
    the log under the number.
    """
    reference = secrets.token_hex(4)
    _LOG.error("Unerwarteter Fehler, Fehlernummer %s", reference, exc_info=error)
    st.error(
        f"Hier ist leider ein unerwarteter Fehler aufgetreten (Fehlernummer {reference}). Bitte laden Sie die "
        "Seite neu; bleibt der Fehler, nennen Sie der Verwaltung die Fehlernummer."
    )
    return True
