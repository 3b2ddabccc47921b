"""How deep and how large a condition may be (see MAX_NESTING and MAX_TREE_DEPTH in
:mod:`triage.conditions.tree`): measured without recursion, so that text too deep for Python
is a problem in the pack at its place, not a RecursionError on every command."""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from triage.conditions.tree import (
    MAX_NESTING,
    MAX_TREE_DEPTH,
    MAX_TREE_SIZE,
    And,
    Compare,
    Count,
    Not,
    Or,
    Sum,
    extent,
)

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
    if _walked_within(node, MAX_TREE_DEPTH):  # (most are small: none is deeper than large)
        return node
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


def _walked_within(node: Any, most: int) -> bool:
    """Whether a walk of ``node`` meets at most ``most`` nodes (a shared one each time):
    its size as :func:`~triage.conditions.tree.extent` counts it (parts as
    :func:`~triage.conditions.tree.parts_of` gives them), found cheaply when small
    (measuring the extent of each of a large pack's conditions took a fifth of its build)."""
    stack = [node]
    met = 0
    while stack:
        met += 1
        if met > most:
            return False
        node = stack.pop()
        kind = node.__class__  # (what parts_of does, with no isinstance chain per node)
        if kind in _WITH_ITEMS:
            stack += node.items
        elif kind is Not:
            stack.append(node.item)
        elif kind is Compare:
            stack += (node.left, node.right)
    return True


_WITH_ITEMS = frozenset({And, Or, Count, Sum})
