"""Alembic's environment: runs the migrations on the connection boxoffice hands over.

`boxoffice db upgrade` (persistence/schema.py) passes its open connection in
`config.attributes["connection"]`, inside the one transaction of the whole upgrade. Run by the
`alembic` command itself (a developer writing a revision), the database is
BOXOFFICE_DATABASE_URL.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from boxoffice.persistence.engine import create_engine_for, default_database_url
from boxoffice.persistence.schema import table_metadata


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=table_metadata(),
        # SQLite alters a table by copying it; batch mode does that for it.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported: run `boxoffice db upgrade`.")

handed_over = context.config.attributes.get("connection")
if handed_over is not None:
    run_migrations(handed_over)
else:
    engine = create_engine_for(
        context.config.get_main_option("sqlalchemy.url") or default_database_url()
    )
    with engine.begin() as connection:
        run_migrations(connection)
    engine.dispose()
