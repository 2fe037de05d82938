"""The English sentences of findings and corrective actions (catalog msgids), and their translation."""
# ruff: noqa: E501 - one message per line reads (and diffs) better than split strings

from __future__ import annotations

import re
from functools import cache

from i18n import N_, NP_, language_for, text, text_in

COVERED_ROW = N_("The smelter {label} is located in {country}, a covered country.")
COVERED_FACILITY = N_("The smelter {name} is located in {country}, a covered country.")
NO_STATUS = N_("The {metal} smelter {name} is on no RMI status list as of {on}; please source elsewhere.")
AUDIT_EXPIRED = N_("The last RMI audit of {name} ({last_audit}) has expired; please ask for its re-audit.")
AUDIT_EXPIRING = N_("The RMI audit of {name} is valid until {ends}; please ask for its re-audit in time.")
ACTIVE = N_("The {metal} smelter {name} is {status} in RMAP but not yet conformant.")
NOT_CONFORMANT = N_("The {metal} smelter {name} is {status} as of {as_of}; please source elsewhere.")
NOT_IDENTIFIED = N_("Please identify the smelter in row {row} of the Smelter List.")
UNKNOWN = N_("We cannot find {label} in the RMI smelter list ({note}); please check its id and name.")
REVIEW = N_("Row {row} ({label}) may be {smelter_id} ({note}); please confirm the smelter id.")
COVERED_ANSWER = N_(
    "You declare {metal} sourced from {where}{quoted}; please send your due diligence on those smelters."
)
CAHRA_ANSWER = N_(
    "You declare {metal} sourced from conflict-affected and high-risk areas{quoted}; please send your due diligence on those smelters."
)
NOT_ALL_IDENTIFIED = N_("You have not identified all {metal} smelters; please complete the Smelter List.")
LOW_RESPONSE = N_("Few of your suppliers answered your {metal} survey; please follow up.")
NO_SMELTERS = N_("You declare {metal} but list no {metal} smelter; please add them.")
RECYCLED = N_(
    "You declare all {metal} recycled or scrap, but {count} of your {metal} smelters are not recycled-only; please correct the answer or the Smelter List."
)
NO_POLICY = N_("Please establish a responsible minerals sourcing policy.")
NO_PROCESS = N_("Please include corrective action management in your supplier review process.")
FINDINGS = (
    *(COVERED_ROW, COVERED_FACILITY, NO_STATUS, AUDIT_EXPIRED, AUDIT_EXPIRING, ACTIVE, NOT_CONFORMANT),
    *(NOT_IDENTIFIED, UNKNOWN, REVIEW, CAHRA_ANSWER, COVERED_ANSWER, NOT_ALL_IDENTIFIED, LOW_RESPONSE),
    *(NO_SMELTERS, RECYCLED, NO_POLICY, NO_PROCESS),
)
# Where a region answer says the metal comes from (the CAHRA question's answers and a CMRT "Yes").
REGIONS = {
    "DRC only": N_("the DRC"),
    "DRC or adjoining countries only": N_("the DRC or an adjoining country"),
    "India and/or Madagascar only": N_("India and/or Madagascar"),
}
COVERED_AREA = N_("the DRC or an adjoining country")
OUTCOMES = (
    N_("Source only from RMAP conformant or active smelters, or show each listed smelter's RMAP enrolment."),
    N_("Identify every smelter with its RMI smelter ID (CID) so it can be checked against RMI data."),
    N_("Complete the smelter list for {metal}, with responses from your own suppliers."),
    N_("Show that {metal} from covered or conflict-affected areas comes only from RMAP conformant smelters."),
    N_("Provide a responsible minerals sourcing policy."),
    N_("Describe your process for corrective action with your own suppliers."),
    N_("Correct the recycled or scrap sourcing answers so they match the smelters listed."),
)
EVERY_METAL = N_("every metal")
# Why a smelter row needs review or did not match (the {note} of a finding; several join with "; ").
NOTE_GAP = N_("the supplier has not yet identified this smelter")
NOTE_ID_UNKNOWN = N_("smelter id {typed} is not in the registry")
NOTE_ID_METAL = N_("smelter id {typed} is a {facility_metal} facility, the row says {metal}")
NOTE_NOTHING_GIVEN = N_("no smelter id or name given")
NOTE_NOT_LISTED = N_("not listed")
NOTE_NOT_CLOSE = N_("no registry name is close to {text}")
NOTE_SCORE = N_("name score {score} is below {auto}")
NOTE_MARGIN = N_("{smelter_id} scores within {margin} points")
NOTE_COUNTRY = N_("the registry places it in {registry_country}, the row says {country}")
NOTE_SISTERS = N_("{text} names {count} plants of one company: {plants}{more}")
NOTE_MORE = N_(" and {count} more")
NOTE_NO_COUNTRY = N_("no country")
NOTES = (
    *(NOTE_GAP, NOTE_ID_UNKNOWN, NOTE_ID_METAL, NOTE_NOTHING_GIVEN, NOTE_NOT_LISTED, NOTE_NOT_CLOSE),
    *(NOTE_SCORE, NOTE_MARGIN, NOTE_COUNTRY, NOTE_SISTERS, NOTE_MORE),
)
_WORDS = frozenset({*REGIONS.values(), EVERY_METAL})  # argument values translated as whole messages
_MINERALS = (
    "Tantalum",
    "Tin",
    "Gold",
    "Tungsten",
    "Cobalt",
    "Mica",
    "Copper",
    "Graphite",
    "Lithium",
    "Nickel",
)
# The registry's status codes as findings name them (RMI publishes its lists in English only).
STATUS_WORDS = frozenset(
    {
        NP_("rmap-status", "conformant"),
        NP_("rmap-status", "cross-recognized"),
        NP_("rmap-status", "active"),
        NP_("rmap-status", "non-conformant"),
        NP_("rmap-status", "suspended"),
        NP_("rmap-status", "not-enrolled"),
        NP_("rmap-status", "outreach-required"),
    }
)
_PLANT_METAL = re.compile(r"\((" + "|".join(_MINERALS) + r"), ")  # "CID000002 (Tin, Peru)" in a plant list
_FIELD = re.compile(r"\{(\w+)\}")
# Arguments that follow another directly: what they look like, so the two are told apart.
_GROUPS = {"quoted": r'(?: \(".*"\))?', "more": r"(?: and \d+ more)?"}


