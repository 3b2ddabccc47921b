"""Values typed ``Any`` in a compiled pack (a test case's answers) as plain JSON data and back.

Typed values need no tags (their type says what they were: :mod:`triage.pack.plain`); these
carry tags for tuples, sets and mappings, and come back only as plain values.
"""

from __future__ import annotations

from typing import Any


class PlainDataError(ValueError):
    """Stored data that does not fit the types it should have."""


def encode_any(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return [encode_any(v) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [encode_any(v) for v in value]}
    if isinstance(value, frozenset | set):
        return {"$set": [encode_any(v) for v in sorted(value, key=repr)]}
    if isinstance(value, dict):
        return {"$dict": [[encode_any(k), encode_any(v)] for k, v in value.items()]}
    raise PlainDataError(f"cannot store a {type(value).__name__}")


def _tagged(data: Any, tag: str) -> list[Any]:
    if type(data) is dict and len(data) == 1 and type(data.get(tag)) is list:
        return data[tag]  # type: ignore[no-any-return]
    raise PlainDataError(f"expected {tag[1:]}")


def _pairs(items: list[Any]) -> list[tuple[Any, Any]]:
    if not all(type(p) is list and len(p) == 2 for p in items):
        raise PlainDataError("expected key, value pairs")
    return [(p[0], p[1]) for p in items]


def decode_any(data: Any) -> Any:
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is list:
        return [decode_any(v) for v in data]
    if type(data) is dict and len(data) == 1:
        if "$tuple" in data:
            return tuple(decode_any(v) for v in _tagged(data, "$tuple"))
        if "$set" in data:
            return frozenset(decode_any(v) for v in _tagged(data, "$set"))
        if "$dict" in data:
            return {decode_any(k): decode_any(v) for k, v in _pairs(_tagged(data, "$dict"))}
    raise PlainDataError("unexpected value")
