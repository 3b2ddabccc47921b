"""The web pages' own words in English and French (the result's words come from triage.i18n,
the clinical texts from the pack). Falls back to :func:`triage.i18n.t` for shared keys."""

from __future__ import annotations

from triage.i18n import LANGUAGES, t
from triage.i18n_counts import singular
from triage.untrusted import decimal_number

LANGUAGE_NAMES = {"en": "English", "fr": "Français"}

WEB_MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "skip": "Skip to main content",
        "language": "Language",
        "intro_one": "Answer one question at a time; most people need 2 to 5 minutes.",
        "intro_emergency": "If you have a medical emergency, call 911 now.",
        "privacy": ("Nothing you answer is stored: your answers stay in this browser and are "
                    "cleared after 30 minutes without activity."),
        "privacy_record": ("The clinic keeps a copy of your answers and the result, with a "
                           "reference number you will see at the end."),
        "start": "Start",
        "continue_where": "Continue where you left off",
        "start_again": "Start again",
        "continue": "Continue",
        "back": "Back",
        "question_n": "Question {number}",
        "progress": "Progress",
        "why_asked": "Why is this asked?",
        "hint_one": "Choose one answer.",
        "hint_some": "Choose all that apply, or \u201cNone of these\u201d.",
        "hint_number": "Type a number from {min} to {max}.",
        "none_of_these": "None of these",
        "or": "or",
        "problem": "There is a problem",
        "error": "Error:",
        "web_choose_one": "Choose an answer.",
        "web_choose_some": "Choose the answers that apply, or choose \u201cNone of these\u201d.",
        "web_none_and_others": ("You chose \u201cNone of these\u201d and other answers: "
                                "choose one or the other."),
        "web_type_number": "Type a number.",
        "confirm_title": "Please check your answer",
        "confirm_you_chose": "You chose:",
        "confirm_yes_to": "You answered yes to:",
        "confirm_right": "Is that right?",
        "confirm_yes": "Yes, that is right",
        "confirm_no": "No, change my answer",
        "call_button": "Call 911",
        "emergency_why": "Why",
        "emergency_back": "I chose a wrong answer: go back",
        "your_result": "Your result",
        "details": "Why this result, and your answers",
        "print_report": "Print or save your summary",
        "download_report": "Download your summary",
        "change_last": "Change my last answer",
        "print_flags_unchecked": ("{count} other warning signs were not checked, because the "
                                  "result was already clear."),
        "print_flags_unchecked_one": ("{count} other warning sign was not checked, because the "
                                      "result was already clear."),
        "print_lists_on_screen": ("Their lists are on the result page on screen, under "
                                  "\u201c{details}\u201d."),
        "reference": "Your reference: {ref}. Give it to the clinic if they ask for it.",
        "not_saved": ("Your answers could not be saved at the clinic. The result on this page "
                      "is still right."),
        "no_result_title": "No recommendation was made",
        "footer": "This is not a diagnosis. In an emergency, call 911.",
        "err_title_no_cookie": "Your answers could not be kept",
        "err_text_no_cookie": ("Your browser did not send back this site's cookie, which carries "
                               "your answers from page to page (encrypted; nothing is kept on "
                               "our server). Either the session ended (answers are cleared after "
                               "30 minutes without activity) or your browser blocks cookies: "
                               "if it does, allow cookies for this site, then start again."),
        "err_title_400": "This page could not be read",
        "err_text_400": ("What this page carried was changed or damaged, so nothing was done with "
                         "it. For your safety, please start again."),
        "err_title_403": "This form was not accepted",
        "err_text_403": ("The form did not come from this site, or its security code was missing "
                         "or wrong. Nothing was changed. Please start again."),
        "err_title_404": "Page not found",
        "err_text_404": "There is no page at this address.",
        "err_title_405": "This page cannot be used that way",
        "err_text_405": "Nothing was changed.",
        "err_title_409": "This page is out of date",
        "err_text_409": ("This form was made for an earlier page (for example after the "
                         "browser's back button, or a second click). Nothing was changed."),
        "err_title_outdated": "This questionnaire has been updated",
        "err_text_outdated": ("Its questions changed after you started, so your answers could "
                              "not be carried over. Nothing was kept. Please start again."),
        "err_title_410": "Your session has ended",
        "err_text_410": ("For your privacy, your answers were not kept: they are cleared after "
                         "30 minutes without activity, and after 3 hours at most. Nothing is "
                         "stored. To see a result again, please start again."),
        "err_title_ended": "Your session has ended",
        "err_text_ended": ("This site was restarted or its security key was changed since your "
                           "last page, which ends every session. For your privacy, your "
                           "answers were not kept: nothing is stored. Please start again."),
        "err_title_413": "Too much was sent",
        "err_text_413": "The form was larger than any answer can be, so it was not read.",
        "err_title_415": "This form could not be read",
        "err_text_415": "The form was not sent the way this site sends it. Nothing was changed.",
        "err_title_500": "Something went wrong",
        "err_text_500": ("No recommendation was made. Please try again. If your symptoms are "
                         "severe, call 911."),
        "go_on": "Continue from where you are",
    },
    "fr": {
        "skip": "Aller au contenu principal",
        "language": "Langue",
        "intro_one": ("Répondez à une question à la fois; la plupart des gens ont besoin de 2 "
                      "à 5 minutes."),
        "intro_emergency": "En cas d'urgence médicale, appelez le 911 maintenant.",
        "privacy": ("Rien de ce que vous répondez n'est conservé : vos réponses restent dans ce "
                    "navigateur et sont effacées après 30 minutes sans activité."),
        "privacy_record": ("La clinique garde une copie de vos réponses et du résultat, avec un "
                           "numéro de référence affiché à la fin."),
        "start": "Commencer",
        "continue_where": "Reprendre là où vous étiez",
        "start_again": "Recommencer",
        "continue": "Continuer",
        "back": "Retour",
        "question_n": "Question {number}",
        "progress": "Progression",
        "why_asked": "Pourquoi cette question?",
        "hint_one": "Choisissez une réponse.",
        "hint_some": "Cochez tout ce qui s'applique, ou « Aucun de ces choix ».",
        "hint_number": "Tapez un nombre de {min} à {max}.",
        "none_of_these": "Aucun de ces choix",
        "or": "ou",
        "problem": "Il y a un problème",
        "error": "Erreur :",
        "web_choose_one": "Choisissez une réponse.",
        "web_choose_some": ("Cochez les réponses qui s'appliquent, ou « Aucun de ces "
                            "choix »."),
        "web_none_and_others": ("Vous avez coché « Aucun de ces choix » et d'autres réponses : "
                                "choisissez l'un ou l'autre."),
        "web_type_number": "Tapez un nombre.",
        "confirm_title": "Vérifiez votre réponse",
        "confirm_you_chose": "Vous avez choisi :",
        "confirm_yes_to": "Vous avez répondu oui à :",
        "confirm_right": "Est-ce exact?",
        "confirm_yes": "Oui, c'est exact",
        "confirm_no": "Non, changer ma réponse",
        "call_button": "Appeler le 911",
        "emergency_why": "Pourquoi",
        "emergency_back": "J'ai choisi une mauvaise réponse : revenir en arrière",
        "your_result": "Votre résultat",
        "details": "Pourquoi ce résultat, et vos réponses",
        "print_report": "Imprimer ou enregistrer votre résumé",
        "download_report": "Télécharger votre résumé",
        "change_last": "Changer ma dernière réponse",
        "print_flags_unchecked": ("{count} autres signes d'alerte n'ont pas été vérifiés, car "
                                  "le résultat était déjà clair."),
        "print_flags_unchecked_one": ("{count} autre signe d'alerte n'a pas été vérifié, car le "
                                      "résultat était déjà clair."),
        "print_lists_on_screen": ("Leurs listes sont sur la page du résultat, à l'écran, sous "
                                  "« {details} »."),
        "reference": ("Votre numéro de référence : {ref}. Donnez-le à la clinique si elle le "
                      "demande."),
        "not_saved": ("Vos réponses n'ont pas pu être enregistrées à la clinique. Le résultat "
                      "de cette page reste juste."),
        "no_result_title": "Aucune recommandation",
        "footer": "Ceci n'est pas un diagnostic. En cas d'urgence, appelez le 911.",
        "err_title_no_cookie": "Vos réponses n'ont pas pu être gardées",
        "err_text_no_cookie": ("Votre navigateur n'a pas renvoyé le témoin (cookie) de ce site, "
                               "qui transporte vos réponses d'une page à l'autre (chiffrées; rien "
                               "n'est gardé sur notre serveur). Soit la séance est terminée (les "
                               "réponses sont effacées après 30 minutes sans activité), soit "
                               "votre navigateur bloque les témoins : dans ce cas, autorisez-les "
                               "pour ce site, puis recommencez."),
        "err_title_400": "Cette page n'a pas pu être lue",
        "err_text_400": ("Ce que cette page transportait a été modifié ou abîmé : rien n'en a été "
                         "fait. Pour votre sécurité, recommencez."),
        "err_title_403": "Ce formulaire n'a pas été accepté",
        "err_text_403": ("Le formulaire ne vient pas de ce site, ou son code de sécurité manque "
                         "ou est faux. Rien n'a été changé. Recommencez."),
        "err_title_404": "Page introuvable",
        "err_text_404": "Il n'y a pas de page à cette adresse.",
        "err_title_405": "Cette page ne s'utilise pas ainsi",
        "err_text_405": "Rien n'a été changé.",
        "err_title_409": "Cette page n'est plus à jour",
        "err_text_409": ("Ce formulaire a été fait pour une page précédente (par exemple après "
                         "le bouton retour du navigateur, ou un deuxième clic). Rien n'a été "
                         "changé."),
        "err_title_outdated": "Ce questionnaire a été mis à jour",
        "err_text_outdated": ("Ses questions ont changé après le début de votre séance : vos "
                              "réponses n'ont pas pu être reprises. Rien n'a été gardé. "
                              "Recommencez."),
        "err_title_410": "Votre séance est terminée",
        "err_text_410": ("Pour protéger votre vie privée, vos réponses n'ont pas été gardées : "
                         "elles sont effacées après 30 minutes sans activité, et après 3 heures "
                         "au plus. Rien n'est conservé. Pour revoir un résultat, recommencez."),
        "err_title_ended": "Votre séance est terminée",
        "err_text_ended": ("Ce site a été redémarré ou sa clé de sécurité a changé depuis votre "
                           "dernière page, ce qui termine toutes les séances. Pour protéger "
                           "votre vie privée, vos réponses n'ont pas été gardées : rien n'est "
                           "conservé. Recommencez."),
        "err_title_413": "Trop de données envoyées",
        "err_text_413": ("Le formulaire est plus gros que toute réponse possible : il n'a pas "
                         "été lu."),
        "err_title_415": "Ce formulaire n'a pas pu être lu",
        "err_text_415": ("Le formulaire n'a pas été envoyé comme ce site l'envoie. Rien n'a été "
                         "changé."),
        "err_title_500": "Une erreur est survenue",
        "err_text_500": ("Aucune recommandation n'a été faite. Réessayez. Si vos symptômes sont "
                         "graves, appelez le 911."),
        "go_on": "Continuer là où vous êtes",
    },
}


