"""`minerals suppliers import`: all-or-nothing, re-import updates by supplier_id."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cli.main import app
from models.db import create_schema, make_engine
from models.settings import load_settings
from models.supplier import Supplier

runner = CliRunner()
HEADER = "supplier_id,name,email,language,minerals\n"


def suppliers_in(data_dir: Path) -> dict[str, Supplier]:
    engine = make_engine(load_settings(data_dir=str(data_dir)).resolved_database_url())
    create_schema(engine)
    with Session(engine) as session:
        return {s.supplier_id: s for s in session.scalars(select(Supplier))}


def test_import_then_reimport_updates(tmp_path: Path) -> None:
    first = tmp_path / "a.csv"
    first.write_text(HEADER + "S1,Acme,a@acme.example,ja,tin\nS2,Beta,b@beta.example,,\n")
    result = runner.invoke(app, ["suppliers", "import", str(first), "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "2 created, 0 updated" in result.output
    second = tmp_path / "b.csv"
    second.write_text(HEADER + "S1,Acme Holdings,a@acme.example,ja,tin;gold\nS2,Beta,b@beta.example,,\n")
    result = runner.invoke(app, ["suppliers", "import", str(second), "--data-dir", str(tmp_path)])
    assert "0 created, 1 updated, 1 unchanged" in result.output
    stored = suppliers_in(tmp_path)
    assert (stored["S1"].name, stored["S1"].minerals) == ("Acme Holdings", ["tin", "gold"])


def test_one_bad_row_imports_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "S1,Acme,a@acme.example,,\nS2,Beta,broken-address,,\n")
    result = runner.invoke(app, ["suppliers", "import", str(path), "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "line 3" in result.output and "nothing was imported" in result.output
    assert suppliers_in(tmp_path) == {}


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.csv")
    result = runner.invoke(app, ["suppliers", "import", missing, "--data-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "Invalid value for 'file'" in result.output
