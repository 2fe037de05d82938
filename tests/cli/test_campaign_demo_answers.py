"""The demo's generated answers behave as the demo promises: complete, with mistakes, risky."""

from __future__ import annotations

from pathlib import Path

from cli.demo_data import Answer, demo_suppliers, write_answer
from mrt.check import check, status
from mrt.reader import read_file
from risk.assess import assess
from risk.registry import Registry


def outcome(answer: Answer, tmp_path: Path) -> tuple[str, set[str | None], str]:
    supplier = demo_suppliers(3)[1]
    declaration = read_file(write_answer(supplier, answer, tmp_path))
    issues = check(declaration)
    risk = assess(declaration, Registry.from_lookup(declaration.lookup)).risk
    return status(issues), {i.cell for i in issues}, risk


def test_generated_answers(tmp_path: Path) -> None:
    assert outcome(Answer.COMPLETE, tmp_path) == ("complete", set(), "none")
    checked, cells, _ = outcome(Answer.MISTAKES, tmp_path)
    assert checked == "incomplete" and {"D16", "D18", "D22"} <= cells
    checked, _, risk = outcome(Answer.RISKY, tmp_path)
    assert (checked, risk) == ("complete", "high")


def test_generated_suppliers_are_fictitious_and_cycle_answers() -> None:
    suppliers = demo_suppliers(8)
    assert all(s.email.endswith(".example.test") for s in suppliers)
    assert [s.answer for s in suppliers[:4]] == list(Answer)
    assert len({s.supplier_id for s in suppliers}) == 8
