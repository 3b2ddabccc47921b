"""An answers file's list answer read as a compiler reads it: every item that is not an
option of its question is a problem of its own, at that item's own ``file:line:col`` (block
style, flow style, JSON, under ``answers:``, from standard input) with its own did-you-mean,
all of them at once, exit 1, in English and French. Before, one problem stood at the start of
the list (a block list's first ``-``, a flow list's ``[``) with the first bad item's hint
only: a second bad item was found one run later, and a reader of a long list had to look for
the one the message meant. The messages still never quote the item itself (answers are
health data: :func:`triage.engine.answers.normalise`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from triage.cli.app import app
from triage.conditions.tree import MULTI
from triage.engine.answers import item_problems, normalise
from triage.pack.load import load_pack

PACK = load_pack()
PROBLEM = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")
EN_NOT = "areas: an answer given is not an answer of 'areas' (answers: "
FR_NOT = "areas : une réponse donnée n'est pas une réponse de « areas » (réponses : "
EN_HINT, FR_HINT = " (did you mean 'low_back'?)", " (vouliez-vous dire « low_back »?)"

# (name, text, where each bad item starts: lower_back then elbw); knee is an option
FILES = [
    ("block.yaml", "age: 40\nareas:\n  - lower_back\n  - elbw\n  - knee\n", [(3, 5), (4, 5)]),
    ("flow.yaml", "age: 40\nareas: [lower_back, elbw, knee]\n", [(2, 9), (2, 21)]),
    ("middle.yaml", "age: 40\nareas: [lower_back, knee, elbw]\n", [(2, 9), (2, 27)]),
    ("quoted.yaml", "age: 40\nareas:   # where it hurts\n  - 'lower_back'\n  - knee\n"
                    "  - \"elbw\"\n", [(3, 5), (5, 5)]),
    ("nested.yaml", "answers:\n  age: 40\n  areas:\n    - lower_back\n    - elbw\n",
     [(4, 7), (5, 7)]),
    ("flow_doc.yaml", "{age: 40, areas: [knee, lower_back,\n  elbw]}\n", [(1, 25), (2, 3)]),
    ("a.json", '{"age": 40,\n "areas": ["lower_back",\n   "elbw", "knee"]}\n',
     [(2, 12), (3, 4)]),
    ("nested.json", '{"answers": {"age": 40, "areas": ["knee", "lower_back", "elbw"]}}',
     [(1, 43), (1, 57)]),
]


def run(path: Path | None, lang: str, text: str = "") -> tuple[int, list[str]]:
    given = str(path) if path else "-"
    result = CliRunner().invoke(app, ["assess", "--answers", given, "--lang", lang],
                                input=text or None)
    return result.exit_code, result.stderr.splitlines()


def places(lines: list[str]) -> list[tuple[int, int, str]]:
    found = [PROBLEM.match(line) for line in lines[:-1]]
    assert all(found), lines
    return [(int(m["line"]), int(m["col"]), m["message"]) for m in found if m]


@pytest.mark.parametrize(("name", "text", "where"), FILES, ids=[f[0] for f in FILES])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_bad_item_is_a_problem_at_its_own_place(tmp_path: Path, name: str, text: str,
                                                     where: list[tuple[int, int]],
                                                     lang: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code, lines = run(path, lang)
    assert code == 1, lines
    found = places(lines)
    assert [(line, col) for line, col, _ in found] == where
    first, second = (message for _, _, message in found)
    said, hint = (EN_NOT, EN_HINT) if lang == "en" else (FR_NOT, FR_HINT)
    assert first.startswith(said) and first.endswith(hint)  # lower_back: low_back
    assert second.startswith(said) and "(" + ("did" if lang == "en" else "vouliez") \
        not in second.removeprefix(said)  # elbw: no option close enough, no hint
    assert lines[-1] == ("2 problems found." if lang == "en" else "2 problèmes trouvés.")
    assert all(str(path.name) in line for line in lines[:-1])
    for item in ("lower_back", "elbw"):  # never the person's answer itself
        assert all(item not in message for _, _, message in found)


def test_standard_input_places_each_item_too() -> None:
    code, lines = run(None, "en", "age: 40\nareas:\n  - lower_back\n  - elbw\n")
    assert code == 1
    assert [(line, col) for line, col, _ in places(lines)] == [(3, 5), (4, 5)]
    assert lines[0].startswith("<stdin>:3:5: ")


def test_items_of_every_kind_are_each_placed(tmp_path: Path) -> None:
    """Not text (a number, null, a list, a mapping) and text of no option are each a
    problem at its item; an option in another case (Knee) is read, as it always was."""
    path = tmp_path / "a.yaml"
    path.write_text("age: 40\nareas:\n  - Knee\n  - 3\n  - neck\n  - [x]\n  - {a: b}\n"
                    "  - lowback\n  -\n", encoding="utf-8")
    code, lines = run(path, "en")
    assert code == 1
    found = places(lines)
    assert [line for line, _, _ in found] == [4, 6, 7, 8, 9]
    assert [message.endswith(EN_HINT) for _, _, message in found] == [
        False, False, False, True, False]


def test_one_answer_without_its_list_keeps_its_one_problem_at_the_value(
        tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("age: 40\nareas: lower_back\n", encoding="utf-8")
    code, lines = run(path, "en")
    assert code == 1
    assert [(line, col) for line, col, _ in places(lines)] == [(2, 8)]
    assert lines[0].endswith(EN_HINT)


def test_other_problems_keep_their_places_next_to_the_items(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("age: forty\nareas: [elbw, lower_back]\nagee: 3\n", encoding="utf-8")
    code, lines = run(path, "en")
    assert code == 1
    found = places(lines)
    assert [(line, col) for line, col, _ in found] == [(1, 6), (2, 9), (2, 15), (3, 1)]
    assert found[0][2].startswith("age: ") and found[3][2].startswith("agee: unknown")


def test_explain_places_each_item_too(tmp_path: Path) -> None:
    """``triage explain --answers`` reads a file the same way (one reader, one locator)."""
    path = tmp_path / "a.yaml"
    path.write_text("age: 40\nareas: [lower_back, elbw, knee]\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["explain", "--answers", str(path)])
    assert result.exit_code == 1
    assert [(line, col) for line, col, _ in places(result.stderr.splitlines())] == [
        (2, 9), (2, 21)]


@pytest.mark.parametrize("question", [q for q in PACK.questions if q.type == MULTI],
                         ids=lambda q: q.id)
def test_item_problems_agree_with_normalise_on_every_multiple_choice(question: object
                                                                     ) -> None:
    """The class: for every multiple-choice question of the pack, a list is refused by
    normalise exactly when some item is a problem, each bad item is named by its place and
    carries its own did-you-mean, and the first one's message is normalise's own."""
    shape = PACK.shapes[question.id]  # type: ignore[attr-defined]
    options = list(shape.options)
    assert item_problems(shape, options) == []
    assert item_problems(shape, [o.upper() for o in options]) == []
    assert normalise(shape, [o.upper() for o in options])[1] == ""
    typo = options[-1][:-1] + "q" + options[-1][-1:]  # close to the last option only
    given = [options[0], "zzzzzzzzzz", typo, None, 7]
    found = item_problems(shape, given)
    assert [i for i, _ in found] == [1, 2, 3, 4]
    assert [f"'{options[-1]}'?)" in why for _, why in found] == [False, True, False, False]
    assert normalise(shape, given) == (None, found[0][1])
    assert item_problems(shape, "zzzzzzzzzz") == []  # one answer without its list
