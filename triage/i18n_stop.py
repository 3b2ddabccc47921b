"""The words of a screening that stops before its result, or is resumed: what to do when the
answers so far already show a warning sign. Merged into :data:`triage.i18n.MESSAGES` like the
reception words; kept apart as one concern."""

from __future__ import annotations

STOP: dict[str, dict[str, str]] = {
    "en": {
        "resume_sign": "Your saved answers include a warning sign: {sign}.",
        "resume_sign_caller": "The caller's saved answers include a warning sign: {sign}.",
        "resume_sign_why": ("With the current questions, this is not asked with the answer "
                            "to: {gates}"),
        "resume_sign_no_result": ("A result would leave the sign out, so no recommendation "
                                  "was made."),
        "resume_sign_act": "If that is true: {action}",
        "resume_sign_act_caller": "If that is true, tell the caller: {action}",
        "resume_sign_kept": ("The saved answers in {path} were not changed. To answer the "
                             "questions again, start a new screening: {command}"),
        "stopped_at_911_check": ("{said} If that is true, call 911 now. (The screening stopped "
                                 "before its result.)"),
        "stopped_at_911_check_caller": ("{said} If that is true, {call_911}. (The screening "
                                        "stopped before its result.)"),
        "stopped_known": "Your answers already show a warning sign: {action}",
        "stopped_known_caller": ("The patient's answers already show a warning sign. Tell the "
                                 "caller: {action}"),
        "stopped_known_why": ("The screening stopped before its result; more answers could only "
                              "make it more urgent."),
        # care today or sooner is known: "to continue later" would invite finishing the
        # questions before going (sees audit 2, item 8)
        "stopped_saved_urgent": ("Your answers are saved in {path} (you do not need to finish "
                                 "them first)."),
        # --save was given but the file could not be written: "to keep them next time, start
        # with --save" told someone who had
        "stopped_save_failed": ("Your answers were not kept: they could not be saved in {path} "
                                "(said above)."),
        "stopped_save_failed_caller": ("The call's answers were not kept: they could not be "
                                       "saved in {path} (said above)."),
        "stopped_saved_urgent_caller": ("The call's answers are saved in {path} (they do not "
                                        "need to be finished first)."),
        # --resume of such a file: the sign first, before the next question
        "resumed_known": ("Your saved answers already show a warning sign: {action} You do not "
                          "need to finish the questions first."),
        "resumed_known_caller": ("The saved answers already show a warning sign. Tell the "
                                 "caller: {action} The questions do not need to be finished "
                                 "first."),
    },
    "fr": {
        "resume_sign": "Vos réponses enregistrées comprennent un signe d'alerte : {sign}.",
        "resume_sign_caller": ("Les réponses enregistrées de la personne comprennent un signe "
                               "d'alerte : {sign}."),
        "resume_sign_why": ("Avec les questions actuelles, cette question n'est pas posée avec "
                            "la réponse à : {gates}"),
        "resume_sign_no_result": ("Un résultat laisserait ce signe de côté : aucune "
                                  "recommandation n'a été faite."),
        "resume_sign_act": "Si c'est vrai : {action}",
        "resume_sign_act_caller": "Si c'est vrai, dites à la personne : {action}",
        "resume_sign_kept": ("Les réponses enregistrées dans {path} n'ont pas été modifiées. "
                             "Pour répondre de nouveau aux questions, commencez un nouveau "
                             "questionnaire : {command}"),
        "stopped_at_911_check": ("{said} Si c'est vrai, appelez le 911 maintenant. (Le "
                                 "questionnaire s'est arrêté avant son résultat.)"),
        "stopped_at_911_check_caller": ("{said} Si c'est vrai, {call_911}. (Le questionnaire "
                                        "s'est arrêté avant son résultat.)"),
        "stopped_known": "Vos réponses montrent déjà un signe d'alerte : {action}",
        "stopped_known_caller": ("Les réponses sur le patient montrent déjà un signe d'alerte. "
                                 "Dites à la personne : {action}"),
        "stopped_known_why": ("Le questionnaire s'est arrêté avant son résultat ; d'autres "
                              "réponses ne pourraient que le rendre plus urgent."),
        "stopped_saved_urgent": ("Vos réponses sont enregistrées dans {path} (inutile de finir "
                                 "le questionnaire d'abord)."),
        "stopped_save_failed": ("Vos réponses n'ont pas été gardées : elles n'ont pas pu être "
                                "enregistrées dans {path} (voir plus haut)."),
        "stopped_save_failed_caller": ("Les réponses de l'appel n'ont pas été gardées : elles "
                                       "n'ont pas pu être enregistrées dans {path} (voir plus "
                                       "haut)."),
        "stopped_saved_urgent_caller": ("Les réponses de l'appel sont enregistrées dans {path} "
                                        "(inutile de finir le questionnaire d'abord)."),
        "resumed_known": ("Vos réponses enregistrées montrent déjà un signe d'alerte : {action} "
                          "Inutile de finir le questionnaire d'abord."),
        "resumed_known_caller": ("Les réponses enregistrées montrent déjà un signe d'alerte. "
                                 "Dites à la personne : {action} Inutile de finir le "
                                 "questionnaire d'abord."),
    },
}
