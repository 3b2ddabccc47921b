"""Errors a person at the desk can act on.

Store failures surface as `StoreError` with a plain sentence and a short `kind`, raised
``from None`` so that driver exceptions (whose text can quote the failing row, answers
included) never ride along in a traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Literal, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

ErrorKind = Literal[
    "full",
    "read_only",
    "locked",
    "unreachable",
    "bad_url",
    "permission",
    "schema",
    "corrupt",
    "foreign",  # another program's database: triage writes nothing into it
    "not_folder",  # a file stands where the records folder (or one above it) should be
    "config",
    "invalid",
    "io",
]


class StoreError(Exception):
    """A storage problem explained in words a user can act on; never carries health data."""

    def __init__(self, message: str, *, kind: ErrorKind = "io", where: str | None = None,
                 ) -> None:
        super().__init__(message)
        self.message = message
        self.kind: ErrorKind = kind
        # the place to look at, when it is not the store itself (a file in the way of the
        # records folder): safe to print, never a password
        self.where = where

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"StoreError({self.message!r}, kind={self.kind!r})"


class ConfigError(StoreError):
    """The clinic config file cannot be read or holds a wrong value."""

    def __init__(self, message: str) -> None:
        super().__init__(message, kind="config")


class DamagedRecord(StoreError):
    """A stored record whose answers or outcome no longer read (edited by hand, a disk
    fault). Names the record, never its content; listing and export skip it and go on."""

    def __init__(self, record_id: str, part: str) -> None:
        super().__init__(f"record {record_id} is damaged: its stored {part} cannot be read",
                         kind="corrupt")
        self.record_id = record_id


def foreign_database(where: str) -> StoreError:
    """A database that holds another program's tables and none of triage's."""
    return StoreError(
        f"The records database at {where} is not a triage database: it holds tables of "
        "another program and none of triage's. Nothing was changed in it; choose another "
        "location in the config (an empty or new database).",
        kind="foreign",
    )


def scrub(err: StoreError) -> StoreError:
    """Drop the driver exception a StoreError was raised over.

    `from None` only hides it from printed tracebacks; it stays reachable as __context__,
    and driver text can quote the failing row (answers included), e.g. PostgreSQL's
    "Failing row contains (...)". Error reporters that walk the chain must find nothing.
    """
    err.__cause__ = None
    err.__context__ = None
    err.__suppress_context__ = True
    return err


def scrubbed(fn: Callable[P, T]) -> Callable[P, T]:
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return fn(*args, **kwargs)
        except StoreError as err:
            raise scrub(err) from None

    return wrapper
