"""Risk rules: what a compliance analyst flags in a declaration, one `Finding` per concern."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass

from mrt.layout import TableLayout
from mrt.model import Declaration, Field, SmelterRow
from risk import wording as w
from risk.answers import answer, company_answer, in_scope, minerals
from risk.config import Level, RiskConfig
from risk.matching import Match
from risk.registry import Facility, Registry

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
    row: SmelterRow, match: Match, registry: Registry, config: RiskConfig, on: dt.date, table: TableLayout
) -> list[Finding]:
    """Findings about one declared smelter row of the list `table` and how it resolved."""
    metal = match_metal(row, match, registry)
    label = row.name or row.lookup or row.smelter_id or f"row {row.row}"
    cell, value = row_evidence(row, table)

    def finding(code: str, message: str, smelter_id: str | None = match.matched_id) -> Finding:
        return Finding(code, config.severity(code), message, metal, smelter_id, table.sheet, cell, value)

    found: list[Finding] = []
    if match.gap or match.method == "none" or match.review:
        found.append(_resolution_finding(row, match, label, finding))
        if config.covered(row.country):
            text = w.COVERED_ROW.format(label=repr(label), country=row.country)
            found.append(finding("sourcing-covered-countries", text))
        return found
    facility = registry.facilities[match.matched_id or ""]
    found.extend(status_findings(facility, metal, registry, config, on, finding))
    name = f"{facility.name} ({facility.smelter_id})"
    if config.covered(facility.country):
        text = w.COVERED_FACILITY.format(name=name, country=facility.country)
        found.append(finding("sourcing-covered-countries", text))
    return found


STATUS_CODES = frozenset(
    {"smelter-not-conformant", "smelter-active-not-conformant", "smelter-audit-expiring"}
)


def status_findings(
    facility: Facility,
    metal: str | None,
    registry: Registry,
    config: RiskConfig,
    on: dt.date,
    finding: Callable[[str, str], Finding],
) -> list[Finding]:
    """Findings about a resolved facility's RMAP status on `on` (the codes of STATUS_CODES); a registry
    refresh judges a stored match again with this alone."""
    status = registry.status(facility.smelter_id)
    name = f"{facility.name} ({facility.smelter_id})"
    if status is None:
        if registry.has_statuses and facility.metal in registry.listed_metals:
            text = w.NO_STATUS.format(metal=metal, name=name, on=on)
            return [finding("smelter-not-conformant", text)]
        return []
    if status.status in config.accepted_statuses and status.expired(on):
        text = w.AUDIT_EXPIRED.format(name=name, last_audit=status.last_audit)
        return [finding("smelter-not-conformant", text)]
    ends = status.audit_ends
    if status.status in config.accepted_statuses and ends and ends <= on + config.audit_warning:
        text = w.AUDIT_EXPIRING.format(name=name, ends=ends)
        return [finding("smelter-audit-expiring", text)]
    if status.status in config.participating_statuses:
        text = w.ACTIVE.format(metal=metal, name=name, status=status.status)
        return [finding("smelter-active-not-conformant", text)]
    if status.status not in config.accepted_statuses:
        text = w.NOT_CONFORMANT.format(metal=metal, name=name, status=status.status, as_of=status.as_of)
        return [finding("smelter-not-conformant", text)]
    return []


def _resolution_finding(
    row: SmelterRow, match: Match, label: str, finding: Callable[..., Finding]
) -> Finding:
    """The finding for a row that did not resolve cleanly: a gap, unknown, or to be reviewed."""
    if match.gap:
        return finding("smelter-not-identified", w.NOT_IDENTIFIED.format(row=row.row))
    if match.method == "none":
        text = w.UNKNOWN.format(label=repr(label), note=match.note)
        return finding("smelter-unknown", text, row.smelter_id)
    text = w.REVIEW.format(row=row.row, label=repr(label), smelter_id=match.matched_id, note=match.note)
    return finding("smelter-needs-review", text)


def match_metal(row: SmelterRow, match: Match, registry: Registry) -> str | None:
    """The row's metal, or the matched facility's when the row gives none."""
    if row.metal:
        return row.metal
    facility = registry.facilities.get(match.matched_id or "")
    return facility.metal if facility else None


# The CAHRA question's region answers (CRT 2.x Q2, EMRT 1.x Q3): a "Yes" limited to a region, and
# the words for where that is. Each says what a CMRT "Yes" to the covered-countries question says.
REGIONS = w.REGIONS
_COVERED = w.COVERED_AREA  # a CMRT "Yes" to the covered-countries question

# (code, topic -> answers that raise it, sentence for the supplier): one rule per finding, whichever
# question carries the answer; {metal}, {where} and {quoted} (a region answer, quoted) are filled in.
ANSWER_RULES: tuple[tuple[str, dict[str, tuple[str, ...]], str], ...] = (
    (
        "sourcing-covered-countries",
        {"covered_countries": ("Yes",), "cahra": tuple(REGIONS)},
        w.COVERED_ANSWER,
    ),
    (
        "sourcing-cahra",
        {"cahra": ("Yes", *REGIONS)},
        w.CAHRA_ANSWER,
    ),
    (
        "smelters-not-all-identified",
        {"all_smelters_identified": ("No",)},
        w.NOT_ALL_IDENTIFIED,
    ),
)
COMPANY_RULES = (
    ("no-sourcing-policy", "policy", w.NO_POLICY),
    (
        "no-corrective-action-process",
        "corrective_action",
        w.NO_PROCESS,
    ),
)


def _answered(
    decl: Declaration, topics: dict[str, tuple[str, ...]], metal: str
) -> tuple[Field | None, str | None] | None:
    """The first answer for `metal` among these topics that is one of the answers given for it."""
    for topic, values in topics.items():
        f, value = answer(decl, topic, metal)
        if value in values:
            return f, value
    return None


def declaration_findings(decl: Declaration, config: RiskConfig) -> list[Finding]:
    """Findings from the Declaration answers, per metal in scope, then company-level."""
    found: list[Finding] = []

    def add(code: str, f: Field | None, value: str | None, message: str, metal: str | None = None) -> None:
        sheet, cell = (f.sheet, f.cell) if f else (None, None)
        found.append(Finding(code, config.severity(code), message, metal, None, sheet, cell, value))

    for metal in minerals(decl):
        if not in_scope(decl, metal):
            continue
        low_response = (
            "low-supplier-response",
            {"supplier_response": tuple(config.low_response)},
            w.LOW_RESPONSE,
        )
        for code, topics, message in (*ANSWER_RULES, low_response):
            hit = _answered(decl, topics, metal)
            if hit is not None:
                f, value = hit
                quoted = f' ("{value}")' if value in REGIONS else ""
                where = REGIONS.get(value or "", _COVERED)
                add(code, f, value, message.format(metal=metal, where=where, quoted=quoted), metal)
        rows = [r for r in decl.smelters if (r.metal or "").casefold() == metal.casefold()]
        if not rows:
            f, value = answer(decl, "intentional", metal)
            add(
                "metal-without-smelters",
                f,
                value,
                w.NO_SMELTERS.format(metal=metal),
                metal,
            )
        mixed = [r for r in rows if (r.recycled or "").strip().casefold() in ("no", "unknown")]
        f, value = answer(decl, "recycled", metal)
        if mixed and value == "Yes":
            add(
                "recycled-claim-inconsistent",
                f,
                value,
                w.RECYCLED.format(metal=metal, count=len(mixed)),
                metal,
            )
    for code, topic, message in COMPANY_RULES:
        f, value = company_answer(decl, topic)
        if value == "No":
            add(code, f, value, message)
    return found


def row_evidence(row: SmelterRow, table: TableLayout) -> tuple[str, str | None]:
    """The cell that best shows what the supplier declared for this row, in its template's columns: the
    identifier typed (CMRT's column A, AMRT 1.2's column D), else the look-up name, else the name."""
    if row.id_input and table.has("id_input"):
        return f"{table.column('id_input')}{row.row}", row.id_input
    if not table.has("id_input") and row.smelter_id and not table.has("lookup"):  # typed lists (AMRT 1.2)
        return f"{table.column('smelter_id')}{row.row}", row.smelter_id
    if row.lookup and row.lookup.strip() and table.has("lookup"):
        return f"{table.column('lookup')}{row.row}", row.lookup
    return f"{table.column('name')}{row.row}", row.name
