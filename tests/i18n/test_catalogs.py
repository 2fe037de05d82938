"""The catalogs: every message translated in every language with a catalog, placeholders agree, the
template is current, tags pick a language and dates read as each language writes them."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from i18n import LANGUAGES, LOCALE_DIR, available, catalog_path, language_for, local_date, supported

ROOT = Path(__file__).resolve().parents[2]
PERCENT = re.compile(r"%\((\w+)\)s")
BRACE = re.compile(r"\{(\w*)\}")


def template() -> list[tuple[Any, str | None]]:
    with (LOCALE_DIR / "messages.pot").open("rb") as pot:
        return [(m.id, m.context) for m in read_po(pot) if m.id]


def names(text: str) -> tuple[set[str], set[str]]:
    return set(PERCENT.findall(text)), set(BRACE.findall(text))


def test_the_template_holds_every_message_the_code_and_emails_use(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    command = ["pybabel", "extract", "-F", "babel.cfg", "-k", "N_", "-k", "NP_:1c,2", "-o", str(fresh), "."]
    subprocess.run(
        [str(Path(sys.executable).parent / command[0]), *command[1:]],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with fresh.open("rb") as pot:
        current = {(m.id, m.context) for m in read_po(pot) if m.id}
    assert current == set(template()), "run the README's pybabel extract and update the catalogs"


def test_english_and_the_first_translations_have_catalogs() -> None:
    assert {"en", "ja", "zh"} <= set(available()) <= set(LANGUAGES)


@pytest.mark.parametrize("language", available())
def test_every_message_is_translated(language: str) -> None:
    with catalog_path(language).open("rb") as po:
        catalog = read_po(po)
    missing = [msgid for msgid, context in template() if not _translated(catalog.get(msgid, context))]
    assert missing == [], f"{language}: {len(missing)} untranslated message(s)"
    assert [m.id for m in catalog if m.id and m.fuzzy] == []  # the README's table says what is reviewed


def _translated(message: object) -> bool:
    strings = getattr(message, "string", None)
    return bool(strings) and all(strings) if isinstance(strings, tuple) else bool(strings)


@pytest.mark.parametrize("language", available())
def test_placeholders_agree(language: str) -> None:
    with catalog_path(language).open("rb") as po:
        catalog = read_po(po)
    wrong = []
    for msgid, context in template():
        message = catalog.get(msgid, context)
        assert message is not None, msgid
        english = names("".join(msgid) if isinstance(msgid, (tuple, list)) else str(msgid))
        strings = message.string if isinstance(message.string, (tuple, list)) else (str(message.string),)
        for text in strings:
            percent, brace = names(text)
            # Template variables all appear; a check message may leave a detail (a cell, a sheet) out.
            if percent != english[0] or not brace <= english[1] | {"sheet", "cell"}:
                wrong.append(msgid)
    assert wrong == []


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("ja", "ja"),
        ("ja_JP", "ja"),
        ("zh-CN", "zh"),
        ("zh_Hans", "zh"),
        ("EN-gb", "en"),
        ("xx", "en"),
        (None, "en"),
    ],
)
def test_language_tags_pick_an_available_language(tag: str | None, code: str) -> None:
    assert language_for(tag) == code


def test_traditional_chinese_tags_pick_zh_tw_once_it_has_a_catalog() -> None:
    expected = "zh-TW" if "zh-TW" in available() else "en"
    assert [language_for(t) for t in ("zh-TW", "zh-Hant", "zh_HK", "zh-Hant-TW")] == [expected] * 4


@pytest.mark.parametrize("language", available())
def test_dates_read_as_the_language_writes_them(language: str) -> None:
    written = local_date(dt.date(2030, 3, 31), language)
    assert "2030" in written and "31" in written
    expected = {"en": "Mar 31, 2030", "ja": "2030/03/31", "zh": "2030年3月31日", "ko": "2030. 3. 31."}
    assert written == expected.get(language, written)
    assert local_date(dt.datetime(2030, 3, 31, 23, 59, tzinfo=dt.UTC), language) == written


@pytest.mark.parametrize(
    ("tag", "code"),
    [("zh-Hant", "zh-TW"), ("zh_HK", "zh-TW"), ("ko-KR", "ko"), ("pt_BR", "pt"), ("it", None)],
)
def test_supported_codes_are_known_before_their_catalog_exists(tag: str, code: str | None) -> None:
    assert supported(tag) == code
