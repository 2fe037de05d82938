"""Shared fixtures: the real-world template folder (skipped when ../shared is absent), the test database."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url, text

from models.db import create_schema, make_engine

REALWORLD = Path(__file__).resolve().parents[2] / "shared" / "realworld"


@pytest.fixture(scope="session")
def realworld() -> Path:
    """The folder of real template files; tests using it skip when it is absent."""
    if not REALWORLD.is_dir():
        pytest.skip("../shared/realworld is not present")
    return REALWORLD


# --- the database under test: SQLite per test by default; with MINERALS_TEST_DATABASE_URL, PostgreSQL ---

PG_URL = os.environ.get("MINERALS_TEST_DATABASE_URL", "")
TESTS = Path(__file__).resolve().parent
NO_DATABASE = {"mrt", "deploy"}  # pure code: no per-test database to make
_made = itertools.count(1)


def _on_server(url: str, *statements: str) -> None:
    """Run statements outside a transaction (CREATE/DROP DATABASE) on the server of `url`."""
    engine = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def _with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def _pg_template() -> Iterator[str]:
    """A database migrated to the newest revision once; each test copies it (CREATE DATABASE … TEMPLATE)."""
    name = f"minerals_template_{os.getpid()}"
    _on_server(PG_URL, f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
    engine = make_engine(_with_database(PG_URL, name))
    create_schema(engine)
    engine.dispose()
    yield name
    _on_server(PG_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to the newest revision once; each test copies it (migrating costs 0.14 s)."""
    path = tmp_path_factory.mktemp("template") / "minerals.db"
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    engine.dispose()
    return path


@pytest.fixture(autouse=True)
def database_url(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """This test's own database; on PostgreSQL also MINERALS_DATABASE_URL, so every process uses it."""
    area = request.node.path.resolve().relative_to(TESTS).parts[0]
    if area in NO_DATABASE:
        yield ""
        return
    if not PG_URL:
        # The data dir's SQLite file, not whatever database a shell names; a copy of one migrated file.
        monkeypatch.delenv("MINERALS_DATABASE_URL", raising=False)
        path = request.getfixturevalue("tmp_path") / "minerals.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("_pg_template")
    name = f"minerals_t{os.getpid()}_{next(_made)}"
    _on_server(PG_URL, f"CREATE DATABASE {name} TEMPLATE {template}")
    url = _with_database(PG_URL, name)
    monkeypatch.setenv("MINERALS_DATABASE_URL", url)
    yield url
    _on_server(PG_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it: a new SQLite file, or a new PostgreSQL database."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"minerals_e{os.getpid()}_{next(_made)}"
    _on_server(PG_URL, f"CREATE DATABASE {name}")
    yield _with_database(PG_URL, name)
    _on_server(PG_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `browser` every test of a module that drives Chromium through Playwright."""
    for item in items:
        module = getattr(item, "module", None)
        names = vars(module).values() if module is not None else ()
        if any(str(getattr(value, "__module__", "")).startswith("playwright") for value in names):
            item.add_marker(pytest.mark.browser)
