"""AppTest: a Kreis other than Peine, set up on first start from CONTROLLING_KREIS, renders every page and never
says "Peine"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from controlling.ui import SignedIn

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
TEXT_ELEMENTS = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success")


KREISE = {"03151": "Landkreis Gifhorn", "05315": "Stadt Köln"}  # a Landkreis, a kreisfreie Stadt


@pytest.fixture(scope="module")
def databases(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("kreise")


def start(databases: Path, kreis: str, monkeypatch: pytest.MonkeyPatch, *, staff: bool = True) -> AppTest:
    """The dashboard on a database of this Kreis (set up on its first start from CONTROLLING_KREIS)."""
    monkeypatch.setenv("CONTROLLING_DB", str(databases / f"{kreis}.duckdb"))
    monkeypatch.setenv("CONTROLLING_KREIS", kreis)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.run()
    assert not at.exception
    if staff:
        at.session_state["_signed_in"] = SignedIn(name="test", role="referat", via="konto")
        at.run()
    return at


@pytest.fixture
def app(databases, monkeypatch):
    return start(databases, "03151", monkeypatch)


def figures(at: AppTest) -> list[str]:
    """The plotly figures of the page as JSON text (non-ASCII letters as they are)."""
    return [json.dumps(json.loads(chart.proto.spec), ensure_ascii=False) for chart in at.get("plotly_chart")]


def shown_text(at: AppTest) -> str:
    """Every text element of the page and the sidebar, joined."""
    parts = [str(element.value) for kind in TEXT_ELEMENTS for element in getattr(at, kind)]
    parts += [str(element.value) for kind in TEXT_ELEMENTS for element in getattr(at.sidebar, kind)]
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("kreis", list(KREISE))
def test_every_page_renders_for_another_kreis_and_says_nothing_of_peine(databases, monkeypatch, kreis, page):
    app = start(databases, kreis, monkeypatch)
    app.switch_page(page).run()
    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert app.title, "jede Seite hat eine Überschrift"
    assert "Peine" not in shown_text(app)


@pytest.mark.parametrize("kreis", list(KREISE))
def test_the_overview_and_sidebar_name_the_kreis(databases, monkeypatch, kreis):
    at = start(databases, kreis, monkeypatch, staff=False)  # as a viewer: the Kreis under the navigation
    assert KREISE[kreis] in at.title[0].value
    assert f"{KREISE[kreis]} · Referat Migration und Teilhabe" in [c.value for c in at.sidebar.caption]
    assert "Peine" not in shown_text(at)


def test_the_map_of_gifhorn_draws_its_gemeinden_with_the_source_note(app):
    app.switch_page("pages/karte.py").run()
    assert not app.exception
    [figure] = figures(app)
    assert '"fill": "toself"' in figure
    assert "© GeoBasis-DE / BKG 2021 (Daten verändert)" in figure
    assert "Wittingen" in figure and "Gifhorn (Stadt)" in figure  # Gemeinden of Gifhorn
    assert '"geo"' not in figure and "mapbox" not in figure and "tiles" not in figure  # no map service


def test_the_comparison_map_shows_the_kreise_of_niedersachsen(app):
    app.switch_page("pages/vergleich.py").run()
    assert not app.exception
    [kreis_map] = [figure for figure in figures(app) if "Die Kreise des Landes" in figure]
    assert "Landkreis Goslar" in kreis_map and "Region Hannover" in kreis_map
