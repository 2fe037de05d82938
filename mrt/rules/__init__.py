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
    "blank-text": "error",
    "comment-required": "error",
    "missing-smelter-metal": "error",
    "invalid-smelter-id": "error",
    "smelter-id-metal-mismatch": "error",
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
    "answer-spaces",  # an earlier answer has spaces around it: the Checker's `=` misses it
    "answer-unlisted",  # an earlier answer is none of the list's (e.g. "Y")
    "answer-blank",  # an earlier answer holds only spaces: answered for the Checker, but not "Yes"
    "company-answer",
    "company-answer-spaces",  # EMRT 1.x / CRT survey answer (E, G) with spaces: the Checker reads 0
    "company-answer-unlisted",
    "company-answer-blank",  # EMRT 1.x / CRT survey answer of spaces only: the Checker reads 0
    "url",
    "products",
    "smelters",
    "not-listed",
)


def found(code: str, sheet: str | None, cell: str | None, **params: object) -> Issue:
    """An issue of a known code, its message left for `mrt.messages` to write."""
    text = {k: str(v) for k, v in params.items() if v is not None}
    return Issue(CODES[code], code, sheet, cell or None, "", text)
