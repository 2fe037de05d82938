"""Give a formula cell of a saved workbook a cached value, as Excel would have left it.

openpyxl saves formulas without their results; readers that do not calculate (ours, previews) then
see a blank. The official blank's title in Declaration!D2 is such a formula, and it names the template."""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape


def keep_cached(path: Path, sheet_number: int, cell: str, value: str) -> bool:
    """Set the cached text of formula `cell` in the `sheet_number`-th sheet (1-based, as openpyxl numbers
    its parts); True when the cell was found."""
    part = f"xl/worksheets/sheet{sheet_number}.xml"
    pattern = re.compile(rf'<c r="{cell}"((?:\s+[a-z]+="[^"]*")*)>(<f>.*?</f>)<v\s*/>(?:</v>)?</c>', re.S)
    with zipfile.ZipFile(path) as source:
        xml = source.read(part).decode("utf-8")

        def cached(m: re.Match[str]) -> str:
            attrs = re.sub(r'\s+t="[^"]*"', "", m.group(1))
            return f'<c r="{cell}"{attrs} t="str">{m.group(2)}<v>{escape(value)}</v></c>'

        patched, count = pattern.subn(cached, xml, count=1)
        if not count:
            return False
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, suffix=".xlsx")
        with open(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = patched.encode("utf-8") if item.filename == part else source.read(item.filename)
                target.writestr(item, data)
    shutil.move(tmp_name, path)
    return True
