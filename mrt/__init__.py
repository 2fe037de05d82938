"""Minerals Reporting Templates: read any CMRT/EMRT/CRT/AMRT file into a `Declaration`, and check it."""

from mrt.check import check as check
from mrt.check import status as status
from mrt.model import Declaration, Field, Issue, LookupEntry, MineRow, ProductRow, SmelterRow, Unreadable
from mrt.reader import read as read

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
