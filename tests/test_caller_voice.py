"""Reception mode (`--caller`) reads the bundled pack about the patient, in the third person.

Staff read each question, its options and why it is asked aloud to a caller who may not be
the patient, and type what the caller said: "Yes, my doctor knows" read out, or echoed back
after the key press, is nobody's words, and "your bladder" asks the caller about their own
(pack 0.2.13). Every question, option and help text a caller hears (its ``caller_text`` or
``caller_help``, or its text when it has none) is checked for first- and second-person words,
in English and French: a lint over known words ("my", "I", "you", "mon", "je", "vous"...),
as ``test_not_sure_wording`` is over phrases. An answer reads as its option did, wherever it
is shown again in that voice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import REPO_ROOT
from triage.cli.app import app
from triage.cli.exitcodes import EXIT_PROBLEMS
from triage.engine.evaluate import Outcome, evaluate
from triage.engine.policy import MEDICAL
from triage.i18n import t
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.render import prompts, stops
from triage.render.caller import booking_summary, caller_details
from triage.render.result import answer_text

PACK = load_pack(REPO_ROOT / "rules", use_cache=False)

# "I" only as a capital (a lone "i" is no pronoun); French elisions end in an apostrophe
FIRST_PERSON = {
    "en": re.compile(r"\b(I|I'm|I've|I'd|I'll)\b|\b(?i:me|my|mine|myself)\b"),
    "fr": re.compile(r"(?<![\w-])(?i:(je|me|moi|mon|ma|mes)\b|[jm]['\u2019])"),
}
# the caller addressed as the patient ("your bladder", « vous ne le sentez pas »); staff are
# told what to do in the imperative ("go back", « revenez »), which names no one
SECOND_PERSON = {
    "en": re.compile(r"\b(?i:you|your|yours|yourself|you're|you've|you'd|you'll)\b"),
    "fr": re.compile(r"(?<![\w-])(?i:vous|votre|vos)\b"),
}


def read_to_the_caller(pack: CompiledPack) -> Iterator[tuple[str, str, str]]:
    """(where, language, text) of every question, option and help text as reception staff
    read it."""
    for q in pack.questions:
        for lang in pack.languages:
            yield q.id, lang, pack.text(q.caller_text or q.text, lang)
            for o in q.options:
                yield f"{q.id}.{o.id}", lang, pack.text(o.caller_text or o.text, lang)
            if q.help is not None:
                yield f"{q.id} (help)", lang, pack.text(q.caller_help or q.help, lang)


def first_person(pack: CompiledPack) -> list[str]:
    return [f"{where} ({lang}): {text}" for where, lang, text in read_to_the_caller(pack)
            if FIRST_PERSON[lang].search(text)]


def second_person(pack: CompiledPack) -> list[str]:
    return [f"{where} ({lang}): {text}" for where, lang, text in read_to_the_caller(pack)
            if SECOND_PERSON[lang].search(text)]


def test_nothing_read_to_a_caller_is_in_the_first_person() -> None:
    assert not first_person(PACK), (
        "give these a caller_text about the patient ('the person', 'la personne')")


def test_nothing_read_to_a_caller_is_in_the_second_person() -> None:
    """The caller is not asked about their own bladder: the patient may be someone else."""
    assert not second_person(PACK), (
        "give these a caller_text (or a question a caller_help) about the patient")


def test_the_lint_finds_the_second_person() -> None:
    said = {"en": ["New trouble with your bladder", "you can't feel it", "It wakes you",
                   "If you can, go back", "You'll know"],
            "fr": ["vous ne le sentez pas", "le pire mal de tête de votre vie",
                   "Vos antécédents", "Vous avez aussi mal"]}
    for lang, texts in said.items():
        for text in texts:
            assert SECOND_PERSON[lang].search(text), text
    for lang, text in (("en", "The person's back is stiff"), ("en", "Young adults"),
                       ("en", "If the caller can say where, go back and choose the place."),
                       ("fr", "la personne ne le sent pas"),
                       ("fr", "revenez en arrière et choisissez l'endroit"),
                       ("fr", "Souvent")):
        assert not SECOND_PERSON[lang].search(text), text


def test_the_help_staff_read_is_about_the_patient() -> None:
    """``?`` in reception mode shows the caller help; the patient still reads their own."""
    from triage.render import prompts

    question = PACK.question_by_id["health_history"]
    for lang in ("en", "fr"):
        caller = prompts.help_text(PACK, question, prompts.Look(lang, caller=True))
        patient = prompts.help_text(PACK, question, prompts.Look(lang))
        assert not SECOND_PERSON[lang].search(caller), caller
        assert SECOND_PERSON[lang].search(patient), patient


def test_the_lint_finds_the_first_person() -> None:
    said = {"en": ["Yes, my doctor knows", "No, I have had pain like this before",
                   "It wakes me up"],
            "fr": ["Je ne sais pas", "Non, j'ai déjà eu mal", "Pour me détendre",
                   "M'entraîner pour une compétition", "Oui, mon médecin le sait",
                   "ma circulation", "mes exercices"]}
    for lang, texts in said.items():
        for text in texts:
            assert FIRST_PERSON[lang].search(text), text
    for lang, text in (("en", "Not sure (we treat it as yes)"), ("en", "Immune system"),
                       ("fr", "Ne sait pas (nous le comptons comme un oui)"),
                       ("fr", "Les mains maladroites"), ("fr", "Semaine")):
        assert not FIRST_PERSON[lang].search(text), text


def test_the_patient_still_reads_their_own_words() -> None:
    option = {o.id: o for o in PACK.question_by_id["exertion_pain"].options}["known_stable"]
    assert PACK.text(option.text, "en").startswith("Yes, my doctor knows")
    assert PACK.text(option.caller_text, "en").startswith("Yes, the person's doctor knows")
    assert PACK.text(option.caller_text, "fr").startswith("Oui, le médecin de la personne")


def test_an_answer_reads_as_its_option_did_in_each_voice() -> None:
    """Echoed after the key press, at the check, in the review and in `d`: the words read
    out, not the patient's first person."""
    assert answer_text(PACK, "first_time", "no", "en") == "No, I have had pain like this before"
    assert answer_text(PACK, "first_time", "no", "en", caller=True) == (
        "No, the person has had pain like this before")
    assert answer_text(PACK, "first_time", "not_sure", "fr", caller=True).startswith(
        "Ne sait pas")
    question = PACK.question_by_id["exertion_pain"]
    for caller in (False, True):
        look = prompts.Look("en", caller=caller)
        echoed = prompts.echo(PACK, question, "known_stable", look)
        assert ("the person's doctor" in echoed) is caller, echoed
        reviewed = prompts.review(PACK, [(question, "known_stable")], look)
        assert ("my doctor" in reviewed) is not caller, reviewed
    case = next(c for c in PACK.cases if c.answers.get("exertion_pain") == "known_stable")
    details = caller_details(evaluate(PACK, case.answers), PACK, "en")
    assert "Yes, the person's doctor knows (angina)" in details
    assert not FIRST_PERSON["en"].search(details), details


