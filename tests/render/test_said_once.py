"""A result says each thing once (sees audit, item 11): the referral/insurance fact belongs to
the program's referral line alone, and what to watch for never repeats the result's own "when
to seek care" (every case of the bundled pack, English and French, in every format)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from difflib import SequenceMatcher
from html import unescape

import pytest

from triage.engine.evaluate import Outcome
from triage.engine.policy import THERAPY
from triage.engine.refusal import screen_answers
from triage.pack.bundled import default_pack_dir
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.render.caller import booking_summary, caller_details
from triage.render.report import report_html
from triage.render.result import outcome_markdown, outcome_text

PACK = load_pack(default_pack_dir())
LANGS = ("en", "fr")
# the fact, however it is worded: "you do not need a referral", "no referral is needed", "pas
# besoin de recommandation", "aucune recommandation n'est nécessaire"
REFERRAL = {
    "en": re.compile(r"need (?:a |any )?(?:doctor's )?referral|no referral", re.IGNORECASE),
    "fr": re.compile(r"besoin (?:d'une |de )?recommandation|aucune recommandation",
                     re.IGNORECASE),
}


def _outcomes(pack: CompiledPack) -> Iterator[tuple[str, Outcome]]:
    for case in pack.cases:
        screened = screen_answers(pack, case.answers)
        if screened.outcome is not None:
            yield case.id, screened.outcome


OUTCOMES = list(_outcomes(PACK))


def _texts(outcome: Outcome, lang: str) -> dict[str, str]:
    """Each text a person reads the result in, whole (details and sources included)."""
    html = re.sub(r"<[^>]+>", " ", report_html(outcome, PACK, lang))
    return {
        "terminal": outcome_text(outcome, PACK, lang, plain=True, width=10_000),
        "markdown": outcome_markdown(outcome, PACK, lang),
        "report": unescape(html),
        "caller": booking_summary(outcome, PACK, lang) + "\n" + caller_details(outcome, PACK,
                                                                               lang),
    }


def test_the_bundled_pack_has_cases_of_every_therapy_result() -> None:
    assert {o.disposition for _, o in OUTCOMES} >= set(THERAPY)


@pytest.mark.parametrize("lang", LANGS)
def test_the_referral_fact_is_said_once_on_therapy_results_and_never_elsewhere(
        lang: str) -> None:
    """It was said three times on a therapy result: the action ("You do not need a referral
    to book."), the program's line and the pack's insurance note."""
    wrong = []
    for case_id, outcome in OUTCOMES:
        expected = 1 if outcome.disposition in THERAPY else 0
        for form, text in _texts(outcome, lang).items():
            said = len(REFERRAL[lang].findall(text))
            if said != expected:
                wrong.append(f"{case_id} ({outcome.disposition}, {form}): {said} times")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("lang", LANGS)
def test_the_referral_line_keeps_its_source_in_the_details(lang: str) -> None:
    """The pack's note carried the OPA/OPPQ/MTAM citation: it stays reachable, with the
    details (`d`), in Markdown and in the report, on therapy results only."""
    for case_id, outcome in OUTCOMES:
        texts = _texts(outcome, lang)
        for form in ("terminal", "markdown", "report"):
            cited = "OPPQ" in texts[form]
            assert cited == (outcome.disposition in THERAPY), (case_id, form)
        summary = outcome_text(outcome, PACK, lang, plain=True, part="summary")
        assert "OPPQ" not in summary, case_id  # a source is a detail


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


@pytest.mark.parametrize("lang", LANGS)
def test_what_to_watch_for_never_repeats_when_to_seek_care(lang: str) -> None:
    """Self care said "see a doctor if it lasts more than 3 days" twice (when to seek care and
    the fever note); massage said "see a physiotherapist or a doctor" then "or it gets worse,
    see a doctor". A safety-net note shown with a result says something the result's own
    `if_worse` does not: no two lines share most of their words, and a note leaves getting
    worse to the result."""
    # getting worse in general (not one sign getting worse: "the headache keeps getting worse")
    worse = re.compile({"en": r"\bit gets worse|\byou feel worse",
                        "fr": r"\bcela empire|\bvous sentez plus mal"}[lang])
    wrong = set()
    for case_id, outcome in OUTCOMES:
        if_worse = PACK.text(outcome.advice["if_worse"], lang)
        for note in outcome.safety_net:
            said = PACK.text(note.reason, lang)
            alike = SequenceMatcher(None, _words(if_worse), _words(said)).ratio()
            if alike > 0.5 or (worse.search(if_worse) and worse.search(said)):
                wrong.add(f"{outcome.disposition} / {note.id} ({case_id}): {alike:.2f}")
    assert not wrong, "\n".join(sorted(wrong))


@pytest.mark.parametrize("lang", LANGS)
def test_each_precaution_is_said_once_and_keeps_its_source(lang: str) -> None:
    """A therapy result's precaution was said twice (sees audit 2, item 5): "Tell your
    therapist: Blood thinners: Gentle pressure only..." on the first screen, and again with
    its source under "For your therapist" in the details; a screen reader read both. Now the
    text once, in every format, and its source in the details (the report cites it beside
    it)."""
    from triage.engine.policy import CONTRAINDICATION

    wrong = []
    seen = 0
    for case_id, outcome in OUTCOMES:
        if outcome.disposition not in THERAPY:
            continue
        for rule in outcome.fired_of(CONTRAINDICATION):
            if rule.note is None:
                continue
            note = PACK.text(rule.note, lang)
            seen += 1
            for form, text in _texts(outcome, lang).items():
                if form == "caller":  # the reception summary has its own precautions list
                    continue
                said = " ".join(text.split()).count(" ".join(note.split()))
                if said != 1:
                    wrong.append(f"{case_id} {rule.id} ({form}): {said} times")
                if rule.source.citation not in text:
                    wrong.append(f"{case_id} {rule.id} ({form}): no source")
    assert seen and not wrong, "\n".join(wrong)
