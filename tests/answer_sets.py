"""Answer sets drawn from a pack, and the same set written for each way answers come in.

An answer set is drawn as the questionnaire would meet it: the question asked next is the
flow's own (:class:`triage.engine.flow.Flow`, so ``ask_if`` gates are respected and nothing is
asked once the result is certain), its answer drawn from the question's options ("not sure"
among them). A *complete* set then also answers every question that still applies, as a form
export does. The writers below give the very same set as a YAML or JSON answers file, a CSV
row, a JSON body for the web API, a FHIR QuestionnaireResponse, and the lines typed at the
questionnaire; the tests compare what each entry point makes of them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from hypothesis import strategies as st

from triage.conditions.tree import MULTI, NUMBER, SINGLE, YES_NO
from triage.engine.evaluate import questions_worth_asking
from triage.engine.flow import Flow
from triage.engine.states import question_states
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec

NOT_SURE = "not_sure"
NO_WORDS = ("no", "none")  # the options that say nothing is wrong, drawn more often


def answer_for(q: QuestionSpec, calm: int = 1) -> st.SearchStrategy[Any]:
    """One answer to ``q`` in normal form, "nothing wrong" (none of these, no) drawn ``calm``
    times as often as any one other answer: with even draws nearly every walk meets a red
    flag (a dozen questions list warning signs). "Not sure" is among the draws where the
    question has it."""
    options = tuple(o.id for o in q.options)
    if q.type == YES_NO:
        return st.integers(0, calm).map(lambda i: "no" if i < calm else "yes")
    if q.type == SINGLE:
        quiet = [o for o in options if o in NO_WORDS] or \
            [o for o in options if o != NOT_SURE]  # (when it started, how long ago: any)
        either = tuple(quiet * calm) + options
        return st.integers(0, len(either) - 1).map(either.__getitem__)
    if q.type == MULTI:
        some = st.frozensets(st.sampled_from(options), min_size=1, max_size=2)
        if NOT_SURE not in options:  # no warning sign to weigh (where, reasons, conditions)
            return st.integers(0, 3).flatmap(lambda i: some if i < 3 else st.just(frozenset()))
        unsure = frozenset({NOT_SURE})
        return st.integers(0, calm + 2).flatmap(
            lambda i: st.just(frozenset()) if i < calm
            else st.just(unsure) if i == calm + 2 else some)
    assert q.type == NUMBER and q.min is not None and q.max is not None
    anywhere = st.integers(int(q.min), int(q.max))
    if not q.integer or not q.min <= 18 <= 64 <= q.max:
        return anywhere
    # an age: mostly an adult under 65 (children and older people meet more red flags)
    return st.integers(0, calm).flatmap(lambda i: st.integers(18, 64) if i else anywhere)


@st.composite
def answer_sets(draw: st.DrawFn, pack: CompiledPack, *, complete: bool | None = None,
                ) -> dict[str, Any]:
    """The answers of one walk through the questionnaire (see the module docstring);
    ``complete``: then every question that still applies answered too (None: either).

    The next question is the flow's (:attr:`Flow.current` is the first question
    :func:`questions_worth_asking` gives; answering the question asked never hides an
    earlier one, so the flow drops nothing): asked directly, it costs a third."""
    calm = draw(st.sampled_from((64, 16, 4, 1)))  # how well the person is, for this walk
    answers: dict[str, Any] = {}
    while worth := questions_worth_asking(pack, answers):
        answers[worth[0].id] = draw(answer_for(worth[0], calm))
    if complete is None:
        complete = draw(st.booleans())
    while complete and (askable := question_states(pack, answers).askable):
        for qid in askable:
            answers[qid] = draw(answer_for(pack.question_by_id[qid], calm))
    return answers


def closed_questions(pack: CompiledPack, answers: Mapping[str, Any]) -> list[str]:
    """The questions the answers' gates close (the questionnaire would not ask them)."""
    states = question_states(pack, answers)
    open_ = set(states.applicable) | states.pending | set(states.ignored)
    return [q.id for q in pack.questions if q.id not in open_]


def calm_answer(q: QuestionSpec) -> Any | None:
    """An answer that is never a warning sign, wherever it is given: none of these, or no."""
    if q.type == MULTI:
        return frozenset()
    calm = [o.id for o in q.options if o.id in NO_WORDS]
    return calm[0] if calm else None


