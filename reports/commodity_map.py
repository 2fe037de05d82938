"""Which minerals a commodity or material class contains: staff's map, else a default for electronics."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.audit import AuditEvent
from models.purchases import CommodityMinerals

# Every mineral the templates survey: 3TG (CMRT), EMRT 2 and AMRT's further minerals.
KNOWN_MINERALS = (
    "Tin",
    "Tantalum",
    "Tungsten",
    "Gold",
    "Cobalt",
    "Copper",
    "Graphite",
    "Lithium",
    "Mica",
    "Nickel",
    "Aluminum",
    "Silver",
    "Zinc",
    "Indium",
    "Gallium",
    "Germanium",
    "Palladium",
    "Platinum",
    "Rare earth elements",
    "Silicon",
    "Titanium",
    "Chromium",
    "Iron",
    "Magnesium",
    "Manganese",
    "Molybdenum",
)

# Keyword -> minerals; a commodity matches every keyword it contains (case-insensitive).
DEFAULT_MAP: dict[str, tuple[str, ...]] = {
    "solder": ("Tin",),
    "tin plating": ("Tin",),
    "capacitor": ("Tantalum",),
    "tantalum": ("Tantalum",),
    "tungsten": ("Tungsten",),
    "vibration motor": ("Tungsten",),
    "plating": ("Gold",),
    "contact": ("Gold",),
    "connector": ("Gold", "Tin"),
    "bonding wire": ("Gold",),
    "printed circuit board": ("Gold", "Tin", "Copper"),
    "pcb": ("Gold", "Tin", "Copper"),
    "semiconductor": ("Gold", "Tin", "Tantalum", "Tungsten"),
    "integrated circuit": ("Gold", "Tin", "Tantalum", "Tungsten"),
    "battery": ("Cobalt", "Lithium", "Graphite", "Nickel"),
    "cell pack": ("Cobalt", "Lithium", "Graphite", "Nickel"),
    "mica": ("Mica",),
    "insulator": ("Mica",),
    "pearlescent pigment": ("Mica",),
    "paint": ("Mica",),
    "cable": ("Copper",),
    "wire harness": ("Copper",),
    "magnet": ("Rare earth elements", "Cobalt"),
    "heat sink": ("Aluminum",),
}


@dataclass(frozen=True)
class CommodityMap:
    """Keywords (lower case) and their minerals; `staff` says whether staff's own map is in use."""

    entries: dict[str, tuple[str, ...]]
    staff: bool

    def minerals(self, commodity: str) -> set[str]:
        """The minerals of a commodity: the entry named exactly, else every keyword it contains."""
        text = " ".join(commodity.lower().split())
        if text in self.entries:
            return set(self.entries[text])
        return {m for key, minerals in self.entries.items() if key in text for m in minerals}


def load_map(session: Session) -> CommodityMap:
    """Staff's map when one was imported, else the default electronics map."""
    rows = session.scalars(select(CommodityMinerals)).all()
    if not rows:
        return CommodityMap(dict(DEFAULT_MAP), staff=False)
    return CommodityMap({r.commodity.lower(): tuple(r.minerals) for r in rows}, staff=True)


def canonical_mineral(text: str) -> str | None:
    """'cobalt' -> 'Cobalt', 'aluminium' -> 'Aluminum'; None when no template surveys it."""
    key = text.strip().lower().replace("aluminium", "aluminum")
    return next((m for m in KNOWN_MINERALS if m.lower() == key), None)


def parse_minerals(text: str) -> tuple[list[str], list[str]]:
    """'Tin; Gold' or '3TG' -> (minerals, unknown words)."""
    found: list[str] = []
    unknown: list[str] = []
    for word in (w.strip() for w in text.replace(";", ",").replace("/", ",").split(",")):
        if not word:
            continue
        if word.upper() == "3TG":
            found += ["Tin", "Tantalum", "Tungsten", "Gold"]
        elif (mineral := canonical_mineral(word)) is not None:
            found.append(mineral)
        else:
            unknown.append(word)
    return list(dict.fromkeys(found)), unknown


def replace_map(session: Session, entries: Iterable[tuple[str, list[str]]], actor: str) -> int:
    """Staff's map becomes exactly these entries (audited); returns how many."""
    chosen = {" ".join(c.lower().split()): (c.strip(), m) for c, m in entries}
    session.execute(delete(CommodityMinerals))
    session.add_all(CommodityMinerals(commodity=name, minerals=m) for name, m in chosen.values())
    session.add(
        AuditEvent(
            actor=actor, action="purchases.map", subject="commodity-map", after={"entries": len(chosen)}
        )
    )
    return len(chosen)
