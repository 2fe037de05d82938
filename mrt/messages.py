"""Issue messages in the supplier's language, from the catalogs (i18n); English as fallback."""

from __future__ import annotations

from i18n import language_for, text_in
from mrt.wording import ANSWER_FOR, FIELDS, MESSAGES, MINERALS, QUESTION


class _Blanks(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def _question(language: str, key: str) -> str:
    number = key[1:] if key[:1] == "Q" and key[1:].isdigit() else key
    return text_in(language, "check", QUESTION).format(key=number)


def _label(language: str, context: str, words: dict[str, str], key: str) -> str:
    return text_in(language, context, words[key]) if key in words else key


def _context(language: str, params: dict[str, str], sheet: str | None, cell: str | None) -> _Blanks:
    ctx = _Blanks(params)
    ctx["sheet"] = sheet or ""
    ctx["cell"] = cell or ""
    if "field" in params:
        ctx["field"] = _label(language, "field", FIELDS, params["field"])
    if "mineral" in params:
        ctx["mineral"] = _label(language, "mineral", MINERALS, params["mineral"])
    if "question" in params:
        ctx["question"] = _question(language, params["question"])
    if "question" in params and "mineral" in params:
        answer_for = text_in(language, "check", ANSWER_FOR)
        ctx["target"] = answer_for.format(question=ctx["question"], mineral=ctx["mineral"])
    else:
        ctx["target"] = ctx.get("question") or ctx.get("field") or ""
    return ctx


def template(code: str, kind: str | None, language: str | None) -> str | None:
    """The message pattern of a code (and its variant), in the language or else in English."""
    key = f"{code}.{kind}" if kind and f"{code}.{kind}" in MESSAGES else code
    if key not in MESSAGES:
        return None
    return text_in(language_for(language), key, MESSAGES[key])


def render(
    code: str, params: dict[str, str], language: str | None, sheet: str | None = None, cell: str | None = None
) -> str:
    """The message of one issue in plain words, in the supplier's language."""
    if params.get("kind") == code:  # a refusal (zip-bomb, too-large, …): worded among `unreadable`
        code = "unreadable"
    pattern = template(code, params.get("kind"), language) or code
    return pattern.format_map(_context(language_for(language), params, sheet, cell))
