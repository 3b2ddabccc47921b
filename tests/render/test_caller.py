"""The reception summary (`--caller`): what staff read on the phone, checked over every case of
the bundled pack. Nothing safety-relevant is left out (red flags that fired, flags not ruled
out, contraindications), nothing is said twice, urgent results carry nothing routine, and the
long lists of flags checked are a count that points to where they are in full."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

import pytest

from tests.conftest import REPO_ROOT
from triage.engine.evaluate import Outcome, evaluate
from triage.engine.policy import (
    CONTRAINDICATION,
    HELD,
    RED_FLAG,
    STRIKE_SOFT_TISSUE,
    THERAPY,
    URGENT,
    rule_said_how,
)
from triage.i18n import t
from triage.pack.load import load_pack
from triage.pack.specs import RuleSpec
from triage.render.caller import (
    NO_MATCH,
    ListsAt,
    booking_summary,
    caller_details,
    caller_result_keys,
)
from triage.render.result import rule_name

PACK = load_pack(REPO_ROOT / "rules", use_cache=False)


@cache
def outcomes() -> list[tuple[str, Outcome]]:
    return [(case.id, evaluate(PACK, case.answers)) for case in PACK.cases]


def items(summary: str, title_key: str, lang: str = "en") -> list[str]:
    """The ``- item`` lines under a title of the summary."""
    lines = summary.splitlines()
    head = f"{t(title_key, lang)}{t('colon', lang).rstrip()}"
    if head not in lines:
        return []
    out = []
    for line in lines[lines.index(head) + 1:]:
        if not line.startswith("- "):
            break
        out.append(line[2:])
    return out


def names(rules: Iterable[RuleSpec], lang: str = "en") -> list[str]:
    return [rule_name(PACK, r, lang) for r in rules]


def test_the_disposition_and_how_soon_come_first_and_what_to_book_last() -> None:
    for case_id, outcome in outcomes():
        lines = booking_summary(outcome, PACK, "en").splitlines()
        # the pack's words about the patient (caller_label...), else its own
        label = PACK.advice_text(outcome.disposition, "label", "en", caller=True)
        if outcome.disposition == NO_MATCH:  # the pack's label is the patient's next step
            label = t("caller_label_" + NO_MATCH, "en")
        timeframe = PACK.advice_text(outcome.disposition, "timeframe", "en", caller=True)
        assert lines[1] == f"Disposition: {label}", case_id
        when = "Suggested first appointment" if outcome.disposition in THERAPY else "How soon"
        assert lines[2] == f"{when}: {timeframe}", case_id
        book = t("book_" + outcome.disposition, "en", call_911=t("caller_call_911", "en"))
        assert lines[-1] == f"Book: {book}", case_id
        if outcome.disposition not in THERAPY | {NO_MATCH}:  # what to tell the caller now
            action = PACK.advice_text(outcome.disposition, "action", "en", caller=True)
            assert lines[3].startswith(f"Tell the caller: {action}"), case_id


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_nothing_safety_relevant_is_left_out(lang: str) -> None:
    """Every red flag that fired is named (not one of self care next to "today", which is
    routine there); every flag not ruled out is listed, in full; every contraindication is
    there (all of them with a therapy result or one not needed today, but one that rules
    massage out not next to self care, no therapy at all); none next to care today or
    sooner, where therapy is not booked (those that rule massage out were named there)."""
    checked = 0
    for case_id, outcome in outcomes():
        summary = booking_summary(outcome, PACK, lang).replace("\xa0", " ")
        reasons = items(summary, "caller_reasons", lang)
        # as the policy names them: not a flag of no medical level next to care today
        # (policy.said_how: "Also found: Cold, flu..." under "call 911" is routine)
        named = [r for r in outcome.fired_of(RED_FLAG)
                 if rule_said_how(outcome.disposition, r) != HELD]
        for name in names(named, lang):
            assert any(name.replace("\xa0", " ") in r for r in reasons), (case_id, name)
        if outcome.disposition == "emergency":  # "call 911" and nothing else to act on
            assert not items(summary, "caller_flags_unsure", lang), case_id
            assert not items(summary, "caller_contraindications", lang), case_id
            continue
        unsure = names(outcome.red_flags_unsure, lang)
        assert items(summary, "caller_flags_unsure", lang) == [
            n.replace("\xa0", " ") for n in unsure], case_id
        checked += bool(unsure)
        fired = outcome.fired_of(CONTRAINDICATION)
        if outcome.disposition in THERAPY:
            told = " ".join(items(summary, "caller_precautions", lang))
            wanted = fired
        else:
            # a strike not next to self care, which is no therapy at all for now (sees
            # audit 2, item 13: its flag already says so)
            wanted = tuple(r for r in fired if outcome.disposition not in URGENT and (
                r.effect != STRIKE_SOFT_TISSUE or outcome.disposition != "self_care"))
            # exactly those (nothing routine next to "today"), each named once: among the
            # reasons when a red flag has the same name
            assert items(summary, "caller_contraindications", lang) == [
                n.replace("\xa0", " ") for n in names(wanted, lang)
                if n.replace("\xa0", " ") not in reasons], case_id
            told = " ".join(items(summary, "caller_contraindications", lang) + reasons)
        for name in names(wanted, lang):
            assert name.replace("\xa0", " ") in told, (case_id, name)
    assert checked >= 5  # the pack's cases do leave flags open


def test_each_precaution_is_said_once() -> None:
    for case_id, outcome in outcomes():
        lines = booking_summary(outcome, PACK, "en").splitlines()
        for rule in outcome.fired_of(CONTRAINDICATION):
            name = rule_name(PACK, rule, "en")
            said = [x for x in lines if x == f"- {name}" or x.startswith(f"- {name}: ")]
            assert len(said) <= 1, (case_id, rule.id)
            if rule.note is not None:
                note = PACK.text(rule.note, "en")
                assert sum(note in x for x in lines) <= 1, (case_id, rule.id)


def test_urgent_results_carry_nothing_routine() -> None:
    routine = (t("caller_referral", "en"), t("caller_precautions", "en"), "insurance",
               "referral", "technique")
    seen = set()
    for case_id, outcome in outcomes():
        summary = booking_summary(outcome, PACK, "en")
        assert t("caller_not_diagnosis", "en") in summary, case_id
        if outcome.disposition in URGENT:
            seen.add(outcome.disposition)
            for word in routine:
                assert word.lower() not in summary.lower(), (case_id, word)
            assert summary.splitlines()[-1].startswith("Book: No booking"), case_id
            details = caller_details(outcome, PACK, "en")
            assert t("caller_notes", "en") not in details, case_id  # booking advice
        elif outcome.disposition in THERAPY:
            assert t("caller_referral", "en") in summary, case_id
    assert seen == URGENT


def test_the_flags_checked_are_counted_not_listed() -> None:
    """~30 names read out on every call hide the few that matter: a count, and where the
    full lists are (the details, the record, the report, JSON)."""
    for case_id, outcome in outcomes():
        summary = booking_summary(outcome, PACK, "en")
        assert "Warning signs checked and not present" not in summary, case_id
        assert "Not asked" not in summary, case_id
        absent, not_asked = len(outcome.red_flags_absent), len(outcome.red_flags_not_asked)
        counted = re.search(r"^Other warning signs: (.*)\. Full lists: (.*)\.$", summary, re.M)
        if outcome.disposition == "emergency":
            assert counted is None, case_id
            continue
        assert counted is not None, case_id
        assert (f"{absent} checked and not present" in counted[1]) == bool(absent), case_id
        assert (f"{not_asked} not asked" in counted[1]) == bool(not_asked), case_id
        # nothing is being saved: no record to point to, only the same answers again
        assert counted[2] == t("caller_lists_again", "en"), case_id
        assert "records" not in summary, case_id
        for name in names(outcome.red_flags_absent + outcome.red_flags_not_asked):
            if name not in names(outcome.fired + outcome.red_flags_unsure):
                assert f"- {name}\n" not in summary, (case_id, name)
        # the details (d) have them in full
        details = caller_details(outcome, PACK, "en")
        for name in names(outcome.red_flags_absent + outcome.red_flags_not_asked):
            assert f"- {name}\n" in details, (case_id, name)


def test_the_summary_is_about_the_patient_not_to_them() -> None:
    """No patient-voice block: no "Your answers", "Tell your therapist", techniques or
    sources in what staff read."""
    for case_id, outcome in outcomes():
        summary = booking_summary(outcome, PACK, "en")
        for patient_voice in ("Your answers", "Tell your therapist", "For your therapist",
                              "What the therapist may use", "Result:", "["):
            assert patient_voice not in summary, (case_id, patient_voice)


def test_the_details_read_the_questions_as_staff_ask_them() -> None:
    case_id, outcome = outcomes()[0]
    details = caller_details(outcome, PACK, "en")
    for qid in outcome.answers:
        question = PACK.question_by_id[qid]
        if question.caller_text is not None:
            asked = PACK.text(question.caller_text, "en")
            assert asked[: asked.find("?") + 1] in details, (case_id, qid)


def test_the_caller_is_told_what_to_watch_for() -> None:
    """When it gets worse (the result's own advice), told with what to do, and what to watch
    for: this presentation's warning signs, never the instruction (sees audit 2, item 15:
    "Tell the caller to watch for: - If it gets worse on the way or while you wait, call
    911.", a sign read out that is none)."""
    for case_id, outcome in outcomes():
        summary = booking_summary(outcome, PACK, "en")
        told = items(summary, "caller_watch_for")
        advice = {k: PACK.advice_text(outcome.disposition, k, "en", caller=True)
                  for k in outcome.advice}
        worse = advice["if_worse"]
        tell = [x for x in summary.splitlines() if x.startswith("Tell the caller: ")]
        if outcome.disposition == "emergency":  # nothing is worse than "call 911"
            assert worse not in summary, case_id
        elif worse != advice["action"]:
            assert len(tell) == 1 and tell[0].endswith(f" {worse}"), case_id
        said = [PACK.text(r.caller_reason or r.reason, "en") for r in outcome.safety_net]
        assert told == [x for x in said if outcome.disposition in THERAPY
                        or x != advice["action"]], case_id


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_title_says_what_the_summary_is_for(lang: str) -> None:
    """"Booking summary" only above a therapy to book: above "call 911" or "see a doctor
    today" it is what to tell the caller now, and above a doctor first (or self care) a call
    with nothing to book yet."""
    seen = set()
    for case_id, outcome in outcomes():
        title = booking_summary(outcome, PACK, lang).splitlines()[0].replace("\xa0", " ")
        disposition = outcome.disposition
        key = ("caller_summary" if disposition in THERAPY else
               "caller_summary_urgent" if disposition in URGENT else "caller_summary_not_yet")
        assert title == t(key, lang), (case_id, title)
        seen.add(key)
    assert seen == {"caller_summary", "caller_summary_urgent", "caller_summary_not_yet"}
    assert "book" not in t("caller_summary_urgent", "en").casefold()
    assert "rendez-vous" not in t("caller_summary_urgent", "fr")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_keys_name_only_what_d_shows(lang: str) -> None:
    """`d` shows the warning sign lists, the booking advice and the answers only when this
    result has them: after "call 911" there are no lists (the questionnaire stopped), next to
    care today no booking advice; the keys say so."""
    named = {kind: t(f"caller_keys_{kind}", lang) for kind in ("flags", "notes", "answers")}
    titles = {"flags": [t(k, lang) for k in ("flags_absent", "caller_flags_not_asked",
                                             "flags_unchecked")],
              "notes": [t("caller_notes", lang)], "answers": [t("caller_answers", lang)]}
    said = set()
    for case_id, outcome in outcomes():
        keys = caller_result_keys(outcome, PACK, lang)
        details = caller_details(outcome, PACK, lang).replace("\xa0", " ")
        for kind, words in named.items():
            shown = any(f"\n{title}{t('colon', lang).rstrip()}\n" in details
                        for title in titles[kind])
            assert (words in keys) == shown, (case_id, kind, keys)
            said.add((kind, shown))
        if outcome.disposition == "emergency":
            assert keys == t("caller_result_keys", lang, what=named["answers"]), case_id
    assert said == {(k, s) for k in named for s in (True, False)} - {("answers", False)}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_caller_911_instruction_is_the_one_rule(lang: str) -> None:
    """The check, the stop at the check, the stop before a result, the emergency stop and
    what to book all tell staff the same thing to do."""
    from triage.render import prompts, stops

    rule = t("caller_call_911", lang)
    look = prompts.Look(lang, caller=True)
    question = PACK.question_by_id["emergency_signs"]
    value = frozenset({"chest_pain"})
    said = stops.said(PACK, question, value, look)
    emergency = next(o for _, o in outcomes() if o.disposition == "emergency")
    texts = [stops.confirm_stop(PACK, question, value, look), stops.emergency(look),
             stops.stopped_at_check(said, look),
             t("stopped_caller", lang, call_911=stops.caller_call_911(lang)),
             booking_summary(emergency, PACK, lang).splitlines()[-1]]
    for text in texts:
        assert rule in " ".join(text.split()).replace("\xa0", " "), text
    # what the caller said, never what the person at the keyboard chose
    assert said.startswith(t("caller_said", lang, answer="").strip().rstrip(":").strip())
    assert t("you_chose", lang, answer="").strip().rstrip(":").strip() not in texts[0]


# what a watch-for item is: a sign and what to do if it comes ("If it gets worse on the way,
# call 911", "Call 911 for a stiff neck..."); "even if" is no condition
CONDITION = {"en": re.compile(r"\b(?<!even )(if|for)\b", re.IGNORECASE),
             "fr": re.compile(r"(?<!même )\b(si|en cas)\b", re.IGNORECASE)}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_urgent_summary_watches_for_signs_not_the_instruction_again(lang: str) -> None:
    """"Tell the caller to watch for: Call 911 now, even if the signs went away." is no sign
    to watch for: it is the instruction again. Next to "call 911" there is nothing to watch
    for; next to the emergency department or a doctor today every item names a sign or a
    change, and none repeats what to tell the caller now."""
    seen = set()
    for case_id, outcome in outcomes():
        if outcome.disposition not in URGENT:
            continue
        summary = booking_summary(outcome, PACK, lang).replace("\xa0", " ")
        told = items(summary, "caller_watch_for", lang)
        if outcome.disposition == "emergency":
            assert not told, (case_id, told)
            assert t("caller_watch_for", lang) not in summary, case_id
            continue
        action = PACK.text(outcome.advice["action"], lang)
        for item in told:
            assert CONDITION[lang].search(item), (case_id, item)
            assert item != action.replace("\xa0", " "), (case_id, item)
        seen.add(outcome.disposition)
    assert seen == URGENT - {"emergency"}
    for lang_, said in (("en", "Call 911 now, even if the signs went away."),
                        ("fr", "Appelez le 911 maintenant, même si les signes ont disparu.")):
        assert not CONDITION[lang_].search(said)  # the old line, caught


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_match_gives_one_next_step_said_once(lang: str) -> None:
    """The answers matched no therapy: the pack's next step for the patient ("a
    physiotherapist or your doctor can help you decide") is not said next to the desk's own
    ("a clinician should call the caller back"): one step, once, as what to book, last."""
    cases = [(c, o) for c, o in outcomes() if o.disposition == NO_MATCH]
    assert cases
    for case_id, outcome in cases:
        summary = booking_summary(outcome, PACK, lang)
        lines = summary.splitlines()
        for key in ("label", "action"):
            assert PACK.text(outcome.advice[key], lang) not in summary, (case_id, key)
        # what to tell the caller is only what to do if it gets worse (no next step)
        told = [x.replace("\xa0", " ") for x in lines
                if x.replace("\xa0", " ").startswith(t("caller_tell", lang) + t("colon", lang))]
        assert told == [f"{t('caller_tell', lang)}{t('colon', lang)}"
                        f"{PACK.advice_text(NO_MATCH, 'if_worse', lang, caller=True)}"], case_id
        step = t("book_" + NO_MATCH, lang)
        assert lines[-1].endswith(step.replace(" :", "\xa0:")), (case_id, lines[-1])
        assert summary.count(step.split(t("colon", lang))[-1]) == 1, case_id
        assert lines[1].endswith(t("caller_label_" + NO_MATCH, lang)), case_id


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_full_lists_are_where_the_summary_says(lang: str) -> None:
    """A record is named only when one is being saved, by its real id; `d` only while the
    questionnaire is on the screen; else a report or JSON of the same answers."""
    case_id, outcome = next((c, o) for c, o in outcomes() if o.red_flags_absent
                            and o.disposition != "emergency")

    def where(lists: ListsAt) -> str:
        line = next(x for x in booking_summary(outcome, PACK, lang, lists).splitlines()
                    if x.startswith(t("caller_flags_counts", lang, counts="", where="")[:12]))
        return line.replace("\xa0", " ").split(t("colon", lang))[-1].rstrip(".")

    assert where(ListsAt()) == t("caller_lists_again", lang), case_id
    assert "ID" not in where(ListsAt()) and "records show" not in where(ListsAt())
    recorded = where(ListsAt("7k3m9pxd2q4t"))
    assert recorded == t("caller_lists_record", lang, id="7k3m9pxd2q4t"), recorded
    assert recorded.count("7k3m9pxd2q4t") == 2  # the record and the command that shows it
    assert where(ListsAt(details_key=True)) == t("caller_lists_key", lang)
    assert where(ListsAt("7k3m9pxd2q4t", details_key=True)) == (
        t("caller_lists_record", lang, id="7k3m9pxd2q4t") + t("caller_lists_or", lang)
        + t("caller_lists_key", lang))


@pytest.mark.parametrize(("history", "said"), [
    (["steroids"], "Arthritis flare with a weak immune system or after an operation"),
    (["not_sure"],
     "Arthritis flare with a weak immune system or after an operation (or not sure)")])
def test_a_reason_is_named_as_the_caller_said_it(history: list[str], said: str) -> None:
    """Read out as "(or not sure)" after the caller said "long-term steroids": the reasons
    name what was said (the rule's definite label), the doubt only when there was one."""
    answers = {"emergency_signs": [], "age": 40, "recent_stroke_signs": "no",
               "areas": ["knee"], "today_signs": ["arthritis_flare"], "health_history": history,
               "injury": "none", "other_symptoms": [], "conditions": [],
               "pregnancy_signs": [], "myelopathy_signs": [], "bladder_bowel": [],
               "exertion_pain_later": "no",
               "can_walk_4_steps": "yes", "leg_injury_signs": [], "wound_signs": [],
               "duration": "under_6_weeks", "head_injury": "no",  # asked on not sure (0.2.22)
               "artificial_joint": "no"}  # asked after a flare (0.2.23)
    if "not_sure" in history:  # nerve pain or weakness after cancer (0.2.33: weakness, ED)
        answers["cancer_nerve_pain"] = "no"
    summary = booking_summary(evaluate(PACK, answers), PACK, "en")
    first = items(summary, "caller_reasons")[0]
    # with the doubt, the answer that made it hold is said after the name
    assert first == said if "not_sure" not in history else first.startswith(f"{said}: ")
