"""Smelter List rows as the template's formulas resolve them: by the CID in column A, else metal + name."""

from __future__ import annotations

from mrt.model import NOT_IDENTIFIED, NOT_LISTED, LookupEntry, SmelterRow

# Values the formulas show when nothing matched; never a real smelter datum.
_NOT_A_VALUE = {"#N/A", "Enter smelter details", "Unknown", "0"}
SMELTER_INPUTS = ("id_input", "metal", "lookup", "name", "country")


def usable(value: str | None) -> str | None:
    """The value, or None when it is what a formula shows for "no match" (#N/A, "Unknown", ...)."""
    if value is None or value in _NOT_A_VALUE or value.startswith("#"):
        return None
    return value


def _special(lookup: str | None) -> str | None:
    """The look-up value, with "Smelter not listed"/"not yet identified" in the template's spelling."""
    for special in (NOT_LISTED, NOT_IDENTIFIED):
        if lookup and lookup.casefold() == special.casefold():
            return special
    return lookup


def _key(metal: str | None, name: str | None) -> tuple[str, str]:
    return ((metal or "").casefold(), (name or "").casefold())


class LookupIndex:
    """The file's Smelter Look-up indexed like its MATCH formulas: by CID and by metal + alias."""

    def __init__(self, entries: list[LookupEntry]) -> None:
        self.by_id: dict[str, LookupEntry] = {}
        self.by_alias: dict[tuple[str, str], LookupEntry] = {}
        for e in entries:
            if e.smelter_id:
                self.by_id.setdefault(e.smelter_id.upper(), e)
            self.by_alias.setdefault(_key(e.metal, e.alias), e)

    def for_id(self, smelter_id: str | None) -> LookupEntry | None:
        """The first Look-up row of this CID, as MATCH finds it (case aside)."""
        return self.by_id.get(smelter_id.strip().upper()) if smelter_id else None


def first_by_id(entries: list[LookupEntry], ids: set[str]) -> dict[str, LookupEntry]:
    """The first Look-up row of each of these CIDs (as typed), keyed like `LookupIndex.for_id`."""
    wanted = {i.strip().upper() for i in ids}
    found: dict[str, LookupEntry] = {}
    for e in entries:
        key = e.smelter_id.upper() if e.smelter_id else ""
        if key in wanted:
            found.setdefault(key, e)
    return found


def id_metal_conflict(metal: str | None, entry: LookupEntry | None) -> bool:
    """True when column B holds a metal other than the one of column A's CID (typed over B's formula)."""
    return entry is not None and metal is not None and metal.strip().casefold() != entry.metal.casefold()


def typed_smelter(row: int, rec: dict[str, str | None]) -> SmelterRow:
    """A row of a Smelter List without a look-up (AMRT 1.2/1.21): every column as the supplier typed it."""
    typed = {k: usable(v) for k, v in rec.items()}
    return _with_typed_columns(
        SmelterRow(
            row=row,
            metal=typed.get("metal"),
            lookup=None,
            name=rec.get("name"),
            country=typed.get("country"),
            smelter_id=typed.get("smelter_id"),
            source=typed.get("source"),
            street=rec.get("street"),
            city=rec.get("city"),
            state=rec.get("state"),
        ),
        rec,
    )


def _with_typed_columns(smelter: SmelterRow, rec: dict[str, str | None]) -> SmelterRow:
    """The columns K-Q, which no formula fills: as typed."""
    smelter.contact_name = rec.get("contact_name")
    smelter.contact_email = rec.get("contact_email")
    smelter.next_steps = rec.get("next_steps")
    smelter.mine_name = rec.get("mine_name")
    smelter.mine_country = rec.get("mine_country")
    smelter.recycled = rec.get("recycled")
    smelter.comments = rec.get("comments")
    return smelter


def derive_smelter(row: int, rec: dict[str, str | None], index: LookupIndex) -> SmelterRow:
    """One Smelter List row with the auto-filled columns recomputed from its inputs (as typed when
    the list has no look-up column)."""
    if "lookup" not in rec:
        return typed_smelter(row, rec)
    typed = {k: usable(v) for k, v in rec.items()}
    id_input = typed.get("id_input")
    by_id = index.for_id(id_input)
    metal, lookup = typed.get("metal"), _special(rec.get("lookup"))
    country: str | None = None
    entry: LookupEntry | None = None
    conflict = id_metal_conflict(metal, by_id)
    if by_id is not None and not conflict:  # Option A: a CID in column A fills B, C, E, F, G, I, J
        entry = by_id
        metal, lookup = by_id.metal, by_id.alias
    else:
        if conflict and by_id is not None:
            # B typed over its formula; C still shows the CID's standard name (its formula is
            # INDEX('Smelter Look-up'!C:C, ...)), and E-J follow MATCH(B & C) like any Option B row.
            lookup = lookup or usable(by_id.standard_name) or by_id.alias
        if lookup in (NOT_LISTED, NOT_IDENTIFIED):  # Option C: typed name and country
            country = typed.get("country")
            if lookup == NOT_LISTED:  # the template still matches metal + typed name
                entry = index.by_alias.get(_key(metal, rec.get("name")))
        elif lookup:
            entry = index.by_alias.get(_key(metal, lookup))
    if entry is not None and lookup != NOT_LISTED:
        country = usable(entry.country)
    elif entry is None and lookup != NOT_IDENTIFIED:
        # Unmatched: what the file shows, unless it is the formula's error value (usable).
        country = country or typed.get("country")
    found_id = entry.smelter_id if entry else None
    smelter = SmelterRow(
        row=row,
        metal=metal,
        lookup=lookup,
        name=rec.get("name"),
        country=country,
        # A conflicting row shows in F only what MATCH(B & C) found, never column A's CID.
        smelter_id=found_id if conflict else found_id or id_input or typed.get("smelter_id"),
        id_input=rec.get("id_input"),
        standard_name=usable(entry.standard_name) if entry else None,
        source=entry.source if entry else None if conflict else usable(rec.get("source")),
        street=entry.street if entry else None,
        city=entry.city if entry else None,
        state=entry.state if entry else None,
    )
    return _with_typed_columns(smelter, rec)
