"""A replacement that empties the goal tree is refused unless asked for (issue 29, point 6)."""

from __future__ import annotations

import pytest

from controlling.cli import main
from controlling.errors import InputRejectedError
from controlling.goals import service as goal_service

HEADER_ONLY = b"ebene;code;handlungsfeld;uebergeordnet;titel;beschreibung;kennzahlen\n"


def goal_count(store) -> int:
    return len(goal_service.goal_system(store).goals)


def test_a_header_only_zielsystem_csv_is_refused(empty_store):
    """Issue 29: a header-only zielsystem.csv emptied the whole tree ("20 Ziele geändert")."""
    goal_service.load_shipped_goals(empty_store, user="test")
    before = goal_count(empty_store)
    assert before > 0
    with pytest.raises(InputRejectedError) as caught:
        goal_service.import_goal_files(empty_store, user="test", goals=("zielsystem.csv", HEADER_ONLY))
    [problem] = caught.value.problems
    assert problem.file == "zielsystem.csv"
    assert problem.message == (
        f"Hier steht kein einziges Ziel; übernommen würde das ganze Zielsystem ({before} Ziele) gelöscht. Prüfen "
        "Sie, ob die richtige Datei gewählt ist. Soll das Zielsystem wirklich geleert werden: Befehlszeile "
        "»zielsystem import --ziele DATEI --leeren«."
    )
    assert goal_count(empty_store) == before


def test_an_emptied_table_on_the_page_is_refused(empty_store):
    goal_service.load_shipped_goals(empty_store, user="test")
    table = goal_service.editable_table(empty_store).iloc[0:0]
    with pytest.raises(InputRejectedError, match="Entfernen Sie die Ziele einzeln"):
        goal_service.save_goal_table(empty_store, table, user="test")


def test_emptying_when_asked_for(tmp_path):
    db, empty = str(tmp_path / "c.duckdb"), tmp_path / "zielsystem.csv"
    empty.write_bytes(HEADER_ONLY)
    assert main(["--db", db, "init"]) == 0
    assert main(["--db", db, "zielsystem", "import", "--ziele", str(empty)]) == 1
    assert main(["--db", db, "zielsystem", "import", "--ziele", str(empty), "--leeren"]) == 0


def test_the_staff_pages_open_with_an_empty_tree(tmp_path, monkeypatch):
    """Issue 29: after the tree was emptied, »Zielsystem pflegen« failed on every load."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from controlling.ui import SignedIn

    root = Path(__file__).resolve().parents[2]
    db, empty = tmp_path / "c.duckdb", tmp_path / "zielsystem.csv"
    empty.write_bytes(HEADER_ONLY)
    assert main(["--db", str(db), "init"]) == 0
    assert main(["--db", str(db), "zielsystem", "import", "--ziele", str(empty), "--leeren"]) == 0
    monkeypatch.setenv("CONTROLLING_DB", str(db))
    monkeypatch.chdir(root)
    app = AppTest.from_file(str(root / "dashboard.py"), default_timeout=60)
    app.run()
    app.session_state["_signed_in"] = SignedIn(name="test", role="referat", via="konto")
    for page in ("pages/zielsystem.py", "pages/leitbild.py", "pages/ziele.py", "pages/massnahmen.py"):
        app.switch_page(page).run()
        assert not app.exception, (page, app.exception)
