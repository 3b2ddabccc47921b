"""The bundled clinical pack (rules/): its cases, coverage, sources, languages and path length."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any

import pytest
import yaml
import z3

from tests.conftest import REPO_ROOT
from triage.authoring.cases import run_case
from triage.authoring.symbolic import AnswerVars, Env, answer_vars, cond
from triage.conditions.tree import Cond, questions_read
from triage.engine.evaluate import evaluate, next_question
from triage.engine.outcome import Outcome
from triage.engine.policy import CONTRAINDICATION, RED_FLAG, URGENCY, is_safety_rule
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.pack.specs import CaseSpec, OptionSpec, RuleSpec, Text
from triage.render import outcome_text

ROOT = REPO_ROOT
RULES = ROOT / "rules"
# Pack 0.2 screens more (TIA days ago, head injury, angina, onset, arm injuries): a
# multi-area injury takes up to 20 questions; most therapy paths 8 to 15. Pack 0.2.2 asks
# every area's questions for "many places, or all over": after a recent injury, 22. Since
# the clinical audit of 0.2.12 the inflammatory back pain items are asked whatever the
# duration when a place apart from the low back, or many places, is chosen (the duration
# may be another place's): 23. Pack 0.2.16 asks a leg injury's signs (a tight calf, a snap
# at the heel) there too: 24. Pack 0.2.24 asks the bladder and the bowels on their own, once
# (an option of two questions until then, so many places answered them twice): 25.
MAX_TYPICAL_QUESTIONS = 25
PACK = load_pack(RULES, use_cache=False)


@pytest.fixture(scope="module")
def pack() -> CompiledPack:
    return PACK


def walk(pack: CompiledPack, answers: Mapping[str, Any]) -> list[str]:
    """The questions the questionnaire asks, one by one, when the person answers as given."""
    so_far: dict[str, Any] = {}
    asked: list[str] = []
    while (question := next_question(pack, so_far)) is not None:
        assert question.id in answers, f"the questionnaire asks '{question.id}', not answered"
        assert question.id not in so_far, f"'{question.id}' asked twice"
        so_far[question.id] = answers[question.id]
        asked.append(question.id)
    return asked


def walk_and_evaluate(pack: CompiledPack, quiet: Mapping[str, Any],
                      answers: Mapping[str, Any]) -> tuple[list[str], Outcome]:
    """The questions asked one at a time (``answers`` over ``quiet``, the answers of a
    person with nothing else to tell), and the outcome of the answers they took."""
    full = {**quiet, **answers}
    asked = walk(pack, full)
    return asked, evaluate(pack, {q: full[q] for q in asked})


def fired_ids(outcome: Outcome) -> set[str]:
    return {r.id for r in outcome.fired}


def rule_by_id(pack: CompiledPack, rid: str) -> RuleSpec:
    return next(r for r in pack.rules if r.id == rid)


def option_by_id(pack: CompiledPack, qid: str, oid: str) -> OptionSpec:
    return next(o for o in pack.question_by_id[qid].options or () if o.id == oid)


@pytest.mark.parametrize("case", PACK.cases, ids=[c.id for c in PACK.cases])
def test_case(pack: CompiledPack, case: CaseSpec) -> None:
    result = run_case(pack, case)
    assert result.passed, f"{case.location}: case '{case.id}': " + "; ".join(result.failures)


@pytest.mark.parametrize("case", PACK.cases, ids=[c.id for c in PACK.cases])
def test_the_questionnaire_reaches_the_same_result(pack: CompiledPack, case: CaseSpec) -> None:
    """Asked one question at a time, each case ends where its full answers end."""
    asked = walk(pack, case.answers)
    stepwise = evaluate(pack, {q: case.answers[q] for q in asked})
    assert stepwise.disposition == case.expect, f"{case.location}: asked {asked}"
    assert len(asked) <= MAX_TYPICAL_QUESTIONS, f"{case.location}: {len(asked)} questions"


def test_cases_answer_only_questions_that_apply(pack: CompiledPack) -> None:
    """An answer to a question hidden by its ask_if usually means a mistaken case."""
    for case in pack.cases:
        ignored = evaluate(pack, case.answers).ignored_answers
        assert not ignored, f"{case.location}: '{case.id}' answers hidden questions {ignored}"


def test_at_least_80_cases(pack: CompiledPack) -> None:
    assert len(pack.cases) >= 80


def test_every_rule_is_fired_by_some_case(pack: CompiledPack) -> None:
    fired: set[str] = set()
    for case in pack.cases:
        fired |= set(run_case(pack, case).fired)
    never = [f"{r.location}: {r.id}" for r in pack.rules if r.id not in fired]
    assert not never, "rules no case fires:\n" + "\n".join(never)


def test_every_red_flag_has_a_case_where_it_must_not_fire(pack: CompiledPack) -> None:
    """A case just below each red flag's threshold (listed in its not_fires)."""
    checked = {rid for case in pack.cases for rid in case.not_fires}
    missing = [r.id for r in pack.rules if r.kind == RED_FLAG and r.id not in checked]
    assert not missing


