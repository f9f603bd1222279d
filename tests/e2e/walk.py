"""A walk over every page for every role at desktop and tablet width: what it reads (texts and the attributes a
screen reader speaks) and what axe-core finds (issue 25, points 9 and 10)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tests.e2e.conftest import ROOT, STAFF_PASSWORD, wait_until_rendered

TABLET = {"width": 820, "height": 1180}
DESKTOP = {"width": 1366, "height": 900}
PROVIDER = ("edemissen", "lieferant-passwort-2026")
PARTNER = ("ksb", "partner-passwort-2026", "Kreissportbund Peine")  # issue 27: a network partner's account
AXE = ROOT / ".axe" / "node_modules" / "axe-core" / "axe.min.js"  # installed by .ci/run (npm, pinned)

# Every page of dashboard.py with its address and whether it is the staff's (read from the router, so a new page
# is walked too).
_PAGE_CALLS = re.findall(
    r'st\.Page\(((?:[^()"]|"[^"]*")*)\)', (ROOT / "dashboard.py").read_text(encoding="utf-8"), re.DOTALL
)


@dataclass(frozen=True)
class Page:
    title: str
    path: str  # the address after the server's root ("" for the default page)
    staff: bool  # hidden from the navigation unless the role may see it


PAGES = [
    Page(
        title=re.search(r'title="([^"]+)"', call)[1],
        path="" if "default=True" in call else Path(re.search(r'"pages/([^"]+)\.py"', call)[1]).stem,
        staff="visibility=" in call,
    )
    for call in _PAGE_CALLS
]
# "Unsere Ziele" in its other languages (issue 27): their texts are in that language, marked with lang; the page's
# own words stay German and are read like every other page.
LANGUAGE_PAGES = [
    Page(title=f"Unsere Ziele ({language})", path=f"unsere_ziele?sprache={language}", staff=False)
    for language in ("leicht", "en", "ar")
]
ROLE_PAGES = {
    "anonym": PAGES + LANGUAGE_PAGES,  # staff pages by link: the German refusal
    "referat": PAGES,
    "lieferant": [page for page in PAGES if not page.staff or page.path == "datenlieferungen"],
    "partner": [page for page in PAGES if not page.staff],
}

# Texts and attributes as a person or a screen reader meets them: every visible text node, and every aria-label,
# title, placeholder, alt and aria-description of an element a screen reader does not skip (aria-hidden, hidden,
# not rendered).
READ = """() => {
  const foreign = (e) => { const l = e.closest('[lang]');
                           return l && l !== document.documentElement && !l.getAttribute('lang').startsWith('de'); };
  const skipped = (e) => e.closest('script,style,noscript,[aria-hidden="true"],[hidden]') || !e.checkVisibility()
                         || foreign(e);
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.nodeValue.trim();
    if (text && node.parentElement && !skipped(node.parentElement)) texts.push(text);
  }
  const names = ['aria-label', 'title', 'placeholder', 'alt', 'aria-description', 'aria-roledescription',
                 'data-title'];
  for (const e of document.querySelectorAll(names.map((n) => `[${n}]`).join(','))) {
    if (skipped(e)) continue;
    for (const n of names) { const v = e.getAttribute(n); if (v && v.trim()) texts.push(v.trim()); }
  }
  texts.push(document.title);
  return texts;
}"""


@dataclass
class Visit:
    role: str
    width: int
    page: Page
    texts: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)  # axe: id, impact, targets


def sign_in_as(tab, url: str, name: str, password: str) -> None:
    """Sign in through the sidebar form; a fresh server may drop the first sign-in, so once more if needed."""
    for attempt in range(2):
        tab.goto(url)
        tab.get_by_label("Name").first.wait_for(timeout=90_000)
        wait_until_rendered(tab)
        form = tab.locator('[data-testid="stForm"]').filter(has=tab.get_by_label("Passwort")).first
        form.get_by_label("Name").fill(name)
        form.get_by_label("Passwort").fill(password)
        form.get_by_role("button", name="Anmelden").click()
        try:
            tab.get_by_text("Angemeldet:").first.wait_for(timeout=60_000)
            return
        except Exception:  # Playwright's timeout; the second attempt raises if it fails too
            if attempt:
                raise


def open_page(tab, url: str, page: Page) -> None:
    """Open a page by its address and wait until it is drawn (charts painted, grids on canvas)."""
    tab.goto(f"{url}/{page.path}")
    # a heading, or for a page the role may not see, its German refusal
    tab.locator('[data-testid="stMain"] h1, [data-testid="stMain"] [data-testid="stAlert"]').first.wait_for(
        timeout=90_000
    )
    wait_until_rendered(tab)
    tab.wait_for_timeout(300)


def signed_in_tab(browser, url: str, role: str, size: dict):
    """A new tab of the given size, signed in as the role (anonym: not signed in).

    The sign-in happens at desktop width, where the sidebar with its form is open; the session survives the
    change of size, and every page is then loaded anew at the given width."""
    context = browser.new_context(viewport=DESKTOP, locale="de-DE")
    tab = context.new_page()
    if role == "referat":
        sign_in_as(tab, url, "referat.test", STAFF_PASSWORD)
    elif role == "lieferant":
        sign_in_as(tab, url, *PROVIDER)
    elif role == "partner":
        sign_in_as(tab, url, *PARTNER[:2])
    tab.set_viewport_size(size)
    return context, tab


def run_axe(tab) -> list[dict]:
    """axe-core on the page as it is: WCAG 2.0/2.1 A and AA; serious and critical violations with their nodes."""
    if not tab.evaluate("() => typeof window.axe !== 'undefined'"):
        tab.add_script_tag(path=str(AXE))
    return tab.evaluate(
        """async () => {
          const result = await axe.run(document, {runOnly: {type: 'tag',
                                                  values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
          return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                          nodes: v.nodes.map((n) => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                                      summary: (n.failureSummary || '').slice(0, 300)}))}));
        }"""
    )
