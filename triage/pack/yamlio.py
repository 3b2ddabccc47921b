"""The one module that reads YAML.

PyYAML's own constructors follow YAML 1.1 (``no`` is ``False``, ``1.10`` is ``1.1``), accept
duplicate keys and expand aliases, so documents are built here from parser events instead:

* only ``true``/``false`` are booleans, only plain decimal numbers are numbers;
* duplicate keys, anchors, aliases and explicit tags (``!!python/...``) are problems;
* size, nesting depth, encoding and tab problems are reported with ``file:line:col``;
* every key and value keeps its position so later checks can point at it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from triage.i18n_said import Said
from triage.pack.quick_yaml import quick_document
from triage.pack.yamldoc import (
    FLOAT,
    INT,
    MAX_NUMBER_CHARS,
    NUMBER_START,
    Mark,
    Path_,
    YamlDocument,
    plain_scalar,
    plain_source,
)
from triage.problems import Problem, display_path
from triage.text import unsafe_characters
from triage.untrusted import InputError, read_regular_file

MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 40

# libyaml's parser is several times faster; only its event stream is used, never a constructor
_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_DEFAULT_TAGS = frozenset({None, "!"})


_KEY_TYPES = (str, int, float, bool)

def _build(parser: Any, file: str, problems: list[Problem]) -> YamlDocument:
    """Build the first document from the parser's events, without recursion (depth is
    untrusted); later documents are read only for their syntax errors."""
    doc = YamlDocument(file, None)
    marks = doc.marks
    get_event = parser.get_event
    no_key: Any = _NO_KEY
    stack: list[tuple[Any, Any, Any, Any]] = []
    # the container being filled, its value marks, its key positions (mappings), pending key
    container: Any = None
    entries: Any = None
    keys: Any = None
    key: Any = no_key
    depth_reported = False
    documents = 0

    def problem(event: Any, message: str) -> None:
        problems.append(Problem(file, event.start_mark.line + 1, event.start_mark.column + 1,
                                message))

    while True:
        event = get_event()
        kind = event.__class__
        if kind is _ScalarEvent or kind is _AliasEvent:
            start = event.start_mark
            if kind is _AliasEvent:
                problem(event, f"aliases (*{event.anchor}) are not allowed: write the value out")
                value: Any = None
                mark: Mark = (start.line + 1, start.column + 1, None, None)
            else:
                if event.anchor is not None or event.tag not in _DEFAULT_TAGS:
                    _check_node(event, problem)
                text = event.value
                style = event.style or None  # libyaml: '' for plain, else the quote or | >
                if style is not None:  # quoted or block scalar: always text
                    mark = (start.line + 1, start.column + 1, style, None)
                    value = text
                elif len(text) > MAX_NUMBER_CHARS and text[0] in NUMBER_START \
                        and (INT.match(text) or FLOAT.match(text)):
                    problem(event, f"a number longer than {MAX_NUMBER_CHARS} characters")
                    value = None
                    mark = (start.line + 1, start.column + 1, None, text[:MAX_NUMBER_CHARS])
                else:
                    value = plain_scalar(text)
                    mark = (start.line + 1, start.column + 1, None,
                            None if value.__class__ is str else text)
        elif kind is _MappingStartEvent or kind is _SequenceStartEvent:
            start = event.start_mark
            if event.anchor is not None or event.tag not in _DEFAULT_TAGS:
                _check_node(event, problem)
            if len(stack) >= MAX_DEPTH and not depth_reported:
                problem(event, f"nesting is deeper than {MAX_DEPTH} levels")
                depth_reported = True
            mark = (start.line + 1, start.column + 1, None, None)
            if kind is _MappingStartEvent:
                value = {}
                table: Any = ({}, {})
            else:
                value = []
                table = []
            marks[id(value)] = table
        elif kind is _MappingEndEvent or kind is _SequenceEndEvent:
            container, entries, keys, key = stack.pop()
            continue
        elif kind is _DocumentStartEvent:
            documents += 1
            if documents > 1:
                problem(event, "only one YAML document per file (remove the '---')")
                while get_event().__class__ is not _StreamEndEvent:
                    pass  # the rest is read for its syntax errors only
                return doc
            continue
        elif kind is _StreamEndEvent:
            return doc
        else:  # stream start, document end
            continue

        # attach the value to the container being filled
        if container is None:
            doc.data, doc.root_mark = value, mark
        elif entries.__class__ is list:
            container.append(value)
            entries.append(mark)
        elif key is no_key:  # the value is a mapping key
            name = value
            if name.__class__ not in _KEY_TYPES:  # null, a list or a mapping
                problem(event, "mapping keys must be plain text")
                name = f"<key {mark[0]}:{mark[1]}>"
            elif name.__class__ is not str:
                name = str(name)
            if name in container:
                problem(event, Said("duplicate_key", name=name))
                name = f"{name}\x00dup{mark[0]}:{mark[1]}"
            keys[name] = mark
            key = name
            if kind is _ScalarEvent or kind is _AliasEvent:
                continue
            # a list or mapping as a key: its items fill it (it is then dropped)
        else:
            container[key] = value
            entries[key] = mark
            key = no_key
        if kind is _MappingStartEvent or kind is _SequenceStartEvent:
            stack.append((container, entries, keys, key))
            container = value
            if kind is _MappingStartEvent:
                entries, keys, key = table[0], table[1], no_key
            else:
                entries, keys, key = table, None, no_key


class _NoKey:
    pass


_NO_KEY = _NoKey()
_ScalarEvent = yaml.ScalarEvent
_AliasEvent = yaml.AliasEvent
_MappingStartEvent = yaml.MappingStartEvent
_SequenceStartEvent = yaml.SequenceStartEvent
_MappingEndEvent = yaml.MappingEndEvent
_SequenceEndEvent = yaml.SequenceEndEvent
_DocumentStartEvent = yaml.DocumentStartEvent
_StreamEndEvent = yaml.StreamEndEvent


def _check_node(event: Any, problem: Any) -> None:
    if getattr(event, "anchor", None):
        problem(event, f"anchors (&{event.anchor}) are not allowed: write the value out")
    if event.tag not in _DEFAULT_TAGS:
        tag = str(event.tag).replace("tag:yaml.org,2002:", "!!")
        problem(event, f"tags ({tag}) are not allowed")


def _decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        bad = raw[exc.start : exc.start + 1].hex().upper()
        return None, [Problem(file, line, col,
                              Said("file_not_utf8", byte=bad))]


def _friendly(problem: str, text: str, line: int, col: int) -> str:
    lines = text.splitlines()
    at = lines[line - 1][col - 1 : col] if 0 < line <= len(lines) else ""
    if at == "\t" or "\\t" in problem:
        return Said("yaml_tabs")
    return problem


def parse_yaml_text(text: str, file: str, *, quick: bool = True,
                    ) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse YAML text into a located document, or report why not (``quick``: files in the
    everyday shape through triage.pack.quick_yaml, which builds the very same document)."""
    if quick:
        doc = quick_document(text, file)
        if doc is not None:
            doc.source = text
            return doc, []
    problems: list[Problem] = []
    parser = _Parser(text)
    try:
        doc = _build(parser, file, problems)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _within(text, *((mark.line + 1, mark.column + 1) if mark else (1, 1)))
        reason = _friendly(exc.problem or str(exc), text, line, col)
        return None, [*problems, Problem(file, line, col, Said("invalid_yaml", reason=reason))]
    except yaml.YAMLError as exc:  # ReaderError: control characters and the like
        return None, [Problem(file, 1, 1, f"invalid YAML: {exc}".splitlines()[0])]
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose:
            dispose()
    doc.plain_source = plain_source(text)
    doc.source = text
    return doc, problems


