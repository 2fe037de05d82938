"""Imports every table module so `Base.metadata` knows them all."""
from models import audit, campaign, files, outbox, supplier, survey  # noqa: F401  (survey workflows)
from models import registry  # noqa: F401  (smelter registry)