def test_an_option_caller_text_is_checked_like_every_text(
        pack_copy: Callable[..., Path]) -> None:
    """Given in every language of the pack, or `validate` says which is missing."""
    def edit(text: str) -> str:
        return text.replace("- {id: knee, text: {en: Knee, fr: Genou}}",
                            "- {id: knee, text: {en: Knee, fr: Genou}, "
                            "caller_text: {en: The knee}}")

    result = CliRunner().invoke(app, ["validate", str(pack_copy({"questions.yaml": edit}))])
    assert result.exit_code == EXIT_PROBLEMS, result.output
    # at the caller text itself, on the knee's line
    line = next(i for i, text in enumerate(edit((REPO_ROOT / "tests" / "packs" / "minimal" /
                                                  "questions.yaml").read_text()).splitlines(), 1)
                if "caller_text: {en: The knee}" in text)
    assert re.search(rf"questions\.yaml:{line}:\d+: missing French \('fr'\) text",
                     result.stderr), result.stderr


def test_a_caller_help_is_checked_like_every_text(pack_copy: Callable[..., Path]) -> None:
    """Given in every language of the pack, or `validate` says which is missing, where."""
    said = "caller_help: {en: Chest pain in the person can be a heart attack.}"

    def edit(text: str) -> str:
        return text.replace("    type: yes_no\n    red_flag_screen: true\n",
                            f"    {said}\n    type: yes_no\n    red_flag_screen: true\n", 1)

    result = CliRunner().invoke(app, ["validate", str(pack_copy({"questions.yaml": edit}))])
    assert result.exit_code == EXIT_PROBLEMS, result.output
    line = next(i for i, text in enumerate(edit((REPO_ROOT / "tests" / "packs" / "minimal" /
                                                  "questions.yaml").read_text()).splitlines(), 1)
                if said in text)
    assert re.search(rf"questions\.yaml:{line}:\d+: missing French \('fr'\) text",
                     result.stderr), result.stderr


