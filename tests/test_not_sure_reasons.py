"""A rule that holds because of a "not sure" says so, wherever its reason is shown.

"Not sure" on a safety question counts as yes. A person sent to the emergency department for a
"not sure" about the cauda equina signs read "New bladder, bowel or sexual problems ... can
mean pressure on the nerves" with nothing about their doubt: sure they have none of these,
they may discard the advice (audit "a result a person sees", 2nd round, item 4). Over the
bundled pack's test cases and random complete answer sets that lean on "not sure":

- which "not sure" answers made a rule hold is worked out here on its own, by evaluating the
  same answers again with each "not sure" made definite (a single choice: every other option;
  a multiple choice: the box unticked, the others kept) -- not from the engine's
  ``Outcome.doubts``, which this checks;
- every such rule whose reason is among the result's reasons ("Why", in English and French)
  says "not sure" there, and the reception summary's line for it says that the caller
  answered "not sure" (beyond its name: "Child who can't walk (or not sure)" names the rule,
  not what the caller said);
- a reason names back or neck pain only when the person gave a place where that is true (a
  problem with no place chosen counts as every place for the safety questions; its reasons
  must not tell the person they said their back hurts).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import REPO_ROOT
from triage.conditions.tree import MULTI, NUMBER, SINGLE
from triage.engine.evaluate import MissingAnswers, Outcome, evaluate
from triage.engine.policy import NOT_SURE
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.pack.specs import CaseSpec
from triage.render.caller import booking_summary
from triage.render.result import rule_name, sections

PACK = load_pack(REPO_ROOT / "rules", use_cache=False)

# what says "not sure" in each language (the pack's own option reads "Je ne sais pas", the
# caller's "Ne sait pas"; reasons "vous ne saviez pas", "si vous ne savez pas")
SAYS_NOT_SURE = {"en": re.compile(r"\bnot sure\b", re.IGNORECASE),
                 "fr": re.compile(r"\bne (le )?(sais|sait|savez|saviez|savait)\b",
                                  re.IGNORECASE)}


def _definite(pack: CompiledPack, qid: str, value: Any) -> list[Any]:
    """The answers that say the same without the doubt."""
    if isinstance(value, frozenset):
        return [value - {NOT_SURE}] if NOT_SURE in value else []
    if value != NOT_SURE:
        return []
    return [o.id for o in pack.question_by_id[qid].options if o.id != NOT_SURE]


def fired_by_doubt(pack: CompiledPack, answers: Mapping[str, Any],
                   outcome: Outcome) -> dict[str, set[str]]:
    """rule id -> the questions whose "not sure" it holds for: with some definite answer in
    its place (evaluated again, as the questionnaire would: the questions that answer hides
    are dropped), the rule does not hold. An answer set the definite answer leaves without
    an answer to a safety question it opens tells nothing, and is passed over."""
    fired = {r.id for r in outcome.fired}
    out: dict[str, set[str]] = {}
    for qid, value in outcome.answers.items():
        for other in _definite(pack, qid, value):
            try:
                again = evaluate(pack, {**answers, qid: other})
            except MissingAnswers:
                continue
            for rule_id in fired - {r.id for r in again.fired}:
                out.setdefault(rule_id, set()).add(qid)
    return out


def _why(outcome: Outcome, pack: CompiledPack, lang: str) -> tuple[str, ...]:
    return next((s.items for s in sections(outcome, pack, lang) if s.cited and s.detail
                 and s.items and s.title in {"Why", "Pourquoi"}), ())


def _caller_reasons(outcome: Outcome, pack: CompiledPack, lang: str) -> list[str]:
    lines = booking_summary(outcome, pack, lang).splitlines()
    title = {"en": "Reasons:", "fr": "Raisons :"}[lang]
    if title not in lines:
        return []
    items = []
    for line in lines[lines.index(title) + 1:]:
        if not line.startswith("- "):
            break
        items.append(line[2:])
    return items


def check_not_sure_is_said(pack: CompiledPack, answers: Mapping[str, Any]) -> None:
    try:
        outcome = evaluate(pack, answers)
    except MissingAnswers:
        return
    doubts = fired_by_doubt(pack, answers, outcome)
    if not doubts:
        return
    held = {r.id: r for r in outcome.fired}
    for lang in pack.languages:
        why = _why(outcome, pack, lang)
        caller = _caller_reasons(outcome, pack, lang)
        for rule_id, questions in sorted(doubts.items()):
            rule = held[rule_id]
            reason = pack.text(rule.reason, lang)
            shown = [item for item in why if reason in item]
            for item in shown:  # a reason shown (not only named: "Also found: ...")
                assert SAYS_NOT_SURE[lang].search(item), (
                    f"{rule_id} holds because of 'not sure' to {sorted(questions)}, and its "
                    f"reason ({lang}) does not say so: {item}")
            name = rule_name(pack, rule, lang)
            for line in (c for c in caller if c.startswith(name) and shown):
                assert SAYS_NOT_SURE[lang].search(line[len(name):]), (
                    f"{rule_id}: the reception summary ({lang}) names it, not the caller's "
                    f"'not sure' to {sorted(questions)}: {line}")


# what tells a person where their problem is, at the start of a sentence of a reason ("Back or
# neck pain with a fever can be..."), and the places chosen that make it true ("Many places,
# or all over" is every place); a problem with no place chosen makes none of them true
_PLACE_CLAIMS: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = (
    (re.compile(r"(^|\. )(constant )?(back or neck|neck or back) pain\b", re.IGNORECASE),
     frozenset({"neck", "upper_back", "low_back", "whole_body"})),
    (re.compile(r"(^|\. )(constant )?back pain\b", re.IGNORECASE),
     frozenset({"upper_back", "low_back", "whole_body"})),
    (re.compile(r"(^|\. )neck pain or headache\b", re.IGNORECASE),
     frozenset({"neck", "head", "whole_body"})),
    (re.compile(r"(^|\. )neck pain\b(?! or headache)", re.IGNORECASE),
     frozenset({"neck", "whole_body"})),
    (re.compile(r"\bwith a neck, back or arm problem\b", re.IGNORECASE),
     frozenset({"neck", "upper_back", "low_back", "arm", "whole_body"})),
)


def check_places_said_were_given(pack: CompiledPack, answers: Mapping[str, Any]) -> None:
    try:
        outcome = evaluate(pack, answers)
    except MissingAnswers:
        return
    given = outcome.answers.get("areas") or frozenset()
    for text in _why(outcome, pack, "en"):
        said = re.sub(r"\[[^]]*\]$", "", text)  # not the source
        for claim, places in _PLACE_CLAIMS:
            assert not claim.search(said) or given & places, (
                f"the places chosen ({sorted(given) or 'none'}) do not say this: {said}")


@pytest.mark.parametrize("case", PACK.cases, ids=[c.id for c in PACK.cases])
def test_a_rule_a_not_sure_made_hold_says_so_in_the_pack_cases(case: CaseSpec) -> None:
    check_not_sure_is_said(PACK, case.answers)
    check_places_said_were_given(PACK, case.answers)


@st.composite
def leaning_on_not_sure(draw: st.DrawFn, pack: CompiledPack) -> dict[str, Any]:
    """An answer to every question (those that do not apply are dropped by the engine), "not
    sure" often where a question has it, no place half the time."""
    out: dict[str, Any] = {}
    for q in pack.questions:
        ids = [o.id for o in q.options]
        if q.type == MULTI:
            chosen = set(draw(st.frozensets(st.sampled_from(ids), max_size=2)))
            if NOT_SURE in ids and draw(st.integers(0, 3)) == 0:
                chosen.add(NOT_SURE)
            out[q.id] = frozenset(chosen)
        elif q.type == NUMBER:
            low, high = int(q.min or 0), int(q.max or 0)
            out[q.id] = draw(st.sampled_from([low, 1, 2, 10, 15, 30, 45, 55, 66, 80, high]))
        elif q.type == SINGLE:
            doubt = NOT_SURE in ids and draw(st.integers(0, 2)) == 0
            out[q.id] = NOT_SURE if doubt else draw(st.sampled_from(ids))
        else:
            out[q.id] = draw(st.sampled_from(["yes", "no"]))
    if draw(st.booleans()):
        out["areas"] = draw(st.sampled_from([frozenset(), frozenset({"whole_body"})]))
    return out


@pytest.mark.long(19)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(leaning_on_not_sure(PACK))
def test_a_rule_a_not_sure_made_hold_says_so_on_any_answers(answers: dict[str, Any]) -> None:
    check_not_sure_is_said(PACK, answers)
    check_places_said_were_given(PACK, answers)
