"""A version as each layout generation states it, for tests that generate files of every layout."""

from __future__ import annotations

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
