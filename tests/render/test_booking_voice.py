"""The booking summary is read by reception staff about a caller: it names rules by their label
and never speaks to the patient ("You were not sure...", "vous"): not in what staff are to tell
the caller either, nor in the result's own name and timeframe (the pack's caller forms:
"Ask someone to drive you" was read out about someone else)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO_ROOT
from triage.engine.evaluate import evaluate
from triage.pack.load import load_pack
from triage.render.caller import booking_summary

PACK = load_pack(REPO_ROOT / "rules", use_cache=False)
SECOND_PERSON = {"en": re.compile(r"\b(you|your)\b", re.IGNORECASE),
                 "fr": re.compile(r"(?<![-\w])(vous|votre|vos)\b", re.IGNORECASE)}


def spoken_to_the_patient(summary: str, lang: str) -> list[str]:
    """Lines in the second person: none, what staff tell the caller included."""
    return [line for line in summary.replace("\xa0", " ").splitlines()
            if SECOND_PERSON[lang].search(line)]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_case_of_the_bundled_pack_speaks_to_the_patient(lang: str) -> None:
    wrong = {}
    for case in PACK.cases:
        found = spoken_to_the_patient(booking_summary(evaluate(PACK, case.answers), PACK, lang),
                                      lang)
        if found:
            wrong[case.id] = found
    assert not wrong, wrong


def test_the_summary_names_the_rules_and_marks_what_to_tell_the_caller() -> None:
    (case,) = [c for c in PACK.cases if "health_history_unsure" in c.fires
               and c.expect == "doctor_soon"][:1]
    summary = booking_summary(evaluate(PACK, case.answers), PACK, "en")
    # by its name, and the answer that made it hold (tests/test_not_sure_reasons.py)
    assert re.search(r"^- Not sure about the health history: the caller answered “not sure” "
                     r"to “Which of these .*”, which we count as yes to be safe$", summary, re.M)
    assert "You were not sure" not in summary and "[" not in summary  # no reasons, no sources
    assert re.search(r"^Tell the caller: The person should book a visit with their doctor",
                     summary, re.M)