@cache
def _pattern(english: str) -> re.Pattern[str]:
    """A regex that reads the arguments back out of a sentence written from `english`."""
    parts = _FIELD.split(english)
    names: set[str] = set()
    regex = ""
    for i, part in enumerate(parts):
        if i % 2 == 0:
            regex += re.escape(part)
        else:
            regex += f"(?P={part})" if part in names else f"(?P<{part}>{_GROUPS.get(part, '.*?')})"
            names.add(part)
    return re.compile(regex + r"\Z", re.DOTALL)


def _argument(language: str, value: str) -> str:
    if value in _MINERALS:
        return text_in(language, "mineral", value)
    if value in _WORDS:
        return text(language, value)
    quoted = re.fullmatch(r' \("(.*)"\)', value)  # a region answer, quoted: the answer stays as written
    return value if quoted is None else text(language, N_(' ("{answer}")')).format(answer=quoted[1])


def _value(language: str, name: str, value: str) -> str:
    if name == "note":  # the matcher's reasons, each a sentence of its own
        return text(language, N_("; ")).join(translate(part, language, NOTES) for part in value.split("; "))
    if name in ("more", "plants"):
        plants = translate(value, language, (NOTE_MORE,)) if name == "more" else value
        plants = _PLANT_METAL.sub(lambda m: f"({text_in(language, 'mineral', m[1])}, ", plants)
        return plants.replace(NOTE_NO_COUNTRY, text(language, NOTE_NO_COUNTRY))
    if name == "status" and value in STATUS_WORDS:
        return text_in(language, "rmap-status", value)
    return _argument(language, value)


def translate(sentence: str, language: str | None, english: tuple[str, ...] = FINDINGS + OUTCOMES) -> str:
    """A finding's or an action's stored English sentence in the supplier's language (as is when we do
    not recognise it)."""
    code = language_for(language)
    if code == "en" or not sentence:
        return sentence
    for pattern in english:
        found = _pattern(pattern).match(sentence)
        if found:
            args = {name: _value(code, name, value) for name, value in found.groupdict().items()}
            return text(code, pattern).format(**args)
    return sentence
