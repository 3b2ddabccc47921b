"""A number typed by a person (the terminal, the web page) read as the answer files read one,
or :class:`Rejected` with the message to show: the unit repeated, a French decimal comma,
no exponent, no thousands separator."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from triage.engine.answers import NUMBER_MESSAGE_KEYS, number_answer
from triage.pack.specs import QuestionSpec
from triage.untrusted import decimal_number


@dataclass(frozen=True)
class Rejected:
    """Input that is not an answer; ``key`` and ``values`` make the message (triage.i18n)."""

    question: QuestionSpec
    key: str
    values: dict[str, str] = field(default_factory=dict)


# digits grouped by commas in threes: a thousands separator or a decimal comma, no telling
_GROUPED = re.compile(r"[-+]?[0-9]{1,3}(?:,[0-9]{3})+")


def typed_number(question: QuestionSpec, text: str, lang: str) -> Any | Rejected:
    """``text``: stripped and case-folded, as typed."""
    values = {"min": number_text(question.min), "max": number_text(question.max),
              "unit": question.unit.get(lang, "") if question.unit else ""}
    # "45 years" / "45 ans", "1 year" / "1 an": a person may repeat the unit (the longest
    # first: "years" before "year")
    units = [*(question.unit or {}).values(), *(question.unit_one or {}).values()]
    for unit in sorted(units, key=len, reverse=True):
        folded = unit.casefold()
        if folded and text.endswith(folded):
            text = text[: -len(folded)].strip()
            break
    if _GROUPED.fullmatch(text):
        # "1,000": a thousand in English, one in French; read as either it changed an answer
        # without a word (an age of 1,000 was an age of 1)
        return Rejected(question, "number_comma_grouped", values)
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # French decimal comma
    # no exponent: "1e1" typed is a slip, not ten
    number = decimal_number(text, exponent=False)
    if number is None:
        return Rejected(question, "number_expected", values)
    # the judgement files and the API get too: 15.99999999999999999 is no age of 16
    normal, wrong = number_answer(question.shape, number)
    if wrong:
        return Rejected(question, NUMBER_MESSAGE_KEYS[wrong], values)
    return normal


def number_text(v: float | None) -> str:
    """A range bound as a person writes it: ``120``, not ``120.0``."""
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else str(v)
