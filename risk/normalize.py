"""Text keys for matching: ASCII folding, punctuation, legal suffixes, metals and countries."""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

# Legal forms and filler words that suppliers add, drop or spell differently ("Co., Ltd." vs "Company
# Limited"). Removed as whole words after punctuation is gone, so "S.A." becomes "s a" first.
LEGAL_SUFFIXES = frozenset(
    """
    co company corp corporation inc incorporated ltd limited llc lp plc pty pte pvt private
    gmbh ag kg kgaa sa s a spa s p a srl sarl sas bv b v nv n v oy ab as asa
    kk k k jsc ojsc pjsc cjsc oao zao ooo tbk pt sdn bhd the of and
    """.split()
)
_PUNCT = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")

# Canonical metal names by folded spelling (the templates' dropdown values, plus common variants).
METALS = {
    "tantalum": "Tantalum",
    "ta": "Tantalum",
    "tin": "Tin",
    "sn": "Tin",
    "gold": "Gold",
    "au": "Gold",
    "tungsten": "Tungsten",
    "w": "Tungsten",
    "cobalt": "Cobalt",
    "co": "Cobalt",
    "mica": "Mica",
    "copper": "Copper",
    "cu": "Copper",
    "lithium": "Lithium",
    "li": "Lithium",
    "nickel": "Nickel",
    "ni": "Nickel",
    "graphite": "Graphite",
    "natural graphite": "Graphite",
    "aluminum": "Aluminum",
    "aluminium": "Aluminum",
    "silver": "Silver",
    "zinc": "Zinc",
    "platinum": "Platinum",
    "palladium": "Palladium",
}

# Country spellings seen in RMI lists, CFSI files and templates, folded to one key.
COUNTRY_ALIASES = {
    "drc": "congo democratic republic",
    "dr congo": "congo democratic republic",
    "democratic republic of the congo": "congo democratic republic",
    "democratic republic of congo": "congo democratic republic",
    "congo democratic republic of the": "congo democratic republic",
    "congo kinshasa": "congo democratic republic",
    "republic of the congo": "congo",
    "congo republic of the": "congo",
    "congo brazzaville": "congo",
    "tanzania united republic of": "tanzania",
    "united republic of tanzania": "tanzania",
    "usa": "united states of america",
    "us": "united states of america",
    "united states": "united states of america",
    "uk": "united kingdom",
    "korea republic of": "korea",
    "south korea": "korea",
    "republic of korea": "korea",
    "taiwan province of china": "taiwan",
    "russia": "russian federation",
    "viet nam": "vietnam",
    "bolivia plurinational state of": "bolivia",
    "turkiye": "turkey",
    "czech republic": "czechia",
}


@lru_cache(maxsize=1 << 16)  # the same names and countries recur across a campaign's rows
def fold(text: str) -> str:
    """Lower-case ASCII with punctuation turned into single spaces."""
    return _SPACES.sub(" ", _PUNCT.sub(" ", anyascii(text).lower())).strip()


def exact_key(text: str) -> str:
    """Key for exact alias matching: folding only, every word kept."""
    return fold(text.replace("&", " and "))


def name_key(text: str) -> str:
    """Key for fuzzy name matching: folded, `&` as `and`, legal suffixes removed."""
    words = [w for w in exact_key(text).split() if w not in LEGAL_SUFFIXES]
    return " ".join(words) or exact_key(text)


def metal_name(text: str | None) -> str | None:
    """The canonical metal name for a spelling, or the trimmed text when unknown, None when blank."""
    if text is None or not text.strip():
        return None
    return METALS.get(fold(text), text.strip())


def country_key(text: str | None) -> str | None:
    """One key per country whatever the spelling ("KOREA, REPUBLIC OF" == "South Korea")."""
    if text is None:
        return None
    folded = fold(text)
    if not folded or folded == "unknown":
        return None
    return COUNTRY_ALIASES.get(folded, folded)
