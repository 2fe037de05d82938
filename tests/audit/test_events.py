"""Each kind of change writes its audit event from the code path that makes it, and the chain holds."""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import io
from pathlib import Path
from typing import Any

from audit_kit import AuditDb
from sqlalchemy import select

from activities.filestore import store_upload
from cases.accounts import MAX_FAILURES, add_user, authenticate, sign_out_everywhere, unlock
from cli.enrol import CampaignPlan, enrol
from models.audit import AuditEvent
from models.enums import TemplateFamily
from models.users import Role

PASSWORD = "a long enough password"
SUPPLIERS = "supplier_id,name,email,language,minerals\n"


def events(db: AuditDb, prefix: str = "") -> list[tuple[str, str, str, Any, Any]]:
    with db.sessions() as session:
        query = select(AuditEvent).where(AuditEvent.action.startswith(prefix)).order_by(AuditEvent.id)
        return [(e.actor, e.action, e.subject, e.before, e.after) for e in session.scalars(query)]


def test_sign_ins_failures_lockout_and_user_management(sqlite_db: AuditDb) -> None:
    db = sqlite_db
    user = add_user(db.sessions, "lead@company.test", Role.ANALYST, PASSWORD, actor="admin@company.test")
    add_user(db.sessions, "lead@company.test", Role.VIEWER, PASSWORD, actor="admin@company.test")
    assert authenticate(db.sessions, "Lead@Company.test", PASSWORD) is not None
    assert authenticate(db.sessions, "nobody@company.test", PASSWORD) is None
    for _ in range(MAX_FAILURES):
        assert authenticate(db.sessions, "lead@company.test", "wrong password!") is None
    assert authenticate(db.sessions, "lead@company.test", PASSWORD) is None  # locked now
    unlock(db.sessions, user.id, actor="admin@company.test")
    sign_out_everywhere(db.sessions, user.id)
    me, admin, who = f"user:{user.id}", "admin@company.test", "lead@company.test"
    failed = (who, "user.sign-in-failed", me, None, {"reason": "wrong password"})
    assert events(db, "user.") == [
        (admin, "user.created", me, None, {"role": "analyst"}),
        (admin, "user.updated", me, None, {"role": "viewer"}),
        (who, "user.signed-in", me, None, None),
        ("nobody@company.test", "user.sign-in-failed", "user:unknown", None, {"reason": "unknown account"}),
        *[failed] * (MAX_FAILURES - 1),
        failed,
        ("system", "user.locked", me, None, events(db, "user.locked")[0][4]),
        (who, "user.sign-in-failed", me, None, {"reason": "account locked"}),
        (
            admin,
            "user.unlocked",
            me,
            {"role": "viewer", "active": True, "locked": True},
            {"role": "viewer", "active": True, "locked": False},
        ),
        (who, "user.signed-out", me, None, None),
    ]
    assert db.minerals("audit", "verify").exit_code == 0


def test_cli_user_supplier_and_reference_data_imports(sqlite_db: AuditDb, tmp_path: Path) -> None:
    db = sqlite_db
    made = db.minerals(
        "users", "add", "a@company.test", "--role", "admin", "--password-stdin", stdin=PASSWORD
    )
    assert made.exit_code == 0, made.output
    assert events(db, "user.") == [("cli", "user.created", "user:1", None, {"role": "admin"})]
    first, second = tmp_path / "s1.csv", tmp_path / "s2.csv"
    first.write_text(SUPPLIERS + "S1,Acme,a@acme.example,ja,tin\nS2,Beta,b@beta.example,,\n")
    second.write_text(SUPPLIERS + "S1,Acme,new@acme.example,ja,tin\nS2,Beta,b@beta.example,,\n")
    assert db.minerals("suppliers", "import", str(first)).exit_code == 0
    assert db.minerals("suppliers", "import", str(second)).exit_code == 0
    me = getpass.getuser()
    created = {"name": "Acme", "email": "a@acme.example", "contact_name": "", "language": "ja",
               "owner_email": "", "minerals": ["tin"]}  # fmt: skip
    assert events(db, "supplier.") == [
        (me, "supplier.created", "supplier:S1", None, created),
        (me, "supplier.created", "supplier:S2", None, events(db, "supplier.")[1][4]),
        (me, "supplier.updated", "supplier:S1", {"email": "a@acme.example"}, {"email": "new@acme.example"}),
    ]
    smelters = tmp_path / "rmi.csv"
    with smelters.open("w", newline="") as out:
        csv.writer(out).writerows(
            [["Metal", "Smelter ID", "Standard Smelter Name", "Country", "RMAP Status"],
             ["Tin", "CID900002", "Kundur Timah Smelting", "Indonesia", "Conformant"],
             ["Gold", "CID90001", "Short Id Refinery", "France", "Conformant"]]
        )  # fmt: skip
    for _ in range(2):  # the second import of the same file on the same day changes nothing
        assert db.minerals("smelters", "import", str(smelters), "--as-of", "2026-01-31").exit_code == 0
    ((actor, _, subject, _, after),) = events(db, "registry.")
    assert (actor, subject.split(":")[0]) == (me, "registry-import")
    wanted = {
        "file_name": "rmi.csv",
        "as_of": "2026-01-31",
        "facilities_added": 1,
        "statuses_added": 1,
        "rejected": 1,
    }
    assert {k: after[k] for k in wanted} == wanted
    assert db.minerals("audit", "verify").exit_code == 0


def test_campaign_enrolment_and_uploads(sqlite_db: AuditDb, tmp_path: Path) -> None:
    db = sqlite_db
    first = tmp_path / "s.csv"
    first.write_text(SUPPLIERS + "S1,Acme,a@acme.example,ja,tin\nS2,Beta,b@beta.example,,\n")
    assert db.minerals("suppliers", "import", str(first)).exit_code == 0
    due = dt.datetime(2030, 3, 31, tzinfo=dt.UTC)
    plan = CampaignPlan("C-2030", TemplateFamily.CMRT, due, "14d", 3, "7d", 100)
    campaign, added = enrol(db.sessions, plan, ["S1", "S2"], actor="staff@company.test")
    assert enrol(db.sessions, plan, ["S1", "S2"], actor="staff@company.test")[1] == 0  # nothing new, no event
    assert added == 2
    enrolled = events(db, "campaign.enrolled")
    assert events(db, "campaign.created")[0][:3] == (
        "staff@company.test",
        "campaign.created",
        f"campaign:{campaign.id}",
    )
    assert [(e[0], e[4]["supplier_id"], e[4]["campaign"]) for e in enrolled] == [
        ("staff@company.test", "S1", "C-2030"), ("staff@company.test", "S2", "C-2030")
    ]  # fmt: skip
    case = int(enrolled[0][2].split(":")[1])
    upload = store_upload(db.sessions, tmp_path / "files", case, io.BytesIO(b"xlsx bytes"), "cmrt.xlsx",
                          uploaded_by="supplier", max_bytes=1000)  # fmt: skip
    assert events(db, "file.") == [
        ("supplier", "file.stored", f"survey:{case}", None,
         {"file_id": upload.file_id, "sha256": upload.sha256, "size": 10}),
    ]  # fmt: skip
    timeline = db.minerals("audit", "log", "--case", str(case))
    assert "campaign.enrolled" in timeline.stdout and "file.stored" in timeline.stdout
    assert db.minerals("audit", "verify").exit_code == 0
