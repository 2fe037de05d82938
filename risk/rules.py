"""Risk rules: what a compliance analyst flags in a declaration, one `Finding` per concern."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass

from mrt.model import Declaration, Field, SmelterRow
from risk.answers import answer, company_answer, in_scope, minerals
from risk.config import Level, RiskConfig
from risk.matching import Match
from risk.registry import Registry

SMELTER_SHEET = "Smelter List"


@dataclass(frozen=True)
class Finding:
    """One risk: code, severity, the metal and smelter it concerns, the evidence cell, and a sentence."""

    code: str
    severity: Level
    message: str
    metal: str | None = None
    smelter_id: str | None = None
    sheet: str | None = None
    cell: str | None = None
    value: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """Plain JSON-ready fields."""
        return asdict(self)


def smelter_findings(
    row: SmelterRow, match: Match, registry: Registry, config: RiskConfig, on: dt.date
) -> list[Finding]:
    """Findings about one declared smelter row and how it resolved."""
    metal = match_metal(row, match, registry)
    label = row.name or row.lookup or row.smelter_id or f"row {row.row}"
    cell, value = _row_evidence(row)

    def finding(code: str, message: str, smelter_id: str | None = match.matched_id) -> Finding:
        return Finding(code, config.severity(code), message, metal, smelter_id, SMELTER_SHEET, cell, value)

    found: list[Finding] = []
    if match.gap or match.method == "none" or match.review:
        found.append(_resolution_finding(row, match, label, finding))
        if config.covered(row.country):
            text = f"The smelter {label!r} is located in {row.country}, a covered country."
            found.append(finding("sourcing-covered-countries", text))
        return found
    cid = match.matched_id or ""
    facility = registry.facilities[cid]
    status = registry.status(cid)
    name = f"{facility.name} ({cid})"
    if status is None:
        if registry.has_statuses and facility.metal in registry.listed_metals:
            text = f"The {metal} smelter {name} is on no RMI status list as of {on}; please source elsewhere."
            found.append(finding("smelter-not-conformant", text))
    elif status.status in config.accepted_statuses and status.expired(on):
        text = f"The last RMI audit of {name} ({status.last_audit}) has expired; please ask for its re-audit."
        found.append(finding("smelter-not-conformant", text))
    elif status.status in config.participating_statuses:
        text = f"The {metal} smelter {name} is {status.status} in RMAP but not yet conformant."
        found.append(finding("smelter-active-not-conformant", text))
    elif status.status not in config.accepted_statuses:
        text = f"The {metal} smelter {name} is {status.status} as of {status.as_of}; please source elsewhere."
        found.append(finding("smelter-not-conformant", text))
    if config.covered(facility.country):
        text = f"The smelter {name} is located in {facility.country}, a covered country."
        found.append(finding("sourcing-covered-countries", text))
    return found


def _resolution_finding(
    row: SmelterRow, match: Match, label: str, finding: Callable[..., Finding]
) -> Finding:
    """The finding for a row that did not resolve cleanly: a gap, unknown, or to be reviewed."""
    if match.gap:
        return finding(
            "smelter-not-identified", f"Please identify the smelter in row {row.row} of the Smelter List."
        )
    if match.method == "none":
        text = (
            f"We cannot find {label!r} in the RMI smelter list ({match.note}); please check its id and name."
        )
        return finding("smelter-unknown", text, row.smelter_id)
    text = (
        f"Row {row.row} ({label!r}) may be {match.matched_id} ({match.note}); please confirm the smelter id."
    )
    return finding("smelter-needs-review", text)


def match_metal(row: SmelterRow, match: Match, registry: Registry) -> str | None:
    """The row's metal, or the matched facility's when the row gives none."""
    if row.metal:
        return row.metal
    facility = registry.facilities.get(match.matched_id or "")
    return facility.metal if facility else None


# (code, topic, answers that raise it, sentence for the supplier); {metal} is filled in.
ANSWER_RULES = (
    (
        "sourcing-covered-countries",
        "covered_countries",
        ("Yes",),
        "You declare {metal} sourced from the DRC or an adjoining country; please send your due diligence "
        "on those smelters.",
    ),
    (
        "sourcing-cahra",
        "cahra",
        ("Yes",),
        "You declare {metal} sourced from conflict-affected and high-risk areas; please send your due "
        "diligence on those smelters.",
    ),
    (
        "smelters-not-all-identified",
        "all_smelters_identified",
        ("No",),
        "You have not identified all {metal} smelters; please complete the Smelter List.",
    ),
)
COMPANY_RULES = (
    ("no-sourcing-policy", "policy", "Please establish a responsible minerals sourcing policy."),
    (
        "no-corrective-action-process",
        "corrective_action",
        "Please include corrective action management in your supplier review process.",
    ),
)


def declaration_findings(decl: Declaration, config: RiskConfig) -> list[Finding]:
    """Findings from the Declaration answers, per metal in scope, then company-level."""
    found: list[Finding] = []

    def add(code: str, f: Field | None, value: str | None, message: str, metal: str | None = None) -> None:
        sheet, cell = (f.sheet, f.cell) if f else (None, None)
        found.append(Finding(code, config.severity(code), message, metal, None, sheet, cell, value))

    for metal in minerals(decl):
        if not in_scope(decl, metal):
            continue
        rules = [
            *ANSWER_RULES,
            (
                "low-supplier-response",
                "supplier_response",
                config.low_response,
                "Few of your suppliers answered your {metal} survey; please follow up.",
            ),
        ]
        for code, topic, values, message in rules:
            f, value = answer(decl, topic, metal)
            if value in values:
                add(code, f, value, message.format(metal=metal), metal)
        rows = [r for r in decl.smelters if (r.metal or "").casefold() == metal.casefold()]
        if not rows:
            f, value = answer(decl, "intentional", metal)
            add(
                "metal-without-smelters",
                f,
                value,
                f"You declare {metal} but list no {metal} smelter; please add them.",
                metal,
            )
        mixed = [r for r in rows if (r.recycled or "").strip().casefold() in ("no", "unknown")]
        f, value = answer(decl, "recycled", metal)
        if mixed and value == "Yes":
            add(
                "recycled-claim-inconsistent",
                f,
                value,
                f"You declare all {metal} recycled or scrap, but {len(mixed)} of your {metal} smelters are "
                "not recycled-only; please correct the answer or the Smelter List.",
                metal,
            )
    for code, topic, message in COMPANY_RULES:
        f, value = company_answer(decl, topic)
        if value == "No":
            add(code, f, value, message)
    return found


def _row_evidence(row: SmelterRow) -> tuple[str, str | None]:
    """The cell that best shows what the supplier declared for this row."""
    if row.id_input:
        return f"A{row.row}", row.id_input
    if row.lookup and row.lookup.strip():
        return f"C{row.row}", row.lookup
    return f"D{row.row}", row.name