def test_staff_read_the_caller_help_on_a_question_mark(pack_copy: Callable[..., Path]) -> None:
    from triage.render import prompts

    def edit(text: str) -> str:
        return text.replace("    type: yes_no\n    red_flag_screen: true\n",
                            "    caller_help: {en: In the person it can be a heart attack., "
                            "fr: 'Chez la personne, cela peut être une crise cardiaque.'}\n"
                            "    type: yes_no\n    red_flag_screen: true\n", 1)

    pack = load_pack(pack_copy({"questions.yaml": edit}), use_cache=False)
    question = pack.question_by_id["chest_pain"]
    caller = prompts.help_text(pack, question, prompts.Look("en", caller=True))
    assert caller == "Why we ask: In the person it can be a heart attack.\n"
    assert "Chez la personne" in prompts.help_text(pack, question, prompts.Look("fr", caller=True))
    assert prompts.help_text(pack, question, prompts.Look("en")) == (
        "Why we ask: Chest pain can be a heart attack.\n")


# ------------------------------------------- what staff read from the pack's advice


def bare_outcome(pack: CompiledPack, disposition: str) -> Outcome:
    """An outcome of ``disposition`` with no answer and no rule: what the summary shows of
    the disposition's own texts, whatever the answers."""
    return Outcome(disposition, None, False, (0, 0), 0, (None,) * len(pack.questions), (),
                   pack, (), ())


def summaries(pack: CompiledPack, lang: str) -> Iterator[tuple[str, str]]:
    """(where, text) of what reception mode prints: the summary and its details (`d`) of
    every disposition (its own texts) and of every test case of the pack (the rules' texts
    that hold), and the stop after answers that already show a warning sign."""
    for disposition in pack.dispositions:
        outcome = bare_outcome(pack, disposition)
        yield disposition, booking_summary(outcome, pack, lang)
        yield f"{disposition} (d)", caller_details(outcome, pack, lang)
        if disposition in MEDICAL:
            yield f"{disposition} (stop)", stops.known_level(
                pack, disposition, prompts.Look(lang, caller=True))
    for case in pack.cases:
        outcome = evaluate(pack, case.answers)
        yield case.id, booking_summary(outcome, pack, lang)
        yield f"{case.id} (d)", caller_details(outcome, pack, lang)


def in_the_rules_voice(pack: CompiledPack) -> Iterator[tuple[str, str, str]]:
    """(where, language, text) of every rule text staff can read: labels (a rule is named
    by it in the reasons, the flags not ruled out and the lists of `d`), a note's reason as
    staff tell it (what to watch for, what to tell the caller when booking) and a
    precaution's note for the therapist."""
    for rule in pack.rules:
        for lang in pack.languages:
            for field in (rule.label, rule.definite_label):
                if field is not None:
                    yield f"{rule.id} (label)", lang, pack.text(field, lang)
            if rule.kind == "note":
                yield rule.id, lang, pack.text(rule.caller_reason or rule.reason, lang)
                for i, (_, reason) in enumerate(rule.reason_when):  # each branch's too
                    caller = rule.caller_reason_when[i] if rule.caller_reason_when else None
                    yield f"{rule.id} (branch {i + 1})", lang, pack.text(caller or reason, lang)
            if rule.note is not None:
                yield f"{rule.id} (note)", lang, pack.text(rule.caller_note or rule.note, lang)


