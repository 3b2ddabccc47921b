"""The one module that reads YAML.

PyYAML's own constructors follow YAML 1.1 (``no`` is ``False``, ``1.10`` is ``1.1``), accept
duplicate keys and expand aliases, so documents are built here from parser events instead:

* only ``true``/``false`` are booleans, only plain decimal numbers are numbers;
* duplicate keys, anchors, aliases and explicit tags (``!!python/...``) are problems;
* size, nesting depth, encoding and tab problems are reported with ``file:line:col``;
* every key and value keeps its position so later checks can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from triage.problems import Problem, display_path

MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 40

# libyaml's parser is several times faster; only its event stream is used, never a constructor
_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple[str | int, ...]

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\Z"
                    r"|[-+]?[0-9]+[eE][-+]?[0-9]+\Z")
_NULL = frozenset({"", "~", "null"})
_DEFAULT_TAGS = frozenset({None, "!"})


@dataclass
class YamlDocument:
    """Plain data (dict/list/str/int/float/bool/None) plus where each part came from."""

    file: str
    data: Any
    # path -> (line, col) of the value (1-based); for mapping entries also of the key
    value_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # for single-line plain or quoted scalars: column offset of character 0 of the value
    scalar_styles: dict[Path_, str | None] = field(default_factory=dict)
    # source text of scalars that became numbers, booleans or null (for "did you mean text?")
    raw_scalars: dict[Path_, str] = field(default_factory=dict)

    def mark(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The closest known position for ``path`` (walking up to a parent if needed)."""
        probe = tuple(path)
        while True:
            if key and probe in self.key_marks:
                return self.key_marks[probe]
            if probe in self.value_marks:
                return self.value_marks[probe]
            if not probe:
                return (1, 1)
            probe = probe[:-1]

    def problem(self, path: Path_, message: str, *, key: bool = False, offset: int = 0,
                severity: str = "error") -> Problem:
        line, col = self.mark(path, key=key)
        if offset and self.scalar_styles.get(tuple(path)) in ("'", '"'):
            offset += 1  # the opening quote
        return Problem(self.file, line, col + offset, message, severity)


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.doc = YamlDocument(file, None)

    def _problem(self, mark: Any, message: str) -> None:
        self.problems.append(Problem(self.file, mark.line + 1, mark.column + 1, message))

    def _check_node(self, event: Any) -> None:
        if getattr(event, "anchor", None):
            self._problem(event.start_mark,
                          f"anchors (&{event.anchor}) are not allowed: write the value out")
        if event.tag not in _DEFAULT_TAGS:
            tag = str(event.tag).replace("tag:yaml.org,2002:", "!!")
            self._problem(event.start_mark, f"tags ({tag}) are not allowed")

    def scalar(self, event: Any) -> Any:
        value: str = event.value
        if event.style:  # quoted or block scalar: always text
            return value
        if value in _NULL:
            return None
        if value == "true":
            return True
        if value == "false":
            return False
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value):
            return float(value)
        return value

    def build(self, events: list[Any]) -> Any:
        """Build one document from its node events without recursion (depth is untrusted)."""
        pos = 0
        root: list[Any] = []
        # stack entries: (container, path, pending_key or sentinel)
        stack: list[tuple[Any, Path_, Any]] = [(root, (), None)]
        no_key = object()
        depth_reported = False

        def attach(value: Any, event: Any, style: str | None) -> Path_:
            container, path, pending = stack[-1]
            mark = (event.start_mark.line + 1, event.start_mark.column + 1)
            if container is root:
                root.append(value)
                self.doc.value_marks[()] = mark
                self.doc.scalar_styles[()] = style
                return ()
            if isinstance(container, list):
                child: Path_ = (*path, len(container))
                container.append(value)
                self.doc.value_marks[child] = mark
                self.doc.scalar_styles[child] = style
                return child
            # mapping: alternate between key and value
            if pending is no_key:
                if not isinstance(value, str | int | float | bool) or value is None:
                    self._problem(event.start_mark, "mapping keys must be plain text")
                    value = f"<key {mark[0]}:{mark[1]}>"
                key = str(value) if not isinstance(value, str) else value
                if key in container:
                    self._problem(event.start_mark, f"duplicate key '{key}'")
                    key = f"{key}\x00dup{mark[0]}:{mark[1]}"
                self.doc.key_marks[(*path, key)] = mark
                stack[-1] = (container, path, key)
                return (*path, key)
            child = (*path, pending)
            container[pending] = value
            self.doc.value_marks.setdefault(child, mark)
            self.doc.scalar_styles[child] = style
            stack[-1] = (container, path, no_key)
            return child

        while pos < len(events):
            event = events[pos]
            pos += 1
            if isinstance(event, yaml.AliasEvent):
                self._problem(event.start_mark,
                              f"aliases (*{event.anchor}) are not allowed: write the value out")
                attach(None, event, None)
            elif isinstance(event, yaml.ScalarEvent):
                self._check_node(event)
                style = event.style if event.style in ("'", '"') else None
                if event.style in ("|", ">"):
                    style = event.style
                value = self.scalar(event)
                child_path = attach(value, event, style)
                if not isinstance(value, str):
                    self.doc.raw_scalars[child_path] = event.value
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                self._check_node(event)
                new: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                if len(stack) > MAX_DEPTH and not depth_reported:
                    self._problem(event.start_mark,
                                  f"nesting is deeper than {MAX_DEPTH} levels")
                    depth_reported = True
                child_path = attach(new, event, None)
                stack.append((new, child_path, no_key if isinstance(new, dict) else None))
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                stack.pop()
        return root[0] if root else None


