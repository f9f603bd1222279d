"""German throughout and a layout for tablet and desktop (issue 16), checked in Chromium like a person sees it."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import ROOT, SCREENSHOTS, sign_in, wait_until_rendered

TABLET = {"width": 820, "height": 1180}
DESKTOP = {"width": 1366, "height": 900}
# Every page of dashboard.py, by its name in the navigation (read from the router, so a new page is walked too);
# pages with a visibility are the staff's.
_PAGE_CALLS = re.findall(
    r'st\.Page\(((?:[^()"]|"[^"]*")*)\)', (ROOT / "dashboard.py").read_text(encoding="utf-8"), re.DOTALL
)
REPORT_PAGES = [re.search(r'title="([^"]+)"', call)[1] for call in _PAGE_CALLS if "visibility=" not in call]
STAFF_PAGES = [re.search(r'title="([^"]+)"', call)[1] for call in _PAGE_CALLS if "visibility=" in call]
# English that Streamlit, plotly or pandas would put on screen; whole words only ("Download" is no part of a
# German word here, and "Open SDG" is a format's name, so "Open" is not on the list).
ENGLISH = [
    "Upload",
    "Browse files",
    "Choose an option",
    "Choose options",
    "Press Enter to submit form",
    "Press Enter to apply",
    "Page not found",
    "No results",
    "None",
    "nan",
    "NaN",
    "200MB",
    "Drag and drop",
    "Running",
    "Select all",
    "Download",
    "Download as CSV",
    "Close",
    "Clear",
    "Clear all",
    "Search",
    "Fullscreen",
    "Show password",
    "Increment",
    "Decrement",
    "Sort ascending",
    "Reset axes",
    "Autoscale",
    "Sidebar",
]
ENGLISH_WORDS = re.compile(r"\b(" + "|".join(re.escape(word) for word in ENGLISH) + r")\b")
# What a person reads besides the text: labels and tooltips of visible controls, placeholders of empty fields.
READ_ALOUD = """() => [...document.querySelectorAll('[aria-label],[title],[data-title],input[placeholder]')]
    .filter((e) => e.offsetParent !== null || e.closest('[data-testid="stElementToolbar"]'))
    .flatMap((e) => [e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('data-title'),
                     e.tagName === 'INPUT' && !e.value ? e.getAttribute('placeholder') : null])
    .filter(Boolean)"""


# Is an element with this text drawn inside the first screen (not in a collapsed sidebar, not hidden)?
IN_VIEW = """(text) => [...document.querySelectorAll('p, div, label, strong')]
    .filter((e) => e.textContent.trim().startsWith(text) && e.checkVisibility())
    .some((e) => { const r = e.getBoundingClientRect();
                   return r.width > 0 && r.x >= 0 && r.right <= window.innerWidth && r.y >= 0
                          && r.bottom <= window.innerHeight; })"""


def english_on(tab) -> list[str]:
    """English words in the page's text, title, labels, tooltips and placeholders."""
    texts = [tab.inner_text("body"), tab.title(), *tab.evaluate(READ_ALOUD)]
    return sorted({match for text in texts for match in ENGLISH_WORDS.findall(text)})


def _open(tab, name: str) -> None:
    tab.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=name, exact=True).click()
    tab.get_by_role("heading").first.wait_for(timeout=60_000)
    wait_until_rendered(tab)


def _signed_in(tab, url: str) -> None:
    """Sign in as staff; once more if the first attempt after the server's start was dropped (issue 17)."""
    try:
        sign_in(tab, url)
    except Exception:  # Playwright's timeout; the second attempt raises if it fails too
        sign_in(tab, url)


