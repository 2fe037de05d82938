"""Resolve a declared smelter row to a registry facility: by id, then alias, then fuzzy name + country."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from mrt.model import NOT_IDENTIFIED, NOT_LISTED, SmelterRow
from risk import wording as w
from risk.config import RiskConfig
from risk.normalize import country_key, exact_key, metal_name, name_key
from risk.registry import SPECIAL, Registry

Method = Literal["id", "alias", "name", "none"]
COUNTRY_PENALTY = 10.0  # ranking only: a same-named facility in the declared country goes first
SHORTLIST = 8  # names rescored with WRatio per metal
_NOT_IDENTIFIED, _NOT_LISTED = exact_key(NOT_IDENTIFIED), exact_key(NOT_LISTED)


@dataclass(frozen=True)
class Candidate:
    """A facility that a text may name, with its fuzzy score (0-100)."""

    smelter_id: str
    name: str
    metal: str
    country: str | None
    score: float
    country_agrees: bool | None = None  # None when either side gives no country


@dataclass(frozen=True)
class Match:
    """How a declared row resolved: method, facility, score, and whether a person must confirm it."""

    method: Method
    matched_id: str | None = None
    score: float = 0.0
    review: bool = False
    gap: bool = False  # "Smelter not yet identified": a data gap, never a match
    note: str | None = None  # why it needs review or did not match
    candidates: tuple[Candidate, ...] = ()


def match_row(registry: Registry, row: SmelterRow, config: RiskConfig | None = None) -> Match:
    """The best resolution of one Smelter List row, trying id, alias, then name in that order."""
    config = config or RiskConfig()
    metal = metal_name(row.metal)
    lookup = exact_key(row.lookup or "")
    if lookup == _NOT_IDENTIFIED:
        return Match("none", gap=True, note=w.NOTE_GAP)
    note, conflict = None, False
    for typed in dict.fromkeys(t for t in (row.id_input, row.smelter_id) if t):
        cid = registry.resolve_id(typed)
        if cid is None:
            note = w.NOTE_ID_UNKNOWN.format(typed=typed)
            continue
        facility = registry.facilities[cid]
        if metal is None or facility.metal == metal:  # an earlier id of another metal keeps it in review
            return Match("id", cid, 100.0, review=conflict, note=note if conflict else None)
        note, conflict = w.NOTE_ID_METAL.format(typed=typed, facility_metal=facility.metal, metal=metal), True
    texts = [t for t in (row.lookup, row.name) if t and exact_key(t) not in SPECIAL]
    metals = [metal] if metal else sorted(registry.by_name)
    for text in texts:
        for m in metals:
            cid = registry.by_alias.get((m, exact_key(text)))
            if not cid:
                continue
            # The template resolves a look-up pick with its metal; a typed name, or a pick without a
            # metal, that names several plants of one company is for a person to choose.
            sisters = () if metal and text == row.lookup else sister_plants(registry, text, metal)
            if sisters:
                return Match("alias", cid, 100.0, True, note=_sisters_note(text, sisters), candidates=sisters)
            # An exact name outweighs an unknown id, not an id of another metal's facility.
            return Match("alias", cid, 100.0, review=conflict, note=note)
    best: Match | None = None
    for text in texts:
        found = name_match(registry, text, metal, row.country, config)
        if best is None or found.score > best.score:
            best = found
    if best is None:
        reason = w.NOTE_NOTHING_GIVEN if lookup != _NOT_LISTED else w.NOTE_NOT_LISTED
        return Match("none", note=note or reason)
    if note and best.method == "name":
        return Match("name", best.matched_id, best.score, True, note=note, candidates=best.candidates)
    return (
        best if best.method != "none" else Match("none", note=note or best.note, candidates=best.candidates)
    )


def name_match(
    registry: Registry, text: str, metal: str | None, country: str | None, config: RiskConfig
) -> Match:
    """Fuzzy match of a name within a metal, banded: auto-accept, review, or none."""
    found = candidates(registry, text, metal, country, limit=3, cutoff=config.review_score - 10)
    if not found or found[0].score < config.review_score:
        return Match("none", note=w.NOTE_NOT_CLOSE.format(text=repr(text)), candidates=tuple(found))
    best = found[0]
    margin = best.score - found[1].score if len(found) > 1 else best.score
    reasons = []
    if best.score < config.auto_score:
        reasons.append(w.NOTE_SCORE.format(score=f"{best.score:.0f}", auto=f"{config.auto_score:.0f}"))
    if margin < config.auto_margin:
        reasons.append(w.NOTE_MARGIN.format(smelter_id=found[1].smelter_id, margin=f"{margin:.0f}"))
    if best.country_agrees is False:
        reasons.append(w.NOTE_COUNTRY.format(registry_country=best.country, country=country))
    sisters = sister_plants(registry, text, metal, country)
    if sisters:
        reasons.append(_sisters_note(text, sisters))
    return Match(
        "name",
        best.smelter_id,
        round(best.score, 1),
        review=bool(reasons),
        note="; ".join(reasons) or None,
        candidates=tuple(found),
    )


def sister_plants(
    registry: Registry, text: str, metal: str | None, country: str | None = None
) -> tuple[Candidate, ...]:
    """The plants of one company that `text` names when it names more than one (sisters in other
    countries, or for other metals when no metal is given); empty when it names one or none."""
    key = name_key(text)
    ids = registry.company_facilities(key, metal)
    if len(ids) < 2:
        return ()
    wanted = country_key(country)
    found = []
    for cid in sorted(ids):
        facility = registry.facilities[cid]
        have = registry.country_keys.get(cid)
        agrees = None if wanted is None or have is None else wanted == have
        score = float(fuzz.WRatio(key, name_key(facility.name)))
        found.append(Candidate(cid, facility.name, facility.metal, facility.country, score, agrees))
    return tuple(found)


def _sisters_note(text: str, sisters: tuple[Candidate, ...]) -> str:
    plants = ", ".join(f"{c.smelter_id} ({c.metal}, {c.country or w.NOTE_NO_COUNTRY})" for c in sisters[:6])
    more = w.NOTE_MORE.format(count=len(sisters) - 6) if len(sisters) > 6 else ""
    return w.NOTE_SISTERS.format(text=repr(text), count=len(sisters), plants=plants, more=more)


def candidates(
    registry: Registry,
    text: str,
    metal: str | None = None,
    country: str | None = None,
    limit: int = 5,
    cutoff: float = 50.0,
) -> list[Candidate]:
    """The facilities whose names are closest to `text` (within `metal` when given), best first."""
    key = name_key(text)
    if not key:
        return []
    wanted = country_key(country)
    metal = metal_name(metal)
    scores: dict[str, float] = {}
    ordered = " ".join(sorted(key.split()))
    for m in [metal] if metal else sorted(registry.names):
        choices = registry.names.get(m, [])
        # WRatio is slow over hundreds of names: shortlist by word-order-free plain ratio, then rescore.
        shortlist = process.extract(
            ordered, registry.sorted_names.get(m, []), scorer=fuzz.ratio, limit=max(SHORTLIST, limit)
        )
        for _choice, _rough, index in shortlist:
            score = fuzz.WRatio(key, choices[index], score_cutoff=cutoff)
            for cid in registry.name_ids[m][index]:
                scores[cid] = max(scores.get(cid, 0.0), float(score))
    found = []
    for cid, score in scores.items():
        if score <= 0:
            continue
        facility = registry.facilities[cid]
        have = registry.country_keys.get(cid)
        agrees = None if wanted is None or have is None else wanted == have
        found.append(Candidate(cid, facility.name, facility.metal, facility.country, score, agrees))
    found.sort(
        key=lambda c: (c.score - (COUNTRY_PENALTY if c.country_agrees is False else 0), c.score), reverse=True
    )
    return found[:limit]
