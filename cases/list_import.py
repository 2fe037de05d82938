"""A supplier list for a campaign in two steps, as the console takes it: check it (every bad line, or a
preview of what importing it changes), then import the previewed file. Between the two the checked file is
kept under the file store, named by a random token (the browser sends it once), and removed once imported."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from cases.campaigns import find_campaign
from cases.enrolment import check_plan, enrol, plan_of
from cases.supplier_list import ListPreview, preview_import, read_supplier_list, upsert_suppliers

_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{22}(\.(csv|txt|xlsx|xlsm))?$")


class StashGone(LookupError):
    """The list is not kept (any more): it was imported already, or the token is not one of ours."""


def _folder(store: Path, campaign_id: int) -> Path:
    return store / "supplier-lists" / str(campaign_id)


def _stash(store: Path, campaign_id: int, file_name: str, data: bytes) -> str:
    """Keep a list's bytes for one campaign; returns the token that names it (its suffix kept)."""
    suffix = Path(file_name).suffix.lower()
    token = secrets.token_urlsafe(16) + (suffix if suffix in _SUFFIXES else "")
    folder = _folder(store, campaign_id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / token).write_bytes(data)
    return token


def _stashed(store: Path, campaign_id: int, token: str) -> bytes:
    """The bytes kept under the token; StashGone when there are none."""
    path = _folder(store, campaign_id) / token
    if not _TOKEN.match(token) or not path.is_file():
        raise StashGone("this list was imported already or is no longer kept; upload it again")
    return path.read_bytes()


def _drop(store: Path, campaign_id: int, token: str) -> None:
    """Forget a kept list (after its import)."""
    if _TOKEN.match(token):
        (_folder(store, campaign_id) / token).unlink(missing_ok=True)


@dataclass(frozen=True)
class ListCheck:
    """A checked list: its bad lines (nothing kept), or its preview and the token to import it."""

    errors: list[str]
    preview: ListPreview | None = None
    rows: int = 0
    token: str = ""


def check_list(
    factory: sessionmaker[Session], store: Path, campaign_name: str, file_name: str, data: bytes
) -> ListCheck:
    """Check every line and compare the list with the directory, importing nothing; a good list is kept for
    `import_list`. CampaignError for an unknown campaign, ValueError when its due date has passed."""
    read = read_supplier_list(file_name, data)
    if not read.ok:
        return ListCheck([str(e) for e in read.errors])
    with factory() as session:
        campaign = find_campaign(session, campaign_name)
        check_plan(plan_of(campaign))  # a campaign past its due date takes no new supplier
        preview = preview_import(session, read.rows)
    return ListCheck([], preview, len(read.rows), _stash(store, campaign.id, file_name, data))


def import_list(
    factory: sessionmaker[Session], store: Path, campaign_name: str, token: str, actor: str
) -> int:
    """Import a checked list (read and checked again) and enrol its suppliers, audited; how many were
    enrolled. StashGone when the token names no kept list."""
    with factory() as session:
        campaign = find_campaign(session, campaign_name)
    read = read_supplier_list(f"list{Path(token).suffix}", _stashed(store, campaign.id, token))
    if not read.ok:  # cannot happen to a file kept after its check, unless the rules changed meanwhile
        raise StashGone("the list no longer passes its checks; upload it again")
    plan = plan_of(campaign)
    check_plan(plan)
    upsert_suppliers(factory, read.rows, actor=actor)
    _, added = enrol(factory, plan, [r.supplier_id for r in read.rows], actor=actor)
    _drop(store, campaign.id, token)
    return added
