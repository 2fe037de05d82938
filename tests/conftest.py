"""Shared fixtures: the real-world template folder (skipped when ../shared is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

REALWORLD = Path(__file__).resolve().parents[2] / "shared" / "realworld"


@pytest.fixture(scope="session")
def realworld() -> Path:
    """The folder of real template files; tests using it skip when it is absent."""
    if not REALWORLD.is_dir():
        pytest.skip("../shared/realworld is not present")
    return REALWORLD
