"""Test kit of the console tests: a console app on a fresh SQLite database with generated cases."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy.orm import Session, sessionmaker

from console.app import create_app
from models.campaign import Campaign
from models.db import create_schema, make_engine, session_factory
from models.files import StoredFile
from models.settings import Settings
from models.supplier import Supplier
from models.survey import Survey
from models.users import Role, User

SECRET = "console-test-secret-0123456789"
PASSWORD = "correct horse battery staple"
ROLES = {
    "viewer@company.test": Role.VIEWER,
    "analyst@company.test": Role.ANALYST,
    "admin@company.test": Role.ADMIN,
}
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One argon2id hash for every test account, with light parameters (a verify reads them from the hash)."""
    return PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8 * 1024, parallelism=1),)).hash(PASSWORD)


@dataclass
class Console:
    """The app's client, database and settings."""

    client: TestClient
    sessions: sessionmaker[Session]
    settings: Settings

    def csrf(self, path: str = "/login") -> str:
        """The CSRF token of the form on a page."""
        found = CSRF.search(self.client.get(path).text)
        assert found, f"no CSRF field on {path}"
        return found.group(1)

    def sign_in(self, email: str, password: str = PASSWORD) -> int:
        """Sign in through the form; returns the status code (303 on success)."""
        data = {"email": email, "password": password, "csrf": self.csrf(), "next": "/"}
        return self.client.post("/login", data=data, follow_redirects=False).status_code

    def add_case(
        self,
        supplier_id: str,
        name: str,
        *,
        stage: str = "requested",
        campaign: str = "CMRT-2027",
        language: str = "en",
        risk: str | None = None,
    ) -> int:
        """A generated case (no workflow behind it); returns its id."""
        with self.sessions.begin() as session:
            found = session.query(Campaign).filter_by(name=campaign).one_or_none()
            if found is None:
                found = Campaign(
                    name=campaign,
                    template="CMRT",
                    due_date=dt.date(2027, 3, 31),
                    reminder_every="14d",
                    reminders=3,
                    escalation_after="7d",
                )
                session.add(found)
                session.flush()
            supplier = Supplier(
                supplier_id=supplier_id,
                name=name,
                email=f"{supplier_id.lower()}@supplier.test",
                language=language,
                owner_email="buyer@company.test",
            )
            session.add(supplier)
            session.flush()
            survey = Survey(
                campaign_id=found.id,
                supplier_id=supplier.id,
                workflow_id=f"survey-{campaign}-{supplier_id}",
                stage=stage,
                risk=risk,
                due_at=dt.datetime(2027, 3, 31, 23, 59, tzinfo=dt.UTC),
            )
            session.add(survey)
            session.flush()
            return survey.id

    def add_file(self, case_id: int, name: str, issues: list[dict[str, Any]]) -> None:
        """A checked upload recorded on a case, as the case's latest file (as the workflow records it)."""
        with self.sessions.begin() as session:
            stored = StoredFile(
                survey_id=case_id,
                sha256="0" * 64,
                size=1,
                path="x",
                original_name=name,
                check_status="incomplete",
                issues=issues,
                issue_count=len(issues),
            )
            session.add(stored)
            session.flush()
            survey = session.get(Survey, case_id)
            assert survey is not None
            survey.last_file_id = stored.id


@pytest.fixture
def console(tmp_path: Path, database_url: str, password_hash: str) -> Iterator[Console]:
    """A console on a fresh database with one account per role (no Temporal behind it)."""
    settings = Settings(
        data_dir=str(tmp_path),
        database_url=database_url,
        upload_secret=SECRET,
        public_base_url="http://testserver",
        max_upload_bytes=200_000,
    )
    engine = make_engine(settings.resolved_database_url())
    create_schema(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        for email, role in ROLES.items():
            session.add(User(email=email, role=role.value, password_hash=password_hash))
    with TestClient(create_app(settings, sessions=sessions)) as client:
        yield Console(client, sessions, settings)
