"""The words of a screen too short for what it shows (a phone, a split window, a magnifier
at 400%): what is said where the rest waits for a key. Merged into
:data:`triage.i18n.MESSAGES` like the reception words; kept apart as one concern."""

from __future__ import annotations

SCREEN: dict[str, dict[str, str]] = {
    "en": {
        # the options go on over the next screens; the question and what to type come last
        "more_options": "Press Enter for options {first} to {last}.",
        "more_options_one": "Press Enter for option {last}.",
        "more_answers": "Press Enter for answers {first} to {last}.",
        "more_answers_one": "Press Enter for answer {last}.",
        # what is above a question leaves it no room: it starts the next screen
        "more_question": "Press Enter for the question.",
        # the last screen of a result holds what to do: the pager says it is next
        "more_result": "Press Enter for more ({page} of {pages}).",
        "more_result_action": "Press Enter for what to do ({page} of {pages}).",
        "more_details": "Press Enter for more ({page} of {pages}), q to skip to the end.",
        # on the progress line when the introduction scrolls away to make room for a
        # question (question 1 at 80x24): its 911 sentence stays in sight
        "intro_911": "In an emergency, call 911 now.",
        # any other key at a page break: nothing typed is taken before every option is seen
        "page_refused_options": ("What you typed was not taken: see every option first, then "
                                 "type the answer."),
        "page_refused_answers": ("What you typed was not taken: see every answer first, then "
                                 "type the number of the one to change."),
        "page_refused_result": "What you typed was not taken: the result goes on.",
        "page_refused_details": "What you typed was not taken: the details go on.",
        # keys typed in one go at a question asked by one key, that are no answer together
        "keys_together_refused": "Not taken: “{keys}”. Type one key for the answer.",
        # keys typed before a question (or a page) was on the screen: the rest of the last
        # answer, or a key pressed twice. Going back is offered only where b takes back an
        # answer (a question after the first): not at question 1, the review, the check
        # before a 911 stop or the caller reference, where b does nothing of the kind
        "typed_ahead": "Not taken: “{keys}”, typed before this was on the screen.",
        "typed_ahead_back": ("Not taken: “{keys}”, typed before this was on the screen. If "
                             "the last answer is not what was meant, type b to go back."),
    },
    "fr": {
        "more_options": "Appuyez sur Entrée pour voir les choix {first} à {last}.",
        "more_options_one": "Appuyez sur Entrée pour voir le choix {last}.",
        "more_answers": "Appuyez sur Entrée pour voir les réponses {first} à {last}.",
        "more_answers_one": "Appuyez sur Entrée pour voir la réponse {last}.",
        "more_question": "Appuyez sur Entrée pour voir la question.",
        "more_result": "Appuyez sur Entrée pour la suite ({page} sur {pages}).",
        "more_result_action": "Appuyez sur Entrée pour savoir quoi faire ({page} sur {pages}).",
        "more_details": ("Appuyez sur Entrée pour la suite ({page} sur {pages}), q pour passer "
                         "à la fin."),
        "intro_911": "En cas d'urgence, appelez le 911.",
        "page_refused_options": ("Ce que vous avez tapé n'a pas été pris en compte : voyez "
                                 "d'abord tous les choix, puis tapez la réponse."),
        "page_refused_answers": ("Ce que vous avez tapé n'a pas été pris en compte : voyez "
                                 "d'abord toutes les réponses, puis tapez le numéro de celle "
                                 "à changer."),
        "page_refused_result": ("Ce que vous avez tapé n'a pas été pris en compte : le "
                                "résultat continue."),
        "page_refused_details": ("Ce que vous avez tapé n'a pas été pris en compte : les "
                                 "détails continuent."),
        "keys_together_refused": ("Non pris en compte : « {keys} ». Tapez une "
                                  "seule touche pour la réponse."),
        "typed_ahead": ("Non pris en compte : « {keys} », tapé avant que ceci "
                        "soit à l'écran."),
        "typed_ahead_back": ("Non pris en compte : « {keys} », tapé avant que ceci "
                             "soit à l'écran. Si la dernière réponse n'est pas la bonne, tapez "
                             "b pour revenir en arrière."),
    },
}
