"""How deep and how large a condition may be (see MAX_NESTING and MAX_TREE_DEPTH in
:mod:`triage.conditions.tree`): measured without recursion, so that text too deep for Python
is a problem in the pack at its place, not a RecursionError on every command."""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from triage.conditions.tree import MAX_NESTING, MAX_TREE_DEPTH, MAX_TREE_SIZE, extent

Report = Callable[[tuple[str | int, ...], int, str], None]  # as triage.conditions.checker


def nests_too_deep(node: ast.AST) -> bool:
    """Does the parsed expression ``node`` nest deeper than MAX_NESTING?"""
    stack = [(node, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            return True
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node)
                     if isinstance(child, ast.expr))
    return False


def too_deep() -> str:
    return (f"nested more than {MAX_NESTING} levels deep (brackets, not, signs, or a chain of "
            "+ and -): split it into scores, or use all/any blocks, count() or sum()")


def bounded(node: Any, what: str, report: Report) -> Any:
    """``node``, or None after reporting it when, with the scores it uses built in, it is
    deeper or larger than every later stage can take (see MAX_TREE_DEPTH)."""
    depth, size = extent(node)
    if depth <= MAX_TREE_DEPTH and size <= MAX_TREE_SIZE:
        return node
    report((), 0, f"with the scores it uses, this {what} is "
                  + (f"nested {depth} levels deep (at most {MAX_TREE_DEPTH})"
                     if depth > MAX_TREE_DEPTH else
                     f"made of {size:,} parts (at most {MAX_TREE_SIZE:,})")
                  + ": a score built on another score builds that score in; use fewer "
                    "links, or count the answers once")
    return None