def test_every_disposition_is_reached(pack: CompiledPack) -> None:
    assert {c.expect for c in pack.cases} == set(pack.dispositions)


def test_every_rule_has_a_source(pack: CompiledPack) -> None:
    for rule in pack.rules:
        assert len(rule.source.citation) >= 10, rule.id
        assert 1990 <= rule.source.year <= date.today().year, rule.id  # none from the future
    # massage contraindications are professional consensus, not evidence (Batavia 2004)
    assert {r.source.kind for r in pack.rules if r.kind == CONTRAINDICATION} == {"consensus"}


def test_the_areas_question_and_its_follow_up_read_together(pack: CompiledPack) -> None:
    """The areas question asks about pain, stiffness or a problem: it said "If you have no
    pain, choose none", and then "You did not choose a place. Do you have pain...?" (a person
    with stiffness only was told to choose nothing). Its instruction names every kind of
    problem, and the follow-up reads as the check it is."""
    words = {"en": (("pain", "stiffness", "problem"), "To be sure:"),
             "fr": (("douleur", "raideur", "problème"), "Pour être sûr :")}
    areas, follow_up = pack.question_by_id["areas"], pack.question_by_id["problem_somewhere"]
    for lang, (kinds, check) in words.items():
        for text in (areas.text, areas.caller_text):
            instruction = pack.text(text, lang).split("?", 1)[1]
            assert all(kind in instruction for kind in kinds), (lang, instruction)
        for text in (follow_up.text, follow_up.caller_text):
            assert check in pack.text(text, lang), lang


# the pack's own words, which belong in the source's translated note, not in its citation
PACK_WORDS = ("pack policy", "not sure", "by analogy", "safety-netting", "as cited by",
              "as tabulated", "seed of this project", "clinic article")


def test_citations_are_publications_and_the_packs_words_are_translated(
        pack: CompiledPack) -> None:
    """A French result showed "Not sure counted as yes (pack policy); signs and their
    urgency: ..." in English: what the pack says about a source is its note, in every
    language; the citation is the publication as published."""
    for rule in pack.rules:
        citation = rule.source.citation.casefold()
        assert not [w for w in PACK_WORDS if w in citation], (rule.id, rule.source.citation)
        assert not re.search(r"\([^()]*: [^()]*\)", citation), (rule.id, citation)  # a gloss
        note = rule.source.note
        if note is not None:
            assert all(note.get(lang, "").strip() for lang in ("en", "fr")), rule.id


def _texts(pack: CompiledPack) -> Iterator[tuple[str, Text | None]]:
    yield "title", pack.title
    yield "disclaimer", pack.disclaimer
    for name, parts in pack.dispositions.items():
        for part, text in parts.items():
            yield f"dispositions.{name}.{part}", text
    for q in pack.questions:
        for field in ("text", "caller_text", "help"):
            yield f"{q.id}.{field}", getattr(q, field)
        if q.type == "number":
            yield f"{q.id}.unit", q.unit
        for o in q.options:
            yield f"{q.id}.{o.id}", o.text
    for r in pack.rules:
        yield f"{r.id}.reason", r.reason
        for i, (_, branch_reason) in enumerate(r.reason_when):
            yield f"{r.id}.reason_when[{i}]", branch_reason
        yield f"{r.id}.label", r.label
        if r.kind == CONTRAINDICATION:
            yield f"{r.id}.note", r.note
        for i, technique in enumerate(r.techniques):
            yield f"{r.id}.techniques[{i}]", technique


def test_every_text_is_in_english_and_french(pack: CompiledPack) -> None:
    assert pack.languages == ("en", "fr")
    for where, text in _texts(pack):
        assert text is not None, f"{where}: no text"
        for lang in ("en", "fr"):
            assert text.get(lang, "").strip(), f"{where}: no '{lang}' text"


def test_texts_stay_short(pack: CompiledPack) -> None:
    """Plain language: no sentence over 40 words (a rough proxy for grade-8 reading)."""
    long = []
    for where, text in _texts(pack):
        for lang, value in (text or {}).items():
            for sentence in value.replace("?", ".").replace(":", ".").replace(";", ".").split(". "):
                if len(sentence.split()) > 40:
                    long.append(f"{where} ({lang}): {sentence[:60]}...")
    assert not long, "\n".join(long)


