"""AppTest: every page renders on the demo data without exception; main interactions work."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


@pytest.fixture
def app(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("CONTROLLING_DB", str(tmp_path_factory.getbasetemp() / "pages.duckdb"))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(app, page):
    app.switch_page(page).run()
    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert app.title, "jede Seite hat eine Überschrift"


def test_overview_shows_lights_for_the_kreis(app):
    assert "Übersicht Landkreis Peine 2024" in app.title[0].value
    labels = [metric.label for metric in app.metric]
    assert any("Rot" in label for label in labels)
    assert sum(int(metric.value) for metric in app.metric) >= 35  # every rated indicator of the Kreis
    assert any("Demodaten" in w.value for w in app.sidebar.warning)


def test_overview_year_can_be_changed(app):
    app.sidebar.selectbox(key="year").select(2021).run()
    assert not app.exception
    assert "2021" in app.title[0].value
