"""Imports every table module so `Base.metadata` knows them all."""

from models import (  # noqa: F401  (one name per line, so features add theirs without conflicts)
    api_tokens,
    assessment,
    audit,
    campaign,
    case_indexes,
    corrective,
    customer_request,
    files,
    outbox,
    outreach,
    purchases,
    refresh,
    registry,
    report_declaration,
    scope_plan,
    supplier,
    survey,
    users,
    webhooks,
)
