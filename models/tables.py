"""Imports every table module so `Base.metadata` knows them all."""

from models import (  # noqa: F401  (one name per line, so features add theirs without conflicts)
    audit,
    campaign,
    case_indexes,
    corrective,
    files,
    outbox,
    registry,
    report_declaration,
    supplier,
    survey,
    users,
)
