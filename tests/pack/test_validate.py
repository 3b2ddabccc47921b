"""Pack validation: every kind of problem, located and worded for the person who can fix it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import check_golden
from triage.pack.sources import content_hash, read_pack_files
from triage.pack.validate import check_files


def problems_of(pack_dir: Path) -> list[str]:
    files = read_pack_files(pack_dir)
    _, problems = check_files(pack_dir, files, content_hash(files))
    return [str(p) for p in problems]


def sub(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, f"fixture text not found: {old!r}"
        return text.replace(old, new, 1)
    return edit


BROKEN: dict[str, dict[str, str | Callable[[str], str]]] = {
    "unknown_question": {"red_flags.yaml": sub('age >= 55"', 'age_years >= 55"')},
    "unknown_option": {"indications.yaml": sub("area == low_back and", "area == lowback and")},
    "unknown_field": {"questions.yaml": sub("    help: {en: Chest", "    hlep: {en: Chest")},
    "missing_field": {"red_flags.yaml": sub("    disposition: emergency\n", "")},
    "bad_literal": {"questions.yaml": sub("type: multi", "type: multiple")},
    "bad_id": {"notes.yaml": sub("id: knee_note", "id: Knee-Note")},
    "duplicate_ids": {"questions.yaml": sub("id: fever\n", "id: fall\n"),
                      "notes.yaml": sub("id: knee_note", "id: strain")},
    "missing_translation": {"notes.yaml": sub(", fr: Apportez votre genouillère.", "")},
    "plain_string_in_bilingual_pack": {
        "notes.yaml": sub("{en: Bring your knee brace., fr: Apportez votre genouillère.}",
                          "Bring your knee brace.")},
    "version_as_number": {"pack.yaml": sub('version: "1.0.0"', "version: 1.10")},
    "ask_if_cycle": {"questions.yaml": lambda text: text.replace(
        'ask_if: {all: ["area == low_back"]}', 'ask_if: {all: ["low_mood"]}').replace(
        'ask_if: {question: area, op: "==", value: low_back}', "ask_if: worry")},
    "never_asked": {"questions.yaml": sub("ask_if: fall\n", "ask_if: fall and not fall\n")},
    "expression_syntax": {"contraindications.yaml": sub("when: fever == yes", "when: fever ==")},
    "forbidden_expression": {
        "contraindications.yaml": sub("when: blood_thinners",
                                      "when: \"__import__('os').system('x')\"")},
    # str.isdigit() takes "²": the quick reader then called float() on it (exit 70); a lone
    # "." is no number either
    "digits_not_0_to_9": {"red_flags.yaml": lambda text: text.replace(
        'age >= 55"', 'age >= \u00b2"').replace('"age >= 65"', '"age >= -\u2460 or age < ."')},
    "comparison_kinds": {"notes.yaml": sub(
        'when: "area in [knee]"',
        'when: "age == knee or area > 3 or problems == strain or fever or area"')},
    "number_without_range": {"questions.yaml": sub("    min: 0\n    max: 120\n", "")},
    "bad_cases": {"tests/cases.yaml": lambda text: text.replace(
        "answers: {chest_pain: yes}", "answers: {chest_pian: yes, area: elbow}").replace(
        "fires: [heart_attack_signs]", "fires: [heart_attack]")},
    "no_pack_section": {"pack.yaml": "# nothing here\n"},
    # reported once, in the score: not again at each condition that uses it
    "score_expression_error": {"questions.yaml": sub("count(worry, low_mood)",
                                                     "count(worry, low_mod)")},
    # one note for the names the file may define, instead of an error at each use
    "unreadable_questions_file": {"questions.yaml": "questions: [\n"},
    # `places` (where the problem is: triage verify) on a single choice, with an option the
    # question does not have and a condition that does not read
    "places_mistakes": {"questions.yaml": lambda text: text.replace(
        "    type: single\n    options:\n      - {id: neck,",
        "    type: single\n    places: {every_place: [neck]}\n    options:\n      - {id: neck,"
    ).replace(
        "    type: multi\n    options:\n      - {id: stiffness,",
        "    type: multi\n    places: {every_place: [stifness],"
        " problem_with_no_place: \"worry ==\"}\n    options:\n      - {id: stiffness,")},
    # a place named by a later answer (named_later) that is no option, or whose condition
    # does not read; a problem named later whose condition does not read
    "named_later_mistakes": {"questions.yaml": sub(
        "    type: multi\n    options:\n      - {id: stiffness,",
        "    type: multi\n    places: {named_later: [{place: stifnes, when: \"fever\"},"
        " {place: strain, when: \"fever ==\"}], problem_named_later: \"worry or\"}\n"
        "    options:\n      - {id: stiffness,")},
    # `repeats` (asked again later): a question that is not there, another type, a repeat of
    # a repeat
    "repeats_mistakes": {"questions.yaml": lambda text: text.replace(
        "  - id: fever\n", "  - id: fever\n    repeats: chest_pian\n").replace(
        "  - id: can_bear_weight\n", "  - id: can_bear_weight\n    repeats: area\n").replace(
        "  - id: worry\n", "  - id: worry\n    repeats: fall\n").replace(
        "  - id: low_mood\n", "  - id: low_mood\n    repeats: worry\n")},
    # later answers that imply an answer (named_later) of another question: an option the
    # question does not have, a condition that does not read, and a yes/no question
    "answer_named_later_mistakes": {"questions.yaml": lambda text: text.replace(
        "    type: single\n    options:\n      - {id: neck,",
        "    type: single\n    named_later: [{answer: elbow, when: \"fever\"},"
        " {answer: knee, when: \"fever ==\"}]\n    options:\n      - {id: neck,").replace(
        "  - id: fever\n", "  - id: fever\n    named_later: [{answer: \"yes\", when: worry}]\n")},
    "structured_block_errors": {
        "red_flags.yaml": sub('{all: [fever, {any: ["age >= 65", {not: "area != low_back"}]}]}',
                              '{all: [fever, {anyof: ["age >= 65"]}, '
                              '{question: area, op: "~", value: low_back}]}')},
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_problem_reports_match_golden_files(name: str, pack_copy: Callable[..., Path],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    pack = pack_copy(BROKEN[name])
    monkeypatch.chdir(pack.parent)
    problems = problems_of(pack)
    assert any(": warning: " not in p for p in problems), "expected at least one error"
    check_golden(f"problems/{name}.txt", "".join(f"{p}\n" for p in problems))


def test_the_minimal_pack_is_clean(pack_copy: Callable[..., Path]) -> None:
    assert problems_of(pack_copy()) == []


def test_all_problems_are_reported_at_once_sorted_by_file_and_line(
        pack_copy: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    edits: dict[str, str | Callable[[str], str]] = {}
    for name in ("unknown_question", "unknown_field", "bad_id", "expression_syntax"):
        edits.update(BROKEN[name])
    pack = pack_copy(edits)
    monkeypatch.chdir(pack.parent)
    problems = problems_of(pack)
    assert len(problems) >= 4
    files = [p.split(":")[0] for p in problems]
    assert files == sorted(files)


def test_a_rule_or_question_that_fails_validation_still_has_its_condition_checked(
        pack_copy: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """One run names every mistake: the misspelt answer was found only once the priority
    (or the unknown field) was mended, a run later."""
    pack = pack_copy({
        "red_flags.yaml": lambda text: text.replace("priority: 2", "priority: two").replace(
            "can_bear_weight == no and", "can_bear_weight == noo and").replace(
            "    priority: two\n", "    priority: two\n    reason_when:\n"
            "      - when: \"age >= 8O\"\n        reason: {en: Older., fr: Plus âgé.}\n"),
        "questions.yaml": lambda text: text.replace(
            '    ask_if: {all: ["area == low_back"]}\n',
            '    ask_if: {all: ["area == lowback"]}\n    hlep: x\n').replace(
            "    expression: count(worry, low_mood)\n",
            "    expression: count(low_mod, worry)\n    unit: x\n")})
    monkeypatch.chdir(pack.parent)
    problems = problems_of(pack)
    assert "pack/red_flags.yaml:13:15: expected a whole number" in problems, problems
    assert any(p.startswith("pack/red_flags.yaml:15:23: ") and "8O" in p
               for p in problems), problems  # its reason_when too
    assert any(p.startswith("pack/red_flags.yaml:11:40: ") and "'noo'" in p
               for p in problems), problems
    assert any(p.startswith("pack/questions.yaml:48:29: ") and "'lowback'" in p
               for p in problems), problems
    assert any("'hlep'" in p for p in problems), problems
    assert any("'low_mod'" in p for p in problems), problems  # a score's expression too
    # (a field of another kind of item: not "unknown field 'unit' (did you mean 'unit'?)")
    assert any(p.endswith(": 'unit' is not a field of this item") for p in problems), problems


def test_unknown_question_names_the_closest_match(pack_copy: Callable[..., Path],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    pack = pack_copy(BROKEN["unknown_question"])
    monkeypatch.chdir(pack.parent)
    (problem,) = [p for p in problems_of(pack) if "unknown question" in p]
    # column points at the name inside the quoted expression
    assert problem == "pack/red_flags.yaml:11:47: unknown question 'age_years' " \
                      "(did you mean 'age'?)"


def test_a_structurally_broken_file_does_not_hide_other_files_problems(
        pack_copy: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    edits = {"notes.yaml": "notes: [\n", **BROKEN["bad_id"]}
    edits["indications.yaml"] = sub("area == low_back and", "area == lowback and")
    pack = pack_copy(edits)
    monkeypatch.chdir(pack.parent)
    problems = problems_of(pack)
    assert any(p.startswith("pack/notes.yaml") for p in problems)
    assert any(p.startswith("pack/indications.yaml") for p in problems)


def test_rules_of_an_unreadable_file_are_not_reported_unknown_in_cases(
        pack_copy: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    pack = pack_copy({"red_flags.yaml": "red_flags: [\n"})  # cases name its rules
    monkeypatch.chdir(pack.parent)
    problems = problems_of(pack)
    assert [p for p in problems if p.startswith("pack/red_flags.yaml")]
    assert not [p for p in problems if "unknown rule" in p], problems



def test_a_score_with_a_mistake_is_reported_once_not_where_it_is_used(
        pack_copy: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    pack = pack_copy(BROKEN["score_expression_error"])  # 'distress' is used in two rules
    monkeypatch.chdir(pack.parent)
    assert problems_of(pack) == [
        "pack/questions.yaml:56:30: unknown question 'low_mod' (did you mean 'low_mood'?)"]


def test_a_score_used_before_its_definition_is_reported_there_only(
        pack_copy: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    later = "  - id: later\n    label: {en: Later, fr: Plus tard}\n    expression: count(fever)\n"
    pack = pack_copy({"questions.yaml": lambda text: text.replace(
        "count(worry, low_mood)", "sum(later, 0)") + later})
    monkeypatch.chdir(pack.parent)
    problems = problems_of(pack)
    assert [p for p in problems if "used before it is defined" in p] == [
        "pack/questions.yaml:56:21: score 'later' is used before it is defined "
        "(or is part of a cycle)"]
    assert not [p for p in problems if "'distress'" in p], problems


def test_an_unreadable_file_gives_one_note_not_a_cascade(
        pack_copy: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    # the questions (and the score) are in the unreadable file; another file has its own
    # mistake, which is still reported
    pack = pack_copy({**BROKEN["unreadable_questions_file"], **BROKEN["bad_id"]})
    monkeypatch.chdir(pack.parent)
    problems = problems_of(pack)
    assert problems[0].startswith("pack/notes.yaml:") and "Knee-Note" in problems[0]
    assert [p.split(": ", 1)[1] for p in problems if p.startswith("pack/questions.yaml")] == [
        "invalid YAML: did not find expected node content",
        # (25: every use in a condition counts, not only its first; the note with the bad
        # id is still read for its condition, "area in [knee]")
        "note: not reported: 25 uses of questions or scores that no other file defines "
        "(this file may define them: check again once it reads)"]
    assert len(problems) == 3, problems


def test_an_unreadable_file_of_cases_holds_back_nothing_in_the_rules(
        pack_copy: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    pack = pack_copy({"tests/cases.yaml": "cases: [\n", **BROKEN["unknown_question"]})
    monkeypatch.chdir(pack.parent)
    problems = problems_of(pack)
    assert "pack/red_flags.yaml:11:47: unknown question 'age_years' (did you mean 'age'?)" \
        in problems
    assert not [p for p in problems if "note:" in p], problems


def test_an_unknown_question_before_a_list_of_answers_is_named(
        pack_copy: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    pack = pack_copy({"notes.yaml": sub('when: "area in [knee]"', 'when: "are in [knee]"')})
    monkeypatch.chdir(pack.parent)
    (problem,) = problems_of(pack)
    assert problem.endswith(": unknown question 'are' (did you mean 'area'?)"), problem


def test_a_definite_label_needs_a_label(pack_copy: Callable[..., Path],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """It replaces the label where the rule held on definite answers: it names no rule of
    its own."""
    pack = pack_copy({"red_flags.yaml": sub(
        '    label: {en: "Heart attack signs", fr: "Signes de crise cardiaque"}\n',
        '    definite_label: {en: "Heart attack signs", fr: "Signes de crise cardiaque"}\n')})
    monkeypatch.chdir(pack.parent)
    assert "pack/red_flags.yaml:4:5: 'definite_label' replaces the label when the rule held " \
           "on definite answers: give the 'label' too" in problems_of(pack)


def test_a_branch_s_caller_reason_is_for_notes_only(pack_copy: Callable[..., Path],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Staff read a note's branch about the patient; a red flag they name by its label."""
    branch = ("    reason_when:\n      - when: chest_pain\n        reason: {en: a, fr: a}\n"
              "        caller_reason: {en: b, fr: b}\n")
    pack = pack_copy({"red_flags.yaml": sub(
        "    disposition: emergency\n", "    disposition: emergency\n" + branch)})
    monkeypatch.chdir(pack.parent)
    assert "pack/red_flags.yaml:10:9: 'caller_reason' is for the branches of a note: staff " \
           "name the other rules by their label" in problems_of(pack)


