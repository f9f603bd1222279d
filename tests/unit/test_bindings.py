"""Source bindings of the catalogue (issue 23): how a binding is written, and the catalogue grounded in them."""

from __future__ import annotations

import pytest

from controlling.reference.bindings import BindingError, catalogue_bindings, parse_binding
from controlling.reference.shipped import load_reference


def test_a_binding_is_a_value_a_quota_a_gap_or_the_gap_of_two_quotas():
    value = parse_binding("LSN 4.1.4 [Nationalität=Deutsche | Einheit=Prozent]", "X")
    assert value.kind == "wert" and value.parts[0].selection == "Nationalität=Deutsche|Einheit=Prozent"
    quota = parse_binding("LSN 2.3.1 / LSN 1.2.1", "X")
    assert [role for _, role in quota.roles()] == ["zaehler", "nenner"]
    assert [p.file_stem for p in quota.parts] == ["indicator_2-3-1", "indicator_1-2-1"]
    gap = parse_binding("LSN 1.2.3 [Aufenthaltsdauer in Jahren=1 - 4] - LSN 1.2.1", "X")
    assert gap.kind == "abstand" and gap.parts[0].selection == "Aufenthaltsdauer in Jahren=1 - 4"
    gaps = parse_binding("(LSN 4.1.1 [a=b] / LSN 4.1.1 [a=c]) − (LSN 4.1.1 [a=d] / LSN 4.1.1 [a=e])", "X")
    assert gaps.kind == "quotenabstand" and len(gaps.parts) == 4
    assert parse_binding("GENESIS 12411-01-01-4", "X").parts[0].file_stem == "12411-01-01-4"
    assert parse_binding("  ", "X") is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Tabelle 12411", "ist keine Quelle"),
        ("LSN 2.3.1 / LSN 1.2.1 / LSN 1.1.1", "Nach »LSN 2.3.1 / LSN 1.2.1« steht"),
        ("LSN 4.1.4 [Nationalität]", "Merkmal=Ausprägung"),
        ("(LSN 1 / LSN 2) - (LSN 3)", "Abstand zweier Quoten"),
    ],
)
def test_a_binding_not_written_as_the_rule_says_is_refused_in_german(text, fragment):
    with pytest.raises(BindingError, match=fragment):
        parse_binding(text, "X")


def test_the_catalogue_is_grounded_in_what_is_published():
    indicators = load_reference().indicators.set_index("code")
    bound = {b.indicator: b for b in catalogue_bindings(indicators.reset_index())}
    assert len(bound) >= 20
    assert (indicators.loc[list(bound), "origin"] == "amtlich").all()
    assert indicators.loc[list(bound), "levels"].str.contains("land").all()
    # the defects the statistics office found
    assert bound["GES-01"].describe() == "Quote (Zähler ÷ Nenner): LSN 2.3.1 / LSN 1.2.1"  # AZR of the same year
    assert "12411-02-03-5" not in indicators.loc["KTX-01", "source"]
    assert "21111-02-06-4" not in " ".join(indicators.loc[["BIL-03", "BIL-07", "BIL-09"], "source"])
    assert bound["BIL-06"].parts[0].number == "4.2.2"  # the participation rate, not a share of all trainees
    assert bound["KTX-07"].parts[0].number == "1.3.1"  # the Mikrozensus has Peine
    assert indicators.loc["ARB-03", "rhythm"] == "jährlich"  # defined for December only
    assert {"BIL-09", "BIL-10", "ARB-12", "ARB-14"} <= {code for code, b in bound.items() if "Abstand" in b.describe()}
    # own collections: a provider who collects them, numerator inside the denominator, counted where people live
    own = indicators.loc[indicators["origin"] == "eigen"]
    assert (own["provider"] != "").all()
    assert own.loc[["BIL-01", "BIL-02"], "definition"].str.contains("Wohnort").all()
    assert "Migrationsgeschichte der Mitglieder erhebt sie nicht" in own.loc["GES-02", "definition"]
