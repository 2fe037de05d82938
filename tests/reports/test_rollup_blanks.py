"""Roll-ups into every official CMRT and EMRT blank read back complete, every question answered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from campaign_kit import Builder, World
from emrt_kit import COBALT_CIDS, EMRT_MINERALS, MICA_CIDS, add_emrt_campaign
from test_rollup import PROFILE, _own_database  # noqa: F401  (autouse: the test's own data dir)
from typer.testing import CliRunner

import mrt
from cli.main import app
from mrt.reader import read_file

runner = CliRunner()
CMRT_BLANKS = (
    "rmi-cmrt-6.01-blank-zh.xlsx",
    "rmi-cmrt-6.22-blank-zh.xlsx",
    "rmi-cmrt-6.31-blank-zh.xlsx",
    "rmi-cmrt-6.4-blank-en.xlsx",
    "rmi-cmrt-6.5-blank-en.xlsx",
    "rmi-cmrt-6.5-blank-zh.xlsx",
)
EMRT_BLANKS = (
    "rmi-emrt-1.11-blank-zh.xlsx",
    "rmi-emrt-1.2-blank-zh.xlsx",
    "rmi-emrt-1.3-blank-zh.xlsx",
    "rmi-emrt-2.0-blank-en.xlsx",
    "rmi-emrt-2.1-blank-zh.xlsx",
)


def rollup(world: World, campaign: str, out: Path, *extra: str) -> tuple[int, str]:
    data_dir = world.store.parent
    (data_dir / "company.json").write_text(json.dumps(PROFILE), encoding="utf-8")
    args = ["report", "rollup", "--data-dir", str(data_dir), "--campaign", campaign, "--out", str(out)]
    result = runner.invoke(app, [*args, "--as-of", "2025-06-30", *extra])
    return result.exit_code, result.output


def test_generated_emrt_rollup_answers_every_question(world: World, tmp_path: Path) -> None:
    add_emrt_campaign(world, Builder(world.session, world.store, tmp_path))
    out = tmp_path / "our-emrt.xlsx"
    code, text = rollup(world, "emrt-2025", out)
    assert code == 0, text
    decl = read_file(out)
    assert mrt.status(mrt.check(decl)) == "complete"
    assert decl.answer("supplier_response", "Cobalt") == "100%"  # both suppliers answered
    assert decl.answer("supplier_response", "Mica") == "100%"
    assert decl.answer("all_smelters_identified", "Cobalt") == "No"  # E2 has a row not yet identified
    assert decl.answer("all_smelters_identified", "Mica") == "Yes"
    assert {s.smelter_id for s in decl.smelters if s.smelter_id} == {*COBALT_CIDS, *MICA_CIDS}


@pytest.mark.parametrize("name", EMRT_BLANKS)
def test_emrt_rollup_into_the_official_blank_reads_back_complete(
    world: World, tmp_path: Path, realworld: Path, name: str
) -> None:
    add_emrt_campaign(world, Builder(world.session, world.store, tmp_path))
    out = tmp_path / f"our-{name}"
    code, text = rollup(world, "emrt-2025", out, "--template", str(realworld / name))
    assert code == 0, text
    decl = read_file(out)
    assert decl.family == "EMRT"
    assert mrt.status(mrt.check(decl)) == "complete"
    for question in decl.layout.questions:
        for i, mineral in enumerate(EMRT_MINERALS[: len(question.cells)]):  # 1.x asks Q4 of cobalt only
            assert i < len(question.cells) and decl.answer(question.topic, mineral) in question.choices, (
                question.key,
                mineral,
            )


@pytest.mark.parametrize("name", CMRT_BLANKS)
def test_cmrt_rollup_into_the_official_blank_reads_back_complete(
    world: World, tmp_path: Path, realworld: Path, name: str
) -> None:
    out = tmp_path / f"our-{name}"
    code, text = rollup(world, "cmrt-2025", out, "--template", str(realworld / name))
    assert code == 0, text
    decl = read_file(out)
    assert decl.family == "CMRT"
    assert mrt.status(mrt.check(decl)) == "complete"
    assert decl.answer("supplier_response", "Tin") == "Greater than 50%"
