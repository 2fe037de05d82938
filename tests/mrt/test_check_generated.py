"""The checker on workbooks written by the tests (no cached formula values): writer -> reader -> check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import mrt
from mrt.check import missing_required
from mrt.layouts import cmrt6
from mrt.model import NOT_IDENTIFIED, NOT_LISTED, LookupEntry
from mrt.reader import read_file
from mrt.writer import Filling, write_template

TODAY = dt.date(2025, 6, 1)
LOOKUP = [
    LookupEntry("Tungsten", "Alias W", "Standard W", "JAPAN", "CID000001", "RMI"),
    LookupEntry("Tin", "Alias Sn", "Standard Sn", "PERU", "CID000002", "RMI"),
]
IN_SCOPE = ("Tungsten", "Tin")
LATER = {"Q3": "No", "Q4": "No", "Q5": "No", "Q6": "100%", "Q7": "Yes", "Q8": "Yes"}


def complete_filling() -> Filling:
    """A CMRT 6.5 with tungsten and tin in scope and everything the Checker and we require."""
    answers: dict[str, dict[str, Any]] = {"Q1": {"Tantalum": "No", "Gold": "No"}, "Q2": {}}
    for metal in IN_SCOPE:
        answers["Q1"][metal] = answers["Q2"][metal] = "Yes"
        for key, value in LATER.items():
            answers.setdefault(key, {})[metal] = value
    return Filling(
        version="6.5",
        company={
            "name": "Example Parts KK",
            "scope": "A. Company",
            "contact_name": "Contact Person",
            "contact_email": "contact@example.com",
            "contact_phone": "+81 3 0000 0000",
            "authorizer": "Authorizing Person",
            "authorizer_email": "authorizer@example.com",
            "effective_date": dt.date(2025, 1, 31),
        },
        answers=answers,
        company_answers={cq.key: cq.choices[0] for cq in cmrt6.LAYOUT.company_questions},
        company_comments={"B": "https://example.com/policy"},
        smelters=[{"id_input": "CID000001"}, {"metal": "Tin", "lookup": "Alias Sn"}],
        lookup=list(LOOKUP),
    )


def check_written(tmp: Path, filling: Filling) -> list[mrt.Issue]:
    path = tmp / "cmrt.xlsx"
    write_template(cmrt6.LAYOUT, filling, path)
    return mrt.check(read_file(path), today=TODAY)


def test_complete_generated_file_is_complete(tmp_path: Path) -> None:
    assert check_written(tmp_path, complete_filling()) == []


def test_generated_file_with_every_kind_of_mistake(tmp_path: Path) -> None:
    filling = complete_filling()
    filling.language = "zh"
    filling.company.update(
        contact_email="first,last@example.com",
        authorizer="same",
        effective_date="31 Foo 2024",
        name="Example Parts KK\t",
        address="=1+2",
    )
    filling.answers["Q3"]["Tin"] = "Perhaps"
    filling.answers["Q1"]["Gold"] = None
    filling.company_answers["E"] = "Yes, using other format (describe)"
    filling.company_comments.pop("B")
    filling.smelters += [
        {"id_input": "CID000001"},  # the tungsten smelter again
        {"metal": "Gold", "lookup": NOT_LISTED},
        {"metal": "Tantalum", "lookup": NOT_IDENTIFIED},
        {"id_input": "CID99"},
    ]
    issues = check_written(tmp_path, filling)
    found = {(i.code, i.cell) for i in issues}
    expected = {
        ("invalid-email", "D16"),
        ("placeholder", "D18"),
        ("invalid-date", "D22"),
        ("whitespace", "D8"),
        ("formula-text", "D14"),
        ("invalid-choice", "D39"),
        ("comment-required", "G83"),
        ("missing-required", "G77"),
        ("duplicate-smelter", "A7"),
        ("missing-required", "D8"),  # not listed: name and country
        ("smelter-out-of-scope", "B9"),  # tantalum answered No
        ("invalid-smelter-id", "A10"),
    }
    assert expected <= found
    # Gold's Q1 left blank: Q1, Q2 (read only after Q1) and Q3-Q8; the URL; the not-listed row.
    assert missing_required(issues) == 8 + 1 + 1
    assert all("。" in i.message or "：" in i.message or "（" in i.message for i in issues)  # in Chinese
