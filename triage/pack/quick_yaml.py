"""A quick reader for the everyday shape of pack files: block mappings and lists of
``key: value`` lines, one-line flow mappings and lists, plain and quoted scalars.

A pack of thousands of rules is mostly such lines, and reading them line by line with a few
regular expressions takes a fraction of the time libyaml's event stream takes to come into
Python. The reader is strict: anything outside that shape (a comment after a value, a quoted
key, a value spread over several lines, a block scalar, an anchor, a tag, a tab, an empty
value, a duplicate key, odd spacing in a flow collection, any character that does not print
plainly or a backslash anywhere) makes it return None, and the file is read by
:func:`triage.pack.yamlio.parse_yaml_text` the ordinary way, which also words every problem.
So this reader never reports a problem, and for any file it accepts it builds exactly the
document the ordinary way builds, values and positions alike: the tests compare the two on
every YAML file of the repository, on generated packs and on generated and broken documents.
"""

from __future__ import annotations

import re
from typing import Any

from triage.pack.yamldoc import (
    MAX_NUMBER_CHARS,
    NUMBER_START,
    LazyFlowMarks,
    Mark,
    YamlDocument,
    plain_scalar,
    plain_source,
)

_MAX_DEPTH = 20  # deeper than any pack needs: left to the ordinary reader and its limit

_KEY = r"[A-Za-z_][A-Za-z0-9_]*"
_QUOTED = r'"[^"\\]*"|\'[^\']*\''
# a plain scalar: starts with a letter, digit or _, never holds ': ' or ' #' (neither ':' nor
# '#' is allowed at all), never ends with a space
_PLAIN = r"[A-Za-z0-9_](?:[A-Za-z0-9_ .,;()/+-]*[A-Za-z0-9_.;()/+-])?"
_FLOW_PLAIN = r"[A-Za-z0-9_](?:[A-Za-z0-9_ .;()/+-]*[A-Za-z0-9_.;()/+-])?"  # no ','
_FLOW_VALUE = f"(?:{_QUOTED}|{_FLOW_PLAIN})"
_FLOW_MAP = rf"\{{(?:{_KEY}: {_FLOW_VALUE}(?:, {_KEY}: {_FLOW_VALUE})*)?\}}"
_FLOW_LIST = rf"\[(?:{_FLOW_VALUE}(?:, {_FLOW_VALUE})*)?\]"
_VALUE = f"{_QUOTED}|{_FLOW_MAP}|{_FLOW_LIST}|{_PLAIN}"

# indent, "- " or not, then a key with or without its value on the line, or a bare value
_LINE = re.compile(rf"( *)(- )?(?:({_KEY}):(?: ({_VALUE}))?|({_VALUE}))\Z")
_FLOW_ITEM = re.compile(rf"(?:({_KEY}): )?({_FLOW_VALUE})(?:, |[}}\]])")
_SKIP = re.compile(r" *(#.*)?\Z")  # blank lines and whole-line comments
_KEYWORDS = frozenset({"true", "false", "null"})  # keys that are not plain text


class _Unusual(Exception):
    """Not the everyday shape: let the ordinary reader read it."""


class _Frame:
    """An open block mapping or list: its indent, where its values go and their marks."""

    __slots__ = ("data", "entries", "indent", "keys", "pending")

    def __init__(self, indent: int, data: Any, entries: Any, keys: Any) -> None:
        self.indent = indent
        self.data = data
        self.entries = entries
        self.keys = keys  # None for a list
        self.pending: str | None = None  # a key whose value starts on the next line


def quick_document(text: str, file: str) -> YamlDocument | None:
    """The document of ``text`` if it is in the everyday shape, else None."""
    if "\t" in text or "\r" in text or not plain_source(text):
        return None
    try:
        return _read(text, file)
    except _Unusual:
        return None


def _scalar(raw: str) -> tuple[Any, str | None, str | None]:
    """(value, style, source text kept in the mark) of a scalar written ``raw``."""
    first = raw[0]
    if first == '"' or first == "'":
        return raw[1:-1], first, None
    if len(raw) > MAX_NUMBER_CHARS and first in NUMBER_START:
        raise _Unusual  # perhaps a number too long: the ordinary reader says so
    value = plain_scalar(raw)
    return value, None, None if value.__class__ is str else raw


Flow = tuple[bool, tuple[tuple[str | None, Any, int, int, str | None, str | None], ...], Any]


def _flow(raw: str) -> Flow:
    """A one-line flow mapping or list, already matched by _LINE: whether it is a mapping,
    per item (key, value, key offset, value offset, style, source text of the value), and
    the mapping or list itself (copied for each place it is written)."""
    mapping = raw[0] == "{"
    items = []
    pos = 1
    for item in _FLOW_ITEM.finditer(raw, 1):
        if item.start() != pos:
            raise _Unusual
        pos = item.end()
        key = item.group(1)
        if (key is None) == mapping or key in _KEYWORDS:
            raise _Unusual
        value, style, source = _scalar(item.group(2))
        items.append((key, value, item.start(1), item.start(2), style, source))
    if pos != len(raw) and raw[1:] != ("}" if mapping else "]"):
        raise _Unusual
    if mapping and len({key for key, *_ in items}) != len(items):
        raise _Unusual  # a duplicate key
    data: Any = ({key: value for key, value, *_ in items} if mapping
                 else [value for _, value, *_ in items])
    return mapping, tuple(items), data


