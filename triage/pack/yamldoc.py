"""A YAML document as triage reads it: plain data plus where each part came from, and the
few rules for plain scalars (shared by the ordinary reader, triage.pack.yamlio, and the quick
one, triage.pack.quick_yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from triage.problems import Problem
from triage.untrusted import MAX_NUMBER_CHARS as _LONGEST
from triage.untrusted import exact_float

MAX_NUMBER_CHARS = _LONGEST  # int() of a 5,000-digit scalar raises (and no pack needs one)

Path_ = tuple[str | int, ...]

INT = re.compile(r"[-+]?[0-9]+\Z")
FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\Z"
                   r"|[-+]?[0-9]+[eE][-+]?[0-9]+\Z")
_NULL = frozenset({"", "~", "null"})


Mark = tuple[int, int, str | None, str | None]
"""Where a value starts (1-based line and column), its scalar style (``'``, ``"``, ``|``,
``>`` or None) and, for scalars that became numbers, booleans or null, their source text."""


class LazyFlowMarks:
    """The marks of a one-line flow collection (``{citation: ..., year: 2026}``), made only
    when something asks for them: a pack repeats such collections thousands of times and
    reports on few of them. Items: (key, value, key offset, value offset, style, source text
    of the value), offsets from ``col``."""

    __slots__ = ("col", "items", "line", "mapping")

    def __init__(self, line: int, col: int, mapping: bool, items: tuple[Any, ...]) -> None:
        self.line, self.col, self.mapping, self.items = line, col, mapping, items

    def table(self) -> Any:
        """What :attr:`YamlDocument.marks` holds for such a collection (see there)."""
        line, col = self.line, self.col
        if self.mapping:
            return ({key: (line, col + at, style, source)
                     for key, _, _, at, style, source in self.items},
                    {key: (line, col + at, None, None) for key, _, at, _, _, _ in self.items})
        return [(line, col + at, style, source) for _, _, _, at, style, source in self.items]


@dataclass
class YamlDocument:
    """Plain data (dict/list/str/int/float/bool/None) plus where each part came from.

    Positions are kept per container (keyed by ``id()`` of the list or dict in ``data``, which
    the document keeps alive) rather than per path: building a document writes one entry per
    value, and a path is resolved only when something is reported.
    """

    file: str
    data: Any
    root_mark: Mark = (1, 1, None, None)
    # id(list) -> marks of its items; id(dict) -> (marks of its values, marks of its keys);
    # either may be a LazyFlowMarks until asked for (read them through table())
    marks: dict[int, Any] = field(default_factory=dict, repr=False)
    # the source has no backslash and only printable characters, newlines and tabs: then no
    # text in it can hold a control character (only a double-quoted escape could add one)
    plain_source: bool = False
    # the text it was read from: a problem inside a text is placed at its own line and column
    # (triage.pack.scalar_position); the lines' starts are found on the first such problem
    source: str | None = field(default=None, repr=False)
    _line_starts: list[int] | None = field(default=None, repr=False)

    def table(self, node: Any) -> Any:
        """The marks of the items of ``node`` (a list or dict of this document), or None."""
        found = self.marks.get(id(node))
        if found.__class__ is LazyFlowMarks:
            found = self.marks[id(node)] = found.table()
        return found

    def _resolve(self, path: Path_) -> tuple[Mark, Mark | None, bool, Any]:
        """The mark of the deepest part of ``path`` that exists, its key's position (for a
        mapping entry), whether that is the whole path, and the value there."""
        node, mark, key_mark = self.data, self.root_mark, None
        for part in path:
            table = self.marks.get(id(node))
            if table.__class__ is LazyFlowMarks:
                table = self.table(node)
            elif table is None:
                return mark, key_mark, False, node
            if isinstance(node, list):
                if not (isinstance(part, int) and 0 <= part < len(table)):
                    return mark, key_mark, False, node
                mark, key_mark, node = table[part], None, node[part]
            else:
                values, keys = table
                if part not in values:
                    return mark, key_mark, False, node
                mark, key_mark, node = values[part], keys[part], node[part]
        return mark, key_mark, True, node

    def mark(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The closest known position for ``path`` (walking up to a parent if needed); with
        ``key``, that of the key of the closest mapping entry."""
        mark, key_mark, _, _ = self._resolve(path)
        if key and key_mark is not None:
            return (key_mark[0], key_mark[1])
        return (mark[0], mark[1])

    def style(self, path: Path_) -> str | None:
        """How the scalar at ``path`` was written: ``'``, ``"``, ``|``, ``>`` or None."""
        mark, _, whole, _ = self._resolve(path)
        return mark[2] if whole else None

    def raw_scalar(self, path: Path_) -> str | None:
        """The source text of a scalar that became a number, boolean or null."""
        mark, _, whole, _ = self._resolve(path)
        return mark[3] if whole else None

    def problem(self, path: Path_, message: str, *, key: bool = False,
                offset: int | None = None, severity: str = "error") -> Problem:
        """A problem at ``path`` (with ``key``: at its key); with ``offset``, at that
        character of the text there, where it was written."""
        line, col = self.mark(path, key=key)
        if offset is not None and not key:
            inside = self._inside(path, offset)
            if inside is not None:
                return Problem(self.file, *inside, message, severity)
        return Problem(self.file, line, col, message, severity)

    def _inside(self, path: Path_, offset: int) -> tuple[int, int] | None:
        """Where the ``offset``-th character of the text at ``path`` was written."""
        if self.source is None:
            return None
        mark, _, whole, value = self._resolve(path)
        if not whole or not isinstance(value, str):
            return None
        from triage.pack.scalar_position import position_in_scalar
        from triage.problems import line_starts

        if self._line_starts is None:
            self._line_starts = line_starts(self.source)
        return position_in_scalar(self.source, self._line_starts, mark[0], mark[1], mark[2],
                                  value, offset)


NUMBER_START = frozenset("+-.0123456789")


def plain_scalar(value: str) -> Any:
    """A plain (unquoted) scalar: null, true, false, a decimal number, or text."""
    if value in _NULL:
        return None
    if value == "true":
        return True
    if value == "false":
        return False
    if value[0] in NUMBER_START:
        if INT.match(value):
            return int(value)
        if FLOAT.match(value):
            return exact_float(value)
    return value


def plain_source(text: str) -> bool:
    """No control or invisible formatting character in ``text``, nor any escape sequence:
    ``isprintable`` is false for every such character (and for a few harmless ones, such as
    a no-break space, which then only cost the slower check of every text)."""
    return "\\" not in text and text.replace("\n", "").replace("\t", "").isprintable()