@pytest.mark.parametrize("role", ["viewer", "staff"])
def test_no_english_on_any_page(server, browser, role):
    context = browser.new_context(viewport=DESKTOP, locale="de-DE")
    tab = context.new_page()
    tab.goto(server.url)
    wait_until_rendered(tab)
    pages = REPORT_PAGES
    if role == "staff":
        _signed_in(tab, server.url)
        pages = REPORT_PAGES + STAFF_PAGES
    found = {}
    for name in pages:
        _open(tab, name)
        tables = tab.locator('[data-testid="stDataFrame"]:visible')  # not one folded away in an expander
        if tables.count():
            tables.first.hover()  # the table's toolbar shows on hover
        if english := english_on(tab):
            found[name] = english
    if role == "viewer":  # a staff page asked for by link: the German refusal
        for path in ("daten_hochladen", "ziele", "protokoll"):
            tab.goto(f"{server.url}/{path}")
            tab.get_by_text("Diese Seite ist dem Referat").wait_for(timeout=60_000)
            wait_until_rendered(tab)
            if english := english_on(tab):
                found[path] = english
    context.close()
    assert found == {}


def test_the_sidebar_is_collapsed_on_a_tablet_and_opens(server, browser):
    context = browser.new_context(viewport=TABLET, locale="de-DE")
    tab = context.new_page()
    tab.goto(f"{server.url}/kennzahl?kennzahl=BIL-05")
    wait_until_rendered(tab)
    sidebar = tab.locator('[data-testid="stSidebar"]')
    # `?.`: while the page is still being drawn the element may not exist yet; the wait goes on then
    tab.wait_for_function("""() => document.querySelector('[data-testid="stSidebar"]')
                                   ?.getAttribute('data-collapsed') === 'true'""")
    # the page has the whole width once the sidebar has slid away
    tab.wait_for_function("""() => document.querySelector('[data-testid="stMain"]')?.getBoundingClientRect().x < 10""")
    tab.locator('[data-testid="stExpandSidebarButton"]').click()
    tab.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Gemeinde", exact=True).wait_for()
    assert sidebar.get_attribute("data-collapsed") == "false"
    _open(tab, "Gemeinde")  # the navigation works from the opened sidebar
    context.close()

    context = browser.new_context(viewport=DESKTOP, locale="de-DE")
    tab = context.new_page()
    tab.goto(server.url)
    wait_until_rendered(tab)
    assert tab.locator('[data-testid="stSidebar"]').get_attribute("data-collapsed") == "false"  # desktop: open
    context.close()


