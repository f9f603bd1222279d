"""German everywhere and BITV 2.0 / WCAG 2.1 AA (issue 25, points 9 and 10): every page, for every role
(anonym, referat, lieferant, partner), at desktop and tablet width, read like a person and a screen reader would, and
checked with axe-core."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import SCREENSHOTS, Server, running_server
from tests.e2e.test_deliveries_browser import _cli
from tests.e2e.walk import (
    AXE,
    DESKTOP,
    PARTNER,
    PROVIDER,
    READ,
    ROLE_PAGES,
    TABLET,
    Visit,
    open_page,
    run_axe,
    signed_in_tab,
)

# English that Streamlit, plotly, pandas, the browser or our own code could put in front of a person: whole words,
# matched case-sensitively as they are written. German words that look the same ("in", "Link", "Name", "App",
# "Status", "Export", "Filter", "Start", "Code", "Download") are left out; "Open SDG", "GENESIS" and "LSN" are
# names of formats and sources (the only proper names allowed).
ENGLISH = re.compile(
    r"\b(Skip|main content|Collapse|Expand|App pages|Link to heading|Help|None|NaN|nan|null|undefined|Please|"
    r"fill out|Warning|Choose|Select|Clear|Close|Search|Upload|Browse|Drag and drop|per file|Press Enter|View|"
    r"Show|Hide|Running|Stop|Rerun|Deploy|Main menu|Loading|No data|No results|Add|Delete|Copy|Sort|Pin|"
    r"column|row|Next|Previous|month|day|year|Today|Error|Zoom|Pan|Reset|Autoscale|Fullscreen|Increment|"
    r"Decrement|Sidebar|Notifications|title|description|goal_code|dd\.mm|yyyy|mm/dd|the|and|of|to|for|with|"
    r"your|you|is|are|this|Page not found)\b"
)
ALLOWED = ("Open SDG",)  # a format's name; "Open" itself is on no list, kept here as the reason for the rule
# axe-core rules that cannot be fixed from inside Streamlit, each with the reason; empty while everything is fixed.
AXE_EXCLUDED: dict[str, str] = {}


@pytest.fixture(scope="module")
def walk_server(tmp_path_factory) -> Iterator[Server]:
    """A demo server with the staff account and a provider (role lieferant, Gemeinde Edemissen)."""
    folder = tmp_path_factory.mktemp("e2e_bitv")
    env = {**os.environ, "CONTROLLING_DB": str(folder / "e2e.duckdb")}
    _cli(env, "init", "--demo")
    name, password = PROVIDER
    _cli(
        env,
        "user",
        "add",
        name,
        "--role",
        "lieferant",
        "--lieferant",
        "Edemissen",
        "--password-stdin",
        stdin=f"{password}\n",
    )
    name, password, actor = PARTNER
    _cli(env, "user", "add", name, "--role", "partner", "--akteur", actor, "--password-stdin", stdin=f"{password}\n")
    with running_server(folder) as started:
        yield started


WALKS = [(role, size) for role in ROLE_PAGES for size in (DESKTOP, TABLET)]


@pytest.fixture(scope="module", params=WALKS, ids=[f"{role}-{size['width']}" for role, size in WALKS])
def walked(request, walk_server, browser) -> list[Visit]:
    """Every page the role reaches, at the size: its texts and axe-core's serious and critical violations."""
    role, size = request.param
    context, tab = signed_in_tab(browser, walk_server.url, role, size)
    visits = []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for page in ROLE_PAGES[role]:
        open_page(tab, walk_server.url, page)
        visit = Visit(role=role, width=size["width"], page=page, texts=tab.evaluate(READ))
        if AXE.exists():
            visit.violations = run_axe(tab)
        shot = re.sub(r"\W", "_", page.path or "uebersicht")
        tab.screenshot(path=str(SCREENSHOTS / f"bitv_{role}_{size['width']}_{shot}.png"))
        visits.append(visit)
    context.close()
    report = SCREENSHOTS / f"bitv_{role}_{size['width']}.json"
    report.write_text(
        json.dumps(
            [{"page": v.page.title, "english": english_in(v.texts), "axe": v.violations} for v in visits],
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    return visits


def english_in(texts: list[str]) -> list[str]:
    """The English words in these texts, with the text each stands in."""
    found = []
    for text in texts:
        checked = text
        for name in ALLOWED:
            checked = checked.replace(name, "")
        found += [f"{word}: {text[:80]}" for word in ENGLISH.findall(checked)]
    return sorted(set(found))


def test_no_english_for_anyone(walked):
    found = {visit.page.title: english for visit in walked if (english := english_in(visit.texts))}
    assert found == {}


def test_no_serious_or_critical_axe_violation(walked):
    if not AXE.exists():
        pytest.skip(f"axe-core fehlt unter {AXE} (npm install --prefix .axe axe-core, wie in .ci/run)")
    found = {
        visit.page.title: {
            rule["id"]: [node["target"] for node in rule["nodes"]][:5]
            for rule in visit.violations
            if rule["id"] not in AXE_EXCLUDED
        }
        for visit in walked
    }
    assert {page: rules for page, rules in found.items() if rules} == {}
