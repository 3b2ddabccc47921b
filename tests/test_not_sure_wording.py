"""The bundled pack's questions that a "not sure" answer opens take nothing as given.

"Not sure" on a safety question counts as yes, so it opens the follow-up questions the definite
answer would open: "not sure" about today's signs asked "With the fever, do you have any of
these?" of a person who reported no fever. Which questions a "not sure" opens is worked out
exactly, by the solver over every complete answer set; whether a sentence takes an answer as
given is a matter of reading, which no test decides. So:

- every question a "not sure" can open is in ``REVIEWED``, with the doubted questions: a new
  gate that "not sure" opens (pack 0.2 added them all at once, without rewording) fails here
  until someone has read its texts as a person who was not sure;
- those questions' texts do not use the phrases of ``AS_GIVEN``: the words that state the
  doubted answer as a fact ("the fever", "this injury", "your knee injury"), unless the text
  is itself conditional ("If an injury hurt your knee, or you are not sure: ...") or speaks of
  the doubt. A lint over known phrasings: another phrasing can still slip through.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import z3

from tests.conftest import REPO_ROOT
from triage.authoring.symbolic import AnswerVars, answer_vars, cond, gate_env
from triage.conditions.tree import MULTI, SINGLE
from triage.engine.policy import NOT_SURE
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.pack.specs import QuestionSpec

PACK = load_pack(REPO_ROOT / "rules", use_cache=False)

# question -> the questions whose "not sure" can open it (directly, or through the questions
# and scores its gate reads). Each was read, in English and French, patient and caller voice,
# as a person who gave none of the answers its gate names (pack 0.2.6).
REVIEWED: dict[str, set[str]] = {
    "fever_signs": {"today_signs"},  # "Do you also have any of these right now?"
    "wound_signs": {"health_history"},  # "If you had an operation in the last 3 months: ..."
    # pack 0.2.8: "not sure" about the health history counts as a pregnancy (H41)
    "pregnancy_signs": {"health_history"},  # "If you are pregnant, or might be: ..."
    # "not sure" about pain or an injury with no place chosen counts as every place
    # (every_place, area_count): "your problem" names no place; a place's questions are
    # conditional ("If an injury hurt your knee, or you are not sure: ...")
    "ces_signs": {"problem_somewhere"},  # "Since your problem started, ..."
    # 0.2.24: the bladder and bowels on their own, asked with the cauda equina and the spinal
    # cord signs (after cancer, or not sure about the health history, wherever the pain):
    # "Since your problem started, or over the last weeks or months, ..." takes no cancer as
    # given
    "bladder_bowel": {"problem_somewhere", "health_history"},
    "neck_neuro": {"problem_somewhere"},  # "With this problem, ..."
    "exertion_pain": {"problem_somewhere"},
    "injury": {"problem_somewhere"},
    "duration": {"problem_somewhere"},
    "onset": {"problem_somewhere"},  # "How did this problem start?" (was "this pain")
    "other_symptoms": {"problem_somewhere"},
    # audit of 0.2.12: also after "not sure" about the health history, which counts as cancer
    # (cord_signs_place); "Over the last weeks or months, have you noticed any of these?"
    "myelopathy_signs": {"problem_somewhere", "health_history"},
    "first_time": {"problem_somewhere"},  # see KNOWN_OPEN (0.2.7: any duration)
    "ibp_items": {"problem_somewhere", "duration", "back_duration"},  # "About your lower back: ..."
    # 0.2.26 (clin-i): the lower back's own duration, asked with no place ruled out too:
    # "If your lower back hurts or is stiff: how long has it been?"; its first option reads
    # for a back with no problem
    "back_duration": {"problem_somewhere"},
    # 0.2.29 (review): "not sure" with no place counts as weakness with nothing hurting too:
    # "If you have weakness or unsteadiness that is getting worse, or are not sure: ..."
    "weakness_brain_signs": {"problem_somewhere"},
    "myelopathy_fast": {"problem_somewhere", "myelopathy_signs", "health_history"},
    # 0.2.27 (clin-j): after cancer, which "not sure" about the health history counts as,
    # wherever the pain: "In the last 3 months, have you had new pain, numbness or tingling
    # that runs down an arm or a leg?" takes no cancer as given (its help says why it asks).
    # 0.2.38 (clin-u): asked with no place chosen whatever the answer about pain (nothing
    # hurting too: new weakness after cancer), so "not sure" there no longer opens it; it
    # takes no pain as given either
    "cancer_nerve_pain": {"health_history"},
    # 0.2.27 (clin-j): with night pain, where the spine is not ruled out: "Pain at night or
    # at rest that does not ease can come from an infection in the spine. Do any of these
    # apply to you?" takes no back pain as given
    "infection_risks": {"problem_somewhere"},
    # audit of 0.2.12: "If you have weakness that is getting worse, or are not sure: is it on
    # both sides, ...?"
    "weakness_both_sides": {"problem_somewhere", "other_symptoms"},
    # an injury "not sure" counts as one in the last 2 days
    "head_injury": {"problem_somewhere", "injury", "health_history"},  # "... or in an injury ..."
    "head_injury_signs": {"problem_somewhere", "injury", "head_injury", "health_history"},
    # 0.2.22 (clin-f): also with a bleeding risk, whatever the injury, which "not sure" about
    # the health history counts as: "Did you hit your head in the last 4 weeks, or in an
    # injury that started this problem?" takes no blood thinner as given; its help says why
    # it is asked ("at 65 or over or on blood thinners"); the signs are "since you hit your
    # head (or in the last 4 weeks, if you are not sure you did)"
    # audit of 0.2.12: after any injury, whatever the age (until then, after an older injury at
    # 65 or over or with weak bones, which "not sure" about the health history counted as)
    "spine_hurt": {"problem_somewhere", "injury"},  # "Did an injury that ..."
    "spine_injury": {"problem_somewhere", "injury", "spine_hurt"},
    "arm_injury_signs": {"problem_somewhere", "injury", "health_history"},
    # clinical audit of 0.2.17, finding 4: also with no injury at 65 or over or with weak bones,
    # which "not sure" about the health history counts as; the question names neither
    # ("putting weight on each leg")
    "can_walk_4_steps": {"problem_somewhere", "injury", "health_history"},
    "ankle_tender": {"problem_somewhere", "injury"},
    "knee_signs": {"problem_somewhere", "injury"},
    "can_walk_4_steps_later": {"injury", "health_history"},
    # 0.2.16: "If an injury hurt your leg, ankle or foot, or you are not sure: ..."; since the
    # clinical audit of 0.2.17 (finding 1) also after a broken bone in the last 3 months,
    # which "not sure" about the health history counts as: "If an injury (even weeks ago) or
    # a broken bone hurt your leg, knee, ankle or foot, or you are not sure: ..."
    "leg_injury_signs": {"problem_somewhere", "injury", "health_history"},
    "leg_injury_signs_later": {"injury", "health_history"},
    # 0.2.7: a knock on the head named after falls, "not sure"
    "head_injury_signs_later": {"head_injury_later"},  # "(or in the last 4 weeks, if ...)"
    # 0.2.10: falls at 65 or over or with weak bones, which "not sure" about the health history
    # counts as; "Since your last fall" takes only the falls the person named as given
    "fall_signs_later": {"health_history"},
    # 0.2.16: a heart or artery condition, or "not sure" about the health history, with back,
    # belly or groin pain (or with no place ruled out): "Has a doctor told you that you have
    # an aortic aneurysm ...?" takes none as given; "No" is an answer of its own
    "aneurysm_pain": {"health_history", "problem_somewhere"},
    # 0.2.19: a heart problem named, or "not sure" about the health history, with no
    # upper-body place: "You named a heart problem, or were not sure about your health
    # history. Does pain ... come on when you are active ...?" takes no heart problem as given
    "exertion_pain_later": {"health_history"},
    # 0.2.23: polymyalgia at 50 or over, no place ruled out: "Do you have new aching and
    # stiffness ...?" takes no place as given; its artery's signs "Do you also have any of
    # these ...?" take no aching as given
    "pmr_signs": {"problem_somewhere"},
    "pmr_gca_signs": {"problem_somewhere", "pmr_signs"},
}

# doubted question -> per language, phrases that state its definite answer as a fact
_PLACE = (r"head|neck|shoulder|upper back|lower back|back|chest|hip|arm|leg|knee|ankle|foot")
_LIEU = r"cou|dos|bas du dos|haut du dos|épaule|bras|genou|jambe|hanche|cheville|pied"
AS_GIVEN: dict[str, dict[str, str]] = {
    "today_signs": {"en": r"\b(the|your) fever\b", "fr": r"\b(avec la|votre) fièvre\b"},
    "health_history": {"en": r"\b(the|your) (wound|operation|surgery|pregnancy|baby)\b",
                       "fr": r"\b(la|votre) plaie\b|\b(l'|votre )opération\b"
                             r"|\b(la|votre) grossesse\b|\b(le|votre) bébé\b"},
    "problem_somewhere": {
        "en": rf"\b(your|the person's|the) ({_PLACE})\b[\w ]*?\b(pain|problem|injury)\b"
              r"|\bthis pain\b|\bpain like this\b|\bthe hurt\b",
        "fr": rf"\b(votre|la|le|du) (douleur|blessure|problème) (au|à l'|à la|de|d') ?({_LIEU})"
              r"\b|\bcette douleur\b|\bcomme celle-ci\b|\bblessée?\b"},
    "injury": {"en": r"\b(this|the) injury\b|\bthe hurt\b|\bafter an injury\b|\byour \w+ injury\b",
               "fr": r"\b(cette|la|votre) blessure\b|\bblessée?\b|\baprès une blessure\b"},
    "head_injury": {"en": r"\b(since|after) (you|the person) hit\b|\bthe knock\b",
                    "fr": r"\b(depuis|après) le coup\b"},
    "spine_hurt": {"en": r"\bthe injury to\b|\b(neck or back|back or neck) injury\b",
                   "fr": r"\bla blessure au (cou|dos)\b"},
    "duration": {"en": r"\blong-lasting\b|\bmore than 3 months\b",
                 "fr": r"\bqui dure\b|\bplus de 3 mois\b"},
    "back_duration": {"en": r"\blong-lasting\b|\bmore than 3 months\b|\bhas lasted\b",
                      "fr": r"\bqui dure\b|\bplus de 3 mois\b"},
    "myelopathy_signs": {"en": r"\b(these|your|the person's) signs\b",
                         "fr": r"\b(ces|vos) signes\b|\bles signes de la personne\b"},
    "other_symptoms": {"en": r"\b(the|your|this) weakness\b",
                       "fr": r"\b(la|votre|cette) faiblesse\b"},
    "pmr_signs": {"en": r"\b(the|your|this|with) (aching|stiffness)\b",
                  "fr": r"\b(les|vos|ces|avec des) (douleurs|raideurs)\b"},
}
AS_GIVEN["head_injury_later"] = AS_GIVEN["head_injury"]  # asked again: the same answer

# A text that is a condition, or that speaks of the doubt, takes nothing as given.
HEDGED = {"en": r"^If\b|\bnot sure\b", "fr": r"^Si\b|\bne (le )?(sais|savez|sait) pas\b"}

# Pairs still taking an answer as given, and why they are left so (the lint must keep finding
# them: once reworded, take them out).
KNOWN_OPEN = {
    # "Is this the first time you have had back or neck pain like this?": its answers are
    # first time / not the first time / not sure, so a person with no back or neck pain (no
    # place chosen) has no answer of their own; one would be a new option read by the rule
    # age_onset: a rule change, for the clinical review (open point 27).
    ("first_time", "problem_somewhere"),
}


def _definite(q: QuestionSpec, doubt: AnswerVars, alt: AnswerVars) -> list[z3.BoolRef]:
    """``alt``: ``q`` answered without "not sure" (a single choice: any other option; a
    multiple choice: the same boxes, "not sure" unticked)."""
    if q.type == SINGLE:
        return [alt.value != [o.id for o in q.options].index(NOT_SURE), *alt.domain()]
    return [z3.Not(alt.options[NOT_SURE]),
            *(alt.options[o] == doubt.options[o] for o in doubt.options if o != NOT_SURE)]


def opened_by_not_sure(pack: CompiledPack) -> dict[str, set[str]]:
    """question -> the questions whose "not sure" opens it: some complete answer set asks it
    with that question answered "not sure", and the same answers without the doubt do not."""
    vars = {q.id: answer_vars(q) for q in pack.questions}
    env = gate_env(pack, vars)
    domain = [c for v in vars.values() for c in v.domain()]
    found: dict[str, set[str]] = {}
    for q in pack.questions:
        if q.type not in (SINGLE, MULTI) or NOT_SURE not in {o.id for o in q.options}:
            continue
        doubt = vars[q.id]
        is_not_sure = (doubt.value == [o.id for o in q.options].index(NOT_SURE)
                       if q.type == SINGLE else doubt.options[NOT_SURE])
        alt = answer_vars(q, "'")
        sure = gate_env(pack, {**vars, q.id: alt}, base=env, changed=[q.id])
        for x in pack.questions:
            if x.id == q.id or x.id not in sure.changed:
                continue
            solver = z3.Solver()
            solver.add(*domain, *_definite(q, doubt, alt), env.present[q.id], is_not_sure,
                       env.present[x.id], z3.Not(sure.present[x.id]))
            if solver.check() == z3.sat:
                found.setdefault(x.id, set()).add(q.id)
    return found


OPENED = opened_by_not_sure(PACK)


def read_texts(pack: CompiledPack, q: QuestionSpec) -> Iterator[tuple[str, str]]:
    """(language, text) of what a person reads as the question, in both voices, and the
    options of a single choice (one of them must be chosen; a box is ticked only if true)."""
    for lang in pack.languages:
        for text in (q.text, q.caller_text):
            if text is not None:
                yield lang, pack.text(text, lang)
        if q.type == SINGLE:
            yield from ((lang, pack.text(text, lang)) for o in q.options
                        for text in (o.text, o.caller_text) if text is not None)


def taken_as_given(pack: CompiledPack, question: str, doubted: str) -> list[str]:
    """The texts of ``question`` that state the definite answer to ``doubted`` as a fact."""
    return [f"{lang}: {text}" for lang, text in read_texts(pack, pack.question_by_id[question])
            if re.search(AS_GIVEN[doubted][lang], text, re.IGNORECASE)
            and not re.search(HEDGED[lang], text)]


def test_every_question_a_not_sure_answer_opens_was_read_as_a_person_not_sure() -> None:
    new = {q: OPENED[q] - REVIEWED.get(q, set()) for q in OPENED}
    assert not {q: d for q, d in new.items() if d}, (
        "asked when these are answered 'not sure': read their texts (en, fr, patient and "
        "caller voice, the options) as a person who gave none of the answers the gate names, "
        "reword what takes one as given, then add them to REVIEWED")
    gone = {q: d - OPENED.get(q, set()) for q, d in REVIEWED.items()}
    assert not {q: d for q, d in gone.items() if d}, "no longer opened by 'not sure'"


def test_the_doubted_questions_have_their_phrases() -> None:
    doubted = set().union(*OPENED.values())
    assert doubted <= AS_GIVEN.keys(), "add what states these answers as a fact to AS_GIVEN"
    assert all(set(p) == set(PACK.languages) for p in AS_GIVEN.values())


@pytest.mark.parametrize("question", sorted(OPENED))
def test_a_question_opened_by_not_sure_takes_no_answer_as_given(question: str) -> None:
    for doubted in sorted(OPENED[question]):
        found = taken_as_given(PACK, question, doubted)
        if (question, doubted) in KNOWN_OPEN:
            assert found, f"{question} no longer takes {doubted} as given: out of KNOWN_OPEN"
        else:
            assert not found, f"{question}, asked after '{doubted}: not sure': {found}"


def test_a_question_is_opened_by_not_sure_only_where_the_doubt_decides_it(
        pack_copy: Callable[..., Path]) -> None:
    """Asked with "not sure", and not with the same answers made definite: a gate that every
    answer opens, "not sure" included, is not opened by the doubt."""
    def edit(text: str) -> str:
        for option in ("{id: knee, text: {en: Knee, fr: Genou}}",
                       "{id: strain, text: {en: A pulled muscle, fr: Un muscle étiré}}"):
            text = text.replace(option, option + "\n      - {id: not_sure, text: "
                                "{en: Not sure, fr: Je ne sais pas}}")
        text = text.replace('ask_if: {all: ["area == low_back"]}',
                            'ask_if: "area in [low_back, not_sure]"')
        text = text.replace("  - id: blood_thinners\n", "  - id: blood_thinners\n"
                            '    ask_if: "area in [neck, low_back, knee, not_sure]"\n')
        return text.replace("  - id: fever\n", "  - id: fever\n"
                            '    ask_if: "strain in problems or not_sure in problems"\n')

    pack = load_pack(pack_copy({"questions.yaml": edit}), use_cache=False)
    assert opened_by_not_sure(pack) == {"worry": {"area"}, "fever": {"problems"}}


@pytest.mark.parametrize(("text", "lang"), [
    ("With the fever, do you have any of these?", "en"),
    ("Avec la fièvre, avez-vous l'un de ces signes?", "fr"),
    ("Can you take 4 steps on the hurt leg now, even with a limp?", "en"),
    ("À propos de votre blessure au genou : l'un de ces éléments s'applique-t-il?", "fr"),
    ("Since your back or leg problem started, have you had any of these?", "en"),
])
def test_the_lint_finds_the_wording_of_pack_0_2_5(text: str, lang: str) -> None:
    """Each of these texts of 0.2.5 was asked after a "not sure" that it took as given."""
    hits = [d for d in AS_GIVEN if re.search(AS_GIVEN[d][lang], text, re.IGNORECASE)]
    assert hits and not re.search(HEDGED[lang], text)


# -------------------------------------------------- a label that folds "not sure" in

# the words of a label that names "not sure" along with the sign ("..., or not sure")
LABEL_UNSURE = {"en": re.compile(r"\bnot sure\b", re.I),
                "fr": re.compile(r"\bincertitude\b|\bincertains?\b|\bne sait pas\b", re.I)}


def held_without_a_doubt(pack: CompiledPack) -> set[str]:
    """The rules that can hold on a complete answer set with no question answered "not
    sure": a person who said yes can be shown their name (solved exactly, as above)."""
    vars = {q.id: answer_vars(q) for q in pack.questions}
    env = gate_env(pack, vars)
    no_doubt = [c for v in vars.values() for c in v.domain()]
    for q in pack.questions:
        ids = [o.id for o in q.options]
        if NOT_SURE in ids:
            no_doubt.append(vars[q.id].value != ids.index(NOT_SURE) if q.type == SINGLE
                            else z3.Not(vars[q.id].options[NOT_SURE]))
    found = set()
    for rule in pack.rules:
        solver = z3.Solver()
        solver.add(*no_doubt, cond(rule.when, env))
        if solver.check() == z3.sat:
            found.add(rule.id)
    return found


