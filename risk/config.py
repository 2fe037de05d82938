"""Risk configuration: severities per finding code, covered countries, status vocabulary, match bands."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from risk.normalize import country_key, fold

Level = Literal["high", "medium", "low"]
RISK_ORDER = ("none", "low", "medium", "high")

SEVERITIES: dict[str, Level] = {
    "smelter-not-conformant": "high",
    "smelter-active-not-conformant": "low",
    "smelter-audit-expiring": "low",
    "smelter-unknown": "medium",
    "smelter-not-identified": "medium",
    "smelter-needs-review": "low",
    "sourcing-covered-countries": "high",
    "sourcing-cahra": "high",
    "metal-without-smelters": "medium",
    "smelters-not-all-identified": "medium",
    "low-supplier-response": "medium",
    "no-sourcing-policy": "medium",
    "no-corrective-action-process": "low",
    "recycled-claim-inconsistent": "medium",
}

# The Democratic Republic of the Congo and its adjoining countries (Dodd-Frank section 1502).
COVERED_COUNTRIES = (
    "Congo, Democratic Republic of the",
    "Angola",
    "Burundi",
    "Central African Republic",
    "Congo",
    "Rwanda",
    "South Sudan",
    "Tanzania, United Republic of",
    "Uganda",
    "Zambia",
)

# Registry status words (folded) -> status code. Unlisted words are rejected at import.
STATUSES = {
    "conformant": "conformant",
    "compliant": "conformant",  # CFSI era
    "cross recognized": "cross-recognized",
    "cross recognised": "cross-recognized",
    "active": "active",
    "progressing": "active",  # CFSI era: committed, audit under way
    "in communication": "active",
    "re audit in progress": "active",
    "non conformant": "non-conformant",
    "not conformant": "non-conformant",
    "suspended": "suspended",
    "communication suspended not interested": "suspended",
    "not enrolled": "not-enrolled",
    "outreach required": "outreach-required",
    "eligible": "not-enrolled",
    "inactive": "not-enrolled",
}


@dataclass(frozen=True)
class RiskConfig:
    """Everything a compliance team may tune; defaults follow RMI and OECD practice."""

    severities: dict[str, Level] = field(default_factory=lambda: dict(SEVERITIES))
    covered_countries: tuple[str, ...] = COVERED_COUNTRIES
    statuses: dict[str, str] = field(default_factory=lambda: dict(STATUSES))
    accepted_statuses: tuple[str, ...] = ("conformant", "cross-recognized")
    participating_statuses: tuple[str, ...] = ("active",)
    low_response: tuple[str, ...] = ("50% or less", "None")
    auto_score: float = 95.0  # fuzzy name matches at or above (with the margin) are accepted
    auto_margin: float = 5.0  # points ahead of the next facility
    review_score: float = 80.0  # below this a name is not a match at all
    audit_warning_days: int = 30  # warn this many days before a conformant facility's audit ends
    active_outreach_days: int = 365  # a facility Active this long without conformance gets outreach

    @property
    def audit_warning(self) -> dt.timedelta:
        """How long before an audit's end its facility is a `smelter-audit-expiring` finding."""
        return dt.timedelta(days=self.audit_warning_days)

    def covered(self, country: str | None) -> bool:
        """True when `country` is one of the covered countries, however it is spelt."""
        key = country_key(country)
        return key is not None and key in {country_key(c) for c in self.covered_countries}

    def status_code(self, text: str | None) -> str | None:
        """The status code for a status word as a list spells it, None when blank or unknown."""
        if text is None or not text.strip():
            return None
        return self.statuses.get(fold(text))

    def severity(self, code: str) -> Level:
        """The configured severity of a finding code."""
        return self.severities.get(code, "medium")


def load_risk_config(path: Path | None) -> RiskConfig:
    """Defaults, overridden by a JSON file when it exists (keys as RiskConfig fields, merged for dicts)."""
    config = RiskConfig()
    if path is None or not path.is_file():
        return config
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path} is not a readable risk configuration: {exc}") from None
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key == "severities":
            bad = {k: v for k, v in value.items() if v not in ("high", "medium", "low")}
            if bad:
                raise ValueError(f"{path}: severities must be high, medium or low, got {bad}")
            changes[key] = {**config.severities, **value}
        elif key == "statuses":
            changes[key] = {**config.statuses, **{fold(k): v for k, v in value.items()}}
        elif key in ("covered_countries", "accepted_statuses", "participating_statuses", "low_response"):
            changes[key] = tuple(value)
        elif key in ("auto_score", "auto_margin", "review_score"):
            changes[key] = float(value)
        elif key in ("audit_warning_days", "active_outreach_days"):
            if not isinstance(value, int) or value < 0:
                raise ValueError(f"{path}: {key} must be a whole number of days, 0 or more")
            changes[key] = value
        else:
            raise ValueError(f"{path}: unknown setting {key!r}")
    return replace(config, **changes)
