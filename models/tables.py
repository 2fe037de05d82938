"""Imports every table module so `Base.metadata` knows them all."""

from models import audit, campaign, files, outbox, registry, report_declaration, supplier, survey  # noqa: F401
