"""The quick condition reader accepts only what the full checker accepts, and builds the very
same tree; everything else it leaves to the full checker."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import MINIMAL
from triage.conditions.checker import ConditionChecker, _ExprChecker
from triage.conditions.parse_text import Invalid, parse_expression
from triage.conditions.quick_reader import read_condition
from triage.conditions.tree import Answer, Cond, NumExpr, QuestionShape
from triage.pack.bundled import default_pack_dir
from triage.pack.load import load_pack

SHAPES = {
    "fever": QuestionShape("fever", "yes_no"),
    "chills": QuestionShape("chills", "yes_no"),
    "true": QuestionShape("true", "yes_no"),  # an id may be spelled like a constant
    "age": QuestionShape("age", "number", min=0, max=120),
    "area": QuestionShape("area", "single", ("neck", "low_back", "knee", "yes")),
    "problems": QuestionShape("problems", "multi", ("stiffness", "strain")),
    "broken": QuestionShape("broken", "yes_no"),
}
SCORES: dict[str, NumExpr] = {"years": Answer("age")}
UNUSUAL = frozenset({"broken", "later_score"})


def full_checker(text: str, shapes: dict[str, QuestionShape] = SHAPES,
                 scores: dict[str, NumExpr] | None = None) -> Cond | None:
    """What Python's parser and the checker make of ``text`` (None: a problem)."""
    checker = ConditionChecker(shapes, scores=scores if scores is not None else SCORES,
                               score_names=frozenset({"years", "later_score"}),
                               broken=frozenset({"broken"}))
    problems: list[str] = []

    def report(path: Any, offset: int, message: str) -> None:
        problems.append(message)

    try:
        node = _ExprChecker(checker, (), report).cond(parse_expression(text, (), report))
    except Invalid:
        return None
    return None if problems else node


def agrees(text: str) -> Cond | None:
    quick = read_condition(text, SHAPES, SCORES, UNUSUAL)
    if quick is not None:
        assert quick == full_checker(text), text
    return quick


@pytest.mark.parametrize("text", [
    "fever", "not fever", "fever == yes", "yes == fever", "fever != no", "(fever) == yes",
    "fever == True", "area == 'low_back'", 'area != "knee"', "area in [neck, knee]",
    "area not in [neck]", "stiffness in problems", "strain not in problems", "age >= 50",
    "50 <= age", "age < -1", "age == .5", "age != 10.", "years > 3",
    "true", "false", "True", "(true) == yes", "fever and chills or not age > 3",
    "fever and (chills or (age > 3 and not fever))", "((fever))", "age >= fever",
    "not not fever", "fever and chills and area == yes",
    # comparisons in parentheses, each read as one token (a group)
    "(age >= 50) and (area in [neck, knee])", "((fever == yes) or (age < 18.5))",
    "not (area not in [knee]) and (fever != no)", "(years > 3)", "(true == yes)",
])
def test_everyday_conditions_are_read_quickly_into_the_same_tree(text: str) -> None:
    assert agrees(text) is not None, f"{text!r} should be read by the quick reader"


@pytest.mark.parametrize("text", [
    "", "age", "area", "problems", "unknown", "broken", "later_score > 1", "fever == maybe",
    "age == yes", "area < neck", "18 <= age < 65", "count(fever, chills) >= 1",
    "sum(age) > 3", "age in [1, 2]", "area in []", "area in [neck,]", "area in (neck, knee)",
    "fever is True", "fever == None", "fever ==\nyes", "fever\u00a0== yes", "fever\t== yes",
    "age > 07", "age > 1e3", "age > 1_000", "age > 0x10", "age > 12345678901234567",
    "fever == 'yes\\n'", "fever # comment", "a, b", "fever ==", "(fever", "fever)",
    "-age > 3", "age > -(3)", "stiffness in area", "area in problems", "lambda: 1",
    "fever if chills else age", "fever == yes == chills", "fever and", "[fever]", "fever + 1 > 0",
    "'fever'", "3", "fever chills", "café == yes",
    "(broken == yes)", "fever and (later_score > 1)", "(age in [neck])", "(not in [neck])",
    "(age == yes)", "(area == fever) or fever", "(fever == yes) == yes",
    # digits str.isdigit() takes, which float() raised on (exit 70), and a point alone
    "age < \u00b2", "age < \u2460", "age < -\u00b2", "\u00b2 > age", "age < \u0663",
    "age < .", "age < -.", "age < .5.", "(age < \u00b2)", "age < 5\u00b2",
])
def test_anything_else_is_left_to_the_full_checker(text: str) -> None:
    assert read_condition(text, SHAPES, SCORES, UNUSUAL) is None


