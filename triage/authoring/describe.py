"""Checked conditions written back as the short expressions authors write.

Used by explain, coverage and graph to name a comparison (``age >= 55``,
``count(worry, low_mood) >= 2``); scores appear expanded, as the checker inlines them.
"""

from __future__ import annotations

from triage.conditions.tree import (
    And,
    Answer,
    Compare,
    Cond,
    Const,
    Count,
    Has,
    Is,
    Not,
    Number,
    NumExpr,
)


def number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def num_text(node: NumExpr) -> str:
    if isinstance(node, Number):
        return number_text(node.value)
    if isinstance(node, Answer):
        return node.question
    if isinstance(node, Count):
        if len(node.items) == 1 and isinstance(node.items[0], Is) \
                and node.items[0].options == frozenset({"yes"}) and not node.items[0].negate:
            return node.items[0].question  # a yes/no question used as 0/1
        return "count(" + ", ".join(cond_text(i) for i in node.items) + ")"
    return "sum(" + ", ".join(num_text(i) for i in node.items) + ")"


def cond_text(node: Cond, top: bool = True) -> str:
    """``node`` as an expression string (parenthesised where it nests)."""
    if isinstance(node, Const):
        return "true" if node.value else "false"
    if isinstance(node, Is):
        opts = sorted(node.options)
        if opts == ["yes"] and not node.negate:
            return node.question
        if len(opts) == 1:
            return f"{node.question} {'!=' if node.negate else '=='} {opts[0]}"
        return f"{node.question} {'not in' if node.negate else 'in'} [{', '.join(opts)}]"
    if isinstance(node, Has):
        return f"{node.option} {'not in' if node.negate else 'in'} {node.question}"
    if isinstance(node, Compare):
        return f"{num_text(node.left)} {node.op} {num_text(node.right)}"
    if isinstance(node, Not):
        return f"not {cond_text(node.item, top=False)}"
    joiner = " and " if isinstance(node, And) else " or "
    text = joiner.join(cond_text(i, top=False) for i in node.items)
    return text if top else f"({text})"

