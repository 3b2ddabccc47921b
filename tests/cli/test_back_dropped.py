"""Going back (b) and changing an answer says which later answers no longer apply (sees ux-t,
item 3). The later answers taken back by b were kept as defaults; once a changed answer made
one of them no longer apply it was left out without a word, where the review's change says
"The answer to “...” no longer applies and was removed." Both paths now say it through the
one wording (prompts.dropped_later, the questions quoted as asked): in English and French, in
plain mode and in reception mode, through piped lines and on a real terminal (pexpect)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.cli.test_narrow_screen import (
    _ANSI,
    PACK,
    Terminal,
    _keys,
    _through_pages,
    _unwrapped,
)
from triage.cli.app import app
from triage.engine.flow import Flow
from triage.render import prompts

# question 1 to 8: no emergency sign, 70, lower back, no sign today, no history, an injury
# 3 to 10 days ago, no knock on the head, and it hurt the back (spine_hurt: yes)
TO_SPINE = ["0", "70", "6", "0", "0", "3", "1", "1"]
# at question 9: back three times (to the injury question), then "No injury"
BACK_TO_INJURY = ["b", "b", "b", "1"]


def invoke(args: list[str], lines: list[str]) -> Result:
    return CliRunner().invoke(app, args, input="\n".join(lines) + "\nq\n",
                              env={"TRIAGE_INTERACTIVE": "1"})


def said(lang: str, caller: bool = False, plain: bool = False) -> str:
    look = prompts.Look(lang, plain=plain, caller=caller)
    return _unwrapped(prompts.dropped_later(PACK, ["spine_hurt"], look))


@pytest.mark.parametrize(("lang", "args"), [
    ("en", []), ("fr", []), ("en", ["--plain"]), ("fr", ["--plain"]), ("en", ["--caller"])])
def test_back_then_a_changed_answer_says_which_later_answers_no_longer_apply(
        lang: str, args: list[str]) -> None:
    result = invoke(["assess", "--lang", lang, *args], TO_SPINE + BACK_TO_INJURY)
    err = _unwrapped(result.stderr)
    words = said(lang, caller="--caller" in args, plain="--plain" in args)
    assert words and words in err, err[-1500:]
    # said once, after the changed answer, before the next question
    assert err.count(words) == 1
    assert "spine_hurt" not in err


def test_back_and_the_same_answer_again_says_nothing() -> None:
    result = invoke(["assess"], [*TO_SPINE, "b", "b", "b", "3"])
    assert "no longer applies" not in result.stderr


def test_the_review_and_going_back_say_it_the_same_way() -> None:
    # at the review (the test_dropped_named path): answer 6 changed to "No injury"
    to_review = [*TO_SPINE, "4", "1", "0", "0", "0", "0"]
    review = _unwrapped(invoke(["assess"], [*to_review, "6", "1"]).stderr)
    back = _unwrapped(invoke(["assess"], TO_SPINE + BACK_TO_INJURY).stderr)
    assert said("en") in review and said("en") in back


def test_every_answer_that_no_longer_applies_after_going_back_is_said() -> None:
    """The class, on the bundled pack: walks from the pack's cases, back 1 to 4 questions,
    every other answer to the question reached. What the answer said to have been removed is
    exactly what the answers kept (given and taken back) lost, and none of it is kept."""
    rnd = random.Random(20261206)
    cases = rnd.sample(list(PACK.cases), 40)
    checked = said_some = 0
    for case in cases:
        flow = Flow(PACK, "en")
        while not flow.finished and flow.current is not None \
                and flow.current.id in case.answers:
            flow.set_answer(flow.current.id, case.answers[flow.current.id])
        for steps in range(1, 5):
            trial = flow.copy()
            for _ in range(steps):
                trial.back()
            question = trial.current
            if question is None or question.type == "number":
                continue
            choices = [[o.id] for o in question.options] if question.type == "multi" else \
                [o.id for o in question.options]
            for value in choices:
                other = trial.copy()
                before = other.kept_answers()
                accepted = other.set_answer(question.id, value)
                after = other.kept_answers()
                lost = {q for q in before if q not in after and q != question.id}
                assert set(accepted.dropped) == lost, (case.id, question.id, value)
                assert not set(accepted.dropped) & set(after)
                checked += 1
                said_some += bool(lost)
    assert checked > 200 and said_some > 10, (checked, said_some)


@pytest.mark.long(13)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_on_a_terminal_going_back_and_changing_says_it(lang: str, tmp_path: Path) -> None:
    flow = Flow(PACK, lang)
    keys: list[list[str]] = []
    for raw in TO_SPINE:
        question = flow.current
        assert question is not None
        accepted = flow.answer(question.id, raw)
        keys.append(_keys(question, accepted.value, lang))  # type: ignore[union-attr]
    keys += [["b"], ["b"], ["b"], ["1"]]  # one-key questions: b and 1 are taken at once
    term = Terminal(100, 40, lang, cwd=tmp_path)
    try:
        steps = _through_pages(term, lang, "")
        for typed in keys:
            next(steps)
            term.answer(typed)
        next(steps)  # question 7 again, after "No injury"
        seen = _unwrapped(_ANSI.sub("", term.seen))
        words = said(lang)
        assert words in seen, term.text()
        assert seen.count(words) == 1
        assert words in _unwrapped(term.text())  # on the screen, above the next question
    finally:
        term.close()