def test_a_label_that_folds_not_sure_in_has_a_definite_label() -> None:
    """"Arthritis flare with a weak immune system (or not sure)" was the reason read out
    for a person who said "long-term steroids": every rule whose label names "not sure" and
    that can hold without a doubt has a definite label, which names no doubt; one that holds
    only on a "not sure" ("Not sure about the health history") needs none."""
    definite = held_without_a_doubt(PACK)
    missing, needless, unsure = [], [], []
    for rule in PACK.rules:
        folds = rule.label is not None and any(
            LABEL_UNSURE[lang].search(PACK.text(rule.label, lang)) for lang in PACK.languages)
        if folds and rule.id in definite and rule.definite_label is None:
            missing.append(rule.id)
        if rule.definite_label is not None and (not folds or rule.id not in definite):
            needless.append(rule.id)
        if rule.definite_label is not None:
            unsure += [f"{rule.id} ({lang})" for lang in PACK.languages
                       if LABEL_UNSURE[lang].search(PACK.text(rule.definite_label, lang))]
    assert not missing, "give these a definite_label: the label without the doubt"
    assert not needless, "these never show their definite_label"
    assert not unsure, "a definite label names no doubt"
    assert {"arthritis_flare_weak_immunity", "recent_clot_history"} <= definite
    assert "health_history_unsure" not in definite
