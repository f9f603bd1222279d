"""The target table of 'Ziele pflegen': shown as German text, edits read like a Ziele file (issue 16)."""

from __future__ import annotations

import datetime as dt

import pytest

from controlling import maintenance, service
from controlling.errors import InputRejectedError
from controlling.formatting import form_number_column

TODAY = dt.date(2026, 12, 1)


def _table(store):
    """The table as the page shows it: the target value as German text without thousands points."""
    targets = service.targets_in_force(store)[maintenance.TARGET_COLUMNS].reset_index(drop=True)
    targets["target_value"] = form_number_column(targets["target_value"])
    return targets


def _decide(store, indicator: str, value: str) -> None:
    maintenance.set_target(
        store,
        indicator=indicator,
        area="03157",
        target_year=2030,
        target_value=value,
        baseline_year=2020,
        body="Kreisausschuss",
        decision_date=dt.date(2026, 11, 1),
        vorlage="KA/2026/001",
        valid_from=TODAY,
        user="test",
    )


def _edit(store, indicator: str, typed: str) -> int:
    before = _table(store)
    after = before.copy()
    after.loc[after["indicator"] == indicator, "target_value"] = typed
    return maintenance.save_edited_targets(store, before, after, valid_from=TODAY, user="test")


@pytest.mark.parametrize(
    ("indicator", "typed", "stored"),
    [("BIL-01", "12,5", 12.5), ("BIL-01", "12.5", 12.5), ("KTX-03", "1.234,5", 1234.5), ("KTX-03", "7926", 7926)],
)
def test_an_edited_target_is_read_in_german_or_plain(empty_store, indicator, typed, stored):
    _decide(empty_store, indicator, "30")
    assert _edit(empty_store, indicator, typed) == 1
    assert service.targets_in_force(empty_store).set_index("indicator").loc[indicator, "target_value"] == stored


def test_a_large_target_survives_an_edit_of_its_decision_only(empty_store):
    """7926 is shown as 7926, not 7.926, which the file rules would read back as 7,926."""
    _decide(empty_store, "KTX-03", "7926")
    before = _table(empty_store)
    assert before["target_value"].tolist() == ["7926"]
    after = before.assign(decision="KA/2026/002")
    maintenance.save_edited_targets(empty_store, before, after, valid_from=TODAY, user="test")
    assert service.targets_in_force(empty_store)["target_value"].tolist() == [7926]


@pytest.mark.parametrize(
    ("indicator", "typed", "message"),
    [
        ("BIL-01", "150", "Ein Ziel in »%« liegt zwischen 0 und 100."),
        ("KTX-03", "-3", "Ein Ziel in »Anzahl« liegt zwischen 0 und 1 Billion"),
    ],
)
def test_an_edited_target_the_unit_cannot_hold_is_refused(empty_store, indicator, typed, message):
    _decide(empty_store, indicator, "30")
    with pytest.raises(InputRejectedError, match=message):
        _edit(empty_store, indicator, typed)
    assert service.targets_in_force(empty_store)["target_value"].tolist() == [30]
