"""The words of going back (``b``) in the questionnaire: at the first question, to the
previous question, from a question reopened at the review back to the review, and the later
answers a changed answer made no longer apply. Merged into :data:`triage.i18n.MESSAGES` like
the reception words; kept apart as one concern."""

from __future__ import annotations

BACK: dict[str, dict[str, str]] = {
    "en": {
        "at_start": "This is the first question: there is nothing to go back to.",
        "going_back": "Back to the previous question.",
        "going_back_review": "Back to your answers.",
        "going_back_review_caller": "Back to the caller's answers.",
        "dropped_later": "The answer to {questions} no longer applies and was removed.",
        "dropped_later_many": "The answers to {questions} no longer apply and were removed.",
    },
    "fr": {
        "at_start": "C'est la première question : il n'y a rien avant.",
        "going_back": "Retour à la question précédente.",
        "going_back_review": "Retour à vos réponses.",
        "going_back_review_caller": "Retour aux réponses de la personne.",
        "dropped_later": "La réponse à {questions} ne s'applique plus et a été retirée.",
        "dropped_later_many": ("Les réponses à {questions} ne s'appliquent plus et ont été "
                               "retirées."),
    },
}
