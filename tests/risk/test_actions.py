"""Grouping findings into corrective actions, and the due days per severity."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from risk.actions import SMELTERS, finding_record, group_findings, load_due_after


def test_non_conformant_smelters_form_one_action_and_metal_gaps_one_per_metal() -> None:
    findings = [
        finding_record("smelter-not-conformant", "high", "Tin", "CID000001", "not conformant"),
        finding_record("smelter-active-not-conformant", "low", "Gold", "CID000002", "active only"),
        finding_record("smelter-not-conformant", "high", "Tin", "CID000003", "not conformant"),
        finding_record("metal-without-smelters", "medium", "Tin", None, "no tin smelters"),
        finding_record("metal-without-smelters", "medium", "Gold", None, "no gold smelters"),
        finding_record("no-sourcing-policy", "medium", None, None, "no policy"),
    ]
    groups = {g.key: g for g in group_findings(findings)}
    assert list(groups) == [
        SMELTERS,
        "complete-smelter-list:Tin",
        "complete-smelter-list:Gold",
        "sourcing-policy",
    ]
    smelters = groups[SMELTERS]
    assert (smelters.severity, smelters.smelters) == ("high", ["CID000001", "CID000002", "CID000003"])
    assert groups["complete-smelter-list:Tin"].required_outcome.startswith(
        "Complete the smelter list for Tin"
    )
    assert groups["sourcing-policy"].required_outcome == "Provide a responsible minerals sourcing policy."


def test_an_unknown_code_gets_its_own_action_with_its_message_as_outcome() -> None:
    (group,) = group_findings([finding_record("new-rule", "low", None, None, "Explain the new thing.")])
    assert (group.kind, group.required_outcome) == ("new-rule", "Explain the new thing.")


def test_due_days_per_severity_come_from_configuration(tmp_path: Path) -> None:
    assert load_due_after(None)["high"] == dt.timedelta(days=30)
    path = tmp_path / "actions.json"
    path.write_text('{"due_days": {"high": 14}}')
    due = load_due_after(path)
    assert (due["high"], due["low"]) == (dt.timedelta(days=14), dt.timedelta(days=90))
    path.write_text('{"due_days": {"urgent": 3}}')
    with pytest.raises(ValueError, match="actions.json is not a readable action configuration"):
        load_due_after(path)


def test_a_smelter_action_asks_only_what_its_outcome_says_active_and_expiring_smelters_meet_it() -> None:
    active = finding_record("smelter-active-not-conformant", "low", "Gold", "CID000002", "active only")
    expiring = finding_record("smelter-audit-expiring", "low", "Tin", "CID000004", "audit ends soon")
    gone = finding_record("smelter-not-conformant", "high", "Tin", "CID000001", "not conformant")
    (group,) = group_findings([gone, active, expiring])
    assert "conformant or active" in group.required_outcome
    assert (group.unmet, group.smelters) == ([gone], ["CID000001", "CID000002", "CID000004"])
    (met,) = group_findings([active, expiring])  # the non-conformant smelter is gone: nothing is unmet
    assert met.unmet == []
    (policy,) = group_findings([finding_record("no-sourcing-policy", "medium", None, None, "no policy")])
    assert len(policy.unmet) == 1  # kinds without a narrower rule: every finding is unmet