def test_every_pack_text_under_a_caller_heading_is_about_the_patient() -> None:
    """"Tell the caller: ... Ask someone to drive you", "your doctor": the pack's advice was
    printed in the patient's voice under the reception headings. Each text the summary can
    show (a disposition's label, how soon, what to do and when to seek care; a note; a
    precaution; a rule's name) has a form about the patient (``caller_action``,
    ``caller_reason``, ``caller_note``... where its own speaks to the patient)."""
    found = [f"{where} ({lang}): {text}" for where, lang, text in in_the_rules_voice(PACK)
             if FIRST_PERSON[lang].search(text) or SECOND_PERSON[lang].search(text)]
    for lang in PACK.languages:
        for where, text in summaries(PACK, lang):
            found += [f"{where} ({lang}): {line}" for line in text.splitlines()
                      if FIRST_PERSON[lang].search(line) or SECOND_PERSON[lang].search(line)]
    assert not found, "\n".join(dict.fromkeys(found))


def test_the_patient_still_reads_their_own_advice() -> None:
    """The caller forms are reception's: the patient's result keeps the pack's own words."""
    from triage.render import outcome_text

    outcome = bare_outcome(PACK, "emergency_department")
    assert "Ask someone to drive you" in outcome_text(outcome, PACK, "en", plain=True)
    summary = booking_summary(outcome, PACK, "en")
    assert "Tell the caller: The person should go to the nearest emergency department now" \
        in summary
    assert "Someone should drive them" in summary


# The patient answers the questions on the screen, and can answer them again; a caller
# answered none ("Then answer these questions again to choose a therapy" was read out under
# "Tell the caller" with self care: sees audit 2, item 7). Reception says "call again".
THE_QUESTIONS = {
    "en": re.compile(r"(?i)\b(these|the) questions\b|\banswer\w*\b[^.]*\bagain\b"),
    "fr": re.compile(r"(?i)(?<![\w-])(ces|les) questions\b|\brépond\w*\b[^.]*\b(de|à) nouveau\b"),
}


def sends_back_to_the_questions(pack: CompiledPack) -> list[str]:
    """Every text reception mode shows (the summary and `d` of every disposition and pack
    case, the stop, every rule text staff read) that asks someone to answer the questions."""
    found = [f"{where} ({lang}): {text}" for where, lang, text in in_the_rules_voice(pack)
             if THE_QUESTIONS[lang].search(text)]
    for lang in pack.languages:
        for where, text in summaries(pack, lang):
            found += [f"{where} ({lang}): {line}" for line in text.splitlines()
                      if THE_QUESTIONS[lang].search(line)]
    return list(dict.fromkeys(found))


def test_no_text_read_to_a_caller_sends_them_to_the_questions() -> None:
    assert not sends_back_to_the_questions(PACK), "give these a caller_* text ('call again')"


def test_the_lint_finds_a_text_that_sends_back_to_the_questions() -> None:
    """The patient's own self care advice is what it finds, in both languages."""
    for lang in PACK.languages:
        assert THE_QUESTIONS[lang].search(PACK.advice_text("self_care", "action", lang))
        assert not THE_QUESTIONS[lang].search(
            PACK.advice_text("self_care", "action", lang, caller=True))


# ------------------------------------- the patient's care, not an order to the caller

