"""Reading a condition's text: Python's parser, with a pack's problems reported at their
place instead of raised (see :mod:`triage.conditions.checker`, which checks what it reads)."""

from __future__ import annotations

import ast  # only checking a pack parses expressions; running one never imports this module
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from triage.conditions.exactness import rounded_constant
from triage.conditions.limits import nests_too_deep, too_deep
from triage.conditions.tree import Cond

Report = Callable[[tuple[str | int, ...], int, str], None]
"""report(path below the condition, column offset inside a string, message)"""


class Invalid(Exception):
    """A condition with problems, each reported already."""


Path = tuple[str | int, ...]


def every_one(check: Callable[[Any, Path], Cond], items: Sequence[Any], path: Path
              ) -> tuple[Cond, ...]:
    """Each of ``items`` checked (with its path: ``path`` and its index), all of them even
    when one has problems (each reports its own: a condition's every problem is said at
    once), then ``Invalid`` if any had."""
    parts: list[Cond] = []
    invalid = False
    for i, item in enumerate(items):
        try:
            parts.append(check(item, (*path, i)))
        except Invalid:
            invalid = True
    if invalid:
        raise Invalid
    return tuple(parts)


def parse_expression(text: str, path: tuple[str | int, ...], report: Report) -> ast.expr:
    if "\n" in text.strip():
        text = " ".join(text.split())
    try:
        with warnings.catch_warnings():
            # Python only warns about "age < 16or age > 200" (reading it as 16 or ...), on
            # stderr with no file or line: as an error it is a problem at its column
            warnings.simplefilter("error")
            tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        offset = max((exc.offset or 1) - 1, 0) + (len(text) - len(text.lstrip()))
        msg = (exc.msg or "invalid syntax").replace("invalid syntax", "cannot read this condition")
        report(path, offset, f"{msg} in '{shown(text.strip())}'")
        raise Invalid from None
    except (RecursionError, MemoryError):  # Python's parser gives up ("-" * 3000 + "x")
        report(path, 0, too_deep())
        raise Invalid from None
    if nests_too_deep(tree.body):  # before any recursive walk of the tree
        report(path, 0, too_deep())
        raise Invalid
    rounded = rounded_constant(tree, text.strip())
    if rounded is not None:
        report(path, rounded[0] + len(text) - len(text.lstrip()), rounded[1])
        raise Invalid
    return tree.body


def shown(text: str, limit: int = 200) -> str:
    """The text of an expression in a message: a long one is cut (its start locates it)."""
    return text if len(text) <= limit else text[:limit] + "..."
