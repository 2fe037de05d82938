"""The audit page: who did what to which case, changes as named fields, filters, pages, one event's page,
and the link from a case's timeline entries to their events."""

from __future__ import annotations

import datetime as dt

from console_kit import Console
from test_corrective_page import _action  # an action of a generated case

from models.audit import AuditEvent
from models.corrective import ActionEvent


def _decision(console: Console, case: int) -> tuple[int, int]:
    """An accepted corrective action as the workflow records it; returns (survey event, decision event)."""
    action_id = _action(console, case, "accepted")
    with console.sessions.begin() as session:
        stage = AuditEvent(
            actor="system",
            action="survey.transition",
            subject=f"survey:{case}",
            before={"stage": "assessing"},
            after={"stage": "risk-found"},
        )
        key = f"capa-{case}-1/3-action.accepted"
        session.add(
            ActionEvent(
                action_id=action_id,
                actor="analyst@company.test",
                event="action.accepted",
                note="RMAP certificate on file",
                idempotency_key=key,
            )
        )
        decided = AuditEvent(
            actor="analyst@company.test",
            action="action.accepted",
            subject=f"action:{action_id}",
            before={"status": "open", "due_at": "2027-04-30T23:59:59+00:00", "justification": None},
            after={
                "status": "accepted",
                "due_at": "2027-04-30T23:59:59+00:00",
                "justification": "RMAP certificate on file",
                "note": "RMAP certificate on file",
            },
            idempotency_key=key,
        )
        session.add_all([stage, decided])
        session.flush()
        return stage.id, decided.id


def test_the_audit_page_shows_a_decision_with_named_fields_and_its_case(console: Console) -> None:
    case = console.add_case("S1", "Generated Metals", stage="accepted")
    stage, decided = _decision(console, case)
    console.sign_in("viewer@company.test")
    html = console.client.get("/audit").text
    row = html[html.index(f'id="event-{decided}"') :]
    row = row[: row.index("</tr>")]
    assert "analyst@company.test" in row and "action.accepted" in row
    assert f'<a href="/cases/{case}">Action {case}/1</a>' in row
    assert "<dt>Status</dt><dd><del>open</del> → <ins>accepted</ins></dd>" in row
    assert "<dt>Justification</dt><dd><del>—</del> → <ins>RMAP certificate on file</ins></dd>" in row
    assert "Due date" not in row  # unchanged fields are left out
    assert "{" not in row  # no raw JSON

    one = console.client.get(f"/audit/{decided}").text
    assert '<th scope="row">Status</th><td>open</td><td>accepted</td>' in one
    assert f'href="/audit?case={case}"' in one
    assert console.client.get("/audit/999999").status_code == 404

    page = console.client.get(f"/cases/{case}").text
    assert f'href="/audit/{stage}"' in page and f'href="/audit/{decided}"' in page  # both timelines link


def test_filters_by_actor_action_case_and_date_and_pages_back(console: Console) -> None:
    first = console.add_case("S1", "Generated Metals")
    other = console.add_case("S2", "Other Metals")
    _decision(console, first)
    with console.sessions.begin() as session:
        for i in range(55):
            session.add(
                AuditEvent(
                    actor="system",
                    action="survey.reminded",
                    subject=f"survey:{other}",
                    after={"reminders": i},
                )
            )
        session.add(
            AuditEvent(
                at=dt.datetime(2020, 1, 2, 10, tzinfo=dt.UTC),
                actor="old@company.test",
                action="survey.exempted",
                subject=f"survey:{other}",
            )
        )
    console.sign_in("viewer@company.test")
    by_case = console.client.get("/audit", params={"case": str(first)}).text
    assert (
        by_case.count('<tr id="event-') == 2
        and "action.accepted" in by_case
        and "survey.reminded" not in by_case
    )
    by_actor = console.client.get("/audit", params={"actor": "analyst@company.test"}).text
    assert by_actor.count('<tr id="event-') == 1
    by_action = console.client.get("/audit", params={"action": "survey.", "case": str(other)}).text
    assert by_action.count('<tr id="event-') == 50 and 'id="older"' in by_action
    older = by_action.split('id="older"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    rest = console.client.get(older).text
    assert rest.count('<tr id="event-') == 6 and "Newest" in rest
    day = console.client.get("/audit", params={"since": "2020-01-02", "until": "2020-01-02"}).text
    assert day.count('<tr id="event-') == 1 and "old@company.test" in day
    bad = console.client.get("/audit", params={"case": "abc"})
    assert bad.status_code == 200 and "is not a case number" in bad.text
