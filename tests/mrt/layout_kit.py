"""A version as each layout generation states it, for tests that generate files of every layout."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

VERSIONS = {
    "cmrt-6": "6.5",
    "cmrt-5": "5.12",
    "cmrt-4": "4.10",
    "cmrt-3": "3.02",
    "cmrt-2": "2.03a",
    "cmrt-2.00": "2",
    "cmrt-2-shifted": "2.02",
    "emrt-1": "1.3",
    "emrt-2": "2.0",
    "emrt-2.1": "2.1",
    "crt-2": "2.2",
    "amrt-1.2": "1.21",
    "amrt-1.3": "1.3",
}


def preserve_spaces(path: Path) -> Path:
    """Mark text of spaces only as Excel writes it (xml:space="preserve"); openpyxl does not, and an
    XML reader then drops it, so a cell typed as "   " would read as empty."""
    with zipfile.ZipFile(path) as z:
        parts = [(info, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            z.writestr(info, re.sub(rb"<t>(\s+)</t>", rb'<t xml:space="preserve">\1</t>', data))
    return path
