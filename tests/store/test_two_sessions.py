"""Optimistic commits (issue 17): a commit whose previewed keys changed since the preview writes nothing."""

from __future__ import annotations

import pytest

from controlling.db import ChangedSinceCheckError
from controlling.intake import commit, prepare

HEADER = "kennzahl;gebiet;jahr;wert\n"


def _file(*rows: str) -> bytes:
    return (HEADER + "".join(f"{row}\n" for row in rows)).encode()


def test_the_second_session_is_refused_and_told_which_key_and_import(empty_store):
    first = prepare(empty_store, "erste.csv", _file("BIL-01;03157;2020;10", "BIL-01;03157;2021;11"))
    second = prepare(empty_store, "zweite.csv", _file("BIL-01;03157;2020;20", "BIL-01;03157;2022;12"))
    intake_id = commit(empty_store, first, user="Sitzung A")
    before = empty_store.data_version(), len(empty_store.intakes.history())
    with pytest.raises(ChangedSinceCheckError) as caught:
        commit(empty_store, second, user="Sitzung B")
    message = str(caught.value)
    assert f"BIL-01 03157 2020 (Import {intake_id})" in message
    assert "Es wurde nichts gespeichert" in message
    assert (empty_store.data_version(), len(empty_store.intakes.history())) == before
    again = prepare(empty_store, "zweite.csv", _file("BIL-01;03157;2020;20", "BIL-01;03157;2022;12"))
    assert again.count("changed") == 1
    assert commit(empty_store, again, user="Sitzung B") is not None


def test_an_undo_since_the_preview_also_refuses(empty_store):
    intake_id = commit(empty_store, prepare(empty_store, "a.csv", _file("BIL-01;03157;2020;10")), user="A")
    pending = prepare(empty_store, "b.csv", _file("BIL-01;03157;2020;30"))
    empty_store.intakes.undo(intake_id, user="A")
    with pytest.raises(ChangedSinceCheckError, match=f"Import {intake_id} rückgängig gemacht"):
        commit(empty_store, pending, user="B")


def test_many_changed_keys_are_named_ten_and_counted(empty_store):
    rows = [f"BIL-01;03157;{year};{year - 2000}" for year in range(2005, 2025)]
    pending = prepare(empty_store, "b.csv", _file(*rows))
    commit(empty_store, prepare(empty_store, "a.csv", _file(*rows)), user="A")
    with pytest.raises(ChangedSinceCheckError) as caught:
        commit(empty_store, pending, user="B")
    assert "wurden 20 der Werte geändert" in str(caught.value)
    assert str(caught.value).count("(Import") == 10
    assert "und 10 weitere" in str(caught.value)
