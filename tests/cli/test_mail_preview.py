"""`minerals mail preview`: any email kind, in any language with a catalog, for a sample case."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from action_rows import add_campaign, add_case_with_action
from typer.testing import CliRunner

from cli.main import app
from i18n import available
from models.corrective import CorrectiveAction
from models.db import make_engine, prepare_schema, session_factory
from models.enums import EmailKind
from models.supplier import Supplier
from risk import wording as w

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "i18n"))
from english_kit import english_left  # noqa: E402


@pytest.mark.parametrize("language", available())
def test_every_kind_previews_for_a_sample_case(language: str) -> None:
    for kind in EmailKind:
        result = CliRunner().invoke(app, ["mail", "preview", kind.value, "--language", language, "--json"])
        assert result.exit_code == 0, result.output
        mail = json.loads(result.output)
        assert mail["kind"] == kind.value and mail["subject"] and mail["text"].strip()
        assert (english_left(mail["subject"] + "\n" + mail["text"]) == []) == (language != "en"), kind


def test_the_text_preview_shows_subject_then_body() -> None:
    result = CliRunner().invoke(app, ["mail", "preview", "fix-request", "--language", "ja"])
    assert result.exit_code == 0
    assert result.output.startswith("Subject: ") and "会社名は必須です" in result.output


@pytest.mark.parametrize(
    ("args", "valid"),
    [(["nope", "--language", "ja"], "fix-request"), (["request", "--language", "xx"], "ja")],
)
def test_a_wrong_kind_or_language_exits_2_with_the_valid_list(args: list[str], valid: str) -> None:
    result = CliRunner().invoke(app, ["mail", "preview", *args])
    assert result.exit_code == 2 and valid in result.output


@pytest.fixture
def stored_case(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """A Japanese supplier's case with a corrective action (its number CASE/1)."""
    monkeypatch.setenv("MINERALS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MINERALS_DATABASE_URL", database_url)
    engine = make_engine(database_url)
    prepare_schema(engine)
    with session_factory(engine).begin() as session:
        supplier = Supplier(supplier_id="S1", name="Supplier One", email="s1@supplier.test", language="ja")
        action = CorrectiveAction(
            kind="sourcing-policy",
            group_key="sourcing-policy",
            severity="high",
            required_outcome=w.OUTCOMES[4],
        )
        return add_case_with_action(session, add_campaign(session), supplier, action)


def test_a_stored_case_previews_in_its_supplier_language_or_the_one_asked(stored_case: int) -> None:
    args = ["mail", "preview", "action-request", "--case", str(stored_case)]
    result = CliRunner().invoke(app, [*args, "--language", "ja", "--json"])
    assert result.exit_code == 0, (result.output, result.exception)
    japanese = json.loads(result.output)
    assert f"是正措置 {stored_case}/1" in japanese["subject"] and "2027/03/31" in japanese["subject"]
    assert "責任ある鉱物調達方針をご提出ください" in japanese["text"]
    english = CliRunner().invoke(app, [*args, "--language", "en"])
    assert english.exit_code == 0 and "Provide a responsible minerals sourcing policy." in english.output
    missing = CliRunner().invoke(app, ["mail", "preview", "request", "--case", "999"])
    assert missing.exit_code == 2 and "no case 999" in missing.output
