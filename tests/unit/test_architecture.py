"""The rules that keep the house livable (DESIGN §2, STYLE), checked by parsing the code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "controlling"
MODULES = sorted(PACKAGE.rglob("*.py"))
PAGES = sorted((ROOT / "pages").glob("*.py"))
MAX_LINES = 500
REPOSITORIES = {
    "catalogue",
    "targets",
    "notes",
    "accounts",
    "audit",
    "signins",
    "intakes",
    "staging",
    "values",
    "measures",
    "deliveries",
    "goals",
    "network",  # issue 27
    "participation",
    "translations",
}


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name


def _imports(path: Path) -> set[str]:
    """Top-level package names and full module names a file imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            found.add(name)
            found.add(name.split(".")[0])
    return found


def test_only_the_ui_package_imports_streamlit():
    ui = PACKAGE / "ui"
    offenders = [_name(p) for p in MODULES if "streamlit" in _imports(p) and ui not in p.parents]
    assert offenders == []


def test_only_the_db_package_imports_duckdb():
    db = PACKAGE / "db"
    offenders = [_name(p) for p in MODULES + PAGES if "duckdb" in _imports(p) and db not in p.parents]
    assert offenders == []


def _store_calls(path: Path) -> list[str]:
    """`store.<repository>…` or `ui.store().<repository>…` in a page: a page calling the store directly."""
    calls = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in REPOSITORIES:
            owner = node.value
            if isinstance(owner, ast.Call):
                owner = owner.func
            if (isinstance(owner, ast.Name) and owner.id == "store") or (
                isinstance(owner, ast.Attribute) and owner.attr == "store"
            ):
                calls.append(f"{_name(path)}:{node.lineno}")
    return calls


def test_pages_never_call_the_store_directly():
    offenders = [call for page in PAGES for call in _store_calls(page)]
    offenders += [_name(p) for p in PAGES if "controlling.db" in _imports(p)]
    assert offenders == []


def test_the_page_rule_would_see_a_direct_call(tmp_path):
    page = tmp_path / "seite.py"
    page.write_text("store = ui.store()\nstore.intakes.undo(3, user='x')\nui.store().values.years()\n")
    assert len(_store_calls(page)) == 2


@pytest.mark.parametrize("path", [*MODULES, *PAGES, ROOT / "dashboard.py"], ids=_name)
def test_no_module_is_over_500_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_no_store_class_has_more_than_25_public_methods():
    for path in sorted((PACKAGE / "db").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                public = [f for f in node.body if isinstance(f, ast.FunctionDef) and not f.name.startswith("_")]
                assert len(public) <= 25, f"{_name(path)}: {node.name} has {len(public)} public methods"