# An order about the patient's own care, said to the caller ("If it gets worse..., see a
# doctor", « voyez un médecin », "Go to the emergency department at once if the person..."):
# reception speaks of the patient in the third person, and the caller may be someone else
# (ux-new, item 2). Calling 911 is anyone's to do for the patient (reception's one
# instruction for it tells the caller to), as booking and asking the clinic are the caller's;
# the therapist's precautions are orders to the therapist. English: a care verb in the
# imperative where a clause starts (after "If ...," or "After surgery, ...,"); French:
# a verb in "-ez" (the imperative; "vous ..." is the second person, above).
CARE_ORDER = {
    "en": re.compile(r"(?i)(?:^|[.:;!?]\s+|\b(?:if|after|when|before|until|while|in|for|"
                     r"during)\b[^.;:]*?,\s+)(?:do not |don't )?(?:see|get|"
                     r"go|rest|drink|keep|stay|contact|stop|take|avoid|wait|seek|visit|start|"
                     r"lie|sit|walk|wear|move|look after|follow)\b"),
    "fr": re.compile(r"(?i)(?<![\w-])(?!(?:appelez|prenez|demandez|rendez|chez|assez|nez)\b)"
                     r"\w+ez\b"),
}
# the caller named as the one whose care it is ("No booking: the caller should see a doctor
# today"): the patient's next step is said of "the person", as the pack's caller texts say
CALLER_AS_PATIENT = {
    "en": re.compile(r"(?i)\bthe caller (?:should|must|needs to|has to) (?!call\b)"),
    "fr": re.compile(r"(?i)\bl'appelante? (?:doit|devrait)\b"),
}


def orders_to_the_caller(pack: CompiledPack) -> list[str]:
    """Every text told to the caller (the summary and `d` of every disposition and pack
    case, the stop, every note as staff tell it, every rule's name) that orders the caller
    to do what the patient should, or names the caller as the patient; the precautions for
    the therapist are not told to the caller."""
    def wrong(lang: str, text: str) -> bool:
        return bool(CARE_ORDER[lang].search(text) or CALLER_AS_PATIENT[lang].search(text))

    found = [f"{where} ({lang}): {text}" for where, lang, text in in_the_rules_voice(pack)
             if not where.endswith("(note)") and wrong(lang, text)]
    for lang in pack.languages:
        therapist = t("caller_precautions", lang) + t("colon", lang).rstrip()
        for where, text in summaries(pack, lang):
            heading = ""
            for line in text.splitlines():
                if not line.startswith("- "):
                    heading = line
                elif heading == therapist:
                    continue
                if wrong(lang, line):
                    found.append(f"{where} ({lang}): {line}")
    return list(dict.fromkeys(found))


def test_nothing_told_to_the_caller_orders_them_to_do_the_patients_care() -> None:
    assert not orders_to_the_caller(PACK), (
        "give these a caller_* text about the patient ('the person should...', 'la personne "
        "doit...')")


def test_the_lint_finds_an_order_to_the_caller() -> None:
    said = {"en": ["If it gets worse or new symptoms start, see a doctor.",
                   "If it gets worse, or new signs start, get care today.",
                   "Go to the emergency department at once if the person gets worse.",
                   "After surgery, a cast or time in bed, see a doctor the same day.",
                   "Disposition: See a doctor within 1 to 3 days",
                   "The person should see a doctor today. Do not start therapy yet.",
                   "Book: No booking: the caller should see a doctor today"],
            "fr": ["Si cela empire ou si de nouveaux symptômes apparaissent, voyez un médecin.",
                   "Orientation : Allez à l'urgence maintenant",
                   "Si cela empire vite, obtenez des soins aujourd'hui.",
                   "Reposez-vous et buvez beaucoup de liquides."]}
    for lang, texts in said.items():
        for text in texts:
            assert CARE_ORDER[lang].search(text) or CALLER_AS_PATIENT[lang].search(text), text
    for lang, text in (
            ("en", "If it gets worse or the person feels very unwell, call 911."),
            ("en", "The person must not drive themselves. Do not book therapy."),
            ("en", "No therapy for now: the person should rest, drink fluids and wait."),
            ("en", "Tell the caller: If it gets worse, the person should see a doctor."),
            ("en", "No booking yet: a clinician should call the caller back to help choose"),
            ("fr", "Ne prenez pas de rendez-vous de thérapie. En cas d'urgence, appelez le 911."),
            ("fr", "Pas de rendez-vous : la personne doit voir un médecin aujourd'hui"),
            ("fr", "Demandez à la personne d'appuyer doucement sur ces os.")):
        assert not CARE_ORDER[lang].search(text), text
        assert not CALLER_AS_PATIENT[lang].search(text), text
