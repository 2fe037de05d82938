"""Alembic environment: runs on the connection that models.schema hands over (never its own engine)."""

from __future__ import annotations

from alembic import context

import models.tables  # noqa: F401  (registers every table on Base.metadata)
from models.base import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
