"""Minerals Reporting Templates: read any CMRT/EMRT/CRT/AMRT file into a `Declaration`, and check it."""

from mrt.model import Declaration, Field, Issue, LookupEntry, MineRow, ProductRow, SmelterRow, Unreadable

__all__ = [
    "Declaration",
    "Field",
    "Issue",
    "LookupEntry",
    "MineRow",
    "ProductRow",
    "SmelterRow",
    "Unreadable",
]
