"""The words the entry point says when a command fails or is stopped: a bug, Ctrl-C, a result
that cannot be written. Merged into :data:`triage.i18n.MESSAGES` like the reception words;
kept apart as one concern. After a bug they say what the person may still rely on, so they
are said in the session's language: an English "the result above stands" under "Allez à
l'urgence maintenant." tells a French reader nothing."""

from __future__ import annotations

FAILURE: dict[str, dict[str, str]] = {
    "en": {
        "internal_error": ("triage: internal error ({kind}). {stands} Please report this; set "
                           "TRIAGE_DEBUG=1 for details."),
        "bug_result_stands": ("The result above stands; what was to follow it (such as saving "
                              "the record) may not have been done."),
        "bug_output_incomplete": "The output above may be incomplete.",
        "bug_no_result": "No recommendation was made.",
        "stopped_command": "Stopped.",
        "cannot_write_result": "triage: cannot write the result: {reason}",
    },
    "fr": {
        "internal_error": ("triage : erreur interne ({kind}). {stands} Merci de la signaler ; "
                           "TRIAGE_DEBUG=1 en donne le détail."),
        "bug_result_stands": ("Le résultat ci-dessus reste valable ; ce qui devait le suivre "
                              "(comme l'enregistrement du dossier) n'a peut-être pas été "
                              "fait."),
        "bug_output_incomplete": "Ce qui est affiché ci-dessus est peut-être incomplet.",
        "bug_no_result": "Aucune recommandation n'a été faite.",
        "stopped_command": "Arrêté.",
        "cannot_write_result": "triage : impossible d'écrire le résultat : {reason}",
    },
}
