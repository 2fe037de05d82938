"""Risk rules: what a compliance analyst flags in a declaration, one `Finding` per concern."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass

from mrt.model import Declaration, Field, SmelterRow
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


def in_scope(decl: Declaration, metal: str) -> bool:
    """A metal is in scope when used (Q1 Yes) and not declared absent from the product (Q2 No)."""
    return decl.answer("intentional", metal) == "Yes" and decl.answer("remains", metal) != "No"


def answer_field(decl: Declaration, topic: str, metal: str) -> Field | None:
    """The answer cell of the per-metal question about `topic`."""
    for q in decl.layout.questions:
        if q.topic == topic:
            return decl.mineral_answers.get(q.key, {}).get(metal)
    return None


def company_field(decl: Declaration, topic: str) -> Field | None:
    """The answer cell of the company-level question about `topic`."""
    for q in decl.layout.company_questions:
        if q.topic == topic and not q.per_mineral:
            return decl.company_answers.get(q.key)
    return None


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
        if registry.has_statuses:
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


def declaration_findings(decl: Declaration, config: RiskConfig) -> list[Finding]:
    """Findings from the Declaration answers, per metal in scope, then company-level."""
    found: list[Finding] = []

    def answered(code: str, topic: str, metal: str, values: tuple[str, ...], message: str) -> None:
        f = answer_field(decl, topic, metal)
        if f is not None and f.value in values:
            found.append(Finding(code, config.severity(code), message, metal, None, f.sheet, f.cell, f.value))

    for metal in decl.minerals:
        rows = [r for r in decl.smelters if (r.metal or "").casefold() == metal.casefold()]
        if not in_scope(decl, metal):
            continue
        answered(
            "sourcing-covered-countries",
            "covered_countries",
            metal,
            ("Yes",),
            f"You declare {metal} sourced from the DRC or an adjoining country; please send your "
            "due diligence on those smelters.",
        )
        answered(
            "sourcing-cahra",
            "cahra",
            metal,
            ("Yes",),
            f"You declare {metal} sourced from conflict-affected and high-risk areas; please send "
            "your due diligence on those smelters.",
        )
        answered(
            "smelters-not-all-identified",
            "all_smelters_identified",
            metal,
            ("No",),
            f"You have not identified all {metal} smelters; please complete the Smelter List.",
        )
        answered(
            "low-supplier-response",
            "supplier_response",
            metal,
            config.low_response,
            f"Few of your suppliers answered your {metal} survey; please follow up with them.",
        )
        if not rows:
            f = answer_field(decl, "intentional", metal)
            code = "metal-without-smelters"
            found.append(
                Finding(
                    code,
                    config.severity(code),
                    f"You declare {metal} but list no {metal} smelter; please add them.",
                    metal,
                    None,
                    f.sheet if f else None,
                    f.cell if f else None,
                    f.value if f else None,
                )
            )
        mixed = [r for r in rows if (r.recycled or "").strip().casefold() in ("no", "unknown")]
        if mixed:
            answered(
                "recycled-claim-inconsistent",
                "recycled",
                metal,
                ("Yes",),
                f"You declare all {metal} recycled or scrap, but {len(mixed)} of your {metal} "
                "smelters are not recycled-only; please correct Q5 or the Smelter List.",
            )
    for code, topic, message in (
        ("no-sourcing-policy", "policy", "Please establish a responsible minerals sourcing policy."),
        (
            "no-corrective-action-process",
            "corrective_action",
            "Please include corrective action management in your supplier review process.",
        ),
    ):
        f = company_field(decl, topic)
        if f is not None and f.value == "No":
            found.append(Finding(code, config.severity(code), message, None, None, f.sheet, f.cell, f.value))
    return found


def _row_evidence(row: SmelterRow) -> tuple[str, str | None]:
    """The cell that best shows what the supplier declared for this row."""
    if row.id_input:
        return f"A{row.row}", row.id_input
    if row.lookup and row.lookup.strip():
        return f"C{row.row}", row.lookup
    return f"D{row.row}", row.name
