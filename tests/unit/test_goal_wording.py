"""Method 3: a decided Halteziel must not sit on a Kennzahl whose Handlungsziel asks for change."""

from __future__ import annotations

import pandas as pd

from controlling.goals.tree import limits_against_goals

GOALS = pd.DataFrame(
    {
        "code": ["GES-L1-H3", "KOM-L1-H1"],
        "kind": ["handlungsziel", "handlungsziel"],
        "title": ["Wohnen statt Gemeinschaftsunterkunft", "Beratung sichern"],
        "text": ["Weniger Geflüchtete leben länger als ein Jahr in Gemeinschaftsunterkünften.", "Das Angebot halten."],
    }
)
LINKS = pd.DataFrame({"goal_code": ["GES-L1-H3", "KOM-L1-H1"], "indicator": ["GES-06", "KOM-01"]})


def test_a_limit_under_a_goal_that_asks_for_fewer_is_found():
    targets = pd.DataFrame({"indicator": ["GES-06", "KOM-01"], "area": ["*", "*"], "target_type": ["halten", "halten"]})
    found = limits_against_goals(targets, GOALS, LINKS)
    assert found[["indicator", "goal_code"]].values.tolist() == [["GES-06", "GES-L1-H3"]]


def test_improvement_targets_are_no_contradiction():
    targets = pd.DataFrame({"indicator": ["GES-06"], "area": ["*"], "target_type": ["verbessern"]})
    assert limits_against_goals(targets, GOALS, LINKS).empty


def test_no_demo_target_contradicts_its_handlungsziel(demo_store):
    targets = demo_store.targets.in_force()
    found = limits_against_goals(targets, demo_store.goals.tree(), demo_store.goals.links())
    assert found.empty, found.to_dict("records")
    # and the demo's GES-06 (its Handlungsziel asks for fewer) is an improvement target below its baseline
    ges = targets.loc[targets["indicator"].eq("GES-06")].iloc[0]
    assert ges["target_type"] == "verbessern"