def test_the_question_table_is_current(pack: CompiledPack) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("question_table",
                                                  ROOT / "scripts" / "question_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = (ROOT / "docs" / "questions.md").read_text(encoding="utf-8")
    assert current == module.render(pack), "run: python scripts/question_table.py"


def test_the_hazard_log_names_real_rules_and_cases(pack: CompiledPack) -> None:
    """docs/clinical-safety.md: every red flag and contraindication is a control there, and
    every rule or case id it names exists."""
    log = (ROOT / "docs" / "clinical-safety.md").read_text(encoding="utf-8")
    rows = "\n".join(line for line in log.splitlines() if line.startswith("| H"))
    named = set(re.findall(r"`([a-z][a-z0-9_]*)`", rows))
    scores = {s["id"] for path in sorted(RULES.glob("*.yaml"))
              for s in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("scores", [])}
    known = ({r.id for r in pack.rules} | {c.id for c in pack.cases} | set(pack.question_by_id)
             | scores)
    assert not named - known, f"unknown ids in the hazard log: {sorted(named - known)}"
    controls = {r.id for r in pack.rules if r.kind in (RED_FLAG, CONTRAINDICATION)}
    assert not controls - named, f"not in the hazard log: {sorted(controls - named)}"


def _syllables(word: str) -> int:
    groups = re.findall(r"[aeiouy]+", word.lower())
    n = len(groups) - (1 if word.lower().endswith("e") and len(groups) > 1 else 0)
    return max(1, n)


def test_english_reads_at_about_grade_8(pack: CompiledPack) -> None:
    """Flesch-Kincaid grade of all English texts together, with a rough syllable count.
    Single medical words (fibromyalgia) score high on their own, so the whole is measured."""
    words = sentences = syllables = 0
    for _, text in _texts(pack):
        value = (text or {}).get("en", "")
        found = re.findall(r"[A-Za-z']+", value)
        words += len(found)
        syllables += sum(_syllables(w) for w in found)
        sentences += max(1, len([s for s in re.split(r"[.!?:;]+", value) if s.strip()]))
    grade = 0.39 * words / sentences + 11.8 * syllables / words - 15.59
    assert grade <= 8, f"Flesch-Kincaid grade {grade:.1f}"


def test_many_places_counts_as_every_area(pack: CompiledPack) -> None:
    """"Many places, or all over" (``whole_body``) covers every area: no question's ask_if,
    red flag, strike or safety net holds with an area ticked and fails with that area swapped
    for whole_body, whatever the other answers (clinical audit of 0.2.1, finding 1: an older
    adult hurt all over in a crash skipped the neck, fall and effort questions). Proved by the
    solver over every answer, every question taken as asked."""
    areas = pack.question_by_id["areas"]
    answers = {q.id: answer_vars(q) for q in pack.questions}
    asked = {q.id: z3.BoolVal(True) for q in pack.questions}
    ticked = Env(answers, asked)
    # a question and the questions that repeat it (asked again later: the cauda equina signs
    # after sciatica is named) are asked when one of their gates holds
    family: dict[str, list[Cond]] = {}
    for q in pack.questions:
        if q.ask_if is not None:
            family.setdefault(q.repeats or q.id, []).append(q.ask_if)
    conditions = [(f"ask_if of '{qid}' or a repeat", gates) for qid, gates in family.items()]
    conditions += [(f"{r.location}: '{r.id}'", [r.when]) for r in pack.rules
                   if is_safety_rule(r) or r.safety_net]
    solver = z3.Solver()
    for av in answers.values():
        solver.add(*av.domain())
    wrong = []
    for area in (o.id for o in areas.options if o.id != "whole_body"):
        swapped_options = {o: z3.BoolVal(o == "whole_body") if o in (area, "whole_body") else b
                           for o, b in answers["areas"].options.items()}
        swapped = Env({**answers, "areas": AnswerVars(areas, None, swapped_options)}, asked)
        for where, gates in conditions:
            holds = z3.Or(*(cond(g, ticked) for g in gates))
            if solver.check(answers["areas"].options[area],
                            z3.Not(answers["areas"].options["whole_body"]), holds,
                            z3.Not(z3.Or(*(cond(g, swapped) for g in gates)))) == z3.sat:
                wrong.append(f"{where} holds for {area} but not for whole_body")
    assert not wrong, "\n".join(wrong)


# ---------------------------------------------------------------- the clinical audit of 0.2.5


def _option(pack: CompiledPack, qid: str, oid: str) -> Text:
    return next(o.text for o in pack.question_by_id[qid].options if o.id == oid)


def test_the_groin_is_with_the_hip(pack: CompiledPack) -> None:
    """Finding 2: "groin" was in the chest, ribs and belly option, so an 82-year-old who fell
    and could not stand, pain in the groin, was never asked the walking question (a broken
    hip is felt in the groin)."""
    for oid in (o.id for o in pack.question_by_id["areas"].options):
        text = _option(pack, "areas", oid)
        named = (bool(re.search(r"\bgroin\b", text["en"], re.I)),
                 bool(re.search(r"\baine\b", text["fr"], re.I)))
        assert named == ((True, True) if oid == "hip_buttock" else (False, False)), (oid, text)


def test_no_help_or_reason_sends_a_911_sign_to_the_emergency_department(
        pack: CompiledPack) -> None:
    """Finding 8: "Call 911 now. Do not drive yourself" above "It needs the emergency
    department now" (new nerve signs with neck pain). A red flag that says call 911, and the
    help of a question that can lead to one, never send the person to the emergency
    department instead; an emergency department flag never says "call 911 now"."""
    places = {"en": "emergency department", "fr": "l'urgence"}
    top: dict[str, int] = {}
    for rule in pack.rules:
        if rule.kind == RED_FLAG:
            for qid in rule.reads:
                top[qid] = max(top.get(qid, -1), URGENCY[rule.disposition or ""])
    for rule in pack.rules:
        if rule.kind == RED_FLAG and rule.disposition == "emergency":
            for lang, place in places.items():
                assert place not in rule.reason[lang], (rule.id, lang)
        if rule.kind == RED_FLAG and rule.disposition == "emergency_department":
            assert "Call 911 now" not in rule.reason["en"], rule.id
    for q in pack.questions:
        if top.get(q.id) == URGENCY["emergency"] and q.help is not None:
            for lang, place in places.items():
                assert place not in q.help[lang], (q.id, lang)


def test_the_french_options_say_what_the_english_ones_say(pack: CompiledPack) -> None:
    """Finding 9: « je ne me sens pas bien dans mon corps » reads in Quebec as "I feel ill"
    (a sick person could choose it and get massage), and « sans coup ni effort » left out
    pain that began during exercise, where the English says "no knock or strain"."""
    feeling_off = _option(pack, "reasons", "feeling_off")["fr"]
    assert "sens pas bien" not in feeling_off and "tendu ou raide" in feeling_off
    label = next(r.label for r in pack.rules if r.id == "rmt_feeling_off")
    assert label is not None and "sent pas bien" not in label["fr"]
    pleuritic = _option(pack, "emergency_signs", "pleuritic_pain")
    assert "strain" in pleuritic["en"] and "muscle froissé" in pleuritic["fr"]
    assert "effort" not in pleuritic["fr"]


def test_the_recent_stroke_question_names_every_stroke_sign(pack: CompiledPack) -> None:
    """Audit of 0.2.7, finding 9: balance loss and double vision gone 4 days ago had no
    answer, as the 2-week question named only the face, one side, speech and vision loss;
    every sign that makes stroke_signs fire (BE-FAST) is named there, in both voices."""
    raw = yaml.safe_load((RULES / "red_flags.yaml").read_text(encoding="utf-8"))
    when = next(r["when"] for r in raw["red_flags"] if r["id"] == "stroke_signs")
    words = {"face_droop": ("face drooping", "visage affaissé"),
             "arm_weakness": ("weakness or numbness", "faiblesse ou un engourdissement"),
             "speech_trouble": ("trouble speaking", "difficulté à parler"),
             "balance_loss": ("loss of balance", "perte d'équilibre"),
             "vision_change": ("double vision", "vision double")}
    assert set(re.findall(r"(\w+) in emergency_signs", when)) == set(words)
    question = pack.question_by_id["recent_stroke_signs"]
    for text in (question.text, question.caller_text):
        assert text is not None
        for en, fr in words.values():
            assert en in text["en"] and fr in text["fr"], (en, fr)


def test_how_a_problem_started_also_asks_how_it_changed(pack: CompiledPack) -> None:
    """Audit of 0.2.7, finding 6: "Did this start with an injury?" and "How did this problem
    start?" had no answer for old back pain made worse by a fall last week, or worst ever
    today (an aneurysm at 72); and with the knee and the back chosen, "this problem" was
    answered for the knee (finding 4)."""
    for qid in ("injury", "spine_hurt", "onset"):
        question = pack.question_by_id[qid]
        for text in (question.text, question.caller_text):
            assert text is not None
            assert re.search(r"worse|change", text["en"]), (qid, text["en"])
            assert re.search(r"aggrav|empir|chang", text["fr"]), (qid, text["fr"])
    onset = pack.question_by_id["onset"]
    assert "suddenly_much_worse" in {o.id for o in onset.options}
    assert onset.text is not None and "back" in onset.text["en"] and "dos" in onset.text["fr"]


def test_a_flare_can_still_be_a_hot_joint(pack: CompiledPack) -> None:
    """Audit of 0.2.7, finding 7: a person with arthritis ticks the flare, not the hot joint;
    the hot joint option says it holds with arthritis when one joint is much worse."""
    hot = _option(pack, "today_signs", "hot_joint")
    assert "arthritis" in hot["en"] and "arthrite" in hot["fr"]


def test_a_cancer_history_leaves_deep_work_out(pack: CompiledPack) -> None:
    """Finding 10: a cancer survivor with a chronic low back strain was shown deep tissue
    massage and trigger point therapy; the references say the oncologist first for deep work
    (as blood thinners leave them out). Since 0.2.10 back pain after cancer goes to a doctor
    whatever its duration (finding 4 of the audit of 0.2.7): a chronic knee strain here."""
    answers = {"emergency_signs": frozenset(), "age": 58, "recent_stroke_signs": "no",
               "areas": frozenset({"knee"}),
               "today_signs": frozenset(), "health_history": frozenset({"cancer"}),
               "injury": "none", "duration": "over_3_months",
               "other_symptoms": frozenset(), "myelopathy_signs": frozenset(),
               "reasons": frozenset({"strain", "stiffness"}), "conditions": frozenset(),
               "bladder_bowel": frozenset(), "cancer_nerve_pain": "no"}
    outcome = evaluate(pack, answers)
    shown = {t["en"] for t in outcome.techniques}
    # "Massage", or "Massage (alongside exercise)" where low back pain's name says how
    assert outcome.disposition == "both" and shown & {"Massage", "Massage (alongside exercise)"}
    assert not shown & {"Deep tissue massage", "Trigger point therapy"}, shown
    assert "ci_cancer" in {r.id for r in outcome.fired}


def test_the_referral_line_goes_only_with_a_therapy_to_book(pack: CompiledPack) -> None:
    """"See a doctor within 1 to 3 days, do not start therapy until then" also said "when you
    book physiotherapy or massage therapy, you do not need a referral". (The pack's insurance
    note said it again next to the program's referral line; since 0.2.11 the line alone says
    it: tests/render/test_said_once.py.)"""
    base = {"emergency_signs": frozenset(), "age": 40, "recent_stroke_signs": "no",
            "areas": frozenset({"knee"}), "today_signs": frozenset(), "injury": "none",
            "duration": "under_6_weeks", "other_symptoms": frozenset(),
            "reasons": frozenset({"stiffness"}), "conditions": frozenset()}
    therapy = evaluate(pack, {**base, "health_history": frozenset()})
    doctor = evaluate(pack, {**base, "health_history": frozenset({"high_bp"})})
    assert (therapy.disposition, doctor.disposition) == ("soft_tissue", "doctor_soon")
    for lang, words in (("en", "do not need a referral"),
                        ("fr", "pas besoin d'une recommandation")):
        assert words in outcome_text(therapy, pack, lang, plain=True)
        assert words not in outcome_text(doctor, pack, lang, plain=True)


# A pregnant person (or one not sure about the health history) with no pain, who wants to
# relax: the shortest path through the health history (pack 0.2.8, H41).
_RELAX = {"emergency_signs": frozenset(), "age": 30, "recent_stroke_signs": "no",
          "areas": frozenset(), "problem_somewhere": "no", "today_signs": frozenset(),
          "wound_signs": frozenset(), "pregnancy_signs": frozenset(),
          "reasons": frozenset({"relaxation"}), "conditions": frozenset(),
          "exertion_pain_later": "no",  # asked on "not sure" about the health history (0.2.19)
          "head_injury": "no",  # asked with a bleeding risk, whatever the injury (0.2.22)
          # asked after cancer or not sure about the health history, nothing hurting (0.2.38)
          "cancer_nerve_pain": "no"}


def test_the_pregnancy_signs_are_asked_when_pregnant_or_not_sure_only(
        pack: CompiledPack) -> None:
    """H41: the signs of pre-eclampsia are asked of a pregnant person, in the 6 weeks after a
    birth, a miscarriage or a termination (pack 0.2.25: pre-eclampsia can start after the
    birth), from 6 weeks to a year after a birth (pack 0.2.26: CDC Hear Her), and on "not
    sure" about the health history (it counts as yes), and of nobody else."""
    history = pack.question_by_id["health_history"]
    for option in [o.id for o in history.options or ()]:
        asked = walk(pack, {**_RELAX, "health_history": frozenset({option})})
        assert ("pregnancy_signs" in asked) == (
            option in {"pregnant", "recently_pregnant", "birth_last_year", "not_sure"}), option
    assert "pregnancy_signs" not in walk(pack, {**_RELAX, "health_history": frozenset()})


# the signs of pre-eclampsia NICE NG133 lists; the other obstetric warning signs (pack
# 0.2.25: bleeding, the baby moving less, the waters breaking, early labour); and (pack
# 0.2.26, tests/test_clinical_audit_0_2_25_i.py) a seizure and "not sure", 911 (eclampsia),
# and itching, a doctor today (cholestasis)
_PRE_ECLAMPSIA = ["severe_headache", "vision_problems", "upper_belly_pain", "vomiting",
                  "sudden_swelling"]
_OBSTETRIC = ["bleeding", "baby_moving_less", "waters_breaking", "early_labour"]
_NOT_THE_HOSPITAL = ["seizure", "not_sure", "itching"]
# pack 0.2.28 (tests/test_clinical_audit_0_2_27_k.py): high blood pressure, by a rule of its own
_HIGH_PRESSURE = ["high_blood_pressure"]


@pytest.mark.parametrize("history", ["pregnant", "not_sure"])
def test_each_pregnancy_sign_alone_sends_to_hospital_and_says_so(
        pack: CompiledPack, history: str) -> None:
    """Each sign NICE NG133 lists, or "not sure", is the emergency department: to the hospital
    now, telling them about the pregnancy, with nothing routine (no techniques, no booking);
    so is each other obstetric warning sign (pack 0.2.25), by a rule of its own."""
    signs = [o.id for o in pack.question_by_id["pregnancy_signs"].options or ()]
    assert sorted(signs) == sorted(_PRE_ECLAMPSIA + _OBSTETRIC + _NOT_THE_HOSPITAL
                                   + _HIGH_PRESSURE)
    for sign in _HIGH_PRESSURE + _OBSTETRIC + _PRE_ECLAMPSIA:
        outcome = evaluate(pack, {**_RELAX, "health_history": frozenset({history}),
                                  "pregnancy_signs": frozenset({sign})})
        assert outcome.disposition == "emergency_department", sign
        rule = ("pregnancy_warning_signs" if sign in _OBSTETRIC
                else "pregnancy_high_blood_pressure" if sign in _HIGH_PRESSURE
                else "pre_eclampsia_signs")
        assert rule in {r.id for r in outcome.fired}, sign
        assert not outcome.techniques, sign
    for lang, words in (("en", "Tell them you are pregnant"), ("fr", "vous êtes enceinte")):
        text = outcome_text(outcome, pack, lang, plain=True)
        assert words in text and "referral" not in text and "recommandation" not in text
    none = evaluate(pack, {**_RELAX, "health_history": frozenset({history})})
    assert "pre_eclampsia_signs" not in {r.id for r in none.fired}


# the care a note's English text sends to, most urgent first (audit "a result a person sees",
# finding 2: a note is left out next to a result at least as urgent as its own advice)
_NOTE_ADVICE = (("emergency", r"\b911\b"), ("emergency_department", r"emergency department"),
                ("same_day", r"same day|\btoday\b"), ("doctor_first", r"\bsee a doctor\b"))


def test_every_safety_net_note_states_the_care_its_own_words_send_to(pack: CompiledPack) -> None:
    for rule in pack.rules:
        if not rule.safety_net:
            continue
        text = rule.reason["en"]
        named = next(d for d, pattern in _NOTE_ADVICE if re.search(pattern, text))
        assert rule.urgency == named, (rule.id, text)


@pytest.mark.parametrize("case", PACK.cases, ids=[c.id for c in PACK.cases])
def test_no_technique_is_listed_twice_under_two_names(pack: CompiledPack,
                                                      case: CaseSpec) -> None:
    """Audit "a result a person sees", finding 17 (the data: one name for one technique)."""
    for lang in pack.languages:
        shown = [t[lang].casefold() for t in evaluate(pack, case.answers).techniques]
        assert not [(a, b) for a in shown for b in shown if a.startswith(b + " (")], lang


def test_result_titles_carry_no_regulatory_aside(pack: CompiledPack) -> None:
    """Audit "a result a person sees", finding 14: the French massage result's title said
    "(RMT hors Québec; titre non réglementé au Québec)"; the action says where to book."""
    for disposition, texts in pack.dispositions.items():
        for lang, label in texts["label"].items():
            assert "Québec" not in label and "Quebec" not in label, (disposition, lang)
    assert "Québec" in pack.dispositions["soft_tissue"]["action"]["fr"]


def _given(answers: Mapping[str, Any]) -> set[str]:
    """Every answer given, as ids: "not_sure", "fever", "over_3_months"..."""
    out: set[str] = set()
    for value in answers.values():
        if isinstance(value, (set, frozenset, list, tuple)):
            out.update(str(v) for v in value)
        else:
            out.add(str(value))
    return out


# claims a reason makes about the answers, checkable against them; a fever and wound signs
# only outside parentheses, where a reason lists what was asked ("the signs we asked about (a
# swollen leg, a fever...)")
_CLAIMS: tuple[tuple[str, str, bool, Callable[[set[str]], bool]], ...] = (
    ("not sure", r"not sure", False, lambda given: "not_sure" in given),
    ("a fever", r"\bfever\b", True, lambda given: any("fever" in a for a in given)),
    # a surgery wound's signs: a fever after heart surgery was told about pus and redness
    ("a wound's signs", r"\bpus\b", True,
     lambda given: bool(given & {"spreading_redness", "pus", "bad_smell", "wound_opening",
                                 "wound_pain_rising"})),
)


@pytest.mark.parametrize("case", PACK.cases, ids=[c.id for c in PACK.cases])
def test_reasons_claim_only_answers_given(pack: CompiledPack, case: CaseSpec) -> None:
    """Audit "a result a person sees", finding 12: "We count not sure about your health
    history as yes" with the health history "None of these", and "Back or neck pain with a
    fever" with no fever. A rule that holds on several branches says why for the branch that
    held (``reason_when``); every reason shown, in JSON too, claims only answers given."""
    result = evaluate(pack, case.answers)
    given = _given(result.answers)
    # these safety nets name a sign that may come ("if a fever or shivers come too": pack
    # 0.2.36; a child's "or gets a fever": 0.2.37), not an answer; every other note is held
    # to what was answered (tests/test_clinical_audit_0_2_36_t.py holds the child's note to
    # naming no fever or not walking that was answered)
    nets = {"sn_hot_joint", "sn_child_limp"}
    shown = [r.reason["en"] for r in result.fired if r.id not in nets]
    shown += [r["reason"]["en"] for r in result.as_dict()["fired"]
              if "reason" in r and r["id"] not in nets]
    for text in shown:
        for claim, pattern, outside, holds in _CLAIMS:
            said = re.sub(r"\([^)]*\)", "", text) if outside else text
            if re.search(pattern, said, re.IGNORECASE):
                assert holds(given), f"{case.id}: says {claim!r} with no such answer: {text}"


def test_the_pack_validates_without_a_warning() -> None:
    """Warnings do not stop a pack from loading, so the bundled one is held to none: a
    citation that holds a year (audit "a result a person sees", finding 16) is one."""
    from triage.pack.sources import content_hash, read_pack_files
    from triage.pack.validate import check_files

    files = read_pack_files(RULES)
    _, problems = check_files(RULES, files, content_hash(files))
    assert [str(p) for p in problems] == []


def test_the_first_episode_question_counts_any_new_place(pack: CompiledPack) -> None:
    """Audit of 0.2.12, finding 17: neck pain for years and new low back pain at 60 answered
    "not the first time", one answer for both; the question says that any new one counts."""
    question = pack.question_by_id["first_time"]
    for text in (question.text, question.caller_text):
        assert text is not None
        assert "more than one place" in text["en"] and "any of it is the first time" in text["en"]
        assert "plus d'un endroit" in text["fr"] and "première fois à l'un d'eux" in text["fr"]


def test_worsening_weakness_has_an_answer_for_both_sides(pack: CompiledPack) -> None:
    """Audit of 0.2.12, finding 10: "New weakness in one arm, hand, leg or foot" left both
    legs getting weaker (feet and knees chosen, no cauda equina question) without an answer;
    the option names both sides and a follow-up asks which (the emergency department)."""
    weakness = _option(pack, "other_symptoms", "weakness_worse")
    assert "one side or both" in weakness["en"] and "d'un côté ou des deux" in weakness["fr"]
    assert not re.search(r"\bone (arm|hand|leg|foot)\b", weakness["en"])
    follow_up = pack.question_by_id["weakness_both_sides"]
    assert follow_up.ask_if is not None and "other_symptoms" in questions_read(follow_up.ask_if)
    assert {r.id: r.disposition for r in pack.rules}["weakness_both_sides"] == \
        "emergency_department"


# Every question answered with no sign (the places and the health history come from the test)
_NO_SIGN: dict[str, Any] = {
    "emergency_signs": frozenset(), "age": 50, "recent_stroke_signs": "no",
    "problem_somewhere": "yes", "ces_signs": frozenset(), "neck_neuro": frozenset(),
    "exertion_pain": "no", "today_signs": frozenset(), "fever_signs": frozenset(),
    "pregnancy_signs": frozenset(), "wound_signs": frozenset(), "injury": "none",
    "duration": "under_6_weeks", "onset": "gradual", "other_symptoms": frozenset(),
    "first_time": "no", "myelopathy_signs": frozenset(), "ibp_items": frozenset(),
    "reasons": frozenset({"other_pain"}), "conditions": frozenset(), "pmr_signs": "no",
    "bladder_bowel": frozenset(),
    "head_injury": "no", "back_duration": "under_3_months",  # pack 0.2.26
    "cancer_nerve_pain": "no", "infection_risks": frozenset()}  # pack 0.2.27


@pytest.mark.parametrize("place", [o.id for o in PACK.question_by_id["areas"].options])
def test_after_cancer_the_spinal_cord_signs_are_asked_wherever_the_pain(
        pack: CompiledPack, place: str) -> None:
    """Audit of 0.2.12, finding 1: after cancer, the signs of a squeezed spinal cord (NICE
    NG234), new bladder or bowel trouble among them, are asked whatever the place of the
    pain; without cancer, for the neck, upper back, arm and many places only. The bladder and
    bowels are asked with them, once (0.2.24: on their own, for the cauda equina places too)."""
    for history, asked in ((frozenset({"cancer"}), True), (frozenset(), None)):
        answers = {**_NO_SIGN, "areas": frozenset({place}), "health_history": history}
        seen = walk(pack, answers)
        if asked:
            assert "myelopathy_signs" in seen and "bladder_bowel" in seen, place
        else:
            assert ("myelopathy_signs" in seen) == (
                place in {"neck", "upper_back", "arm", "whole_body"}), place


@pytest.mark.parametrize("place", [o.id for o in PACK.question_by_id["areas"].options])
def test_the_bladder_is_asked_once(pack: CompiledPack, place: str) -> None:
    """An upper back was asked about the bladder twice: in the cauda equina signs and in the
    spinal cord signs (so were many places, and any back, hip or leg after cancer). Over every
    place, with or without cancer (or not sure about it), with or without sciatica named
    later, at most one question asked names the bladder, and one does wherever either set of
    signs is asked."""
    def bladder(qid: str) -> bool:
        q = pack.question_by_id[qid]
        return any("bladder" in pack.text(text, "en").casefold()
                   for o in q.options for text in (o.text, o.caller_text) if text)

    for history in (frozenset(), frozenset({"cancer"}), frozenset({"not_sure"})):
        for conditions in (frozenset(), frozenset({"sciatica"})):
            answers = {**_NO_SIGN, "areas": frozenset({place}), "health_history": history,
                       "conditions": conditions, "ces_signs_later": frozenset(),
                       "bladder_bowel_later": frozenset(), "exertion_pain_later": "no",
                       "aneurysm_pain": "no", "can_walk_4_steps": "yes",
                       "can_walk_4_steps_later": "yes", "arm_injury_signs": frozenset(),
                       "leg_injury_signs": frozenset(), "leg_injury_signs_later": frozenset(),
                       # asked with cancer or not sure (a bleeding risk) since pack 0.2.22
                       "head_injury": "no"}
            asked = walk(pack, answers)
            naming = [q for q in asked if bladder(q)]
            assert len(naming) <= 1, (place, history, conditions, naming)
            spine = {"ces_signs", "ces_signs_later", "myelopathy_signs"} & set(asked)
            assert bool(naming) == bool(spine), (place, history, conditions, asked)


@pytest.mark.parametrize(("said", "sure"), [
    (frozenset({"bowel_change"}), True), (frozenset({"not_sure"}), False),
    (frozenset({"bladder_change", "not_sure"}), True)])
def test_the_spinal_cord_bladder_reason_says_what_was_answered(
        pack: CompiledPack, said: frozenset[str], sure: bool) -> None:
    """Pack 0.2.24: "not sure" about the bladder and bowels (asked on their own) read "New
    trouble with your bladder or bowels can mean pressure on the spinal cord": trouble the
    person did not say they have. It is named as a doubt, counted as yes; trouble said, with
    or without a doubt, is named as trouble."""
    case = next(c for c in pack.cases if c.id == "bladder_once_neck_not_sure")
    result = evaluate(pack, {**case.answers, "bladder_bowel": said})
    assert result.disposition == "same_day"
    reason = next(r.reason["en"] for r in result.fired if r.id == "cord_bladder_bowel")
    assert reason.startswith("New trouble with your bladder or bowels") == sure, reason
    assert ("not sure" in reason) == (not sure), reason


@pytest.mark.parametrize("history", ["cancer", "not_sure"])
def test_after_cancer_not_sure_about_the_bladder_is_named_as_a_doubt(
        pack: CompiledPack, history: str) -> None:
    """Pack 0.2.24: "not sure" about the bladder and bowels, asked on their own, after cancer
    (or not sure about the health history) is the emergency department as any cord sign, and
    its reason says the answer was not sure, as it did when the bladder was one of the spinal
    cord signs (cancer_with_nerve_signs read "not sure" among those only)."""
    case = next(c for c in pack.cases if c.id == "bladder_once_neck_not_sure")
    # not sure about the health history asks the pregnancy signs, a seizure 911 among them
    # since pack 0.2.26: answered with none
    answers = {**case.answers, "health_history": frozenset({history}), "head_injury": "no",
               "pregnancy_signs": frozenset()}
    result = evaluate(pack, answers)
    assert result.disposition == "emergency_department"
    rule = next(r for r in result.fired if r.id == "cancer_with_nerve_signs")
    assert "You were not sure about one of them" in rule.reason["en"]
    assert "Vous ne saviez pas pour l'un d'eux" in rule.reason["fr"]


def test_getting_worse_fast_names_the_signs_it_is_asked_about(pack: CompiledPack) -> None:
    """Pack 0.2.24: "are these signs getting worse quickly?" is asked of the spinal cord signs
    only (myelopathy_count), the bladder and bowels being a question of their own; the reason
    of myelopathy_progressing named the bladder and bowels still, and not the electric
    shocks it is asked about. Each sign myelopathy_count counts (but "not sure") is named,
    the bladder is not, in both languages."""
    rule = next(r for r in pack.red_flag_rules if r.id == "myelopathy_progressing")
    en, fr = rule.reason["en"].casefold(), rule.reason["fr"].casefold()
    assert "bladder" not in en and "bowel" not in en
    assert "vessie" not in fr and "intestin" not in fr
    for word in ("clumsy", "numb", "unsteady", "electric"):
        assert word in en
    for word in ("maladroites", "engourdies", "instable", "électrique"):
        assert word in fr
