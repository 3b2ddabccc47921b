"""The words that say a "not sure" answer was counted as yes, next to the reason it made
hold (triage.engine.doubts): a person sure they have none of the signs must not read the
reason as a sign they gave. In the patient's voice and, for the reception summary, about the
caller. Merged into :data:`triage.i18n.MESSAGES` like the reception words."""

from __future__ import annotations

DOUBTS: dict[str, dict[str, str]] = {
    "en": {
        "not_sure_counted": ("You answered “not sure” to {questions}, which we count as yes to "
                             "be safe."),
        # a reason by its name in the reception summary, and the "not sure" that made it hold
        "caller_not_sure_counted": ("{name}: the caller answered “not sure” to {questions}, "
                                    "which we count as yes to be safe"),
        "quoted": "“{text}”",  # a question as it was asked
        "quoted_and": " and to ",
    },
    "fr": {
        "not_sure_counted": ("Vous avez répondu « Je ne sais pas » à {questions}, ce que nous "
                             "comptons comme un oui, par prudence."),
        "caller_not_sure_counted": ("{name} : la personne a répondu « Ne sait pas » à "
                                    "{questions}, ce que nous comptons comme un oui, par "
                                    "prudence"),
        "quoted": "« {text} »",
        "quoted_and": " et à ",
    },
}
