"""One small file per problem (tests/intake/problems/): each is rejected whole, with a precise German message."""

from __future__ import annotations

from pathlib import Path

import pytest

from controlling.errors import InputRejectedError
from controlling.intake import commit, prepare
from controlling.intake.frames import series_code
from controlling.intake.validate import close_choices

PROBLEMS = Path(__file__).parent / "problems"
# file -> (line, column, part of the message); line None: the file as a whole.
EXPECTED = {
    "unbekannte_kennzahl.csv": (2, "kennzahl", "oder »BIL-01«?"),
    "unbekanntes_gebiet.csv": (2, "gebiet", "Unbekanntes Gebiet. Meinten Sie »Peine (Stadt)« oder »Landkreis Peine«?"),
    "jahr_ausserhalb.csv": (2, "jahr", "Erwartet wird ein Jahr von 1950 bis"),
    "text_statt_zahl.csv": (2, "wert", "Hier steht Text statt einer Zahl"),
    "negative_anzahl.csv": (2, "wert", "Eine Anzahl kann nicht negativ sein"),
    "prozent_ueber_100.csv": (2, "wert", "Ein Prozentwert muss zwischen 0 und 100 liegen"),
    "zaehler_groesser_nenner.csv": (2, "zaehler", "Der Zähler ist größer als der Nenner"),
    "doppelter_schluessel.csv": (2, "kennzahl", "steht 2-mal in der Datei, in den Zeilen 2, 3"),
    "gebiet_nicht_gueltig.csv": (2, "gebiet", "Das Gebiet bestand in diesem Jahr nicht (gültig von Anfang bis 2014)"),
    "leer.csv": (None, None, "Die Datei ist leer"),
    "nur_kopfzeile.csv": (1, None, "nur eine Kopfzeile"),
    "fehlende_spalte.csv": (1, "jahr", "Die Pflichtspalte »jahr« fehlt"),
    "unbekannte_spalte.csv": (1, "farbe", "Unbekannte Spalte »farbe«"),
    "doppelte_spalte.csv": (1, "jahr", "Die Spalte »jahr« steht mehrfach in der Kopfzeile"),
    "unbekanntes_kennzeichen.csv": (2, "kennzeichen", "Unbekanntes Kennzeichen"),
    "wert_fehlt.csv": (2, "wert", "Der Wert fehlt"),
    "aufschluesselung_falsch.csv": (2, "aufschluesselung", "Merkmal=Ausprägung"),
    "ziel_vor_basisjahr.csv": (2, "zieljahr", "Das Zieljahr muss nach dem Basisjahr liegen"),
    "kennzahl_richtung_falsch.csv": (2, "richtung", "»hoch«, »niedrig« oder »neutral«"),
    "opensdg_text_statt_zahl.csv": (2, "Value", "Hier steht Text statt einer Zahl"),
    "zahl_zu_gross.csv": (2, "wert", "Diese Zahl ist zu groß"),
}


def test_every_sample_has_an_expectation():
    assert sorted(p.name for p in PROBLEMS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_problem_file_is_rejected_and_changes_nothing(demo_store, name):
    line, column, fragment = EXPECTED[name]
    before = (demo_store.data_version(), len(demo_store.intakes.history()))
    with pytest.raises(InputRejectedError) as caught:
        mapping = {series_code("LSN", Path(name).stem): "KTX-01"}
        preview = prepare(demo_store, name, (PROBLEMS / name).read_bytes(), mapping=mapping)
        commit(demo_store, preview, user="test")
    problems = caught.value.problems
    assert any(p.line == line and (column is None or p.column == column) and fragment in p.message for p in problems), [
        str(p) for p in problems
    ]
    assert all(p.file == name for p in problems)
    assert (demo_store.data_version(), len(demo_store.intakes.history())) == before


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Peine", ["Peine (Stadt)", "Landkreis Peine"]),  # a word of the name
        ("Edemisen", ["Edemissen"]),  # a letter missing
        ("bil01", ["BIL-01"]),  # another case, no hyphen
        ("Einbürgerung", ["Einbürgerungsquote"]),
        ("Atlantis", []),  # nothing alike: the message says what is expected instead
    ],
)
def test_suggestions_name_what_a_person_may_have_meant(demo_store, typed, meant):
    areas, indicators = demo_store.catalogue.areas(), demo_store.catalogue.indicators()
    choices = [*areas["code"], *areas["name"], *indicators["code"], *indicators["name"]]
    found = close_choices(typed, choices)
    assert found[: len(meant)] == meant and (meant or not found), found
