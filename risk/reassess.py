"""Judge a stored assessment again against a newer registry: the stored matches keep their facility, only
what depends on RMAP statuses (STATUS_CODES) is decided anew. No file is read, no name matched again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from risk.assess import Assessment, SmelterResult, dedupe
from risk.config import RISK_ORDER, RiskConfig
from risk.registry import Registry
from risk.rules import SMELTER_SHEET, STATUS_CODES, Finding, status_findings


def reassess(
    results: list[SmelterResult],
    findings: list[Finding],
    registry: Registry,
    config: RiskConfig,
    on: dt.date,
) -> Assessment:
    """The assessment of stored rows and findings with `registry`'s statuses on `on`."""
    rows: list[SmelterResult] = []
    judged: list[Finding] = []
    redone: set[str] = set()  # facilities whose status findings are decided again
    for result in results:
        cid = result.accepted_id
        facility = registry.facilities.get(cid or "")
        if cid is None or facility is None:
            rows.append(result)
            continue
        redone.add(cid)
        raised = status_findings(facility, result.metal, registry, config, on, _maker(result, config))
        status = registry.status(cid)
        judged.extend(raised)
        kept = [c for c in result.codes if c not in STATUS_CODES]
        rows.append(
            replace(
                result,
                rmap_status=status.status if status else None,
                status_as_of=status.as_of if status else None,
                last_audit=status.last_audit if status else None,
                audit_ends=status.audit_ends if status else None,
                codes=tuple(dict.fromkeys([*(f.code for f in raised), *kept])),
            )
        )
    others = [f for f in findings if not (f.code in STATUS_CODES and f.smelter_id in redone)]
    merged = dedupe([*judged, *others])
    worst = max((RISK_ORDER.index(f.severity) for f in merged), default=0)
    return Assessment(RISK_ORDER[worst], on, registry.source, rows, merged, registry.statuses_as_of)


def _maker(result: SmelterResult, config: RiskConfig) -> Callable[[str, str], Finding]:
    def finding(code: str, message: str) -> Finding:
        return Finding(
            code,
            config.severity(code),
            message,
            result.metal,
            result.matched_id,
            SMELTER_SHEET,
            result.cell,
            result.value,
        )

    return finding
