"""Answers in words: an option as it is read (in the patient's words, or in reception mode
as staff read it about the patient), an answer, and the questions with their answers in the
questionnaire's order. One place, so an answer reads the same wherever it is shown again."""

from __future__ import annotations

from typing import Any

from triage.engine.evaluate import Outcome
from triage.i18n import t
from triage.i18n_counts import singular
from triage.pack.compiled import CompiledPack
from triage.pack.specs import OptionSpec, QuestionSpec


def option_text(pack: CompiledPack, option: OptionSpec, lang: str, *,
                caller: bool = False) -> str:
    """An option as it is read: ``caller``, as reception staff read it about the patient
    ("Yes, their doctor knows"), when the pack words it so; the patient's own words else."""
    return pack.text(option.caller_text if caller and option.caller_text else option.text, lang)


def answer_text(pack: CompiledPack, qid: str, value: Any, lang: str, *,
                caller: bool = False) -> str:
    """An answer in words; ``caller``: in the words staff read out (:func:`option_text`), so
    an answer echoed, reviewed or listed reads as the option did."""
    q = pack.question_by_id.get(qid)
    if q is None:
        return str(value)
    if q.type == "yes_no":
        return t(str(value), lang)
    if q.type in ("single", "multi"):
        by_id = {o.id: option_text(pack, o, lang, caller=caller) for o in q.options}
        chosen = set(value) if isinstance(value, frozenset | list | set) else {value}
        values = [o.id for o in q.options if o.id in chosen]  # in the order the person saw
        return ", ".join(by_id[v] for v in values) or t("none_of_these", lang)
    shown = int(value) if isinstance(value, float) and value.is_integer() else value
    return f"{shown} {number_unit(pack, q, shown, lang)}".strip()


def number_unit(pack: CompiledPack, question: QuestionSpec, value: Any, lang: str) -> str:
    """The unit after ``value``: its singular (``unit_one``) where the language says so
    ("1 year", "1 an", "0 an"), never "1 years" or "1 ans"."""
    one = isinstance(value, int | float) and not isinstance(value, bool) and \
        singular(value, lang)
    return pack.text(question.unit_one if one and question.unit_one else question.unit, lang)


def short_question(text: str) -> str:
    """A question without its instructions: up to its question mark when it has one."""
    end = text.find("?")
    return text[: end + 1] if end > 0 else text


def asked_and_answered(question: str, answer: str, lang: str) -> str:
    """One line that reads question, then answer: after a question mark a space, otherwise
    the colon (a screen reader pauses at either). The answer starts with a capital, as
    after any question mark ("None of these" on the review, a record and the result alike)."""
    return f"{question}{' ' if question.endswith('?') else t('colon', lang)}{capitalised(answer)}"


def answer_pairs(outcome: Outcome, pack: CompiledPack, lang: str, *,
                 skip: tuple[Any, ...] = (), caller: bool = False) -> list[tuple[str, str]]:
    """(the question without its instructions, the answer) in the questionnaire's order,
    less the answers in ``skip``; ``caller``: the questions as staff read them out ("How old
    is the person?"). The answer starts with a capital: it follows a question mark ("None of
    these", not "none of these" run on after "Choose all that apply.")."""
    out = []
    for qid, value in _in_question_order(pack, outcome.answers):
        if value in skip:
            continue
        answer = answer_text(pack, qid, value, lang, caller=caller)
        question = pack.question_by_id[qid]
        asked = question.caller_text if caller and question.caller_text else question.text
        out.append((short_question(pack.text(asked, lang)), capitalised(answer)))
    return out


def capitalised(answer: str) -> str:
    """An answer as it reads after a question mark: its first letter a capital."""
    return answer[:1].upper() + answer[1:]


def _in_question_order(pack: CompiledPack, answers: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(q.id, answers[q.id]) for q in pack.questions if q.id in answers]
