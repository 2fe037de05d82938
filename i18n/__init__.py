"""The one translation system: gettext catalogs (Babel) under i18n/locale, compiled when first read."""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from pathlib import Path
from typing import Literal

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

# The languages suppliers can be written to (codes as the CLI and the supplier list take them). A
# language is *available* once its catalog i18n/locale/<dir>/LC_MESSAGES/messages.po exists.
LANGUAGES = ("en", "ja", "zh", "zh-TW", "ko", "de", "fr", "es", "pt", "th", "vi")
DEFAULT = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
_NO_GAP = frozenset({"ja", "zh", "zh-TW"})
_ALIASES = {"zh-hant": "zh-TW", "zh-tw": "zh-TW", "zh-hk": "zh-TW", "zh-mo": "zh-TW"}


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for a marked, untranslated string
    """Mark a message for extraction; it is translated where it is shown."""
    return message


def NP_(context: str, message: str) -> str:  # noqa: N802
    """Mark a message with its context for extraction (pybabel -k NP_:1c,2)."""
    return message


def catalog_path(code: str) -> Path:
    """Where the catalog of a language code lives (zh-TW → zh_TW)."""
    return LOCALE_DIR / code.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache  # the catalogs ship with the package; every rendered message asks
def available() -> tuple[str, ...]:
    """The supported languages that have a catalog, English first."""
    return tuple(code for code in LANGUAGES if catalog_path(code).is_file())


def supported(tag: str | None) -> str | None:
    """The supported code of a tag ("zh-CN" → zh, "zh-Hant"/"zh_HK" → zh-TW, "ja_JP" → ja), catalog or
    not; None for a language we do not write."""
    parts = (tag or "").strip().replace("_", "-").lower().split("-")
    if parts[0] == "zh" and len(parts) > 1:
        return next((_ALIASES[f"zh-{p}"] for p in parts[1:] if f"zh-{p}" in _ALIASES), "zh")
    return next((code for code in LANGUAGES if code.lower() == parts[0]), None)


def language_for(tag: str | None) -> str:
    """The available language of a tag (see `supported`); English when it has no catalog."""
    found = supported(tag) or DEFAULT
    return found if found in available() else DEFAULT


@cache
def translations(code: str) -> Translations:
    """The compiled catalog of an available language (gettext, ngettext, pgettext), cached."""
    code = language_for(code)
    with catalog_path(code).open("rb") as po:
        catalog = read_po(po, locale=babel_locale(code))
    mo = io.BytesIO()
    write_mo(mo, catalog, use_fuzzy=False)
    mo.seek(0)
    return Translations(mo, domain=DOMAIN)


def sentence_gap(code: str) -> str:
    """What goes between two sentences: nothing in Chinese and Japanese, a space elsewhere."""
    return "" if code in _NO_GAP else " "


def babel_locale(code: str) -> Locale:
    """Babel's locale of a language code (zh-TW → zh_Hant_TW)."""
    return Locale.parse(code.replace("-", "_"))


def text(code: str, message: str) -> str:
    """One message in a language."""
    return str(translations(code).gettext(message))


def text_in(code: str, context: str, message: str) -> str:
    """One message of a context in a language."""
    return str(translations(code).pgettext(context, message))


def local_date(
    value: dt.date | dt.datetime, code: str, style: Literal["short", "medium", "long", "full"] = "medium"
) -> str:
    """A date as the language writes it (en "Mar 31, 2030", ja "2030/03/31", zh "2030年3月31日")."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return format_date(day, format=style, locale=babel_locale(language_for(code)))
