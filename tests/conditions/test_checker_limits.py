"""Conditions and scores that nest too deep, expand too far, or that Python only warns about
are problems in the pack at their own place, never a RecursionError ("internal error" on
every command), minutes of work per answer set, or a SyntaxWarning on stderr (audit
"inputs" B4, D2)."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conditions.test_quick_reader import SCORES, SHAPES, UNUSUAL
from tests.conditions.test_to_kleene import conditions
from tests.conftest import REPO_ROOT
from tests.pack.test_validate import problems_of
from triage.conditions.checker import ConditionChecker
from triage.conditions.limits import _walked_within
from triage.conditions.quick_reader import read_condition
from triage.conditions.tree import (
    MAX_NESTING,
    MAX_TREE_DEPTH,
    MAX_TREE_SIZE,
    And,
    Answer,
    Not,
    Sum,
    extent,
)

DEEP = {
    "not": "not " * 1000 + "fever",
    "brackets": "(" * 1000 + "fever" + ")" * 1000,
    "signs": "-" * 3000 + "age > 3",
    "a chain of +": "1+" * 2000 + "1 > age",
    "not, just over the limit": "not " * MAX_NESTING + "fever",
}


def checked(text: Any, scores: dict[str, Any] | None = None,
            numeric: bool = False) -> tuple[Any, list[tuple[int, str]]]:
    checker = ConditionChecker(SHAPES, scores=scores if scores is not None else SCORES,
                               score_names=frozenset(scores or SCORES))
    problems: list[tuple[int, str]] = []

    def report(path: Any, offset: int, message: str) -> None:
        problems.append((offset, message))

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning that escaped would fail the test
        node = (checker.numeric if numeric else checker.condition)(text, report)
    return node, problems


@pytest.mark.parametrize("name", sorted(DEEP))
def test_deep_text_is_a_problem_not_a_recursion_error(name: str) -> None:
    node, problems = checked(DEEP[name])
    assert node is None
    ((_, message),) = problems
    assert "nested more than 40 levels deep" in message or \
        "too many nested parentheses" in message
    assert len(message) < 400  # the text is cut, not quoted whole


def test_text_as_deep_as_the_limit_is_read() -> None:
    for text in ("not " * (MAX_NESTING - 2) + "fever",
                 "(" * 150 + "fever" + ")" * 150):  # brackets around one name nest nothing
        node, problems = checked(text)
        assert problems == [] and node is not None


def test_a_score_as_deep_as_the_limit_too() -> None:
    node, problems = checked("1+" * 2000 + "1", numeric=True)
    assert node is None and "nested more than 40 levels deep" in problems[0][1]


def test_the_quick_reader_leaves_deep_text_to_the_full_checker() -> None:
    # it reads recursively: beyond half the limit it does not read at all (no RecursionError)
    assert read_condition(DEEP["not"], SHAPES, SCORES, UNUSUAL) is None
    assert read_condition("(" * 600 + "fever" + ")" * 600, SHAPES, SCORES, UNUSUAL) is None
    shallow = "not " * (MAX_NESTING // 2) + "fever"
    assert read_condition(shallow, SHAPES, SCORES, UNUSUAL) == checked(shallow)[0]


def _chain(links: int, twice: bool) -> dict[str, Any]:
    """Scores each built on the one before (once, or twice: doubling at each link)."""
    scores: dict[str, Any] = {"s0": Answer("age")}
    for i in range(1, links):
        before = scores[f"s{i - 1}"]
        scores[f"s{i}"] = Sum((before, before) if twice else (before, Answer("age")))
    return scores


def test_a_long_chain_of_scores_is_a_problem_where_it_goes_too_deep() -> None:
    scores = _chain(MAX_TREE_DEPTH, twice=False)  # s0 (1 level) ... s99 (100 levels)
    node, problems = checked(f"sum(s{MAX_TREE_DEPTH - 2}, age)", scores, numeric=True)
    assert problems == [] and extent(node)[0] == MAX_TREE_DEPTH
    node, problems = checked(f"sum(s{MAX_TREE_DEPTH - 1}, age)", scores, numeric=True)
    assert node is None
    assert problems == [(0, f"with the scores it uses, this score is nested "
                            f"{MAX_TREE_DEPTH + 1} levels deep (at most {MAX_TREE_DEPTH}): a "
                            f"score built on another score builds that score in; use fewer "
                            f"links, or count the answers once")]
    node, problems = checked(f"s{MAX_TREE_DEPTH - 2} > 3 and not fever", scores)
    assert node is None and "this condition is nested" in problems[0][1]


def test_scores_that_double_at_each_link_are_a_problem_not_minutes_of_work() -> None:
    scores = _chain(20, twice=True)  # 2**20 parts as every walk of the tree meets them
    assert extent(scores["s19"]) == (20, 2 ** 20 - 1)  # measured in 20 steps, not 2**20
    node, problems = checked("s19 > 3", scores)
    assert node is None
    assert f"made of {extent(scores['s19'])[1] + 2:,} parts (at most {MAX_TREE_SIZE:,})" \
        in problems[0][1]


def test_python_warnings_are_problems_at_their_column() -> None:
    text = "age < 16or age > 200"  # Python reads "16 or age", with a SyntaxWarning
    node, problems = checked(text)
    assert node is None
    assert problems == [(7, "invalid decimal literal in 'age < 16or age > 200'")]


def _with_condition(text: str) -> Callable[[str], str]:
    def edit(yaml: str) -> str:
        assert "when: blood_thinners" in yaml
        return yaml.replace("when: blood_thinners", f'when: "{text}"', 1)
    return edit


@pytest.mark.parametrize("text", [DEEP["not"], DEEP["signs"], DEEP["a chain of +"]])
def test_validate_locates_a_deep_condition(text: str, pack_copy: Callable[..., Path],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    pack = pack_copy({"contraindications.yaml": _with_condition(text)})
    monkeypatch.chdir(pack.parent)
    assert [p for p in problems_of(pack) if ": warning: " not in p] == [
        "pack/contraindications.yaml:18:12: nested more than 40 levels deep (brackets, not, "
        "signs, or a chain of + and -): split it into scores, or use all/any blocks, count() "
        "or sum()"]


@pytest.mark.parametrize(("text", "where"), [
    (DEEP["not"], "contraindications.yaml:18:12: nested"),
    ("age < 16or age > 200", "contraindications.yaml:18:19: invalid decimal literal")])
def test_such_a_pack_is_exit_1_on_every_command_with_no_warning_on_stderr(
        text: str, where: str, pack_copy: Callable[..., Path]) -> None:
    folder = pack_copy({"contraindications.yaml": _with_condition(text)})
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    env.pop("TRIAGE_DEBUG", None)
    for args in (["validate", str(folder)], ["test", str(folder)],
                 ["assess", "--answers", str(REPO_ROOT / "examples" / "answers.yaml"),
                  "--pack", str(folder), "--no-record"]):
        done = subprocess.run([sys.executable, "-m", "triage", *args], env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 1, done.stderr
        assert where in done.stderr
        assert "Warning" not in done.stderr and "internal error" not in done.stderr


@settings(max_examples=300, deadline=None)
@given(tree=conditions(), most=st.integers(1, 40))
def test_a_small_tree_is_known_small_by_a_short_walk(tree: Any, most: int) -> None:
    """The limits' quick check (a walk that stops past ``most`` nodes) says what the extent
    says: the tree's size as walked is at most ``most``, or not; and so is a tree made of
    copies of it, each met as often as a walk meets it."""
    for node in (tree, And((tree, Not(tree), tree))):
        assert _walked_within(node, most) == (extent(node)[1] <= most)
