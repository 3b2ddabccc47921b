"""The program's own words in every supported language (pack texts live in the pack)."""

from __future__ import annotations

import os

from triage.i18n_answers import ANSWERS
from triage.i18n_back import BACK
from triage.i18n_counts import COUNTS, singular
from triage.i18n_doubts import DOUBTS
from triage.i18n_failure import FAILURE
from triage.i18n_reception import RECEPTION
from triage.i18n_records import RECORDS
from triage.i18n_screen import SCREEN
from triage.i18n_stop import STOP

LANGUAGES = ("en", "fr")

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "result": "Result",
        "what_to_do": "What to do",
        "how_soon": "How soon",
        "if_worse": "When to seek care",
        "why": "Why",
        # the precautions are said once, on the first screen ("Tell your therapist"); the
        # details give only where each comes from
        "precaution_sources": "Sources for the precautions above",
        "avoid_area": "Avoid this area",
        "avoid_technique": "Avoid this technique",
        "precaution": "Precaution",
        "notes": "Good to know",
        "tell_therapist": "Tell your therapist",
        "techniques_adapted": "What the therapist may use, adapted to the precautions above",
        "outcome_line": "{label}: {timeframe}.",
        "outcome_line_label": "{label}.",
        "techniques": "What the therapist may use",
        "flags_absent": "Warning signs checked and not present",
        "flags_unsure": ("Not ruled out: you were not sure about these warning signs; ask a "
                         "doctor or nurse about them"),
        "also_found": "Also found: {name}",
        "answers_not_used": ("Answered, but not used: these questions did not apply to your "
                             "answers"),
        "flags_unchecked": "Not checked, because the result was already clear",
        "flags_not_asked": "Not asked: these did not apply to your answers",
        "watch_for": "Watch for",
        "answers": "Your answers",
        "source": "Source",
        "sources": "Sources",
        "consensus": "professional consensus",
        "soft_tissue_struck": "Massage (soft tissue) therapy is not safe for you right now.",
        "not_diagnosis": "This is not a diagnosis. It helps you choose where to start.",
        "referral": ("You do not need a referral to book a physiotherapist or a registered "
                     "massage therapist, but some insurance plans ask for one before they pay: "
                     "check your plan."),
        # the referral line's source, in the details with the other sources (the pack's
        # insurance note said the same fact again until pack 0.2.11)
        "referral_source_title": "Sources on referral and insurance",
        "referral_source": ("OPA, Patient access and payment; OPPQ, Access to care; MTAM, "
                            "Insurance coverage (2024)"),
        "call_911": "Call 911 now.",
        "pack": "Rule pack",
        "yes": "yes",
        "no": "no",
        "missing_answers": ("These safety questions have no answer, so no recommendation can be "
                            "made: {questions}. Answer them (never leave a safety question out)."),
        "problems_found": "{count} problems found.",
        "problems_found_one": "{count} problem found.",
        "pack_ok": "{path}: OK: pack {id} {version}: {questions}, {rules}, {cases}.",
        # the interactive questionnaire
        "intro": ("{title} One question at a time. This is not a diagnosis. If you have a "
                  "medical emergency, call 911 now."),
        "intro_caller": ("{title} Reception mode: the questions are about the patient (the "
                         "person to be booked), who may not be the caller. Read each one aloud "
                         "and type the answer."),
        "colon": ": ",
        "ask_caller_ref": "Reference for the record (a caller number, not a name), then Enter:",
        "progress_plain": "Question {number}, about {percent}% done",
        "question_n": "Question {number}",
        "earlier_answer": "Your earlier answer: {answer}. Press Enter to keep it.",
        # reception mode: staff typed the answers, about the patient; they are not staff's own
        "earlier_answer_caller": "The earlier answer: {answer}. Press Enter to keep it.",
        "you_chose": "You chose: {answer}",
        "you_answered": "You answered {answer} to: {question}",
        # reception mode: staff typed it, but the caller said it (the patient's sign, not a
        # choice of the person at the keyboard)
        "caller_said": "The caller said: {answer}",
        "caller_answered": "The caller said {answer} to: {question}",
        "confirm_stop": "{said} Is that right?",
        "confirm_stop_caller": "{said} Is that right? If so, {call_911}.",
        "confirm_again": "Then please answer the question again.",
        "confirm_again_caller": "Then read the question to the caller again.",
        # the one thing staff do for a 911 sign, said the same way wherever it is said
        "caller_call_911": "tell the caller to hang up and call 911 now, or call 911 for them",
        "review_title": "Your answers:",
        "review_title_caller": "The caller's answers:",
        "review_hint": ("Press Enter to see the result, or type the number of an answer "
                        "(1 to {last}) to change it, then Enter."),
        "review_expected": "Type a number from 1 to {last}, or press Enter to see the result.",
        "result_keys": ("Type d for details and sources, b to change an answer, or press "
                        "Enter to finish."),
        "result_keys_no_sources": ("Type d for details, b to change an answer, or press Enter "
                                   "to finish."),
        # once `d` has shown the details, it is no longer offered
        "result_keys_shown": "Type b to change an answer, or press Enter to finish.",
        "stopped_saved": ("Your answers are saved in {path}. To continue later: {command}"),
        "stopped_not_saved": ("Your answers were not kept. To keep them next time, start "
                              "with: {command}"),
        "save_example": "answers.json",
        "save_example_caller": "call.json",
        "stopped_saved_caller": ("The call's answers are saved in {path}. To continue later: "
                                 "{command}"),
        "stopped_not_saved_caller": ("The call's answers were not saved. To keep them next "
                                     "time, start with: {command}"),
        "keys": "Type ? for why we ask, b to go back, q to stop.",
        # at the first question there is no answer to go back to: b is not offered
        "keys_first": "Type ? for why we ask, q to stop.",
        "hint_yes_no": "Type {yes} for yes or {no} for no.",
        "hint_single": "Type the number of the answer.",
        "hint_multi": ("Type the numbers that apply, separated by spaces (for example 1 3), "
                       "or 0 for none of these, then press Enter."),
        "hint_number": "Type a number from {min} to {max} {unit}, then press Enter.",
        "or": "or",
        "then_enter": "Then press Enter.",
        "none_of_these": "none of these",
        "fhir_none_of_these": "None of these",
        "answer_prompt": "Answer:",
        "why_we_ask": "Why we ask",
        "no_help": "There is no more explanation for this question.",
        "empty_answer": "Please type an answer: Enter alone is not an answer.",
        "yes_no_expected": "Please type {yes} for yes or {no} for no.",
        "choice_expected": "Please type a number from 1 to {last}.",
        "choices_expected": ("'{token}' is not one of the choices. Type numbers from 1 to {last} "
                             "separated by spaces, or 0 for none of these."),
        "none_and_choices": ("0 means none of these, so it goes alone. Type 0, or the numbers "
                             "from 1 to {last} that apply."),
        "number_expected": "That is not a number. Please type a number from {min} to {max} {unit}.",
        "whole_number_expected": "Please type a whole number from {min} to {max} {unit}.",
        "number_comma_grouped": ("A comma followed by 3 digits can mean thousands or a "
                                 "decimal. Please type the number without it, from {min} to "
                                 "{max} {unit}."),
        "out_of_range": "Please type a number from {min} to {max} {unit}.",
        "too_precise": "Please type a number from {min} to {max} {unit}, with at most 15 "
                       "digits.",
        "invalid_value": "That answer does not fit this question: {detail}",
        "stopped": ("Screening stopped - no recommendation made. If your symptoms are severe, "
                    "call 911."),
        "needs_terminal": ("The questionnaire needs a terminal, and standard input is not one. "
                           "Run it in a terminal, or give the answers with --answers FILE "
                           "(--answers - reads them from standard input)."),
        "emergency_now": "Stop: call 911 now.",
        "emergency_now_caller": "Stop: {call_911}.",
        # save and resume
        "resumed": "Resuming {path}: {count} answers kept.",
        "resumed_one": "Resuming {path}: {count} answer kept.",
        # file:line:col first, as every problem a user can fix ("Cannot resume from s.json:
        # invalid JSON" named no place)
        "resume_failed": "{where}: cannot resume from this file: {why}",
        "resume_not_session": "this is not a saved triage session",
        "pack_changed": ("The rules changed since this session was saved (then {old}, now {new}): "
                         "the answers were checked again."),
        "other_pack": ("This session was saved with the rule pack '{old}', not '{new}': the "
                       "answers were checked again."),
        "dropped_answer": "The saved answer to {question} was dropped: {reason}.",
        "unknown_question": "the question is no longer in the rules",
        "invalid_answer": "the answer no longer fits the question",
        "not_asked_now": "the question no longer applies",
        "save_failed": "Cannot save progress to {path}: {why}",
        "report_written": "Summary written to {path}.",
        "report_failed": "Cannot write the summary to {path}: {why}",
        "report_suffix": "The summary file must end in .md or .html (got {path}).",
        "save_with_answers": ("--save and --resume are for the questionnaire, not for "
                              "--answers."),
        "report_title": "Therapy triage summary",
        "report_emergency": "EMERGENCY: CALL 911 NOW",
        "report_flags_checked": "{count} warning signs were checked and are not present.",
        "report_flags_checked_one": "{count} warning sign was checked and is not present.",
        "report_flags_not_asked": ("{count} other warning signs did not apply to your answers, "
                                   "so they were not asked about."),
        "report_flags_not_asked_one": ("{count} other warning sign did not apply to your answers, "
                                       "so it was not asked about."),
        "report_sources": "Sources",
        "report_for_appointment": "Bring this page to your first appointment.",
        # terminal questionnaire: a dropped call, the record (stops: i18n_stop)
        "nothing_recorded": "Nothing was recorded for this call: the screening did not finish.",
        "ref_not_given": "No reference given: the record is saved without one.",
        "stopped_caller": ("Screening stopped - no recommendation made. If the patient's "
                           "symptoms are severe, {call_911}."),
        "ref_needs_digit": ("A reference has at least one digit (e.g. C-1042): a name is not "
                            "kept. Type the caller number, then Enter:"),
    },
    "fr": {
        "result": "Résultat",
        "what_to_do": "Que faire",
        # two labels starting "Quand" beside each other read as one question asked twice,
        # and "Quand consulter" as when to book, against "D'ici 1 à 2 semaines"
        "how_soon": "Délai",
        "if_worse": "Consulter plus tôt",
        "why": "Pourquoi",
        "precaution_sources": "Sources des précautions ci-dessus",
        "avoid_area": "Éviter cette région",
        "avoid_technique": "Éviter cette technique",
        "precaution": "Précaution",
        "notes": "Bon à savoir",
        "tell_therapist": "Dites à votre thérapeute",
        "techniques_adapted": ("Ce que le thérapeute peut utiliser, adapté aux précautions "
                               "ci-dessus"),
        "outcome_line": "{label} : {timeframe}.",
        "outcome_line_label": "{label}.",
        "techniques": "Ce que le thérapeute peut utiliser",
        "flags_absent": "Signes d'alerte vérifiés et absents",
        "flags_unsure": ("Non écarté : vous n'étiez pas sûr pour ces signes d'alerte ; "
                         "parlez-en à un médecin ou à une infirmière"),
        "also_found": "Aussi trouvé : {name}",
        "answers_not_used": ("Répondu, mais non utilisé : ces questions ne s'appliquaient pas "
                             "à vos réponses"),
        "flags_unchecked": "Non vérifié, car le résultat était déjà clair",
        "flags_not_asked": "Non demandé : ne s'appliquait pas à vos réponses",
        "watch_for": "À surveiller",
        "answers": "Vos réponses",
        "source": "Source",
        "sources": "Sources",
        "consensus": "consensus professionnel",
        "soft_tissue_struck": ("La massothérapie (tissus mous) n'est pas sécuritaire pour vous "
                               "en ce moment."),
        "not_diagnosis": "Ceci n'est pas un diagnostic. Cela vous aide à choisir par où commencer.",
        "referral": ("Vous n'avez pas besoin d'une recommandation pour prendre rendez-vous avec "
                     "un physiothérapeute ou un massothérapeute, mais certaines assurances en "
                     "exigent une pour rembourser : vérifiez votre régime."),
        "referral_source_title": "Sources sur la recommandation et l'assurance",
        "referral_source": ("OPA, Patient access and payment; OPPQ, Access to care; MTAM, "
                            "Insurance coverage (2024)"),
        "call_911": "Appelez le 911 maintenant.",
        "pack": "Règles",
        "yes": "oui",
        "no": "non",
        "missing_answers": ("Ces questions de sécurité n'ont pas de réponse, donc aucune "
                            "recommandation n'est possible : {questions}. Répondez-y."),
        "problems_found": "{count} problèmes trouvés.",
        "problems_found_one": "{count} problème trouvé.",
        "pack_ok": "{path} : OK : règles {id} {version} : {questions}, {rules}, {cases}.",
        # the interactive questionnaire
        "intro": ("{title} Une question à la fois. Ceci n'est pas un diagnostic. En cas "
                  "d'urgence médicale, appelez le 911 maintenant."),
        "intro_caller": ("{title} Mode accueil : les questions portent sur le patient (la "
                         "personne à qui on donne rendez-vous), qui n'est pas toujours la "
                         "personne qui appelle. Lisez chacune à voix haute et tapez la "
                         "réponse."),
        "colon": " : ",
        "ask_caller_ref": ("Référence pour le dossier (un numéro d'appelant, pas un nom), puis "
                           "Entrée :"),
        "progress_plain": "Question {number}, environ {percent} % du questionnaire fait",
        "question_n": "Question {number}",
        "earlier_answer": ("Votre réponse précédente : {answer}. Appuyez sur Entrée pour la "
                           "garder."),
        "earlier_answer_caller": ("La réponse précédente : {answer}. Appuyez sur Entrée pour la "
                                  "garder."),
        "you_chose": "Vous avez choisi : {answer}",
        "you_answered": "Vous avez répondu {answer} à : {question}",
        "caller_said": "La personne a dit : {answer}",
        "caller_answered": "La personne a répondu {answer} à : {question}",
        "confirm_stop": "{said} Est-ce bien cela?",
        "confirm_stop_caller": "{said} Est-ce bien cela? Si oui, {call_911}.",
        "confirm_again": "Alors répondez de nouveau à la question.",
        "confirm_again_caller": "Alors relisez la question à la personne.",
        "caller_call_911": ("dites à la personne de raccrocher et d'appeler le 911 maintenant, "
                            "ou appelez le 911 pour elle"),
        "review_title": "Vos réponses :",
        "review_title_caller": "Les réponses de la personne :",
        "review_hint": ("Appuyez sur Entrée pour voir le résultat, ou tapez le numéro d'une "
                        "réponse (1 à {last}) pour la changer, puis Entrée."),
        "review_expected": ("Tapez un numéro de 1 à {last}, ou appuyez sur Entrée pour voir le "
                            "résultat."),
        "result_keys": ("Tapez d pour les détails et les sources, b pour changer une réponse, "
                        "ou appuyez sur Entrée pour terminer."),
        "result_keys_no_sources": ("Tapez d pour les détails, b pour changer une réponse, ou "
                                   "appuyez sur Entrée pour terminer."),
        "result_keys_shown": ("Tapez b pour changer une réponse, ou appuyez sur Entrée pour "
                              "terminer."),
        "stopped_saved": ("Vos réponses sont enregistrées dans {path}. Pour continuer plus "
                          "tard : {command}"),
        "stopped_not_saved": ("Vos réponses n'ont pas été gardées. Pour les garder la prochaine "
                              "fois, commencez par : {command}"),
        "save_example": "reponses.json",
        "save_example_caller": "appel.json",
        "stopped_saved_caller": ("Les réponses de l'appel sont enregistrées dans {path}. Pour "
                                 "continuer plus tard : {command}"),
        "stopped_not_saved_caller": ("Les réponses de l'appel n'ont pas été gardées. Pour les "
                                     "garder la prochaine fois, commencez par : {command}"),
        "keys": ("Tapez ? pour savoir pourquoi on le demande, b pour revenir en arrière, q pour "
                 "arrêter."),
        "keys_first": "Tapez ? pour savoir pourquoi on le demande, q pour arrêter.",
        "hint_yes_no": "Tapez {yes} pour oui ou {no} pour non.",
        "hint_single": "Tapez le numéro de la réponse.",
        "hint_multi": ("Tapez les numéros qui s'appliquent, séparés par des espaces (par exemple "
                       "1 3), ou 0 pour aucun, puis appuyez sur Entrée."),
        "hint_number": "Tapez un nombre de {min} à {max} {unit}, puis appuyez sur Entrée.",
        "or": "ou",
        "then_enter": "Puis appuyez sur Entrée.",
        "none_of_these": "aucun",
        "fhir_none_of_these": "Aucun de ces choix",
        "answer_prompt": "Réponse :",
        "why_we_ask": "Pourquoi on le demande",
        "no_help": "Il n'y a pas d'autre explication pour cette question.",
        "empty_answer": "Tapez une réponse : la touche Entrée seule n'est pas une réponse.",
        "yes_no_expected": "Tapez {yes} pour oui ou {no} pour non.",
        "choice_expected": "Tapez un numéro de 1 à {last}.",
        "choices_expected": ("« {token} » n'est pas un des choix. Tapez des numéros de 1 à {last} "
                             "séparés par des espaces, ou 0 pour aucun."),
        "none_and_choices": ("0 veut dire aucun, donc il se tape seul. Tapez 0, ou les numéros "
                             "de 1 à {last} qui s'appliquent."),
        "number_expected": ("Ce n'est pas un nombre. Tapez un nombre de {min} à {max} "
                            "{unit}."),
        "whole_number_expected": "Tapez un nombre entier de {min} à {max} {unit}.",
        "number_comma_grouped": ("Une virgule suivie de 3 chiffres peut marquer les milliers "
                                 "ou les décimales. Tapez le nombre sans elle, de {min} à "
                                 "{max} {unit}."),
        "out_of_range": "Tapez un nombre de {min} à {max} {unit}.",
        "too_precise": "Tapez un nombre de {min} à {max} {unit}, d'au plus 15 chiffres.",
        "invalid_value": "Cette réponse ne convient pas à cette question : {detail}",
        "stopped": ("Questionnaire arrêté - aucune recommandation. Si vos symptômes sont graves, "
                    "appelez le 911."),
        "needs_terminal": ("Le questionnaire a besoin d'un terminal, et l'entrée standard n'en "
                           "est pas un. Lancez-le dans un terminal, ou donnez les réponses avec "
                           "--answers FICHIER (--answers - les lit sur l'entrée standard)."),
        # « Arrêtez : » alone reads as "stop it" (a reproach): say what stops, the questions
        "emergency_now": "Arrêtez les questions : appelez le 911 maintenant.",
        "emergency_now_caller": "Arrêtez les questions : {call_911}.",
        # save and resume
        "resumed": "Reprise de {path} : {count} réponses conservées.",
        "resumed_one": "Reprise de {path} : {count} réponse conservée.",
        "resume_failed": "{where}: impossible de reprendre depuis ce fichier : {why}",
        "resume_not_session": "ce n'est pas une séance triage enregistrée",
        "pack_changed": ("Les règles ont changé depuis l'enregistrement (avant {old}, maintenant "
                         "{new}) : les réponses ont été vérifiées de nouveau."),
        "other_pack": ("Cette séance a été enregistrée avec les règles « {old} », pas « {new} » : "
                       "les réponses ont été vérifiées de nouveau."),
        "dropped_answer": "La réponse enregistrée à {question} a été retirée : {reason}.",
        "unknown_question": "la question n'existe plus dans les règles",
        "invalid_answer": "la réponse ne convient plus à la question",
        "not_asked_now": "la question ne s'applique plus",
        "save_failed": "Impossible d'enregistrer la progression dans {path} : {why}",
        "report_written": "Résumé écrit dans {path}.",
        "report_failed": "Impossible d'écrire le résumé dans {path} : {why}",
        "report_suffix": "Le fichier de résumé doit finir par .md ou .html (reçu {path}).",
        "save_with_answers": ("--save et --resume servent au questionnaire, pas à "
                              "--answers."),
        "report_title": "Résumé d'orientation en thérapie",
        "report_emergency": "URGENCE : APPELEZ LE 911 MAINTENANT",
        "report_flags_checked": ("{count} signes d'alerte ont été vérifiés et sont "
                                 "absents."),
        "report_flags_checked_one": "{count} signe d'alerte a été vérifié et est absent.",
        "report_flags_not_asked": ("{count} autres signes d'alerte ne s'appliquaient pas à vos "
                                   "réponses : ils n'ont pas été demandés."),
        "report_flags_not_asked_one": ("{count} autre signe d'alerte ne s'appliquait pas à "
                                       "vos réponses : il n'a pas été demandé."),
        "report_sources": "Sources (publications en anglais)",
        "report_for_appointment": "Apportez cette page à votre premier rendez-vous.",
        # questionnaire au terminal : arrêt à la vérification d'urgence, appel coupé, dossier
        "nothing_recorded": ("Rien n'a été enregistré pour cet appel : le questionnaire n'est "
                             "pas terminé."),
        "ref_not_given": "Aucune référence donnée : le dossier est enregistré sans référence.",
        "stopped_caller": ("Questionnaire arrêté - aucune recommandation. Si les symptômes du "
                           "patient sont graves, {call_911}."),
        "ref_needs_digit": ("Une référence a au moins un chiffre (p. ex. C-1042) : un nom n'est "
                            "pas gardé. Tapez le numéro d'appelant, puis Entrée :"),
    },
}

