"""Rules of the template check, one module per concern; each returns issues without their wording."""

from __future__ import annotations

from mrt.model import Issue, Severity

# Every issue code with its severity: errors make a declaration incomplete, warnings do not.
CODES: dict[str, Severity] = {
    "missing-required": "error",
    "not-listed-incomplete": "error",
    "invalid-choice": "error",
    "invalid-email": "error",
    "invalid-date": "error",
    "future-date": "error",
    "placeholder": "error",
    "comment-required": "error",
    "missing-smelter-metal": "error",
    "invalid-smelter-id": "error",
    "unknown-smelter-id": "warning",
    "unknown-smelter-name": "warning",
    "duplicate-smelter": "warning",
    "metal-without-smelters": "warning",
    "smelter-out-of-scope": "warning",
    "whitespace": "warning",
    "formula-text": "warning",
    "macro-enabled": "warning",
    "unreadable": "error",
}

# Variants of `missing-required`, each worded on its own (params["kind"]).
MISSING_KINDS = (
    "company",
    "description",
    "answer",
    "company-answer",
    "url",
    "products",
    "smelters",
    "not-listed",
)


def found(code: str, sheet: str | None, cell: str | None, **params: object) -> Issue:
    """An issue of a known code, its message left for `mrt.messages` to write."""
    text = {k: str(v) for k, v in params.items() if v is not None}
    return Issue(CODES[code], code, sheet, cell or None, "", text)
