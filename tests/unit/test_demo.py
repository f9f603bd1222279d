"""Demo data: deterministic, realistic in shape, and showing every outcome."""

from __future__ import annotations

import pandas as pd
from pandas.testing import assert_frame_equal

from controlling.demo import GEMEINDEN, KREIS, SPECS, generate_demo
from controlling.service import status_table


def test_same_seed_same_data(reference):
    first, second = generate_demo(reference.indicators, 7), generate_demo(reference.indicators, 7)
    assert_frame_equal(first.observations, second.observations)
    assert_frame_equal(first.targets, second.targets)


def test_other_seed_other_data(reference):
    first, second = generate_demo(reference.indicators, 1), generate_demo(reference.indicators, 2)
    assert not first.observations["value"].equals(second.observations["value"])


def test_years_areas_and_quotas(reference):
    data = generate_demo(reference.indicators)
    observations = data.observations
    assert observations["year"].between(2015, 2024).all()
    assert set(GEMEINDEN["area"]) <= set(observations["area"])
    assert observations["indicator"].isin(reference.indicators["code"]).all()
    assert not observations.duplicated(["indicator", "area", "year", "breakdown"]).any()
    quotas = reference.indicators.loc[reference.indicators["aggregation"] == "quote", "code"]
    rows = observations.loc[
        observations["indicator"].isin(quotas) & observations["value"].notna() & (observations["area"] != "03")
    ]
    assert rows["numerator"].notna().all() and rows["denominator"].notna().all()
    assert (rows["numerator"] <= rows["denominator"]).all()


def test_stadt_peine_has_the_highest_foreign_share(reference):
    observations = generate_demo(reference.indicators).observations
    share = observations.loc[(observations["indicator"] == "KTX-01") & (observations["year"] == 2024)]
    gemeinden = share.loc[share["area"].str.len() == 8].set_index("area")["value"]
    assert gemeinden.idxmax() == "03157006"


def test_arrival_waves_are_visible(reference):
    observations = generate_demo(reference.indicators).observations
    foreign = observations.loc[(observations["indicator"] == "KTX-02") & (observations["area"] == KREIS)]
    growth = foreign.set_index("year")["value"].diff()
    assert growth[2022] > 2 * growth[[2019, 2020, 2021]].max()


def test_special_values_and_gaps(reference):
    observations = generate_demo(reference.indicators).observations
    flagged = observations.loc[observations["flag"].notna()]
    assert set(flagged["flag"]) >= {".", "/", "..."}
    assert flagged["value"].isna().all()


def test_all_four_outcomes_occur_for_the_kreis(demo_store):
    status = status_table(demo_store)
    kreis = status.loc[status["area"] == KREIS]
    reasons = set(kreis["light_reason"])
    assert {"ziel_erreicht", "auf_kurs", "leicht_verfehlt", "deutlich_verfehlt"} <= reasons
    assert {"sonne", "bewoelkt", "gewitter"} <= set(kreis["outlook"])


def test_demo_store_is_marked(demo_store):
    assert demo_store.values.has_demo_data()
    intakes = demo_store.intakes.history()
    assert list(intakes["format"]) == ["demo"]
    assert not demo_store.notes.comments().empty
    assert not demo_store.measures.list().empty
    assert isinstance(demo_store.targets.in_force(), pd.DataFrame) and len(demo_store.targets.in_force()) >= 25


def test_no_demo_target_asks_less_than_its_baseline_unless_it_is_a_limit(demo_store):
    status = status_table(demo_store)
    kreis = status.loc[(status["area"] == KREIS) & status["target_value"].notna()]
    limits = kreis.loc[kreis["holding_target"].astype(bool), "indicator"]
    assert set(limits) == {spec.code for spec in SPECS if spec.outcome == "grenze"}
    improving = kreis.loc[~kreis["holding_target"].astype(bool)]
    assert (improving["sign"] * (improving["target_value"] - improving["baseline_value"]) > 0).all()


def test_rated_demo_indicators_are_rates_and_counts_are_context(reference):
    indicators = reference.indicators
    rated = indicators.loc[indicators["field"] != "KTX"]
    assert not (rated["unit"] == "Anzahl").any()
    assert (indicators.loc[indicators["field"] == "KTX", "polarity"] == "neutral").all()
    assert rated["definition"].str.contains("Bevölkerungskonzept").all()
    assert set(indicators["origin"]) == {"amtlich", "eigen"} and (indicators["min_count"] >= 0).all()


def test_the_demo_shows_transferred_targets_chance_small_numbers_and_comparison_areas(demo_store):
    status = status_table(demo_store)
    assert {"kreisziel_anteilig", "eigenes"} <= set(status["target_kind"].dropna())
    # No Halteziel since method 3: the demo's only one (GES-06) sat under a Handlungsziel asking for fewer.
    assert {"im_zufallsbereich", "kleine_fallzahl", "vergleichsgebiet"} <= set(status["light_reason"])
