"""Going back and changing an answer on the web says, on the next page, which later answers
no longer apply and were removed (sees ux-w). The terminal says it since ux-t (CHANGELOG,
"b + changed answer"); the web removed them without a word: Back three times from "Did an
injury ... hurt your neck or back?" to the injury question, "No injury", and the next page
was question 7 with nothing said, the answer to the spine question gone. The flow names
them (``Accepted.dropped``, the web's flow now knows the answers taken back) and the page
says it in the terminal's words (``render.reasons.dropped_text``), in a status region that
takes the focus; the move after it forgets it."""

from __future__ import annotations

import html
import random
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_back_dropped import TO_SPINE
from tests.conftest import MINIMAL
from triage.engine.flow import Accepted, Flow
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.render import prompts
from triage.render.reasons import dropped_text
from triage.render.typography import keep_marks_with_words
from triage.web import screening
from triage.web.state import Sealer, WebState

from .conftest import KEY, Visitor, make_client
from .test_app import THERAPY, form_values

NOTICE = re.compile(r'<div class="removed" id="dropped" role="status"[^>]*>\s*<p>(.*?)</p>',
                    re.S)


def form_for(pack: CompiledPack, qid: str, key: str) -> list[str]:
    """The form values of the terminal's typed key ``key`` (its number of an option, 0 for
    none, a number as typed)."""
    q = pack.question_by_id[qid]
    if q.type == "number":
        return [key]
    if q.type == "yes_no":
        return ["yes" if key == "1" else "no"]  # (the spine path: 1 is yes there)
    return [screening.NONE_OF_THESE] if key == "0" else [q.options[int(key) - 1].id]


def to_spine_and_back(visitor: Visitor, pack: CompiledPack, lang: str) -> None:
    """The terminal test's path: to question 9, Back three times, to the injury question."""
    visitor.client.cookies.set("__Host-triage-lang", lang)
    visitor.start()
    for key in TO_SPINE:
        qid = visitor.question()
        assert qid is not None
        visitor.answer(*form_for(pack, qid, key))
    for _ in range(3):
        visitor.post({"action": "back"})
    assert visitor.question() == "injury"


def notices(page: str) -> list[str]:
    return [html.unescape(m) for m in NOTICE.findall(page)]


def on_page(pack: CompiledPack, questions: list[str], lang: str) -> str:
    """The words the page says: the terminal's, French marks kept with their words."""
    return keep_marks_with_words(dropped_text(pack, questions, lang))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_changed_answer_says_on_the_next_page_which_answers_were_removed(
        visitor: Visitor, clinical: CompiledPack, lang: str) -> None:
    to_spine_and_back(visitor, clinical, lang)
    assert notices(visitor.page) == []  # going back removes nothing, says nothing
    visitor.answer("none")  # "No injury": the spine question no longer applies
    assert visitor.status == 200 and visitor.question() == "head_injury"
    assert notices(visitor.page) == [on_page(clinical, ["spine_hurt"], lang)]
    # the terminal's words, as it says them after b and a changed answer
    terminal = prompts.dropped_later(clinical, ["spine_hurt"], prompts.Look(lang, plain=True))
    assert dropped_text(clinical, ["spine_hurt"], lang) == terminal.strip()
    assert "spine_hurt" not in visitor.page  # the question as asked, never its id
    # above the question, where a screen reader starts: the focus is on it
    assert visitor.page.index('id="dropped"') < visitor.page.index("<h1") \
        or visitor.page.index('id="dropped"') < visitor.page.index("<legend")
    assert 'autofocus' in NOTICE.search(visitor.page).group(0)  # type: ignore[union-attr]
    # said again after a reload and in the other language (the same page), not on the next
    other = "fr" if lang == "en" else "en"
    visitor.get(f"/lang/{other}?back=s", follow_redirects=True)
    assert notices(visitor.page) == [on_page(clinical, ["spine_hurt"], other)]
    visitor.post({"action": "back"})  # any move after it forgets it
    assert visitor.question() == "injury" and notices(visitor.page) == []
    visitor.answer("none")  # nothing more to remove
    assert visitor.question() == "head_injury" and notices(visitor.page) == []
    visitor.answer("no")
    assert visitor.question() not in (None, "spine_hurt") and notices(visitor.page) == []


def test_a_slip_on_that_page_keeps_the_notice_and_focuses_the_problem(
        visitor: Visitor, clinical: CompiledPack) -> None:
    to_spine_and_back(visitor, clinical, "en")
    visitor.answer("none")
    visitor.post([("question", "head_injury"), ("action", "answer")])  # nothing chosen
    assert visitor.status == 422 and notices(visitor.page)
    notice = NOTICE.search(visitor.page)
    assert notice is not None and "autofocus" not in notice.group(0)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_nothing_is_said_when_nothing_was_removed(visitor: Visitor, clinical: CompiledPack,
                                                  lang: str) -> None:
    to_spine_and_back(visitor, clinical, lang)
    visitor.answer("recent")  # the same answer again: the spine question still applies
    assert visitor.question() == "head_injury"
    assert notices(visitor.page) == [] and 'role="status"' not in visitor.page
    for _ in range(2):  # and on through the answers shown again
        qid = visitor.question()
        assert qid is not None
        visitor.answer(*form_for(clinical, qid, TO_SPINE[6 if qid == "head_injury" else 7]))
        assert notices(visitor.page) == []
    assert visitor.question() == "onset"