class _Reader:
    """Reads one document; a pack repeats its flow collections and short values again and
    again (``source: {...}``, ``points: {...}``), so each distinct one is worked out once."""

    def __init__(self, doc: YamlDocument) -> None:
        self.marks = doc.marks
        self.scalars: dict[str, tuple[Any, str | None, str | None]] = {}
        self.flows: dict[str, Flow] = {}

    def value(self, raw: str, line: int, col: int) -> tuple[Any, Mark]:
        first = raw[0]
        if first != "{" and first != "[":
            found = self.scalars.get(raw)
            if found is None:
                found = self.scalars[raw] = _scalar(raw)
            return found[0], (line, col, found[1], found[2])
        flow = self.flows.get(raw)
        if flow is None:
            flow = self.flows[raw] = _flow(raw)
        mapping, items, template = flow
        data = template.copy()  # (its values are scalars: immutable)
        self.marks[id(data)] = LazyFlowMarks(line, col, mapping, items)
        return data, (line, col, None, None)


def _read(text: str, file: str) -> YamlDocument:
    doc = YamlDocument(file, None, plain_source=True)
    marks = doc.marks
    reader = _Reader(doc)
    value_of = reader.value
    scalars = reader.scalars
    stack: list[_Frame] = []
    top: Any = None
    match = _LINE.match
    for number, line in enumerate(text.split("\n"), 1):
        m = match(line)
        if m is None:
            if _SKIP.match(line):
                continue
            raise _Unusual
        indent_text, dash, key, value_text, bare = m.groups()
        indent = len(indent_text)
        if dash is None:
            if key is None:
                raise _Unusual  # a bare value outside a list
            # the common case: one more key of the mapping being filled
            if top is None or top.indent != indent or top.keys is None \
                    or top.pending is not None:
                _open_mapping(stack, indent, number, marks, doc)
                top = stack[-1]
        else:
            if top is not None and top.indent == indent + 2 and top.pending is None \
                    and stack[-2].keys is None:
                # the common case: the next item of the list being filled (a mapping two
                # deeper than a "- " line, inside a list, is an item of that list)
                stack.pop()
                top = stack[-1]
            else:
                _open_list(stack, indent, number, marks)
                top = stack[-1]
            if key is None:  # "- value"
                value, mark = value_of(bare, number, indent + 3)
                top.data.append(value)
                top.entries.append(mark)
                continue
            item: dict[str, Any] = {}  # "- key: ...": a mapping as the item
            table: Any = ({}, {})
            marks[id(item)] = table
            top.data.append(item)
            top.entries.append((number, indent + 3, None, None))
            indent += 2
            top = _Frame(indent, item, table[0], table[1])
            stack.append(top)
            if len(stack) > _MAX_DEPTH:
                raise _Unusual
        data = top.data
        if key in data or key in _KEYWORDS:
            raise _Unusual
        top.keys[key] = (number, indent + 1, None, None)
        if value_text is None:
            top.pending = key
            data[key] = None  # a place holder, so that a duplicate is seen
            continue
        first = value_text[0]
        if first == '"' or first == "'":  # (as _scalar: a quoted text, most often unique)
            data[key] = value_text[1:-1]
            top.entries[key] = (number, indent + len(key) + 3, first, None)
            continue
        found = scalars.get(value_text)  # (the same as value_of, for the common case)
        if found is not None:
            data[key] = found[0]
            top.entries[key] = (number, indent + len(key) + 3, found[1], found[2])
        else:
            data[key], top.entries[key] = value_of(value_text, number, indent + len(key) + 3)
    if not stack or any(frame.pending is not None for frame in stack):
        raise _Unusual  # nothing at all, or a key with nothing after it
    return doc


def _close_deeper(stack: list[_Frame], indent: int) -> None:
    while stack and stack[-1].indent > indent:
        if stack.pop().pending is not None:
            raise _Unusual  # a key with an empty value


def _open_mapping(stack: list[_Frame], indent: int, line: int, marks: dict[int, Any],
                  doc: YamlDocument) -> None:
    """Make the frame on top the mapping a key line at ``indent`` belongs to."""
    _close_deeper(stack, indent)
    if not stack:
        if indent != 0 or doc.data is not None:
            raise _Unusual
        data: dict[str, Any] = {}
        table: Any = ({}, {})
        marks[id(data)] = table
        doc.data, doc.root_mark = data, (line, 1, None, None)
        stack.append(_Frame(0, data, table[0], table[1]))
        return
    top = stack[-1]
    if top.indent == indent and top.keys is not None and top.pending is None:
        return
    _nest(stack, top, indent, line, marks, mapping=True)


def _open_list(stack: list[_Frame], indent: int, line: int, marks: dict[int, Any]) -> None:
    """Make the frame on top the list a "- " line at ``indent`` belongs to."""
    _close_deeper(stack, indent)
    if not stack:
        raise _Unusual  # a list as the whole document
    top = stack[-1]
    if top.indent == indent and top.keys is None:
        return
    _nest(stack, top, indent, line, marks, mapping=False)


def _nest(stack: list[_Frame], top: _Frame, indent: int, line: int, marks: dict[int, Any],
          *, mapping: bool) -> None:
    """A block mapping or list as the value of the key waiting on the line before."""
    key = top.pending
    if key is None or top.keys is None or indent <= top.indent:
        raise _Unusual
    data: Any = {} if mapping else []
    table: Any = ({}, {}) if mapping else []
    marks[id(data)] = table
    top.data[key] = data  # (over its place holder)
    top.entries[key] = (line, indent + 1, None, None)
    top.pending = None
    stack.append(_Frame(indent, data, table[0], table[1]) if mapping
                 else _Frame(indent, data, table, None))
    if len(stack) > _MAX_DEPTH:
        raise _Unusual
