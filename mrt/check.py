"""Check a declaration: the template's Checker rules and more, worded for the supplier."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Literal

from mrt.messages import render
from mrt.model import Declaration, Issue
from mrt.rules import CODES
from mrt.rules.checker import checker_issues
from mrt.rules.quality import quality_issues
from mrt.rules.smelters import smelter_issues

Status = Literal["complete", "incomplete"]


def check(declaration: Declaration, language: str | None = None, today: dt.date | None = None) -> list[Issue]:
    """Every issue in the declaration, Checker rules first, each message in `language` (default: the
    file's own language)."""
    found = [
        *checker_issues(declaration),
        *quality_issues(declaration, today or dt.date.today()),
        *smelter_issues(declaration),
    ]
    return reword(found, language or declaration.language)


def reword(issues: Iterable[Issue], language: str | None) -> list[Issue]:
    """The same issues with their messages in another language."""
    return [
        dataclasses.replace(i, message=render(i.code, i.params, language, i.sheet, i.cell)) for i in issues
    ]


def status(issues: Iterable[Issue]) -> Status:
    """ "complete" when no issue is an error, else "incomplete"."""
    return "incomplete" if any(i.severity == "error" for i in issues) else "complete"


def missing_required(issues: Iterable[Issue]) -> int:
    """How many required fields are missing, counted as the template's Checker tab counts them."""
    return sum(1 for i in issues if i.code == "missing-required")


__all__ = ["CODES", "check", "missing_required", "reword", "status"]
