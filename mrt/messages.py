"""Issue messages in the supplier's language: one JSON catalogue per language, English as fallback."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

DEFAULT_LANGUAGE = "en"
LANGUAGES = ("en", "ja", "zh")  # catalogues shipped in mrt/messages/


class _Blanks(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def language_code(language: str | None) -> str:
    """The catalogue for a language tag ("ja", "zh-CN", "ja_JP"); English when we have none."""
    code = (language or DEFAULT_LANGUAGE).replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


@cache
def catalogue(language: str) -> dict[str, Any]:
    """The parsed catalogue of one shipped language."""
    path = resources.files("mrt").joinpath("messages", f"{language_code(language)}.json")
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _label(cat: dict[str, Any], section: str, key: str) -> str:
    english = catalogue(DEFAULT_LANGUAGE)[section]
    return str(cat[section].get(key) or english.get(key) or key)


def _question(cat: dict[str, Any], key: str) -> str:
    number = key[1:] if key[:1] == "Q" and key[1:].isdigit() else key
    return str(cat["question"]).format(key=number)


def _context(cat: dict[str, Any], params: dict[str, str], sheet: str | None, cell: str | None) -> _Blanks:
    ctx = _Blanks(params)
    ctx["sheet"] = sheet or ""
    ctx["cell"] = cell or ""
    if "field" in params:
        ctx["field"] = _label(cat, "fields", params["field"])
    if "mineral" in params:
        ctx["mineral"] = _label(cat, "minerals", params["mineral"])
    if "question" in params:
        ctx["question"] = _question(cat, params["question"])
    if "question" in params and "mineral" in params:
        ctx["target"] = str(cat["answer_for"]).format(question=ctx["question"], mineral=ctx["mineral"])
    else:
        ctx["target"] = ctx.get("question") or ctx.get("field") or ""
    return ctx


def template(code: str, kind: str | None, language: str | None) -> str | None:
    """The message pattern of a code (and its variant), in the language or else in English."""
    for cat in (catalogue(language_code(language)), catalogue(DEFAULT_LANGUAGE)):
        messages = cat["messages"]
        found = (kind and messages.get(f"{code}.{kind}")) or messages.get(code)
        if found:
            return str(found)
    return None


def render(
    code: str, params: dict[str, str], language: str | None, sheet: str | None = None, cell: str | None = None
) -> str:
    """The message of one issue in plain words, in the supplier's language."""
    pattern = template(code, params.get("kind"), language) or code
    return pattern.format_map(_context(catalogue(language_code(language)), params, sheet, cell))