def test_a_whole_questionnaire_without_going_back_says_nothing(visitor: Visitor,
                                                               clinical: CompiledPack) -> None:
    visitor.start()
    pages = 0
    while (qid := visitor.question()) is not None:
        visitor.answer(*form_values(clinical, qid, THERAPY[qid]))
        assert 'id="dropped"' not in visitor.page and 'role="status"' not in visitor.page
        pages += 1
    assert pages > 10 and "Change my last answer" in visitor.page  # the result


@pytest.mark.long(9)
def test_the_web_removes_and_says_exactly_what_the_terminal_does(
        clinical: CompiledPack) -> None:
    """The class, on the bundled pack: walks from 30 of the pack's cases, back 1 to 4
    questions, every other answer to the question reached, each move through the sealed
    cookie. What the web's next page says was removed is what the terminal's flow says for
    the same moves, and the answers shown again afterwards are the terminal's too."""
    sealer = Sealer([KEY], clinical)

    def sealed(state: WebState) -> WebState:
        return sealer.open(sealer.seal(state))

    def answered(state: WebState, qid: str, value: Any) -> WebState:
        moved = screening.answer(clinical, state, qid, value)
        assert isinstance(moved, WebState)
        if moved.pending is not None:  # an emergency answer, confirmed
            moved = screening.confirm(clinical, moved, yes=True)
        return sealed(moved)

    rnd = random.Random(20261207)
    checked = said_some = 0
    for case in rnd.sample(list(clinical.cases), 30):
        flow = Flow(clinical, "en")
        state = sealed(screening.start(WebState.new()))
        while not flow.finished and flow.current is not None \
                and flow.current.id in case.answers:
            qid = flow.current.id
            flow.set_answer(qid, case.answers[qid])
            state = answered(state, qid, case.answers[qid])
            assert state.dropped == ()
        for steps in range(1, 5):
            trial, web = flow.copy(), state
            for _ in range(steps):
                if trial.back() is None:
                    break
                web = sealed(screening.back(clinical, web))
                assert web.dropped == ()
            question = trial.current
            if question is None or question.type == "number" \
                    or screening.page_for(clinical, web).question != question:
                continue
            choices = [[o.id] for o in question.options] if question.type == "multi" else \
                [o.id for o in question.options]
            for value in choices:
                other = trial.copy()
                accepted = other.set_answer(question.id, value)
                assert isinstance(accepted, Accepted)
                after = answered(web, question.id, value)
                assert after.dropped == accepted.dropped, (case.id, question.id, value)
                assert dict(after.answers) == other.answers
                kept = other.kept_answers()
                assert {q for q, _ in after.earlier} <= set(kept)
                checked += 1
                said_some += bool(after.dropped)
    assert checked > 150 and said_some > 10, (checked, said_some)


def a_fall_is_an_emergency(tmp_path: Path) -> CompiledPack:
    """The minimal pack where a fall is an emergency and "can you walk" is asked only without
    one: an emergency answer, confirmed, that removes a later answer taken back (none does on
    the bundled pack, back up to 11 questions from each of its cases)."""
    folder = tmp_path / "pack"
    shutil.copytree(MINIMAL, folder)
    questions = folder / "questions.yaml"
    questions.write_text(questions.read_text(encoding="utf-8").replace(
        "    ask_if: fall\n", '    ask_if: "fall == no"\n', 1), encoding="utf-8")
    flags = folder / "red_flags.yaml"
    flags.write_text(flags.read_text(encoding="utf-8").replace(
        '"fall and can_bear_weight == no and age >= 55"',
        '"can_bear_weight == no and age >= 55"').replace("red_flags:\n", """red_flags:
  - id: fall_emergency
    label: {en: "A fall", fr: "Une chute"}
    when: fall
    disposition: emergency
    reason: {en: A fall., fr: Une chute.}
    source: {citation: "Heart & Stroke Foundation, warning signs", year: 2024,
             kind: public_health}
""", 1), encoding="utf-8")
    return load_pack(folder, use_cache=False)


def test_a_confirmed_emergency_answer_says_it_on_the_stop_page(tmp_path: Path) -> None:
    pack = a_fall_is_an_emergency(tmp_path)
    with make_client(pack) as client:
        visitor = Visitor(client)
        visitor.start()
        for value in ("no", "no", "yes"):  # chest pain, fall, can walk
            visitor.answer(value)
        assert visitor.question() == "age"
        visitor.post({"action": "back"})
        visitor.post({"action": "back"})
        assert visitor.question() == "fall"
        visitor.answer("yes")
        assert 'value="confirm_yes"' in visitor.page and notices(visitor.page) == []
        visitor.post({"action": "confirm_yes"})
        assert notices(visitor.page) == [on_page(pack, ["can_bear_weight"], "en")]
        assert "911" in visitor.page
