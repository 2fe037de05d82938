"""The owners' digest of a registry refresh: per owner (buyer), what changed for their suppliers."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from activities.notices import NoticeKind, Notices
from cases.refresh import owners_of, refresh_detail


def digests(sessions: sessionmaker[Session], notices: Notices, refresh_id: int, base_url: str) -> list[int]:
    """Store one digest per owner whose suppliers' cases changed (once per refresh and owner); returns the
    outbox rows to send."""
    rows = []
    with sessions() as session:
        owners = owners_of(session, refresh_id)
        details = {owner: refresh_detail(session, refresh_id, owner) for owner in owners}
    for owner, detail in details.items():
        if not detail or not detail["cases"]:
            continue
        context = {
            **detail,
            "name": owner,
            "refresh_url": f"{base_url}/refreshes/{refresh_id}",
            "campaign": f"RMI list of {detail['as_of']}",
            "template": "RMAP",
        }
        key = f"{detail['workflow_id']}/digest/{owner}"
        rows.append(notices.store(key, NoticeKind.REGISTRY_DIGEST, "en", [owner], context).id)
    return rows
