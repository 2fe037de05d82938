"""Group a survey's findings into corrective actions: one per kind (and metal where the kind says so)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from risk.config import RISK_ORDER
from risk.wording import EVERY_METAL, OUTCOMES

SMELTERS = "smelters-not-conformant"


@dataclass(frozen=True)
class Kind:
    """A kind of corrective action: the finding codes it covers and the outcome it asks for."""

    name: str
    codes: frozenset[str]
    outcome: str  # may name {metal}
    per_metal: bool = False
    # The codes that leave the outcome unmet (None: every code of the kind); an action opens while some
    # finding has one, and resolves when none is left. The outcome's words and this set say the same.
    unmet: frozenset[str] | None = None


KINDS = (
    Kind(
        SMELTERS,
        frozenset({"smelter-not-conformant", "smelter-active-not-conformant", "smelter-audit-expiring"}),
        OUTCOMES[0],
        unmet=frozenset({"smelter-not-conformant"}),  # active and expiring-audit smelters meet it
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
        OUTCOMES[1],
    ),
    Kind(
        "complete-smelter-list",
        frozenset({"metal-without-smelters", "low-supplier-response"}),
        OUTCOMES[2],
        per_metal=True,
    ),
    Kind(
        "sourcing-risk",
        frozenset({"sourcing-covered-countries", "sourcing-cahra"}),
        OUTCOMES[3],
        per_metal=True,
    ),
    Kind(
        "sourcing-policy",
        frozenset({"no-sourcing-policy"}),
        OUTCOMES[4],
    ),
    Kind(
        "corrective-action-process",
        frozenset({"no-corrective-action-process"}),
        OUTCOMES[5],
    ),
    Kind(
        "recycled-claim",
        frozenset({"recycled-claim-inconsistent"}),
        OUTCOMES[6],
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

    unmet_codes: frozenset[str] | None = None  # None: every finding leaves the outcome unmet

    @property
    def unmet(self) -> list[dict[str, Any]]:
        """The findings that leave the required outcome unmet: the action stays open while there are any."""
        return [f for f in self.findings if self.unmet_codes is None or f["code"] in self.unmet_codes]

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
    outcome = kind.outcome.format(metal=metal or EVERY_METAL) if kind else items[0]["message"]
    worst = max(items, key=lambda f: RISK_ORDER.index(f["severity"]))["severity"]
    return ActionGroup(key, name, metal or None, worst, outcome, list(items), kind.unmet if kind else None)


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
