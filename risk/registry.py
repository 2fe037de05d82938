"""In-memory smelter registry for one as-of date: facilities, aliases, old ids and RMAP statuses."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from mrt.model import NOT_IDENTIFIED, NOT_LISTED, LookupEntry
from risk.normalize import country_key, exact_key, metal_name, name_key

CID = re.compile(r"^CID\d{6}$")
V2_ID = re.compile(r"^\d[A-Z]{3}\d{3}$")  # CFSI v2: metal digit, ISO3 country, number
SPECIAL = frozenset({exact_key(NOT_LISTED), exact_key(NOT_IDENTIFIED)})


@dataclass(frozen=True)
class Facility:
    """One smelter or refiner as RMI lists it."""

    smelter_id: str
    metal: str
    name: str
    country: str | None = None
    street: str | None = None
    city: str | None = None
    state: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Status:
    """A facility's RMAP status as one imported list stated it on its as-of date."""

    status: str  # status code, see risk.config.STATUSES
    as_of: dt.date
    raw: str | None = None  # the list's own word
    last_audit: dt.date | None = None
    cycle_days: int | None = None

    @property
    def audit_ends(self) -> dt.date | None:
        """The day the last audit's validity ends, when the list states both its date and its cycle."""
        if self.last_audit is None or self.cycle_days is None:
            return None
        return self.last_audit + dt.timedelta(days=self.cycle_days)

    def expired(self, on: dt.date) -> bool:
        """True when the last audit plus its cycle ended before `on`."""
        if self.last_audit is None or self.cycle_days is None:
            return False
        return self.last_audit + dt.timedelta(days=self.cycle_days) < on


@dataclass
class Registry:
    """Facilities indexed for matching; statuses as of one date (none when seeded from a look-up)."""

    facilities: dict[str, Facility] = field(default_factory=dict)
    statuses: dict[str, Status] = field(default_factory=dict)
    legacy_ids: dict[str, str] = field(default_factory=dict)  # v2 id -> CID
    as_of: dt.date | None = None
    source: str = "database"  # database | lookup
    has_statuses: bool = False  # a status list was imported on or before as_of
    statuses_as_of: dt.date | None = None  # date of the newest status list on or before as_of

    def __post_init__(self) -> None:
        self.by_alias: dict[tuple[str, str], str] = {}
        self.by_name: dict[str, dict[str, set[str]]] = {}  # metal -> name key -> ids
        for facility in self.facilities.values():
            self._index(facility)
        self.names: dict[str, list[str]] = {m: list(keys) for m, keys in self.by_name.items()}
        self.sorted_names = {m: [" ".join(sorted(k.split())) for k in keys] for m, keys in self.names.items()}
        self.country_keys = {cid: country_key(f.country) for cid, f in self.facilities.items()}
        # Metals some status list covers: a facility of such a metal missing from every list is not in RMAP.
        self.listed_metals = {self.facilities[c].metal for c in self.statuses if c in self.facilities}
        self.name_ids: dict[str, list[set[str]]] = {
            m: list(keys.values()) for m, keys in self.by_name.items()
        }
        self.ordered_keys = {m: sorted(keys) for m, keys in self.by_name.items()}  # for prefix search

    def company_facilities(self, key: str, metal: str | None = None) -> set[str]:
        """Facilities (of `metal`, or of every metal) named `key` alone or followed by more words: one
        company's plants ("metalor technologies" also names "metalor technologies suzhou")."""
        found: set[str] = set()
        if not key:
            return found
        for m in [metal] if metal else sorted(self.by_name):
            keys = self.ordered_keys.get(m, [])
            i = bisect.bisect_left(keys, key)
            while i < len(keys) and keys[i].startswith(key):  # one block in sorted order
                if keys[i] == key or keys[i].startswith(key + " "):
                    found |= self.by_name[m][keys[i]]
                i += 1
        return found

    def _index(self, facility: Facility) -> None:
        for text in (facility.name, *facility.aliases):
            if not text:
                continue
            self.by_alias.setdefault((facility.metal, exact_key(text)), facility.smelter_id)
            keys = self.by_name.setdefault(facility.metal, {})
            keys.setdefault(name_key(text), set()).add(facility.smelter_id)

    @classmethod
    def from_lookup(cls, entries: Iterable[LookupEntry], as_of: dt.date | None = None) -> Registry:
        """A registry seeded from a template's own Smelter Look-up; statuses are unknown."""
        return cls(facilities=facilities_from_lookup(entries), as_of=as_of, source="lookup")

    def with_lookup(self, entries: Iterable[LookupEntry]) -> Registry:
        """This registry plus the look-up's facilities it lacks (a newer template's list); no statuses."""
        extra = {k: v for k, v in facilities_from_lookup(entries).items() if k not in self.facilities}
        if not extra:
            return self
        return Registry(
            {**self.facilities, **extra},
            self.statuses,
            self.legacy_ids,
            self.as_of,
            self.source,
            self.has_statuses,
            self.statuses_as_of,
        )

    def resolve_id(self, smelter_id: str | None) -> str | None:
        """The current CID for a CID or an old v2 id, as typed; None when not a known id."""
        if not smelter_id:
            return None
        text = smelter_id.strip().upper()
        if text in self.facilities:
            return text
        return self.legacy_ids.get(text)

    def status(self, smelter_id: str) -> Status | None:
        """The facility's status on the registry's as-of date, None when no list states one."""
        return self.statuses.get(smelter_id)

    def __len__(self) -> int:
        return len(self.facilities)


def facilities_from_lookup(entries: Iterable[LookupEntry]) -> dict[str, Facility]:
    """Group look-up rows by CID into facilities with their aliases; special rows are skipped."""
    grouped: dict[str, tuple[LookupEntry, list[str]]] = {}
    for entry in entries:
        cid = (entry.smelter_id or "").strip().upper()
        metal = metal_name(entry.metal)
        if not CID.match(cid) or metal is None or exact_key(entry.alias or "") in SPECIAL:
            continue
        first, aliases = grouped.setdefault(cid, (entry, []))
        if entry.alias and entry.alias not in aliases and entry.alias != first.standard_name:
            aliases.append(entry.alias)
    return {
        cid: Facility(
            smelter_id=cid,
            metal=metal_name(e.metal) or e.metal,
            name=e.standard_name or e.alias,
            country=e.country,
            street=e.street,
            city=e.city,
            state=e.state,
            aliases=tuple(aliases),
        )
        for cid, (e, aliases) in grouped.items()
    }
