"""A problem inside a text is reported at the line and column where its word was written, in
every way YAML lets a condition be written: on one line or over several (``>-``, ``|``, a
plain or quoted text continued on the next lines), through both YAML readers. Before, the
offset in the text was added to the column of the text's first line: ``when: >-`` with a
misspelt answer on its third line was reported at 13:116, past the end of line 13."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.pack.yamlio import parse_yaml_text

WORD = st.text(alphabet="abcdefghij_", min_size=1, max_size=8)
LINES = st.lists(st.lists(WORD, min_size=1, max_size=5), min_size=1, max_size=4)


def _plain(lines: list[list[str]]) -> str:
    return "\n".join(f"      {' '.join(words)}" for words in lines).lstrip()


def _block(indicator: str) -> Callable[[list[list[str]]], str]:
    def write(lines: list[list[str]]) -> str:
        return f"{indicator}\n" + "\n".join(f"      {' '.join(words)}" for words in lines)
    return write


def _quoted(quote: str) -> Callable[[list[list[str]]], str]:
    def write(lines: list[list[str]]) -> str:
        return quote + "\n".join(f"      {' '.join(words)}" for words in lines).lstrip() + quote
    return write


STYLES = {"plain": _plain, "folded": _block(">-"), "folded_kept": _block(">"),
          "literal": _block("|-"), "single": _quoted("'"), "double": _quoted('"')}


@pytest.mark.parametrize("quick", [True, False])
@pytest.mark.parametrize("style", sorted(STYLES))
@settings(max_examples=60, deadline=None)
@given(lines=LINES, data=st.data())
def test_each_word_of_a_text_is_placed_where_it_was_written(
        style: str, quick: bool, lines: list[list[str]], data: st.DataObject) -> None:
    source = f"rules:\n  - id: x\n    when: {STYLES[style](lines)}\n    other: 1\n"
    doc, problems = parse_yaml_text(source, "f.yaml", quick=quick)
    assert doc is not None and not problems, problems
    value = doc.data["rules"][0]["when"]
    words = [word for row in lines for word in row]
    # where each word starts in the value (the same words, separated by white space)
    starts, at = [], 0
    for word in words:
        at = value.index(word, at)
        starts.append(at)
        at += len(word)
    pick = data.draw(st.integers(0, len(words) - 1))
    problem = doc.problem(("rules", 0, "when"), "m", offset=starts[pick])
    written = source.splitlines()[problem.line - 1][problem.col - 1:]
    # the word itself (it may be the start of a longer one: "ab" then "abc")
    assert written.startswith(words[pick]), (source, pick, problem)
    row = next(i for i, r in enumerate(lines) if sum(map(len, lines[:i + 1])) > pick)
    first_line = 3 + (style in ("folded", "folded_kept", "literal"))
    assert problem.line == first_line + row, (source, pick, problem)


@pytest.mark.parametrize("quick", [True, False])
def test_doubled_quotes_and_escapes_count_as_one_character(quick: bool) -> None:
    source = ("a: 'it''s x ==\n   y'\n"
              'b: "tab\\there \\"q\\" \\x41 \\\n   z == 1"\n')
    doc, _ = parse_yaml_text(source, "f.yaml", quick=quick)
    assert doc is not None
    a = doc.problem(("a",), "m", offset=doc.data["a"].index("y"))
    assert (a.line, a.col) == (2, 4)
    b = doc.problem(("b",), "m", offset=doc.data["b"].index("z"))
    assert (b.line, b.col) == (4, 4)
    q = doc.problem(("b",), "m", offset=doc.data["b"].index("A"))
    assert source.splitlines()[2][q.col - 1:].startswith("\\x41")


def test_a_misspelt_answer_on_a_folded_rule_is_placed_on_its_own_line(
        pack_copy: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.pack.test_validate import problems_of, sub

    pack = pack_copy({"red_flags.yaml": sub(
        'when: "fall and can_bear_weight == no and age >= 55"',
        "when: >-\n      fall\n      and can_bear_weight == noo and age >= 55")})
    monkeypatch.chdir(pack.parent)
    (problem,) = problems_of(pack)
    assert problem.startswith("pack/red_flags.yaml:13:30: "), problem
    assert "'noo'" in problem