@st.composite
def any_answer_sets(draw: st.DrawFn, pack: CompiledPack) -> dict[str, Any]:
    """A walk, a complete set, or a walk cut short (a safety answer may be missing); then,
    sometimes, answers to questions its gates close: "none"/"no" (to be ignored) or "not
    sure" (a warning sign where it does not apply: to be refused, unless no more urgent)."""
    answers = draw(answer_sets(pack))
    if draw(st.integers(0, 3)) == 3:
        keys = list(answers)
        answers = {q: answers[q] for q in keys[:draw(st.integers(1, len(keys)))]}
    closed = closed_questions(pack, answers)
    for qid in draw(st.lists(st.sampled_from(closed), max_size=2, unique=True)) if closed \
            else ():
        q = pack.question_by_id[qid]
        unsure = NOT_SURE in {o.id for o in q.options} and draw(st.integers(0, 2)) == 2
        value = (frozenset({NOT_SURE}) if q.type == MULTI else NOT_SURE) if unsure \
            else calm_answer(q)
        if value is not None:
            answers[qid] = value
    return answers


# ------------------------------------------------------------------ the same set, written out


def plain(value: Any) -> Any:
    """An answer as JSON and YAML write it: a multiple choice as a sorted list."""
    return sorted(value) if isinstance(value, frozenset) else value


def as_json(answers: Mapping[str, Any]) -> str:
    return json.dumps({q: plain(v) for q, v in answers.items()}, indent=1)


def as_yaml(answers: Mapping[str, Any]) -> str:
    """Block-style YAML as people write it: every scalar plain, unquoted (``no`` too); no
    answers at all as ``{}`` (an empty file is no mapping of answers)."""
    lines = [] if answers else ["{}"]
    for q, value in answers.items():
        if isinstance(value, frozenset):
            lines.append(f"{q}: [{', '.join(sorted(value))}]")
        else:
            lines.append(f"{q}: {value}")
    return "\n".join(lines) + "\n"


def csv_cell(value: Any) -> str:
    """A batch CSV cell: several options separated by ``;``, ``none`` for none of them."""
    if isinstance(value, frozenset):
        return ";".join(sorted(value)) or "none"
    return str(value)


def as_csv(rows: list[Mapping[str, Any]], pack: CompiledPack) -> str:
    """One CSV with a column per question of the pack (an empty cell: not answered)."""
    header = ["id", *(q.id for q in pack.questions)]
    lines = [",".join(header)]
    for i, answers in enumerate(rows):
        lines.append(",".join([f"set{i}", *(csv_cell(answers[q.id]) if q.id in answers else ""
                                            for q in pack.questions)]))
    return "\n".join(lines) + "\n"


def as_fhir(answers: Mapping[str, Any], pack: CompiledPack) -> str:
    """A FHIR QuestionnaireResponse (R5) of the answers that apply (what an EHR sends)."""
    from triage.interop.response import questionnaire_response

    when = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    return json.dumps(questionnaire_response(pack, answers, when))


def typed_lines(pack: CompiledPack, answers: Mapping[str, Any], lang: str = "en",
                ) -> str | None:
    """The lines typed at the line-mode questionnaire to give ``answers``, each question
    answered from the set as the flow asks it (an emergency answer confirmed with y, the
    closing Enter and an empty record reference after); None unless the flow asks exactly
    the set's questions (a walk: not a complete set, a cut one, or one with answers to
    questions the gates close)."""
    yes, no = ("o", "n") if lang == "fr" else ("y", "n")
    flow = Flow(pack, lang)
    lines: list[str] = []
    while (q := flow.current) is not None:
        if q.id not in answers:
            return None
        value = answers[q.id]
        lines.append(_typed(q, value, yes, no))
        if flow.stops_with(q.id, value):
            lines.append(yes)  # "You chose ...: is that right?"
        flow.set_answer(q.id, value)
    if set(flow.answers) != set(answers):
        return None
    return "\n".join([*lines, "", ""]) + "\n"


def _typed(q: QuestionSpec, value: Any, yes: str, no: str) -> str:
    if q.type == YES_NO:
        return yes if value == "yes" else no
    options = [o.id for o in q.options]
    if q.type == SINGLE:
        return str(options.index(value) + 1)
    if q.type == MULTI:
        return " ".join(str(options.index(o) + 1) for o in options if o in value) or "0"
    return str(value)
