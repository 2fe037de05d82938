"""Check messages from the catalogs: every code worded in every language, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from i18n import available, language_for, translations
from mrt.messages import render
from mrt.rules import CODES, MISSING_KINDS
from mrt.wording import FIELDS, MESSAGES

KEYS = [code for code in CODES if code != "missing-required"] + [
    f"missing-required.{k}" for k in MISSING_KINDS
]


def placeholders(pattern: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(pattern) if name}


def test_every_code_has_an_english_wording() -> None:
    assert [key for key in KEYS if key not in MESSAGES] == []


@pytest.mark.parametrize("language", available())
def test_every_code_is_worded_in_every_language(language: str) -> None:
    catalog = translations(language)
    for key in KEYS:
        worded = catalog.pgettext(key, MESSAGES[key])
        # A translation may leave a detail out but never asks for a value English does not have.
        assert placeholders(worded) <= placeholders(MESSAGES[key]) | {"sheet", "cell"}, key


@pytest.mark.parametrize("language", available())
def test_field_labels_are_worded(language: str) -> None:
    labels = [translations(language).pgettext("field", label) for label in FIELDS.values()]
    assert all(labels) and (language == "en" or labels != list(FIELDS.values()))


def test_language_tags_pick_a_catalogue_or_fall_back_to_english() -> None:
    assert [language_for(t) for t in ("ja", "zh-CN", "ja_JP", "xx", None, "")] == [
        "ja",
        "zh",
        "ja",
        "en",
        "en",
        "en",
    ]


def test_rendering_translates_field_question_and_mineral() -> None:
    params = {"kind": "answer", "question": "Q3", "mineral": "Tungsten"}
    assert render("missing-required", params, "en", "Declaration", "D41") == (
        "Please answer question 3 for Tungsten (cell D41 on the Declaration sheet)."
    )
    assert "質問3" in render("missing-required", params, "ja", "Declaration", "D41")
    assert "钨" in render("missing-required", params, "zh", "Declaration", "D41")


def test_supplier_text_with_braces_is_not_a_template() -> None:
    message = render("invalid-choice", {"value": "{0} {name}", "field": "scope", "choices": "A"}, "en")
    assert "{0} {name}" in message


def test_unreadable_reasons_are_worded_in_the_supplier_language() -> None:
    reason = "Parts of the file are encrypted."
    english = render("unreadable", {"kind": "encrypted", "reason": reason}, "en")
    japanese = render("unreadable", {"kind": "encrypted", "reason": reason}, "ja")
    assert reason in english
    assert "パスワード" in japanese and reason not in japanese
    # A reason without its own wording keeps the reader's explanation.
    assert reason in render("unreadable", {"kind": "new-reason", "reason": reason}, "zh")
