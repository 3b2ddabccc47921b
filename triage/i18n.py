"""The program's own words in every supported language (pack texts live in the pack)."""

from __future__ import annotations

import os

LANGUAGES = ("en", "fr")

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "result": "Result",
        "what_to_do": "What to do",
        "how_soon": "How soon",
        "if_worse": "If it gets worse",
        "why": "Why",
        "therapist_notes": "For your therapist",
        "avoid_area": "Avoid this area",
        "avoid_technique": "Avoid this technique",
        "precaution": "Precaution",
        "notes": "Good to know",
        "techniques": "What the therapist may use",
        "flags_absent": "Warning signs checked and not present",
        "flags_unchecked": "Not asked, because the answer was already clear",
        "answers": "Your answers",
        "source": "Source",
        "consensus": "professional consensus",
        "soft_tissue_struck": "Massage (soft tissue) therapy is not safe for you right now.",
        "not_diagnosis": "This is not a diagnosis. It helps you choose where to start.",
        "referral": ("You do not need a referral to book a physiotherapist or a registered "
                     "massage therapist, but some insurance plans ask for one before they pay: "
                     "check your plan."),
        "call_911": "Call 911 now.",
        "pack": "Rule pack",
        "yes": "yes",
        "no": "no",
        "missing_answers": ("These safety questions have no answer, so no recommendation can be "
                            "made: {questions}. Answer them (never leave a safety question out)."),
        "problems_found": "{count} problem(s) found.",
        "pack_ok": "{path}: OK: pack {id} {version}: {questions} questions, {rules} rules, "
                   "{cases} test cases.",
    },
    "fr": {
        "result": "Résultat",
        "what_to_do": "Que faire",
        "how_soon": "Quand",
        "if_worse": "Si cela s'aggrave",
        "why": "Pourquoi",
        "therapist_notes": "Pour votre thérapeute",
        "avoid_area": "Éviter cette région",
        "avoid_technique": "Éviter cette technique",
        "precaution": "Précaution",
        "notes": "Bon à savoir",
        "techniques": "Ce que le thérapeute peut utiliser",
        "flags_absent": "Signes d'alerte vérifiés et absents",
        "flags_unchecked": "Non demandé, car la réponse était déjà claire",
        "answers": "Vos réponses",
        "source": "Source",
        "consensus": "consensus professionnel",
        "soft_tissue_struck": ("La massothérapie (tissus mous) n'est pas sécuritaire pour vous "
                               "en ce moment."),
        "not_diagnosis": "Ceci n'est pas un diagnostic. Cela vous aide à choisir par où commencer.",
        "referral": ("Vous n'avez pas besoin d'une recommandation pour prendre rendez-vous avec "
                     "un physiothérapeute ou un massothérapeute, mais certaines assurances en "
                     "exigent une pour rembourser : vérifiez votre régime."),
        "call_911": "Appelez le 911 maintenant.",
        "pack": "Règles",
        "yes": "oui",
        "no": "non",
        "missing_answers": ("Ces questions de sécurité n'ont pas de réponse, donc aucune "
                            "recommandation n'est possible : {questions}. Répondez-y."),
        "problems_found": "{count} problème(s) trouvé(s).",
        "pack_ok": "{path} : OK : règles {id} {version} : {questions} questions, {rules} règles, "
                   "{cases} cas de test.",
    },
}


def t(key: str, lang: str, **values: object) -> str:
    table = MESSAGES.get(lang, MESSAGES["en"])
    text = table.get(key) or MESSAGES["en"][key]
    return text.format(**values) if values else text


def default_language() -> str:
    """From TRIAGE_LANG, then the locale (LC_ALL, LC_MESSAGES, LANG); English otherwise."""
    for var in ("TRIAGE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            code = value.split("_")[0].split(".")[0].lower()
            return code if code in LANGUAGES else "en"
    import locale  # rarely reached: the environment usually says

    try:
        code = (locale.getlocale()[0] or "en").split("_")[0].lower()
    except ValueError:
        code = "en"
    return code if code in LANGUAGES else "en"
