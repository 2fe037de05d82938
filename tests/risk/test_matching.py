"""Matching declared rows: id, alias, fuzzy name + country, review band, gaps."""

from __future__ import annotations

import pytest

from mrt.model import NOT_IDENTIFIED, NOT_LISTED, LookupEntry, SmelterRow
from risk import Registry, candidates, match_row


def row(
    metal: str | None,
    name: str | None = None,
    country: str | None = None,
    lookup: str = NOT_LISTED,
    smelter_id: str | None = None,
    id_input: str | None = None,
) -> SmelterRow:
    return SmelterRow(5, metal, lookup, name, country, smelter_id, id_input=id_input)


def test_id_match_needs_the_same_metal(registry: Registry) -> None:
    assert match_row(registry, row("Gold", smelter_id="CID900001")).method == "id"
    # A Tin row with a gold refiner's id is not accepted on the id alone.
    wrong = match_row(registry, row("Tin", smelter_id="CID900001"))
    assert wrong.matched_id != "CID900001"
    assert "Gold facility" in (wrong.note or "")


def test_alias_with_another_metals_id_goes_to_review(registry: Registry) -> None:
    found = match_row(registry, row("Tantalum", lookup="NOTI", smelter_id="CID900001"))
    assert (found.method, found.matched_id, found.review) == ("alias", "CID900003", True)
    unknown_id = match_row(registry, row("Tantalum", lookup="NOTI", smelter_id="CID999999"))
    assert (unknown_id.matched_id, unknown_id.review) == ("CID900003", False)


def test_typed_id_in_column_a_and_old_v2_id_resolve(registry: Registry) -> None:
    assert match_row(registry, row("Gold", id_input=" cid900001 ")).matched_id == "CID900001"
    old = match_row(registry, row("Gold", smelter_id="1FRA001"))
    assert (old.method, old.matched_id) == ("id", "CID900001")


def test_lookup_alias_matches_exactly_within_its_metal(registry: Registry) -> None:
    found = match_row(registry, row("Tantalum", lookup="NOTI"))
    assert (found.method, found.matched_id, found.score) == ("alias", "CID900003", 100.0)
    assert match_row(registry, row("Gold", lookup="NOTI")).matched_id is None


@pytest.mark.parametrize(
    ("metal", "typed", "country", "expected"),
    [
        ("Gold", "Société Générale d’Affinage", "France", "CID900001"),  # accents, no suffix
        ("Tin", "Timah Kundur Smelting", "Indonesia", "CID900002"),  # swapped words
        ("Tin", "PT Kundur Timah Smelting Tbk", None, "CID900002"),  # other legal suffixes
        ("Tungsten", "Wolfram Bergbau & Hütten GmbH", "Austria", "CID900004"),
    ],
)
def test_names_resolve_despite_spelling(
    registry: Registry, metal: str, typed: str, country: str | None, expected: str
) -> None:
    found = match_row(registry, row(metal, typed, country))
    assert (found.method, found.matched_id, found.review) == ("name", expected, False)
    assert found.score >= 95


def test_close_siblings_in_another_country_go_to_review(registry: Registry) -> None:
    found = match_row(registry, row("Gold", "Metalor Technologies SA", "China"))
    assert found.method == "name" and found.review
    assert {c.smelter_id for c in found.candidates} >= {"CID900005", "CID900006"}


def test_low_score_is_review_and_very_low_is_no_match(registry: Registry) -> None:
    typo = match_row(registry, row("Tin", "Banka Tin Industri", "Indonesia"))
    assert (typo.method, typo.matched_id, typo.review) == ("name", "CID900008", True)
    assert 80 <= typo.score < 95
    assert match_row(registry, row("Gold", "Acme Refining", "Peru")).method == "none"


def test_not_identified_is_a_gap_and_not_listed_is_never_a_name(registry: Registry) -> None:
    gap = match_row(registry, row("Gold", lookup=NOT_IDENTIFIED))
    assert (gap.method, gap.gap, gap.matched_id) == ("none", True, None)
    bare = match_row(registry, row("Gold", None, None, lookup=NOT_LISTED))
    assert (bare.method, bare.gap) == ("none", False)


def test_from_lookup_groups_aliases_and_skips_special_rows() -> None:
    entries = [
        LookupEntry("Gold", "Example Refinery", "Example Refinery Ltd.", "JAPAN", "CID900100"),
        LookupEntry("Gold", "ExRef", "Example Refinery Ltd.", "JAPAN", "CID900100"),
        LookupEntry("Gold", NOT_LISTED, None, None, None),
        LookupEntry("Gold", NOT_IDENTIFIED, "Unknown", "Unknown", None),
    ]
    registry = Registry.from_lookup(entries)
    assert list(registry.facilities) == ["CID900100"]
    assert registry.status("CID900100") is None
    assert match_row(registry, row("Gold", lookup="ExRef")).method == "alias"


def test_candidates_rank_by_score_within_metal(registry: Registry) -> None:
    found = candidates(registry, "metalor technologies", "Gold")
    assert [c.smelter_id for c in found[:2]] == ["CID900006", "CID900005"]
    assert all(c.metal == "Gold" for c in found)
    assert found[0].score > found[-1].score
