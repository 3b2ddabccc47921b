"""Whether a whole answer set from outside the questionnaire gets a result. Pure.

Every entry point that takes an answer set (``assess --answers``, ``explain``, a pack's test
cases, ``batch``, ``records replay``, ``POST /api/assess``) asks :func:`screen_answers`, so
that none of them gives a result another refuses, and words the refusal with
:func:`sign_messages`, so that they all say it the same way. Two reasons to refuse are looked
for together, so that whoever corrects the answers hears of both at once (not of a warning
sign only after answering the question that was missing):

- a safety question that applies has no answer (:class:`MissingAnswers`: never read as "no");
- an answer to a question that does not apply states a warning sign more urgent than the
  result (:mod:`triage.engine.hidden`): the answers contradict themselves on a safety matter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from triage.engine.evaluate import MissingAnswers, evaluate
from triage.engine.outcome import Outcome
from triage.engine.policy import MEDICAL
from triage.pack.compiled import CompiledPack

if TYPE_CHECKING:  # triage.engine.hidden is imported only for answers it has to look at:
    # `assess --answers` starts for every call, and most answer sets ignore no answer
    from triage.engine.hidden import HiddenWarningSign


@dataclass(frozen=True)
class Screened:
    """What :func:`screen_answers` found.

    ``outcome``: what the answers give (with ``signs``, what the other answers give, the
    ignored ones left out: never to be shown as the result); None when a safety answer is
    missing. ``missing``: the safety questions without an answer (as
    :class:`MissingAnswers` names them). ``signs``: the warning signs stated where they do
    not apply, most urgent first."""

    outcome: Outcome | None
    missing: tuple[str, ...] = ()
    signs: tuple[HiddenWarningSign, ...] = ()

    @property
    def refused(self) -> bool:
        """No result may be given for these answers."""
        return bool(self.missing or self.signs)


def screen_answers(pack: CompiledPack, answers: Mapping[str, Any]) -> Screened:
    """:func:`evaluate` ``answers``, then look for the warning signs its ignored answers
    state, also when a safety answer is missing. Answers in any form ``evaluate`` takes
    (AnswersNotNormalised for those it refuses)."""
    try:
        outcome = evaluate(pack, answers)
    except MissingAnswers as exc:
        from triage.engine.hidden import hidden_warning_signs_with_gaps

        return Screened(None, tuple(exc.questions), hidden_warning_signs_with_gaps(pack, answers))
    if not outcome.ignored_answers:  # (only then: the common answer set pays for this test)
        return Screened(outcome)
    from triage.engine.hidden import hidden_warning_signs

    return Screened(outcome, (), hidden_warning_signs(pack, answers, outcome))


def screen_readable(pack: CompiledPack, valid: Mapping[str, Any],
                    refused: Mapping[str, Any]) -> tuple[Screened, dict[str, Any]]:
    """:func:`screen_answers` of answers some of which ``pack`` refuses: ``valid``, the
    others in normal form, and ``refused``, question id -> the answer as given, for the
    answers it refuses (unknown questions among them are passed over). A warning sign
    stated where it does not apply must refuse the answers whatever else is wrong with them
    (a resumed session, a file, a batch row, a record or an API body), and named with the
    other problems: so what can be read of a refused answer to a question that does not
    apply with the valid answers (:func:`~triage.engine.answers.readable_part`) is looked
    at too; one to a question that applies is to be answered again, not read. Returns the
    screening and those readable parts (normal form, by question id)."""
    from triage.engine.answers import readable_part
    from triage.engine.evaluate import question_states

    read: dict[str, Any] = {}
    for qid, raw in refused.items():
        shape = pack.shapes.get(qid) if isinstance(qid, str) else None
        part = None if shape is None or qid in valid else readable_part(shape, raw)
        # (a question's own answer never opens or closes it: its gate reads earlier ones)
        if part is not None and qid in question_states(pack, {**valid, qid: part}).ignored:
            read[qid] = part
    return screen_answers(pack, {**valid, **read}), read


def sign_messages(pack: CompiledPack, screened: Screened,
                  answers: Mapping[str, Any] | None = None, *, already: bool = True,
                  ) -> list[tuple[str, str]]:
    """``(question, message)`` for every question that states each of ``screened.signs``:
    the one wording of this refusal. ``answers``: quote each answer (in normal form: option
    ids or a number) from them, for whoever wrote the file; without them the message names
    questions and red flags only (a batch row, a stored record, the API: their output
    travels further). ``already``: end each message with what the other answers already
    give, when that is a medical result (refusing must never hide it); a caller that says
    so once for several messages passes False."""
    from triage.engine.hidden import hidden_sign_text
    from triage.i18n_said import Said

    suffix = already_text(screened) if already else ""
    return [(q, Said("then", first=hidden_sign_text(
                pack, sign, q, None if answers is None else answers[q]), then=suffix))
            for sign in screened.signs for q in sign.questions]


def already_text(screened: Screened) -> str:
    """" (the other answers already give ...)" when they make a medical result certain."""
    from triage.engine.hidden import already_given_text

    outcome = screened.outcome
    if outcome is None or outcome.disposition not in MEDICAL:
        return ""
    return already_given_text(outcome.disposition, outcome.main_red_flag)