for _lang, _texts in (*RECEPTION.items(), *SCREEN.items(), *DOUBTS.items(), *STOP.items(),
                      *COUNTS.items(), *RECORDS.items(), *FAILURE.items(), *ANSWERS.items(),
                      *BACK.items()):
    MESSAGES[_lang].update(_texts)


def t(key: str, lang: str, **values: object) -> str:
    """A message in ``lang`` (English when it has none); with a ``count`` that takes the
    singular in ``lang`` (:func:`singular`), its singular form (``<key>_one``) when there is
    one: "1 problem found", never "1 problem(s)"; "0 réponse conservée"."""
    table = MESSAGES.get(lang, MESSAGES["en"])
    count = values.get("count")
    if isinstance(count, int | float) and not isinstance(count, bool) and \
            singular(count, lang) and f"{key}_one" in MESSAGES["en"]:
        key = f"{key}_one"
    text = table.get(key) or MESSAGES["en"][key]
    return text.format(**values) if values else text


def language_part(value: str) -> str:
    """The language of a locale as people and systems write it: any case, with a region,
    codeset or modifier after it (FR, fr-CA, fr_CA.UTF-8, fr@euro): ``fr``."""
    for separator in "-_.@":  # (not re: this module is on the first question's path)
        value = value.split(separator, 1)[0]
    return value.casefold()


def default_language() -> str:
    """From TRIAGE_LANG, then the locale (LC_ALL, LC_MESSAGES, LANG); English otherwise."""
    for var in ("TRIAGE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            code = language_part(value)
            return code if code in LANGUAGES else "en"
    import locale  # rarely reached: the environment usually says

    try:
        code = language_part(locale.getlocale()[0] or "en")
    except ValueError:
        code = "en"
    return code if code in LANGUAGES else "en"
