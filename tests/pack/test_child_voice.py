"""A pack's words for a parent or carer answering for a child (``child_when`` and each
disposition's ``child_*`` texts): chosen when the condition holds with the answers, and only
then; a condition that does not read is a problem where it is written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.pack.test_validate import problems_of, sub
from triage.engine.evaluate import evaluate
from triage.pack.load import load_pack

CHILD = ('  child_when: "age < 16"\n  dispositions:\n')
OWN = "      action: {en: Book your doctor., fr: Prenez rendez-vous avec votre médecin.}\n"
FOR_PARENT = (OWN + "      child_action: {en: Book your child's doctor., "
              "fr: Prenez rendez-vous avec le médecin de votre enfant.}\n"
              "      child_if_worse: {en: Call 911 for your child., "
              "fr: Appelez le 911 pour votre enfant.}\n")


def _edit(child_when: str = CHILD) -> Callable[[str], str]:
    def edit(text: str) -> str:
        return sub(OWN, FOR_PARENT)(sub("  dispositions:\n", child_when)(text))
    return edit


@pytest.mark.parametrize(("age", "child"), [(4, True), (15, True), (16, False), (70, False)])
def test_the_child_texts_are_shown_when_the_answers_are_about_a_child(
        pack_copy: Callable[..., Path], age: int, child: bool) -> None:
    pack = load_pack(pack_copy({"pack.yaml": _edit()}), use_cache=False)
    outcome = evaluate(pack, {"chest_pain": "no", "age": age, "fever": "yes",
                              "area": "low_back", "fall": "no"})
    assert outcome.disposition == "doctor_first"  # fever_older
    own = pack.dispositions[outcome.disposition]
    assert outcome.advice["label"] == own["label"]  # a part with no child_ form: the own
    assert outcome.advice["timeframe"] == own["timeframe"]
    action, worse = outcome.advice["action"]["en"], outcome.advice["if_worse"]["en"]
    assert (action, worse) == (("Book your child's doctor.", "Call 911 for your child.")
                               if child else ("Book your doctor.", "Go today."))
    assert outcome.as_dict()["advice"] == outcome.advice


def test_without_child_when_the_child_texts_are_never_shown(
        pack_copy: Callable[..., Path]) -> None:
    pack = load_pack(pack_copy({"pack.yaml": _edit("  dispositions:\n")}), use_cache=False)
    assert pack.child_when is None and pack.child_dispositions
    assert not pack.about_child({"age": 4})


def test_child_when_without_an_answer_to_age_is_not_a_child(
        pack_copy: Callable[..., Path]) -> None:
    pack = load_pack(pack_copy({"pack.yaml": _edit()}), use_cache=False)
    assert pack.about_child({"age": 4}) and not pack.about_child({})


def test_a_child_when_that_does_not_read_is_a_problem(pack_copy: Callable[..., Path],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    pack = pack_copy({"pack.yaml": _edit('  child_when: "agee < 16"\n  dispositions:\n')})
    monkeypatch.chdir(pack.parent)
    problems = problems_of(pack)
    assert any(p.startswith("pack/pack.yaml:11:") and "agee" in p and "'age'" in p
               for p in problems), problems