def _within(text: str, line: int, col: int) -> tuple[int, int]:
    """A position the file has: a mistake at the very end of a file is reported by the
    parser on the line after its last one (an editor asked for it goes elsewhere); it is
    placed at the end of the last line."""
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()  # (the "line" after the final line break is no line of the file)
    if line <= len(lines) or not lines:
        return line, col
    return len(lines), len(lines[-1]) + 1


def load_yaml_file(path: Path, *, max_bytes: int = MAX_FILE_BYTES,
                   shown_as: str | None = None) -> tuple[YamlDocument | None, list[Problem]]:
    """Read and parse one YAML file; never raises for bad content."""
    file = shown_as or display_path(path)
    try:
        raw = read_regular_file(path, max_bytes)
    except InputError as exc:
        return None, [Problem(file, 1, 1, exc.message)]
    return parse_yaml_bytes(raw, file, max_bytes=max_bytes)


def parse_yaml_bytes(raw: bytes, file: str, *, max_bytes: int = MAX_FILE_BYTES,
                     ) -> tuple[YamlDocument | None, list[Problem]]:
    if len(raw) > max_bytes:
        return None, [Problem(file, 1, 1, f"the file is too large ({len(raw):,} bytes; "
                                          f"the limit is {max_bytes:,})")]
    text, problems = _decode(raw, file)
    if text is None:
        return None, problems
    if "\x00" in text:
        return None, [Problem(file, 1, 1, Said("file_nul"))]
    return parse_yaml_text(text, file)


def control_character_problems(doc: YamlDocument) -> list[Problem]:
    """Every text of a pack document holding a control or invisible formatting character
    (escape sequences such as ``"\\e[2J"`` in double quotes, bidirectional overrides): pack
    texts reach every screen and report, so they must be plain. Line breaks and tabs are
    allowed."""
    if doc.plain_source:  # the common case: one look at the whole source instead
        return []
    problems: list[Problem] = []
    stack: list[tuple[Any, Path_]] = [(doc.data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                bad = unsafe_characters(key) if isinstance(key, str) else []
                if bad and "\x00dup" not in key:
                    problems.append(doc.problem((*path, key), _control_message(bad), key=True))
                stack.append((value, (*path, key)))
        elif isinstance(node, list):
            stack.extend((item, (*path, i)) for i, item in enumerate(node))
        elif isinstance(node, str):
            bad = unsafe_characters(node)
            if bad:
                problems.append(doc.problem(path, _control_message(bad)))
    return sorted(problems)


def _control_message(bad: list[str]) -> str:
    return (f"control characters ({', '.join(bad)}) are not allowed in a pack: they could "
            f"change what a terminal shows; remove them")
