"""The complete-answer code (``_outcome_fast``, see triage.pack.codegen) on answers it cannot
finish: None, not an exception, when an answer that applies is missing."""

from __future__ import annotations

import pytest

from tests.engine.test_partial_compiled import outcome_or_error
from triage.engine.evaluate import evaluate, evaluate_interpreted, question_states
from triage.pack.load import load_pack


def test_answers_stopped_after_the_questions_always_asked_get_none() -> None:
    """Answers to every question always asked that lack one behind a gate that holds (a
    questionnaire stopped on a red flag): None, and evaluate() goes on to the three-valued
    code, with the interpreter's outcome. A KeyError raised out of the code's frame would
    keep the frame, with its hundreds of locals, for the traceback."""
    pack = load_pack(None, use_cache=False)
    pack.warm_up()
    evaluate(pack, dict(pack.cases[0].answers))  # makes pack.fast_outcome
    fast = pack.fast_outcome
    assert fast is not None
    always = {q.id for q in pack.questions if q.ask_if is None}
    stopped = [dict(c.answers) for c in pack.cases if always <= c.answers.keys()
               and question_states(pack, dict(c.answers)).pending]
    assert stopped
    for answers in stopped:
        assert fast(answers) is None
        assert outcome_or_error(evaluate, pack, answers) == \
            outcome_or_error(evaluate_interpreted, pack, answers)
    complete = next(dict(c.answers) for c in pack.cases
                    if not question_states(pack, dict(c.answers)).pending)
    assert fast(complete) is not None
    with pytest.raises(KeyError):  # an answer to no question: raised, to be refused
        fast({**complete, "no_such_question": "yes"})
