"""Findings, corrective actions and the matcher's reasons, stored in English, read in every language with
a catalog: no English sentence of ours left, the supplier's own values kept."""

from __future__ import annotations

import string
import sys
from pathlib import Path

import pytest

from i18n import available, text_in
from risk import wording as w

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "i18n"))
from english_kit import english_left  # noqa: E402

SISTERS = w.NOTE_SISTERS.format(
    text="'Acme'", count=8, plants="CID000002 (Tin, no country)", more=w.NOTE_MORE.format(count=2)
)
NOTE = "; ".join(
    [
        w.NOTE_SCORE.format(score="81", auto="90"),
        w.NOTE_MARGIN.format(smelter_id="CID000003", margin="4"),
        w.NOTE_COUNTRY.format(registry_country="Peru", country="Bolivia"),
        SISTERS,
    ]
)
VALUES = {
    "metal": "Tin",
    "name": "Acme Smelter (CID000001)",
    "label": "'Acme'",
    "country": "Peru",
    "on": "2030-01-31",
    "last_audit": "2027-01-01",
    "ends": "2030-02-01",
    "status": "active",  # a status code as the registry import stores it
    "as_of": "2030-01-31",
    "row": "12",
    "note": NOTE,
    "smelter_id": "CID000001",
    "where": w.REGIONS["DRC only"],
    "quoted": ' ("DRC only")',
    "count": "2",
}


def sentences() -> list[str]:
    fields = lambda p: [f for _, f, _, _ in string.Formatter().parse(p) if f]  # noqa: E731
    return [p.format(**{f: VALUES[f] for f in fields(p)}) for p in (*w.FINDINGS, *w.OUTCOMES)]


@pytest.mark.parametrize("language", [code for code in available() if code != "en"])
def test_every_finding_and_outcome_reads_in_the_language(language: str) -> None:
    for sentence in sentences():
        translated = w.translate(sentence, language)
        assert english_left(translated) == [], (sentence, translated)
        assert all(value in translated for value in ("CID000001", "Acme") if value in sentence), translated


def test_english_and_unknown_sentences_stay_as_written() -> None:
    assert [w.translate(s, "en") for s in sentences()] == sentences()
    assert w.translate("A sentence staff wrote by hand.", "ja") == "A sentence staff wrote by hand."


@pytest.mark.parametrize("language", [code for code in available() if code != "en"])
def test_registry_statuses_and_the_metals_of_a_plant_list_read_in_the_language(language: str) -> None:
    for code in sorted(w.STATUS_WORDS):
        sentence = w.NOT_CONFORMANT.format(metal="Tin", name="Acme", status=code, as_of="2030-01-31")
        translated = w.translate(sentence, language)
        assert text_in(language, "rmap-status", code) in translated and f" {code} " not in translated
    plants = "CID000002 (Tin, Peru), CID000003 (Gold, no country)"
    sisters = w.NOTE_SISTERS.format(text="'Acme'", count=2, plants=plants, more="")
    note = w.translate(sisters, language, w.NOTES)
    for metal in ("Tin", "Gold"):  # German writes Gold as English does
        assert f"({text_in(language, 'mineral', metal)}, " in note, note
    assert "CID000002" in note and "Peru" in note  # the registry's own values stay