def w(key: str, lang: str, **values: object) -> str:
    """A web message in ``lang``; keys the terminal shares come from triage.i18n. With a
    ``count`` that takes the singular in ``lang``, its ``<key>_one`` form, as :func:`t`."""
    table = WEB_MESSAGES.get(lang, WEB_MESSAGES["en"])
    count = values.get("count")
    if isinstance(count, int) and not isinstance(count, bool) and singular(count, lang) \
            and f"{key}_one" in WEB_MESSAGES["en"]:
        key = f"{key}_one"
    text = table.get(key)
    if text is None:
        if key in WEB_MESSAGES["en"]:
            text = WEB_MESSAGES["en"][key]
        else:
            return t(key, lang, **values)
    return text.format(**values) if values else text


def negotiate(accept_language: str | None) -> str:
    """The best of our languages for an ``Accept-Language`` header; English otherwise."""
    best, best_q = "en", -1.0
    for i, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        code = tag.strip().split("-")[0].lower()
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            # a weight is 0 to 1 (RFC 9110); float() also took "nan", "inf" and "1_0"
            weight = decimal_number(params[2:], exponent=False)
            q = weight if weight is not None and 0 <= weight <= 1 else 0.0
        if code in LANGUAGES and q > best_q and q > 0:
            best, best_q = code, q - i * 1e-6  # equal weights: the first listed wins
    return best