def _decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        bad = raw[exc.start : exc.start + 1].hex().upper()
        return None, [Problem(file, line, col,
                              f"the file is not UTF-8 text (byte 0x{bad}); save it as UTF-8")]


def _friendly(problem: str, text: str, line: int, col: int) -> str:
    lines = text.splitlines()
    at = lines[line - 1][col - 1 : col] if 0 < line <= len(lines) else ""
    if at == "\t" or "\\t" in problem:
        return "tab characters cannot be used for indentation in YAML; use spaces"
    return problem


def parse_yaml_text(text: str, file: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse YAML text into a located document, or report why not."""
    builder = _Builder(file)
    parser = _Parser(text)
    events: list[Any] = []
    documents = 0
    try:
        while True:
            event = parser.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                break
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    builder._problem(event.start_mark,
                                     "only one YAML document per file (remove the '---')")
                continue
            if isinstance(event, yaml.StreamStartEvent | yaml.DocumentEndEvent):
                continue
            if documents == 1:
                events.append(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = _friendly(exc.problem or str(exc), text, line, col)
        return None, [*builder.problems, Problem(file, line, col, f"invalid YAML: {reason}")]
    except yaml.YAMLError as exc:  # ReaderError: control characters and the like
        return None, [Problem(file, 1, 1, f"invalid YAML: {exc}".splitlines()[0])]
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose:
            dispose()
    builder.doc.data = builder.build(events)
    return builder.doc, builder.problems


def load_yaml_file(path: Path, *, max_bytes: int = MAX_FILE_BYTES,
                   shown_as: str | None = None) -> tuple[YamlDocument | None, list[Problem]]:
    """Read and parse one YAML file; never raises for bad content."""
    file = shown_as or display_path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, [Problem(file, 1, 1, f"the file is too large ({size:,} bytes; "
                                              f"the limit is {max_bytes:,})")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(file, 1, 1, f"cannot read the file: {exc.strerror or exc}")]
    return parse_yaml_bytes(raw, file)


def parse_yaml_bytes(raw: bytes, file: str) -> tuple[YamlDocument | None, list[Problem]]:
    text, problems = _decode(raw, file)
    if text is None:
        return None, problems
    if "\x00" in text:
        return None, [Problem(file, 1, 1, "the file contains NUL bytes; it is not a text file")]
    return parse_yaml_text(text, file)
