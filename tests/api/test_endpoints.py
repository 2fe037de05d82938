"""Every endpoint group through HTTP with a token of each role: allowed or refused as the console's roles
say; the OpenAPI document validates and lists every route; an API write lands in the audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from api_kit import ROLES, Api, is_problem
from console_kit import Console
from fastapi.routing import APIRoute
from openapi_spec_validator import validate

from console.api import ROUTERS
from models.users import Role

SUPPLIER = {"supplier_id": "S-100", "name": "Tin Works", "email": "tin@works.test", "minerals": ["tin"]}
# (method, path, body, the least role allowed); writes to workflows answer 503 without Temporal.
CALLS: list[tuple[str, str, Any, Role]] = [
    ("GET", "/suppliers?q=acme", None, Role.VIEWER),
    ("GET", "/suppliers/A-1", None, Role.VIEWER),
    ("POST", "/suppliers", SUPPLIER, Role.ANALYST),
    ("PUT", "/suppliers", [SUPPLIER], Role.ANALYST),
    ("PATCH", "/suppliers/A-1", {"contact_name": "Ana"}, Role.ANALYST),
    ("GET", "/campaigns", None, Role.VIEWER),
    ("GET", "/campaigns/CMRT-2027", None, Role.VIEWER),
    ("POST", "/campaigns/CMRT-2027/start", None, Role.ANALYST),
    ("POST", "/campaigns/CMRT-2027/pause", {"reason": "holidays"}, Role.ANALYST),
    ("GET", "/cases?stage=requested", None, Role.VIEWER),
    ("GET", "/cases/{case}", None, Role.VIEWER),
    ("POST", "/cases/{case}/extend", {"due": "2027-04-30", "reason": "asked"}, Role.ANALYST),
    ("GET", "/corrective-actions", None, Role.VIEWER),
    ("POST", "/corrective-actions/1/decisions", {"decision": "accept"}, Role.ANALYST),
    ("GET", "/findings?severity=high", None, Role.VIEWER),
    ("GET", "/reports/kpi", None, Role.VIEWER),
    ("GET", "/reports/annual", None, Role.VIEWER),
    ("GET", "/registry?q=tin", None, Role.VIEWER),
    ("GET", "/registry/CID000001", None, Role.VIEWER),
    ("GET", "/audit/events?action=supplier", None, Role.VIEWER),
    ("GET", "/audit/verify", None, Role.VIEWER),
    ("GET", "/webhooks", None, Role.ADMIN),
    ("POST", "/webhooks", {"url": "https://bi.test/in", "events": ["action.opened"]}, Role.ADMIN),
    ("POST", "/webhooks/1/test", None, Role.ADMIN),
]


@pytest.fixture
def api(console: Console) -> Api:
    """Tokens of each role on a console with two cases."""
    made = Api(console)
    made.case = console.add_case("A-1", "Acme Metals")  # type: ignore[attr-defined]
    console.add_case("B-2", "Beta Alloys", stage="responded")
    return made


@pytest.mark.parametrize(("method", "path", "body", "least"), CALLS, ids=[f"{c[0]} {c[1]}" for c in CALLS])
def test_each_role_is_allowed_or_refused(api: Api, method: str, path: str, body: Any, least: Role) -> None:
    path = path.format(case=api.case)  # type: ignore[attr-defined]
    for role in ROLES:
        response = api.call(role, method, path, json=body)
        if role.allows(least):
            assert response.status_code in (200, 201, 202, 404, 409, 503), (role, response.text)
            assert "nothing at this address" not in response.text  # a 404 names a missing row, not route
        else:
            assert f"needs the {least.value} role" in is_problem(response, 403)["detail"]


def test_the_case_list_filters_and_pages_as_the_console_does(api: Api) -> None:
    for n in range(3, 60):
        api.console.add_case(f"C-{n}", f"Supplier {n}")
    first = api.call(Role.VIEWER, "GET", "/cases", params={"stage": "requested"}).json()
    assert first["total"] == 58 and len(first["items"]) == 50 and first["next_after"]
    rest = api.call(Role.VIEWER, "GET", "/cases", params={"stage": "requested", "after": first["next_after"]})
    ids = [c["id"] for c in first["items"]] + [c["id"] for c in rest.json()["items"]]
    assert len(set(ids)) == 58 and rest.json()["next_after"] == ""
    found = api.call(Role.VIEWER, "GET", "/cases", params={"q": "Beta"}).json()["items"]
    assert [(c["supplier_id"], c["stage"]) for c in found] == [("B-2", "responded")]
    case = api.call(Role.VIEWER, "GET", f"/cases/{api.case}").json()  # type: ignore[attr-defined]
    assert case["supplier_id"] == "A-1" and case["history"] == [] and case["files"] == []
    is_problem(api.call(Role.VIEWER, "GET", "/cases/999999"), 404)
    is_problem(api.call(Role.VIEWER, "GET", "/cases/99999999999999999999"), 404)


def test_suppliers_are_created_upserted_and_corrected_with_the_import_checks(api: Api) -> None:
    created = api.call(Role.ANALYST, "POST", "/suppliers", json=SUPPLIER)
    assert created.status_code == 201 and created.json()["minerals"] == ["tin"]
    assert "exists" in is_problem(api.call(Role.ANALYST, "POST", "/suppliers", json=SUPPLIER), 409)["detail"]
    batch = [
        {**SUPPLIER, "name": "Tin Works Ltd"},
        {"supplier_id": "S-101", "name": "New", "email": "n@x.test"},
    ]
    assert api.call(Role.ANALYST, "PUT", "/suppliers", json=batch).json() == {
        "received": 2,
        "created": 1,
        "updated": 1,
        "unchanged": 0,
    }
    bad = [{"supplier_id": "S-102", "name": "Bad", "email": "not-an-address"}, SUPPLIER]
    problem = is_problem(api.call(Role.ANALYST, "PUT", "/suppliers", json=bad), 422)
    assert problem["errors"][0]["item"] == 1 and "not an email address" in problem["detail"]
    assert api.call(Role.VIEWER, "GET", "/suppliers/S-102").status_code == 404
    corrected = api.call(Role.ANALYST, "PATCH", "/suppliers/S-100", json={"email": "sales@works.test"})
    assert corrected.json()["email"] == "sales@works.test" and corrected.json()["changed"] == ["email"]
    listed = api.call(Role.VIEWER, "GET", "/suppliers", params={"q": "works"}).json()["items"]
    assert [s["supplier_id"] for s in listed] == ["S-100"]


def test_an_api_write_appears_in_the_audit_trail_with_the_token_as_actor(api: Api) -> None:
    api.call(Role.ANALYST, "POST", "/suppliers", json=SUPPLIER)
    api.call(Role.ADMIN, "PATCH", "/suppliers/S-100", json={"name": "Tin Works Ltd"})
    events = api.call(Role.VIEWER, "GET", "/audit/events", params={"subject": "supplier:S-100"}).json()[
        "items"
    ]
    assert [(e["actor"], e["action"]) for e in events] == [
        ("token:analyst-bot", "supplier.created"),
        ("token:admin-bot", "supplier.updated"),
    ]
    assert events[1]["after"] == {"name": "Tin Works Ltd"} and events[1]["prev_hash"] == events[0]["hash"]
    verified = api.call(Role.VIEWER, "GET", "/audit/verify").json()
    assert verified["ok"] and verified["head"]["hash"] == events[-1]["hash"]


def test_a_campaign_starts_only_with_suppliers_waiting(api: Api) -> None:
    refused = is_problem(api.call(Role.ANALYST, "POST", "/campaigns/CMRT-2027/start"), 409)
    assert "no enrolled supplier waiting" in refused["detail"]
    api.console.add_case("P-1", "Pending Metals", stage="pending")
    down = is_problem(api.call(Role.ANALYST, "POST", "/campaigns/CMRT-2027/start"), 503)
    assert "Temporal" in down["detail"]
    held = is_problem(api.call(Role.ANALYST, "POST", "/campaigns/CMRT-2027/pause", json={}), 409)
    assert "once all its surveys have started" in held["detail"]
    is_problem(api.call(Role.ANALYST, "POST", "/campaigns/NOPE/pause", json={}), 404)
    status = api.call(Role.VIEWER, "GET", "/campaigns/CMRT-2027").json()
    assert status["stages"] == {"requested": 1, "responded": 1, "pending": 1} and status["cases"] == 3


def test_admins_manage_webhooks_through_the_api(api: Api) -> None:
    made = api.call(
        Role.ADMIN, "POST", "/webhooks", json={"url": "https://bi.test/in", "events": ["action.opened"]}
    )
    assert made.status_code == 201 and made.json()["secret"].startswith("whsec_")
    assert made.json()["dispatching"] is False  # no Temporal here: the events wait in the audit trail
    listed = api.call(Role.ADMIN, "GET", "/webhooks").json()["items"]
    assert [w["url"] for w in listed] == ["https://bi.test/in"] and "secret" not in listed[0]
    bad = {"url": "https://bi.test/in", "events": ["case.exploded"]}
    is_problem(api.call(Role.ADMIN, "POST", "/webhooks", json=bad), 422)
    assert api.call(Role.ADMIN, "DELETE", f"/webhooks/{made.json()['id']}").status_code == 204
    is_problem(api.call(Role.ADMIN, "DELETE", f"/webhooks/{made.json()['id']}"), 404)


def test_staff_actions_are_checked_before_they_reach_the_workflow(api: Api) -> None:
    case = api.case  # type: ignore[attr-defined]
    is_problem(api.call(Role.ANALYST, "POST", f"/cases/{case}/extend", json={"due": "someday"}), 422)
    is_problem(api.call(Role.ANALYST, "POST", f"/cases/{case}/close", json={}), 422)
    is_problem(api.call(Role.ANALYST, "POST", f"/cases/{case}/reopen", json={"reason": "x"}), 409)
    is_problem(api.call(Role.ANALYST, "POST", f"/cases/{case}/explode", json={}), 422)
    down = is_problem(api.call(Role.ANALYST, "POST", f"/cases/{case}/exempt", json={"reason": "left"}), 503)
    assert "Temporal" in down["detail"]


def test_the_openapi_document_validates_and_lists_every_route(console: Console) -> None:
    response = console.client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["servers"] == [{"url": "/api/v1"}]
    listed = {(m.upper(), p) for p, ops in document["paths"].items() for m in ops}
    routes = {
        (m, r.path)
        for router in ROUTERS
        for r in router.routes
        if isinstance(r, APIRoute) and r.include_in_schema
        for m in r.methods or ()
    }
    assert routes and listed == routes
    assert "bearer" in str(document["components"]["securitySchemes"]).lower()


def test_the_interactive_docs_load_from_this_server(console: Console) -> None:
    docs = console.client.get("/api/v1/docs")
    assert docs.status_code == 200 and "swagger-ui" in docs.text and "https://" not in docs.text
    for asset in ("docs/assets/swagger-ui-bundle.js", "docs/assets/swagger-ui.css", "docs/init.js"):
        assert console.client.get(f"/api/v1/{asset}").status_code == 200, asset
