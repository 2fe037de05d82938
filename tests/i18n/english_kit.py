"""Our English sentences (from the en catalog) and the ones a rendered text still contains."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from i18n import catalog_path

PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w*\}")
# Names kept in every language (the RMI's own programme and template names), never a sentence of ours.
PROPER = ("Responsible Minerals Initiative", "Responsible Minerals Assurance Process", "Smelter not listed")


def english_sentences() -> set[str]:
    """Every run of three or more English words of our messages, between their placeholders."""
    with catalog_path("en").open("rb") as po:
        catalog = read_po(po)
    found: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        for text in message.id if isinstance(message.id, (tuple, list)) else (message.id,):
            for part in PLACEHOLDER.split(str(text)):
                words = part.strip(" .,:;()\"'-")
                if len(re.findall(r"[A-Za-z]+", words)) >= 3 and words not in PROPER:
                    found.add(words)
    return found


def english_left(rendered: str) -> list[str]:
    """Our English sentences that appear in a rendered text (none in a translated one)."""
    return sorted(s for s in english_sentences() if s in rendered)
