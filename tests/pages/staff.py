"""An AppTest session of the whole app, signed in as staff (the store is CONTROLLING_DB's)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from controlling.ui import SignedIn

ROOT = Path(__file__).resolve().parents[2]


def staff_session(page: str | None = None, *, name: str = "test") -> AppTest:
    """dashboard.py run once, signed in as Referat staff, on `page` if given."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.session_state["_signed_in"] = SignedIn(name=name, role="referat", via="konto")
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at
