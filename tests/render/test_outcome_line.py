"""The closing line: the one line that stays on the screen says when, once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from triage.engine.evaluate import MissingAnswers, Outcome, evaluate
from triage.i18n import t
from triage.pack.load import load_pack
from triage.render.result import outcome_line, outcome_text, result_keys

PACK = load_pack(Path(REPO_ROOT) / "rules", use_cache=False)


def _one_outcome_per_disposition() -> dict[str, Outcome]:
    found: dict[str, Outcome] = {}
    for case in PACK.cases:
        try:
            found.setdefault(case.expect, evaluate(PACK, case.answers))
        except MissingAnswers:
            continue
    return found


OUTCOMES = _one_outcome_per_disposition()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_closing_line_says_when_once(lang: str) -> None:
    """"Get medical care today: today." said it twice: a label that already says when is
    the whole line; one that does not is followed by when."""
    assert {"same_day", "doctor_soon", "physiotherapy"} <= set(OUTCOMES)
    for disposition, outcome in OUTCOMES.items():
        line = outcome_line(outcome, PACK, lang)
        when = PACK.text(PACK.dispositions[disposition]["timeframe"], lang)
        first = when.split(",")[0].strip().casefold()
        assert line.casefold().count(first) == 1 or disposition == "emergency", line
    assert outcome_line(OUTCOMES["same_day"], PACK, "en") == "Get medical care today."
    assert outcome_line(OUTCOMES["physiotherapy"], PACK, "en") == (
        "Physiotherapy: within 1 to 2 weeks.")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_closing_line_is_advice(lang: str) -> None:
    """A label is what to do, composed with when: "We need to know more: when convenient."
    spoke of us and said nothing to do. No label speaks as "we"."""
    we = {"en": r"\b(we|us|our)\b", "fr": r"\b(nous|nos|notre)\b"}[lang]
    for disposition, text in PACK.dispositions.items():
        label = PACK.text(text["label"], lang)
        assert not re.search(we, label, re.IGNORECASE), (disposition, label)
    assert outcome_line(OUTCOMES["not_enough_information"], PACK, lang) == {
        "en": "Ask a physiotherapist or your doctor to help you choose: when convenient.",
        "fr": ("Demandez à un physiothérapeute ou à votre médecin de vous aider à choisir : "
               "au moment qui convient."),
    }[lang]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_keys_offer_sources_only_when_d_shows_some(lang: str) -> None:
    """"Type d for details and sources" under a result whose details cite none (no rule
    gave it) promised what `d` does not show."""
    offered = set()
    for disposition, outcome in OUTCOMES.items():
        details = outcome_text(outcome, PACK, lang, plain=True, part="details")
        cites = "[" in details  # a source is cited in brackets after its reason
        keys = result_keys(outcome, PACK, lang)
        assert keys == t("result_keys" if cites else "result_keys_no_sources", lang), disposition
        offered.add(cites)
    assert offered == {True, False}
