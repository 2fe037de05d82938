"""The supplier portal with a fix list and a corrective action, in every language with a catalog: no
English sentence of ours in a translated page, the due date as the language writes it."""

from __future__ import annotations

import datetime as dt
import html
import re
import sys
from pathlib import Path

import pytest
from console_kit import SECRET, Console

from activities.links import LinkSigner
from console.portal_text import INVALID
from i18n import available, local_date, text
from models.corrective import CorrectiveAction
from models.files import StoredFile
from models.survey import Survey
from mrt.messages import render
from risk import wording as w

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "i18n"))
from english_kit import english_left  # noqa: E402

TAG = re.compile(r"<[^>]+>")


@pytest.mark.parametrize("language", available())
def test_the_portal_with_a_fix_list_and_an_action_speaks_the_supplier_language(
    console: Console, language: str
) -> None:
    case = console.add_case("S1", "Mine Metals", language=language, stage="risk-found", risk="high")
    issue = render("missing-required", {"kind": "company", "field": "name"}, language, "Declaration", "D8")
    console.add_file(case, "cmrt.xlsx", [{"sheet": "Declaration", "cell": "D8", "message": issue}])
    with console.sessions.begin() as session:
        assessed = StoredFile(survey_id=case, sha256="0" * 64, size=1, path="x", original_name="a.xlsx")
        session.add(assessed)
        session.flush()
        finding = w.ACTIVE.format(metal="Tin", name="Smelter Z (CID000001)", status="Active")
        session.add(
            CorrectiveAction(
                survey_id=case,
                n=1,
                workflow_id="capa-1",
                kind="smelters-not-conformant",
                group_key="smelters-not-conformant",
                severity="high",
                required_outcome=w.OUTCOMES[0],
                findings=[{"code": "smelter-active-not-conformant", "message": finding}],
                opened_file_id=assessed.id,
            )
        )
        due = session.get(Survey, case).due_at  # type: ignore[union-attr]
    token = LinkSigner(SECRET, "http://testserver").token(
        case, dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    )
    page = console.client.get(f"/upload/{token}")
    assert page.status_code == 200
    text = html.unescape(TAG.sub("\n", page.text))
    assert local_date(due, language) in text and issue in text
    assert w.translate(w.OUTCOMES[0], language) in text and w.translate(finding, language) in text
    left = english_left(text)
    assert (left == []) == (language != "en"), left


def test_a_link_we_cannot_read_is_explained_in_every_language(console: Console) -> None:
    page = console.client.get("/upload/nonsense")
    shown = html.unescape(page.text)  # as the browser shows it, whichever way a quote was escaped
    assert page.status_code == 403 and "cannot be used" in shown
    for code in available():
        if code != "en":
            assert text(code, INVALID) in shown, code


@pytest.mark.parametrize("language", available())
@pytest.mark.parametrize("stage", ["accepted", "risk-found", "exempted", "closed"])
def test_a_finished_case_names_its_stage_in_the_supplier_language(
    console: Console, language: str, stage: str
) -> None:
    case = console.add_case("S1", "Mine Metals", language=language, stage=stage)
    token = LinkSigner(SECRET, "http://testserver").token(
        case, dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    )
    shown = html.unescape(TAG.sub("\n", console.client.get(f"/upload/{token}").text))
    label = text(language, stage.replace("-", " "))  # the stage as the catalog words it
    assert label in shown, shown
    if language != "en":
        assert stage not in shown and english_left(shown) == [], shown
