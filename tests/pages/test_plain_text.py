"""Staff text is plain text on every page (issue 29, point 7): a Kennzahl name, definition and source, an
Einordnung and a measure title holding a bare URL, an autolink, a Markdown image or an icon shortcode are shown
as the characters they are, never as a link, an image or an icon."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from controlling import maintenance
from controlling.bootstrap import initialize
from controlling.db import Store
from controlling.measures.model import MeasureInput, save_measure
from controlling.ui import SignedIn

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "Quote https://evil.example/a <https://evil.example/b> www.evil.example :material/home: :red[rot]"
IMAGE = "![Bild](https://evil.example/c.png) [Link](https://evil.example/d)"
LIVE = ("https://", "](", ":material/home:", ":red[", "www.evil")


def shown(app: AppTest) -> list[str]:
    elements = [*app.title, *app.markdown, *app.caption, *app.warning, *app.info, *app.subheader]
    return [str(element.value) for element in elements]


def test_staff_text_stays_text_on_the_kennzahl_page(tmp_path, monkeypatch):
    db = tmp_path / "c.duckdb"
    monkeypatch.setenv("CONTROLLING_DB", str(db))
    monkeypatch.chdir(ROOT)
    store = Store(str(db))
    try:
        initialize(store, demo=True)
        maintenance.save_indicator(
            store,
            {
                "kennzahl": "BIL-01",
                "bezeichnung": HOSTILE,
                "handlungsfeld": "BIL",
                "einheit": "%",
                "richtung": "hoch",
                "aggregation": "quote",
                "faktor": "100",
                "nachkommastellen": "1",
                "definition": HOSTILE,
                "quelle": HOSTILE,
            },
            user="test",
        )
        maintenance.add_comment(store, indicator="BIL-01", area="03157", year=2023, text=f"{HOSTILE} {IMAGE}", user="t")
        save_measure(
            store,
            MeasureInput(
                title=f"{HOSTILE} {IMAGE}",
                responsible="Referat",
                status="geplant",
                indicators=["BIL-01"],
                due_date=dt.date(2020, 1, 1),
            ),
            user="test",
        )
    finally:
        store.close()
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    assert not app.exception
    for signed_in in (False, True):
        if signed_in:
            app.session_state["_signed_in"] = SignedIn(name="test", role="referat", via="konto")
        app.query_params["kennzahl"] = "BIL-01"
        app.switch_page("pages/kennzahl.py").run()
        assert not app.exception, app.exception
        texts = shown(app)
        assert any("evil" in text for text in texts)  # the texts are there, as text
        live = [text for text in texts if any(sign in text for sign in LIVE)]
        assert not live, live


def test_a_chart_title_shows_markup_as_characters():
    """plotly reads <a href> in a title: a Kennzahl name holding one is shown as its characters."""
    from controlling import charts

    figure = charts._layout(charts.go.Figure(), 'Quote <a href="https://evil.example">x</a>', "%")
    assert figure.layout.title.text == 'Quote &lt;a href="https://evil.example"&gt;x&lt;/a&gt;'


def test_a_refusal_shows_the_files_value_as_text():
    """A refused file's value (here an image and an icon) is named in the message, never shown as an image."""
    from controlling.ui.badges import as_text

    shown = as_text("Wert »![Bild](https://evil.example/c.png)« :material/home: www.evil.example a@evil.example")
    # Escapes, and an invisible word joiner (U+2060) where the renderer would still find an address or an icon
    # in the parsed text (the browser test tests/e2e/test_outside_requests_browser.py found such live links).
    joiner = "\u2060"
    assert shown == (
        f"Wert »\\!\\[Bild\\]\\(https\\:{joiner}//evil.example/c.png\\)« \\:{joiner}material/home\\: "
        f"www{joiner}\\.evil.example a@{joiner}evil.example"
    )
