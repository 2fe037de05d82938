"""`minerals customers requests`: a product-scope request answered with the roll-up of exactly the suppliers
of those parts, checked complete, emailed with the file attached over SMTP, recorded and audited."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from mail_relay import Relay
from typer.testing import CliRunner

import mrt
from cli.main import app
from mrt.reader import read

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reports"))  # the KPI tests' campaign
from campaign_kit import Builder, World, build_world  # noqa: E402
from emrt_kit import COBALT_CIDS, add_emrt_campaign  # noqa: E402
from test_rollup import PROFILE  # noqa: E402

from models.db import create_schema, make_engine, session_factory  # noqa: E402

runner = CliRunner()
PURCHASES = "Supplier ID,Part number,Description,Commodity,Spend,Purchase date\n" + (
    "S1,PX-1,Solder joint module,Solder,10,2025-02-01\nS6,PX-2,Tungsten weight,Tungsten,5,2025-02-01\n"
)


@pytest.fixture
def world(
    tmp_path: Path, database_url: str, relay: Relay, monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    """The KPI tests' campaign, our company profile, purchases of two parts, mail going to the relay."""
    for name in ("MINERALS_FILE_STORE_DIR", "MINERALS_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MINERALS_SMTP_PORT", str(relay.port))
    monkeypatch.setenv("MINERALS_MAIL_FROM", "Minerals <minerals@buyer.example.test>")
    engine = make_engine(database_url)
    create_schema(engine)
    with session_factory(engine)() as session:
        built = build_world(session, tmp_path / "files", tmp_path)
        (tmp_path / "company.json").write_text(json.dumps(PROFILE), encoding="utf-8")
        (tmp_path / "purchases.csv").write_text(PURCHASES, encoding="utf-8")
        yield built
    engine.dispose()


def invoke(world: World, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--data-dir", str(world.store.parent)])
    return result.exit_code, result.output


def test_product_scope_request_is_answered_with_only_those_suppliers_smelters(
    world: World, relay: Relay, tmp_path: Path
) -> None:
    assert invoke(world, "purchases", "import", str(tmp_path / "purchases.csv"))[0] == 0
    code, output = invoke(
        world, "customers", "requests", "add", "--customer", "Car Maker <b>KK</b>",
        "--email", "buyer@car.example.test", "--contact", "Ms Buyer", "--template", "CMRT",
        "--due", "2025-07-31", "--product", "PX-1", "--json",
    )  # fmt: skip
    assert code == 0, output
    request = json.loads(output)
    assert (request["scope"], request["products"], request["status"]) == ("product", ["PX-1"], "open")
    listed = json.loads(invoke(world, "customers", "requests", "list", "--open", "--json")[1])
    assert [r["overdue"] for r in listed] == [dt.date.today() > dt.date(2025, 7, 31)]

    kept = tmp_path / "answer.xlsx"
    code, output = invoke(
        world, "customers", "requests", "answer", str(request["id"]), "--out", str(kept), "--json"
    )
    assert code == 0, output
    assert json.loads(output)["status"] == "answered"
    decl = read(kept)
    assert mrt.status(mrt.check(decl)) == "complete"
    # S1 bought PX-1: its smelters only (not S2's Delta tin CID900004, not S6's Zeta tungsten CID900006).
    assert {s.smelter_id for s in decl.smelters if s.smelter_id} == {
        "CID900001",
        "CID900002",
        "CID900003",
        "CID900005",
    }
    assert [(p.number, p.name) for p in decl.products] == [("PX-1", "Solder joint module")]
    assert decl.company["scope"].value == "B. Product (or List of Products)"

    (mail,) = relay.messages
    assert mail["To"] == "buyer@car.example.test" and "CMRT" in mail["Subject"]
    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_filename().endswith(".xlsx")
    received = tmp_path / "received.xlsx"
    received.write_bytes(attachment.get_content())
    sent = read(received)  # the file the customer received reads back complete
    assert mrt.status(mrt.check(sent)) == "complete"

    shown = json.loads(invoke(world, "customers", "requests", "show", str(request["id"]), "--json")[1])
    assert shown["status"] == "answered" and shown["answer_file"] is not None
    assert [e["action"] for e in shown["history"]] == ["customer-request.added", "customer-request.answered"]
    code, output = invoke(world, "customers", "requests", "answer", str(request["id"]))
    assert code == 1 and "was answered" in output


def test_bad_requests_are_refused_and_nothing_is_sent(world: World, relay: Relay) -> None:
    code, output = invoke(
        world, "customers", "requests", "add", "--customer", "X", "--email", "not-an-address",
        "--template", "CMRT", "--due", "2030-01-01",
    )  # fmt: skip
    assert code == 2 and "not one email address" in output
    code, output = invoke(
        world, "customers", "requests", "add", "--customer", "X", "--email", "x@x.example.test",
        "--template", "CMRT", "--due", "2030-01-01", "--product", "NEVER-BOUGHT", "--json",
    )  # fmt: skip
    request = json.loads(output)["id"]
    code, output = invoke(world, "customers", "requests", "answer", str(request))
    assert code == 2 and "NEVER-BOUGHT" in output and not relay.messages


def test_emrt_product_scope_into_the_official_blank_reads_back_complete(
    world: World, relay: Relay, tmp_path: Path, realworld: Path
) -> None:
    add_emrt_campaign(world, Builder(world.session, world.store, tmp_path))
    (tmp_path / "battery.csv").write_text(
        "Supplier ID,Part number,Description,Commodity,Purchase date\nE2,BT-9,Cell pack,Battery,2025-03-01\n",
        encoding="utf-8",
    )
    assert invoke(world, "purchases", "import", str(tmp_path / "battery.csv"))[0] == 0
    code, output = invoke(
        world, "customers", "requests", "add", "--customer", "Phone Maker", "--email", "p@phone.example.test",
        "--template", "EMRT", "--version", "2.0", "--due", "2030-01-01", "--product", "BT-9", "--json",
    )  # fmt: skip
    assert code == 0, output
    kept = tmp_path / "emrt-answer.xlsx"
    blank = str(realworld / "rmi-emrt-2.0-blank-en.xlsx")
    args = ["customers", "requests", "answer", str(json.loads(output)["id"]), "--template-file", blank]
    code, output = invoke(world, *args, "--out", str(kept))
    assert code == 0, output
    decl = read(kept)
    assert (decl.family, decl.version) == ("EMRT", "2.0") and mrt.status(mrt.check(decl)) == "complete"
    assert {s.smelter_id for s in decl.smelters if s.smelter_id} == {COBALT_CIDS[0]}  # E2's only, not E1's
    assert [p.number for p in decl.products] == ["BT-9"] and len(relay.messages) == 1
