"""Group a survey's findings into corrective actions: one per kind (and metal where the kind says so)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from risk.config import RISK_ORDER

SMELTERS = "smelters-not-conformant"


@dataclass(frozen=True)
class Kind:
    """A kind of corrective action: the finding codes it covers and the outcome it asks for."""

    name: str
    codes: frozenset[str]
    outcome: str  # may name {metal}
    per_metal: bool = False


KINDS = (
    Kind(
        SMELTERS,
        frozenset({"smelter-not-conformant", "smelter-active-not-conformant"}),
        "Source only from RMAP conformant or active smelters, or show each listed smelter's RMAP enrolment.",
    ),
    Kind(
        "identify-smelters",
        frozenset(
            {
                "smelter-unknown",
                "smelter-not-identified",
                "smelter-needs-review",
                "smelters-not-all-identified",
            }
        ),
        "Identify every smelter with its RMI smelter ID (CID) so it can be checked against RMI data.",
    ),
    Kind(
        "complete-smelter-list",
        frozenset({"metal-without-smelters", "low-supplier-response"}),
        "Complete the smelter list for {metal}, with responses from your own suppliers.",
        per_metal=True,
    ),
    Kind(
        "sourcing-risk",
        frozenset({"sourcing-covered-countries", "sourcing-cahra"}),
        "Show that {metal} from covered or conflict-affected areas comes only from RMAP conformant smelters.",
        per_metal=True,
    ),
    Kind(
        "sourcing-policy",
        frozenset({"no-sourcing-policy"}),
        "Provide a responsible minerals sourcing policy.",
    ),
    Kind(
        "corrective-action-process",
        frozenset({"no-corrective-action-process"}),
        "Describe your process for corrective action with your own suppliers.",
    ),
    Kind(
        "recycled-claim",
        frozenset({"recycled-claim-inconsistent"}),
        "Correct the recycled or scrap sourcing answers so they match the smelters listed.",
    ),
)
_BY_CODE = {code: kind for kind in KINDS for code in kind.codes}
DUE_AFTER = {"high": dt.timedelta(days=30), "medium": dt.timedelta(days=60), "low": dt.timedelta(days=90)}


@dataclass(frozen=True)
class ActionGroup:
    """The findings one corrective action covers, with what is expected of the supplier."""

    key: str  # kind, plus ":metal" for a per-metal kind
    kind: str
    metal: str | None
    severity: str  # the worst finding's
    required_outcome: str
    findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def smelters(self) -> list[str]:
        """The smelter ids the action lists, in order."""
        return list(dict.fromkeys(f["smelter_id"] for f in self.findings if f.get("smelter_id")))


def finding_record(
    code: str, severity: str, metal: str | None, smelter_id: str | None, message: str
) -> dict[str, Any]:
    """A finding as an action keeps it (JSON)."""
    return {"code": code, "severity": severity, "metal": metal, "smelter_id": smelter_id, "message": message}


def group_findings(findings: Iterable[dict[str, Any]]) -> list[ActionGroup]:
    """One group per kind (per metal where the kind is about one metal), in first-seen order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        kind = _BY_CODE.get(f["code"])
        metal = f.get("metal") if kind is not None and kind.per_metal else None
        key = (kind.name if kind else f["code"]) + (f":{metal}" if metal else "")
        groups.setdefault(key, []).append(f)
    return [_group(key, items) for key, items in groups.items()]


def _group(key: str, items: list[dict[str, Any]]) -> ActionGroup:
    name, _, metal = key.partition(":")
    kind = _BY_CODE.get(items[0]["code"])
    outcome = kind.outcome.format(metal=metal or "every metal") if kind else items[0]["message"]
    worst = max(items, key=lambda f: RISK_ORDER.index(f["severity"]))["severity"]
    return ActionGroup(key, name, metal or None, worst, outcome, list(items))


def load_due_after(path: Path | None) -> dict[str, dt.timedelta]:
    """Days to answer per severity: defaults, overridden by {"high": 14, ...} in a JSON file (days)."""
    due = dict(DUE_AFTER)
    if path is None or not path.is_file():
        return due
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        for severity, days in data.get("due_days", {}).items():
            if severity not in due or not isinstance(days, int | float) or days <= 0:
                raise ValueError(
                    f"due_days.{severity} must be high/medium/low with a positive number of days"
                )
            due[severity] = dt.timedelta(days=days)
    except (OSError, ValueError, AttributeError) as exc:
        raise ValueError(f"{path} is not a readable action configuration: {exc}") from None
    return due
