"""Imports every table module so `Base.metadata` knows them all."""

from models import audit, campaign, files, outbox, registry, supplier, survey  # noqa: F401
