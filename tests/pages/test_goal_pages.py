"""AppTest of the goal pages (issue 14): Leitbild und Ziele (public), Zielsystem pflegen and drafts (staff)."""

from __future__ import annotations

import datetime as dt

from tests.pages.test_pages import app, sign_in  # noqa: F401 - the shared fixture


def _texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def test_leitbild_page_shows_the_tree_with_rolled_up_lights_and_the_rule(app):  # noqa: F811
    app.switch_page("pages/leitbild.py").run()
    assert not app.exception, app.exception
    assert [t.value for t in app.title] == ["Leitbild und Ziele"]
    shown = _texts(app)
    assert "Entwurf – vom Referat zu ersetzen." in shown
    assert "**Leitziel BIL\\-L1: Gleiche Bildungschancen" in shown
    assert "Handlungsziel BIL\\-L1\\-H1" in shown
    assert "So wird zusammengefasst: Ein Handlungsziel zeigt die schlechteste Ampel" in shown
    assert "× Rot" in shown and "× Grün" in shown
    assert "Ziel 2030" in shown  # each Kennzahl with its target in force
    assert [h.value for h in app.subheader][:5] == [
        "Handlungsfeld Bildung",
        "Handlungsfeld Sprache",
        "Handlungsfeld Arbeit",
        "Handlungsfeld Gesellschaft",
        "Handlungsfeld Kommunikation",
    ]
    assert "Die Ampeln gelten für **Landkreis Peine**" in shown
    app.sidebar.selectbox(key="url_gebiet").select("03157006").run()
    assert not app.exception
    assert "Die Ampeln gelten für **Peine \\(Stadt\\)**" in _texts(app)


def _leitbild_box(at):
    return next(box for box in at.text_area if box.label.startswith("Leitbild"))


def test_staff_change_the_leitbild_and_see_the_version(app):  # noqa: F811
    sign_in(app)
    app.switch_page("pages/zielsystem.py").run()
    assert not app.exception, app.exception
    assert app.title[0].value == "Zielsystem pflegen"
    _leitbild_box(app).input("# Leitbild\n\nSiehe [hier](https://example.org)").run()
    next(b for b in app.button if b.label == "Leitbild speichern").click().run()
    assert any("Leitbildtext ist einfacher Text" in e.value for e in app.error)
    _leitbild_box(app).input("# Leitbild\n\nAlle gehören dazu.").run()
    next(b for b in app.button if b.label == "Leitbild speichern").click().run()
    assert any("Leitbild gespeichert" in s.value for s in app.success)
    assert any("Fassung(en)" in c.value for c in app.caption)


def test_staff_link_kennzahlen_to_a_handlungsziel(app):  # noqa: F811
    sign_in(app)
    app.switch_page("pages/zielsystem.py").run()
    next(m for m in app.multiselect if m.label == "Kennzahlen").set_value(["BIL-01"]).run()
    next(b for b in app.button if b.label == "Verknüpfung speichern").click().run()
    assert not app.exception
    assert any("Kennzahlen verknüpft (1 Ziel geändert)" in s.value for s in app.success)


def test_a_target_draft_is_decided_on_the_ziele_page(app):  # noqa: F811
    sign_in(app)
    app.switch_page("pages/ziele.py").run()
    assert not app.exception, app.exception
    assert any(h.value == "Zielentwürfe – noch nicht beschlossen" for h in app.subheader)
    next(b for b in app.button if b.label == "Entwurf beschließen").click().run()
    assert any("nennt das Beschlussdatum" in e.value for e in app.error)  # no date: refused
    day = next(d for d in app.date_input if d.label == "Beschlussdatum")
    day.set_value(dt.date(2025, 11, 30))
    next(b for b in app.button if b.label == "Entwurf beschließen").click().run()
    assert not app.exception, app.exception
    assert any("ist beschlossen" in s.value for s in app.success), [e.value for e in app.error]


def test_a_target_not_better_than_its_baseline_is_listed_and_decided_as_a_limit(app):  # noqa: F811
    """Method 3: an improvement target that asks for nothing better is named on Ziele pflegen, and a limit is
    decided on the form with its Zieltyp."""
    sign_in(app)
    app.switch_page("pages/ziele.py").run()
    # a form's widgets are set together and sent with its button (the form is the page's last part)
    [s for s in app.selectbox if s.label == "Kennzahl"][-1].select("GES-06")
    [s for s in app.selectbox if s.label == "Gebiet"][-1].select("03157")
    [t for t in app.text_input if t.label == "Zielwert"][-1].input("45,0")  # above 32,1 % (2020), lower is better
    [r for r in app.radio if r.label == "Stand"][-1].set_value("beschlossen")
    [t for t in app.text_input if t.label == "Gremium (wenn beschlossen)"][-1].input("Kreisausschuss")
    [d for d in app.date_input if d.label == "Beschlussdatum"][-1].set_value(dt.date(2025, 11, 30))
    [b for b in app.button if b.label == "Ziel speichern"][-1].click().run()
    assert not app.exception, app.exception
    # said at once on saving, with the stored baseline value …
    assert any(
        "GES-06: Das Ziel (45,0 %) liegt nicht günstiger als der Ausgangswert 2020 (32,1 %)" in i.value
        for i in app.info
    ), [i.value for i in app.info]
    # … and listed until the Referat decides
    assert any("keine Verbesserung gegenüber ihrem Ausgangswert" in w.value for w in app.warning)
    listed = next(d for d in app.dataframe if "Ausgangswert" in d.value.columns).value
    assert "GES-06 Geflüchtete länger als 12 Monate in Gemeinschaftsunterkünften" in listed["Kennzahl"].tolist()
    # decided again as a limit: no longer listed
    [s for s in app.selectbox if s.label == "Kennzahl"][-1].select("GES-06")
    [s for s in app.selectbox if s.label == "Gebiet"][-1].select("03157")
    [t for t in app.text_input if t.label == "Zielwert"][-1].input("45,0")
    [r for r in app.radio if r.label == "Stand"][-1].set_value("beschlossen")
    [t for t in app.text_input if t.label == "Gremium (wenn beschlossen)"][-1].input("Kreisausschuss")
    [d for d in app.date_input if d.label == "Beschlussdatum"][-1].set_value(dt.date(2025, 12, 1))
    [r for r in app.radio if r.label == "Zieltyp"][-1].set_value("halten")
    [b for b in app.button if b.label == "Ziel speichern"][-1].click().run()
    assert not app.exception, app.exception
    still = [d.value for d in app.dataframe if "Ausgangswert" in d.value.columns]
    assert not still or "GES-06 Geflüchtete länger als 12 Monate in Gemeinschaftsunterkünften" not in (
        still[0]["Kennzahl"].tolist()
    )


def test_every_chart_has_its_data_as_a_table_beside_it(app):  # noqa: F811
    """Issue 25, point 10: a text alternative for every plotly chart (the Kennzahl page's chart had none)."""
    for page in ("pages/kennzahl.py", "pages/vergleich.py", "pages/karte.py"):
        app.switch_page(page).run()
        assert not app.exception, app.exception
        charts = app.get("plotly_chart")
        tables = [e for e in app.expander if "als Tabelle" in e.label]
        assert charts and len(tables) >= len(charts) - 1, (page, len(charts), [e.label for e in app.expander])
