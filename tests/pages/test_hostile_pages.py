"""After each hostile file, every staff page opens (issue 29, point 6).

One staff session on one store takes the hostile set (tests/intake/hostile/) in order through the upload
page, as a person would: each file is uploaded and confirmed where the page offers it. After each file the
page offers to store, every page is opened; no page may show a traceback or an error box. A refused file writes
nothing (tests/intake/test_hostile.py asserts the store unchanged for each), so the pages after it are the
pages after the file before; they are opened once more after the whole set. (Opening all 16 pages after
every one of the 90 files passed too, in 9 min on a loaded machine: too long for each run.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pages.staff import staff_session

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ROOT / "tests" / "intake" / "hostile"
FILES = sorted(HOSTILE.glob("*.*"))
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
UPLOAD = "pages/daten_hochladen.py"


@pytest.fixture(scope="module")
def staff(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CONTROLLING_DB", str(tmp_path_factory.mktemp("hostile") / "store.duckdb"))
        patch.chdir(ROOT)
        yield staff_session(UPLOAD)


def _every_page_opens(staff) -> None:
    for page in PAGES:
        staff.switch_page(page).run()
        assert not staff.exception, (page, staff.exception)
        assert not staff.error, (page, [e.value for e in staff.error])


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_every_staff_page_opens_after_a_hostile_file(staff, path):
    staff.switch_page(UPLOAD).run()
    staff.get("file_uploader")[0].set_value((path.name, path.read_bytes(), "application/octet-stream")).run()
    assert not staff.exception, staff.exception
    confirm = [b for b in staff.button if b.label == "Import bestätigen" and not b.disabled]
    if confirm:
        confirm[0].click().run()
        assert not staff.exception, staff.exception
        _every_page_opens(staff)


def test_every_staff_page_opens_after_the_whole_set(staff):
    _every_page_opens(staff)
