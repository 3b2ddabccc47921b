"""Numbers in conditions that compare exactly, as written (H40 in docs/clinical-safety.md).

Answers and constants are floats. Rounding a decimal to a float keeps the order of two
numbers but not always their difference (45.0000000000000001 and 45 are both the float
45.0), so a float comparison is the comparison of the numbers written exactly when each
float is its number's shortest form (:func:`triage.untrusted.exact_float`: a number written
with more digits is a :class:`~triage.untrusted.Rounded`, refused as an answer and here as a
constant); and a sum is exact when it adds whole numbers only (0.1 + 0.2 is not 0.3 in
floats). Checking a pack only: running one never imports this module.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping

from triage.conditions.tree import Answer, Number, NumExpr, QuestionShape, Sum
from triage.untrusted import EXACT_DIGITS, Rounded, exact_float


def too_precise(written: str = "") -> str:
    """The problem with a constant written with more digits than its float keeps."""
    return (f"the number {written or 'given'} has more digits than can be compared exactly "
            f"(at most {EXACT_DIGITS} significant digits)")


def rounded_constant(tree: ast.AST, text: str) -> tuple[int, str] | None:
    """(column in ``text``, problem) of the first number in a parsed expression that its
    float does not keep, else None."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, float):
            written = ast.get_source_segment(text, node) or ""
            if isinstance(exact_float(written), Rounded):
                return node.col_offset, too_precise(written)
    return None


def adds_a_decimal(total: Sum, questions: Mapping[str, QuestionShape]) -> bool:
    """Whether ``total`` adds a decimal answer or constant (through its sums and scores; a
    count adds whole numbers)."""
    return any((isinstance(n, Answer) and not questions[n.question].integer)
               or (isinstance(n, Number) and not float(n.value).is_integer())
               for n in _terms(total))


def _terms(node: NumExpr) -> Iterator[NumExpr]:
    if isinstance(node, Sum):
        for item in node.items:
            yield from _terms(item)
    else:
        yield node