def test_a_unit_without_its_singular_is_a_warning(pack_copy: Callable[..., Path],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """An age of 1 read "1 years" ("1 ans"): a number question's unit comes with the unit
    after 1 (``unit_one``), or validate says so, where the unit is."""
    pack = pack_copy({"questions.yaml": sub("    unit_one: {en: year, fr: an}\n", "")})
    monkeypatch.chdir(pack.parent)
    (problem,) = problems_of(pack)
    assert problem.startswith("pack/questions.yaml:12:11: warning: a unit without 'unit_one': "
                              "an answer of 1 reads '1 years'"), problem


def test_unit_one_is_only_for_number_questions(pack_copy: Callable[..., Path],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    pack = pack_copy({"questions.yaml": sub("    type: yes_no\n",
                                            "    type: yes_no\n    unit_one: {en: a, fr: a}\n")})
    monkeypatch.chdir(pack.parent)
    assert any("'unit_one' is only for number questions" in p for p in problems_of(pack))


def test_a_rule_without_a_label_is_a_warning(pack_copy: Callable[..., Path],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The booking summary names a rule by its label; without one it would show the rule's
    reason, written to the patient, to reception staff."""
    pack = pack_copy({"red_flags.yaml": sub(
        '    label: {en: "Heart attack signs", fr: "Signes de crise cardiaque"}\n', "")})
    monkeypatch.chdir(pack.parent)
    assert problems_of(pack) == [
        "pack/red_flags.yaml:3:9: warning: rule 'heart_attack_signs' has no label: the booking "
        "summary that reception staff read names a rule by its label, and shows this rule's "
        "reason instead, written to the patient (add e.g. label: {en: ..., fr: ...})"]
