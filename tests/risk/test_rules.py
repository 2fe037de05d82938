"""Every finding code from generated declarations, the overall risk, and configuration."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from mrt.model import NOT_IDENTIFIED, Declaration
from risk import Registry, RiskConfig, assess, load_risk_config
from risk.config import SEVERITIES

Build = Callable[..., Declaration]
Answers = Callable[..., dict[str, dict[str, str]]]


CLEAN_GOLD = {"metal": "Gold", "smelter_id": "CID900001", "lookup": "Societe Generale d'Affinage S.A."}


def test_clean_declaration_has_no_risk(registry: Registry, declare: Build, using: Answers) -> None:
    result = assess(declare(using("Gold"), {"policy": "Yes"}, [CLEAN_GOLD]), registry)
    assert (result.risk, result.findings) == ("none", [])
    [smelter] = result.smelters
    assert (smelter.matched_id, smelter.match, smelter.score, smelter.rmap_status) == (
        "CID900001",
        "id",
        100.0,
        "conformant",
    )


@pytest.mark.parametrize(
    ("smelter", "code", "smelter_id"),
    [
        (
            {"metal": "Tungsten", "smelter_id": "CID900004"},
            "smelter-not-conformant",
            "CID900004",
        ),  # suspended
        ({"metal": "Tin", "smelter_id": "CID900008"}, "smelter-not-conformant", "CID900008"),  # audit expired
        (
            {"metal": "Tungsten", "smelter_id": "CID900009"},
            "smelter-not-conformant",
            "CID900009",
        ),  # on no list
        ({"metal": "Tin", "smelter_id": "CID900002"}, "smelter-active-not-conformant", "CID900002"),
        ({"metal": "Gold", "name": "Acme Refining", "country": "Peru"}, "smelter-unknown", None),
        ({"metal": "Gold", "smelter_id": "CID123456"}, "smelter-unknown", "CID123456"),
        ({"metal": "Gold", "lookup": NOT_IDENTIFIED}, "smelter-not-identified", None),
        (
            {"metal": "Gold", "name": "Metalor Technologies SA", "country": "China"},
            "smelter-needs-review",
            "CID900005",
        ),
        ({"metal": "Gold", "smelter_id": "CID900007"}, "sourcing-covered-countries", "CID900007"),
        ({"metal": "Gold", "name": "Acme Refining", "country": "Rwanda"}, "sourcing-covered-countries", None),
    ],
)
def test_smelter_findings(
    registry: Registry,
    declare: Build,
    using: Answers,
    smelter: dict[str, str],
    code: str,
    smelter_id: str | None,
) -> None:
    metal = smelter["metal"]
    result = assess(declare(using(metal), {}, [smelter]), registry)
    [finding] = [f for f in result.findings if f.code == code]
    assert (finding.metal, finding.smelter_id, finding.sheet) == (metal, smelter_id, "Smelter List")
    assert finding.cell and finding.cell.endswith("5")
    assert finding.severity == SEVERITIES[code] and result.risk != "none"


@pytest.mark.parametrize(
    ("topic", "answer", "code", "cell"),
    [
        ("covered_countries", "Yes", "sourcing-covered-countries", "D40"),
        ("cahra", "Yes", "sourcing-cahra", "D46"),
        ("all_smelters_identified", "No", "smelters-not-all-identified", "D64"),
        ("supplier_response", "50% or less", "low-supplier-response", "D58"),
        ("supplier_response", "None", "low-supplier-response", "D58"),
    ],
)
def test_answer_findings_point_at_the_cell(
    registry: Registry, declare: Build, using: Answers, topic: str, answer: str, code: str, cell: str
) -> None:
    answers = using("Gold")
    answers[topic]["Gold"] = answer
    result = assess(declare(answers, {}, [CLEAN_GOLD]), registry)
    assert [(f.code, f.metal, f.cell, f.value) for f in result.findings] == [(code, "Gold", cell, answer)]
    assert result.risk == SEVERITIES[code]


def test_metal_declared_without_smelters(registry: Registry, declare: Build, using: Answers) -> None:
    result = assess(declare(using("Gold", "Tin"), {}, [CLEAN_GOLD]), registry)
    assert [(f.code, f.metal, f.cell) for f in result.findings] == [("metal-without-smelters", "Tin", "D27")]
    # A metal the supplier does not use needs no smelters.
    assert assess(declare(using("Gold"), {}, [CLEAN_GOLD]), registry).findings == []


def test_recycled_claim_with_mined_smelters(registry: Registry, declare: Build, using: Answers) -> None:
    answers = using("Gold")
    answers["recycled"]["Gold"] = "Yes"
    recycled_only = declare(answers, {}, [{**CLEAN_GOLD, "recycled": "Yes"}])
    assert assess(recycled_only, registry).findings == []
    mixed = declare(answers, {}, [{**CLEAN_GOLD, "recycled": "No"}])
    assert [(f.code, f.cell) for f in assess(mixed, registry).findings] == [
        ("recycled-claim-inconsistent", "D52")
    ]


def test_company_answers(registry: Registry, declare: Build, using: Answers) -> None:
    result = assess(
        declare(using("Gold"), {"policy": "No", "corrective_action": "No"}, [CLEAN_GOLD]), registry
    )
    assert [(f.code, f.cell) for f in result.findings] == [
        ("no-sourcing-policy", "D75"),
        ("no-corrective-action-process", "D87"),
    ]
    assert result.risk == "medium"


def test_risk_is_the_worst_severity_and_severities_are_configurable(
    registry: Registry, declare: Build, using: Answers
) -> None:
    decl = declare(using("Tin"), {}, [{"metal": "Tin", "smelter_id": "CID900002"}])  # active only
    assert assess(decl, registry).risk == "low"
    stricter = RiskConfig(severities={**SEVERITIES, "smelter-active-not-conformant": "high"})
    assert assess(decl, registry, config=stricter).risk == "high"


def test_lookup_registry_has_unknown_statuses_and_no_status_findings(declare: Build, using: Answers) -> None:
    from mrt.model import LookupEntry

    registry = Registry.from_lookup(
        [LookupEntry("Tin", "Bangka", "Bangka Tin Industry", "INDONESIA", "CID900008")]
    )
    result = assess(declare(using("Tin"), {}, [{"metal": "Tin", "smelter_id": "CID900008"}]), registry)
    assert result.registry_source == "lookup"
    assert (result.risk, result.smelters[0].rmap_status, result.smelters[0].match) == ("none", None, "id")


def test_config_file_overrides_and_rejects_bad_values(
    tmp_path: Path, registry: Registry, declare: Build, using: Answers
) -> None:
    path = tmp_path / "risk.json"
    path.write_text(json.dumps({"covered_countries": ["Peru"], "statuses": {"Probation": "non-conformant"}}))
    config = load_risk_config(path)
    assert config.covered("PERU") and not config.covered("Rwanda")
    assert (
        config.status_code("probation") == "non-conformant"
        and config.status_code("Compliant") == "conformant"
    )
    decl = declare(using("Gold"), {}, [{"metal": "Gold", "name": "Acme Refining", "country": "Peru"}])
    assert "sourcing-covered-countries" in assess(decl, registry, config=config).codes()
    path.write_text(json.dumps({"severities": {"sourcing-cahra": "critical"}}))
    with pytest.raises(ValueError, match="high, medium or low"):
        load_risk_config(path)


def test_missing_status_counts_only_for_metals_a_list_covers(
    registry: Registry, declare: Build, using: Answers
) -> None:
    gold_only = Registry(
        registry.facilities,
        {"CID900001": registry.statuses["CID900001"]},
        {},
        registry.as_of,
        has_statuses=True,
    )
    tin = declare(using("Tin"), {}, [{"metal": "Tin", "smelter_id": "CID900002"}])
    assert assess(tin, gold_only).findings == []
    gold = declare(using("Gold"), {}, [{"metal": "Gold", "smelter_id": "CID900005"}])
    assert assess(gold, gold_only).codes() == {"smelter-not-conformant"}
