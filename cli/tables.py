"""Tables whose cells wrap by display width, so Japanese and Chinese text folds instead of being cut."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from rich.table import Table

# Rich wraps at spaces and cuts (…) a longer run; CJK sentences have no spaces, so text columns fold:
# runs wider than the cell break at the cell's display width (a CJK character counts two).
WRAP: Literal["fold"] = "fold"


def wrapping_table(*columns: str, **options: Any) -> Table:
    """A table with these column headers, each wrapping its text by display width."""
    from rich.table import Table

    table = Table(**options)
    for column in columns:
        table.add_column(column, overflow=WRAP)
    return table
