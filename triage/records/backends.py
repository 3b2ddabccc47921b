"""Pick the backend from the effective settings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from triage.records.config import Settings
from triage.records.errors import StoreError
from triage.records.model import Actor

if TYPE_CHECKING:
    from triage.records.store import SqlRecordStore

_SQLITE_URL = "sqlite:///"


def open_store(settings: Settings) -> SqlRecordStore:
    """A PostgreSQL store when a database URL is set, else the SQLite file.

    `sqlite:///relative/path` and `sqlite:////absolute/path` (SQLAlchemy's convention) are
    also accepted as URLs, so one variable can point anywhere.
    """
    actor = Actor(staff=settings.staff, desk=settings.desk)
    url = settings.database_url
    if url is None:
        from triage.records.sqlite_store import SqliteRecordStore  # lazy: only the backend in use

        return SqliteRecordStore(settings.store_path, actor=actor, keep_names=settings.keep_names)
    if url.startswith(_SQLITE_URL):
        from triage.records.sqlite_store import SqliteRecordStore  # lazy: only the backend in use

        return SqliteRecordStore(
            Path(url[len(_SQLITE_URL) :]),
            actor=actor,
            keep_names=settings.keep_names,
        )
    from triage.records.postgres_store import (  # lazy: psycopg is an optional extra
        URL_SCHEMES,
        PostgresRecordStore,
    )

    if not url.startswith(URL_SCHEMES):
        raise StoreError(
            "The database URL must start with postgresql:// (or sqlite:/// for a file).",
            kind="bad_url",
        )
    return PostgresRecordStore(url, actor=actor, keep_names=settings.keep_names)