@pytest.mark.parametrize("size", [TABLET, DESKTOP], ids=["820", "1366"])
def test_overview_and_kennzahl_keep_what_matters_in_view(server, browser, size):
    """Screenshots of both pages at tablet and desktop size (looked at), the matrix reaches all areas."""
    context = browser.new_context(viewport=size, locale="de-DE")
    tab = context.new_page()
    tab.goto(server.url)
    tab.get_by_text("Ampeln je Handlungsfeld und Gemeinde").wait_for(timeout=90_000)
    wait_until_rendered(tab)
    width = size["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"uebersicht_{width}.png"))
    assert tab.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling of the page
    # on a tablet, the Demodaten notice and the Berichtsjahr are in view without opening anything (issue 25,
    # point 6); on a desktop both are in the open sidebar
    for text in ("Demodaten", "Berichtsjahr") if width < 1000 else ():
        assert tab.evaluate(IN_VIEW, text), f"»{text}« ist bei {width} px nicht zu sehen"

    matrix = tab.locator("table").filter(has_text="Handlungsfeld").first
    box = matrix.locator("xpath=..")  # the matrix scrolls in its own box, its first column stays
    firsts = matrix.locator("th.lm-first")
    first_before = [firsts.nth(i).bounding_box()["x"] for i in range(firsts.count())]
    box.evaluate("(element) => element.scrollTo(element.scrollWidth, 0)")
    tab.wait_for_timeout(300)
    assert len(first_before) == 6  # the corner and five fields
    after = [firsts.nth(i).bounding_box()["x"] for i in range(firsts.count())]
    assert all(abs(a - b) < 2 for a, b in zip(after, first_before, strict=True))
    last = matrix.locator("th", has_text="Ilsede").bounding_box()
    assert last["x"] + last["width"] <= width + 1  # the eighth area is reachable
    tab.get_by_text("Wo wir vom Kurs abweichen").evaluate("(e) => e.scrollIntoView({block: 'start'})")
    tab.wait_for_timeout(500)
    tab.screenshot(path=str(SCREENSHOTS / f"uebersicht_{width}_abweichungen.png"))

    tab.goto(f"{server.url}/kennzahl?kennzahl=BIL-05")
    tab.get_by_role("heading", name="BIL-05").first.wait_for(timeout=60_000)
    wait_until_rendered(tab)
    tab.locator(".js-plotly-plot .legendtext").first.wait_for(timeout=60_000)  # the chart has painted
    tab.wait_for_timeout(500)
    tab.screenshot(path=str(SCREENSHOTS / f"kennzahl_{width}.png"))
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    legend = tab.locator(".legend .legendtext").first.bounding_box()
    x_axis = tab.locator(".xaxislayer-above").first.bounding_box()
    assert legend["y"] >= x_axis["y"] + x_axis["height"] - 1  # the legend is below the axis, never over it
    tab.get_by_text("Gemeinden und Landkreis im neuesten Jahr").evaluate("(e) => e.scrollIntoView({block: 'start'})")
    tab.wait_for_timeout(500)
    tab.screenshot(path=str(SCREENSHOTS / f"kennzahl_{width}_tabelle.png"))
    context.close()


def test_a_click_on_a_row_opens_its_whole_begruendung(server, browser):
    """Issue 25, point 8: "Eine Zeile anklicken …" did nothing on a click into the row (only its checkbox)."""
    context = browser.new_context(viewport=TABLET, locale="de-DE")
    tab = context.new_page()
    tab.goto(f"{server.url}/handlungsfeld?feld=SPR")
    tab.get_by_role("heading", name="Handlungsfeld Sprache").wait_for(timeout=60_000)
    wait_until_rendered(tab)
    grid = tab.locator('[data-testid="stDataFrame"]').first
    frame = grid.bounding_box()
    # the first row's Jahr cell (after the selection box and Kennzahl, 200 px; rows 112 px high): not the box
    tab.mouse.click(frame["x"] + 35 + 200 + 25, frame["y"] + 35 + 56)
    tab.get_by_text("SPR-01 DTZ-Erfolgsquote Sprachniveau B1").last.wait_for(timeout=30_000)
    wait_until_rendered(tab)
    reason = tab.locator('[data-testid="stAlertContentInfo"]').inner_text()
    assert reason.startswith("SPR-01") and "Ampel" in reason and len(reason) > 150  # the whole sentence
    tab.screenshot(path=str(SCREENSHOTS / "handlungsfeld_820_begruendung.png"))
    context.close()


def test_oeffnen_opens_the_kennzahl_in_the_same_tab_with_one_click(server, browser):
    """Issue 25, point 8: »öffnen« in 'Wo wir vom Kurs abweichen' opened a new tab."""
    context = browser.new_context(viewport=DESKTOP, locale="de-DE")
    opened = []
    context.on("page", lambda new: opened.append(new))
    tab = context.new_page()
    tab.goto(server.url)
    tab.get_by_text("Wo wir vom Kurs abweichen").wait_for(timeout=90_000)
    wait_until_rendered(tab)
    grid = tab.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    tab.wait_for_timeout(300)
    box = grid.bounding_box()
    # the first row's »öffnen«: after Kennzahl 190, Gebiet 105, Ampel 70 and Warum 300 px; header 35, rows 88 px
    x, y = box["x"] + 665 + 30, box["y"] + 35 + 44
    tab.mouse.move(x, y)
    tab.wait_for_timeout(300)  # the grid marks the link under the pointer
    tab.mouse.click(x, y)
    tab.wait_for_url("**/kennzahl?kennzahl=*", timeout=60_000)
    tab.get_by_role("heading", name=re.compile(r"^[A-Z]{3}-\d\d ")).first.wait_for(timeout=60_000)
    assert len(opened) == 1  # the one tab of this test, no second
    context.close()