ATOMS = st.sampled_from(["fever", "chills", "true", "age", "area", "problems", "years",
                         "broken", "yes", "no", "neck", "knee", "stiffness", "strain", "1",
                         "50", "-3", "2.5", "'neck'", '"yes"', "True", "False", "false",
                         "[neck, knee]", "[yes]", "[]", "(fever)", "unknown"])
OPERATORS = st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "in", "not in"])


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    choice = draw(st.integers(0, 5 if depth < 3 else 1))
    if choice == 0:
        return draw(ATOMS)
    if choice == 1:
        return f"{draw(ATOMS)} {draw(OPERATORS)} {draw(ATOMS)}"
    if choice == 2:
        return f"not {draw(expressions(depth + 1))}"
    if choice == 3:
        return f"({draw(expressions(depth + 1))})"
    joiner = " and " if choice == 4 else " or "
    return joiner.join(draw(st.lists(expressions(depth + 1), min_size=2, max_size=3)))


@settings(max_examples=1500, deadline=None)
@given(expressions())
def test_generated_conditions_agree_with_the_full_checker(text: str) -> None:
    agrees(text)


# one table of leaves for every example, as a pack shares it between all its conditions:
# a comparison read once is looked up afterwards, and must give what reading it gives
SHARED_LEAVES: dict[Any, Any] = {}


@settings(max_examples=1500, deadline=None)
@given(st.lists(expressions(), min_size=1, max_size=4))
def test_comparisons_looked_up_in_a_shared_table_give_the_same_trees(texts: list[str]) -> None:
    for text in texts:
        shared = read_condition(text, SHAPES, SCORES, UNUSUAL, SHARED_LEAVES)
        assert shared == read_condition(text, SHAPES, SCORES, UNUSUAL, {}), text
        if shared is not None:
            assert shared == full_checker(text), text


@pytest.mark.parametrize("texts", [
    ["age >= 50", "age < 50", "50 <= age", "(age >= 50)", "not age >= 50 and fever"],
    ["area == neck", "area != neck", "(area == neck) or fever", "area in [neck, knee]"],
    ["fever == yes", "fever == no", "(fever == yes)", "fever != yes or (chills == yes)"],
    ["stiffness in problems", "stiffness not in problems", "(strain in problems)"],
    # a group read before is looked up whole only where it stands alone
    ["(age >= 50)", "(age >= 50) == yes", "(area in [neck]) != fever", "not (age >= 50)",
     "(fever == yes) and (age >= 50) or (area in [neck])"],
])
def test_each_comparison_is_read_once_per_table_and_stays_itself(texts: list[str]) -> None:
    leaves: dict[Any, Any] = {}
    for text in texts + texts[::-1]:
        assert read_condition(text, SHAPES, SCORES, UNUSUAL, leaves) == full_checker(text), text


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["fever", "age", "area", "neck", "==", "<", "in", "not", "and",
                                 "or", "(", ")", "[", "]", ",", "-", "1", "'", "is", "  ",
                                 "yes", "count", "+", "\t", ".", "\u00b2", "5.", ".5"]),
                max_size=12))
def test_token_soup_never_gets_a_different_tree(tokens: list[str]) -> None:
    agrees(" ".join(tokens))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*"0123456789", ".", "-", "_", "e", "\u00b2", "\u2460",
                                 "\u0663", "\uff18"]), min_size=1, max_size=20).map("".join))
def test_any_number_text_gets_the_tree_of_the_full_checker_or_none(number: str) -> None:
    """A number is read by the one reading of numbers (triage.untrusted) or left to the
    full checker: never float() of a token str.isdigit() took ("²": exit 70)."""
    for text in (f"age < {number}", f"age >= -{number}", f"({number} <= age)"):
        agrees(text)


def rule_conditions(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.yaml")):
        found += re.findall(r"""(?:when|ask_if): "(.*)"$""", path.read_text(), re.MULTILINE)
    return found


@pytest.mark.parametrize("folder", [default_pack_dir(), MINIMAL], ids=["clinical", "minimal"])
def test_every_condition_of_a_pack_agrees(folder: Path) -> None:
    pack = load_pack(folder, use_cache=False)
    texts = rule_conditions(folder)
    assert texts
    read = 0
    leaves: dict[Any, Any] = {}  # shared by all, as when the pack is loaded
    for text in texts:
        quick = read_condition(text, pack.shapes, {}, frozenset())
        assert read_condition(text, pack.shapes, {}, frozenset(), leaves) == quick, text
        if quick is not None:
            read += 1
            assert quick == full_checker(text, pack.shapes, {}), text
    assert read, "the quick reader should read some of the pack's conditions"
