"""Audit expiry: a conformant smelter whose audit ends within the warning window is a low finding, that
opens no corrective action, that a later assessment judges again from the stored match alone."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from mrt.model import Declaration
from risk import Registry, RiskConfig, Status, assess, load_risk_config
from risk.actions import finding_record, group_findings
from risk.reassess import reassess

Build = Callable[..., Declaration]
Answers = Callable[..., dict[str, dict[str, str]]]
AS_OF = dt.date(2025, 6, 30)  # the registry fixture's date
WOLFRAM = "CID900004"  # a tungsten facility: given a conformant status with an audit date below


def _audited(registry: Registry, last_audit: dt.date) -> Registry:
    statuses = {
        **registry.statuses,
        WOLFRAM: Status("conformant", AS_OF, last_audit=last_audit, cycle_days=365),
    }
    return dataclasses.replace(registry, statuses=statuses)


def test_an_audit_ending_within_the_window_is_a_low_finding(
    registry: Registry, declare: Build, using: Answers
) -> None:
    decl = declare(using("Tungsten"), smelters=[{"metal": "Tungsten", "smelter_id": WOLFRAM}])
    ending = _audited(registry, AS_OF - dt.timedelta(days=365 - 20))  # valid 20 more days
    result = assess(decl, ending, as_of=AS_OF)
    (finding,) = [f for f in result.findings if f.smelter_id == WOLFRAM]
    assert (finding.code, finding.severity, result.risk) == ("smelter-audit-expiring", "low", "low")
    assert str(AS_OF + dt.timedelta(days=20)) in finding.message
    assert result.smelters[0].audit_ends == AS_OF + dt.timedelta(days=20)
    narrow = assess(decl, ending, as_of=AS_OF, config=RiskConfig(audit_warning_days=10))
    assert not [f for f in narrow.findings if f.smelter_id == WOLFRAM]  # outside a 10-day window
    expired = assess(decl, _audited(registry, AS_OF - dt.timedelta(days=400)), as_of=AS_OF)
    assert [f.code for f in expired.findings if f.smelter_id == WOLFRAM] == ["smelter-not-conformant"]
    (group,) = group_findings(
        [finding_record(finding.code, finding.severity, "Tungsten", WOLFRAM, finding.message)]
    )
    assert group.unmet == []  # a warning: no corrective action opens for it


def test_a_stored_match_is_judged_again_without_the_declaration(
    registry: Registry, declare: Build, using: Answers
) -> None:
    decl = declare(using("Tungsten"), smelters=[{"metal": "Tungsten", "smelter_id": WOLFRAM}])
    fresh = _audited(registry, AS_OF - dt.timedelta(days=100))
    first = assess(decl, fresh, as_of=AS_OF)
    assert first.risk == "none" and first.smelters[0].codes == ()
    later = AS_OF + dt.timedelta(days=250)  # 15 days before the audit ends
    again = reassess(first.smelters, first.findings, fresh, RiskConfig(), later)
    assert [f.code for f in again.findings] == ["smelter-audit-expiring"]
    assert again.smelters[0].codes == ("smelter-audit-expiring",) and again.risk == "low"
    past = reassess(again.smelters, again.findings, fresh, RiskConfig(), AS_OF + dt.timedelta(days=300))
    assert [f.code for f in past.findings] == ["smelter-not-conformant"] and past.risk == "high"


def test_the_warning_window_is_a_setting(tmp_path: Path) -> None:
    path = tmp_path / "risk.json"
    path.write_text(json.dumps({"audit_warning_days": 60}))
    assert load_risk_config(path).audit_warning == dt.timedelta(days=60)
    path.write_text(json.dumps({"audit_warning_days": "soon"}))
    with pytest.raises(ValueError, match="audit_warning_days must be a whole number"):
        load_risk_config(path)
