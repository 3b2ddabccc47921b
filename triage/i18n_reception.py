"""The reception summary's own words (`--caller`), in every supported language: what staff
read about the patient and say to the caller. Merged into :data:`triage.i18n.MESSAGES` (one
lookup, one check that every language has every key); kept apart as one concern."""

from __future__ import annotations

RECEPTION: dict[str, dict[str, str]] = {
    "en": {
        # also read next to "see a doctor today", where "before booking" asks the wrong thing
        "caller_flags_unsure": ("Not ruled out (the caller was not sure): a clinician should "
                                "check these before any therapy"),
        "caller_watch_for": "Tell the caller to watch for",
        # the title says what the summary is for: a booking only with a therapy result
        "caller_summary": "Booking summary",
        "caller_summary_urgent": "Urgent: what to tell the caller now",
        "caller_summary_not_yet": "Call summary (nothing to book yet)",
        "caller_disposition": "Disposition",
        "caller_book": "Book",
        "caller_first": "Suggested first appointment",
        "caller_precautions": "Precautions for the therapist",
        "caller_reasons": "Reasons",
        "caller_no_precautions": "none noted",
        "caller_tell": "Tell the caller",
        "caller_soft_tissue_struck": ("Massage (soft tissue) therapy is not safe for the patient "
                                      "right now."),
        "caller_how_soon": "How soon",
        "caller_contraindications": "Contraindications (for any therapy booked later)",
        "caller_not_diagnosis": "This is not a diagnosis: it helps choose where to start.",
        "caller_referral": ("No referral is needed to book a physiotherapist or a registered "
                            "massage therapist, but some insurance plans ask for one before they "
                            "pay: the person should check their plan."),
        "caller_not_used": "Answered, but not used (the question did not apply)",
        "caller_flags_counts": "Other warning signs: {counts}. Full lists: {where}.",
        "list_separator": "; ",
        "caller_count_absent": "{count} checked and not present",
        "caller_count_not_asked": "{count} not asked (they did not apply)",
        "caller_count_unchecked": "{count} not checked (the result was already clear)",
        "caller_count_absent_one": "{count} checked and not present",
        "caller_count_not_asked_one": "{count} not asked (it did not apply)",
        "caller_count_unchecked_one": "{count} not checked (the result was already clear)",
        # where the full lists are for this screening, only as far as it is true
        # (render.caller.ListsAt): the record only when one is being saved, by its id
        "caller_lists_record": "record {id} (triage records show {id})",
        "caller_lists_key": "type d before you finish",
        "caller_lists_above": "the details above",
        "caller_lists_again": "a --report FILE.md or --format json of the same answers",
        "caller_lists_or": ", or ",
        "caller_details": "Details",
        "caller_flags_not_asked": "Not asked (they did not apply to the patient)",
        "caller_notes": "Good to know (tell the caller when booking)",
        "caller_answers": "Answers",
        # d names only what it shows for this result (render.caller.caller_result_keys)
        "caller_result_keys": ("Type d for {what}, b to change an answer, or press Enter to "
                               "finish."),
        "caller_result_keys_no_details": "Type b to change an answer, or press Enter to finish.",
        "caller_keys_flags": "the full warning sign lists",
        "caller_keys_notes": "what to tell the caller when booking",
        "caller_keys_answers": "the answers",
        "caller_keys_and": " and ",
        # the patient's next step, not the caller's (the caller may be someone else): "the
        # person", as the pack's caller texts say it
        "book_soft_tissue": "Registered massage therapist (RMT)",
        "book_physiotherapy": "Physiotherapist",
        "book_both": "Physiotherapist and registered massage therapist (RMT)",
        "book_emergency": "No booking: {call_911}",
        "book_emergency_department": ("No booking: the person should go to the emergency "
                                      "department now"),
        "book_same_day": "No booking: the person should see a doctor today",
        "book_doctor_soon": "No booking yet: the person should see a doctor within 1 to 3 days",
        "book_doctor_first": "No booking yet: the person should see a doctor first",
        "book_self_care": "No booking now: the person should wait until well, then call again",
        # the answers matched no therapy: the one next step at the desk is this closing line
        # (the pack's "a physiotherapist or your doctor can help you decide" is not said)
        "caller_label_not_enough_information": "Not enough information to choose a therapy",
        "book_not_enough_information": ("No booking yet: a clinician should call the caller "
                                        "back to help choose"),
    },
    "fr": {
        "caller_flags_unsure": ("Non écarté (la personne n'était pas sûre) : un clinicien "
                                "devrait les vérifier avant toute thérapie"),
        "caller_watch_for": "Dites à la personne qui appelle de surveiller",
        "caller_summary": "Résumé pour la prise de rendez-vous",
        "caller_summary_urgent": "Urgent : ce qu'il faut dire maintenant à la personne qui appelle",
        "caller_summary_not_yet": "Résumé de l'appel (aucun rendez-vous à prendre pour l'instant)",
        "caller_disposition": "Orientation",
        "caller_book": "Rendez-vous à prendre",
        "caller_first": "Premier rendez-vous suggéré",
        "caller_precautions": "Précautions pour le thérapeute",
        "caller_reasons": "Raisons",
        "caller_no_precautions": "aucune",
        "caller_tell": "Dites à la personne qui appelle",
        "caller_soft_tissue_struck": ("La massothérapie (tissus mous) n'est pas sécuritaire pour "
                                      "le patient en ce moment."),
        "caller_how_soon": "Délai",
        "caller_contraindications": ("Contre-indications (pour toute thérapie prise plus "
                                     "tard)"),
        "caller_not_diagnosis": ("Ceci n'est pas un diagnostic : cela aide à choisir par où "
                                 "commencer."),
        "caller_referral": ("Aucune recommandation n'est nécessaire pour prendre rendez-vous "
                            "avec un physiothérapeute ou un massothérapeute, mais certaines "
                            "assurances en exigent une pour rembourser : la personne doit "
                            "vérifier son régime."),
        "caller_not_used": "Répondu, mais non utilisé (la question ne s'appliquait pas)",
        "caller_flags_counts": "Autres signes d'alerte : {counts}. Listes complètes : {where}.",
        "list_separator": " ; ",
        "caller_count_absent": "{count} vérifiés et absents",
        "caller_count_absent_one": "{count} vérifié et absent",
        "caller_count_not_asked": "{count} non demandés (ne s'appliquaient pas)",
        "caller_count_not_asked_one": "{count} non demandé (ne s'appliquait pas)",
        "caller_count_unchecked": "{count} non vérifiés (le résultat était déjà clair)",
        "caller_count_unchecked_one": "{count} non vérifié (le résultat était déjà clair)",
        "caller_lists_record": "dossier {id} (triage records show {id})",
        "caller_lists_key": "tapez d avant de terminer",
        "caller_lists_above": "les détails ci-dessus",
        "caller_lists_again": "un --report FICHIER.md ou --format json des mêmes réponses",
        "caller_lists_or": ", ou ",
        "caller_details": "Détails",
        "caller_flags_not_asked": "Non demandés (ne s'appliquaient pas au patient)",
        "caller_notes": "Bon à savoir (à dire à la personne qui appelle à la prise de rendez-vous)",
        "caller_answers": "Réponses",
        "caller_result_keys": ("Tapez d pour {what}, b pour changer une réponse, ou appuyez "
                               "sur Entrée pour terminer."),
        "caller_result_keys_no_details": ("Tapez b pour changer une réponse, ou appuyez sur "
                                          "Entrée pour terminer."),
        "caller_keys_flags": "les listes complètes des signes d'alerte",
        "caller_keys_notes": ("ce qu'il faut dire à la personne qui appelle à la prise de "
                              "rendez-vous"),
        "caller_keys_answers": "les réponses",
        "caller_keys_and": " et ",
        "book_soft_tissue": "Massothérapeute (RMT hors Québec)",
        "book_physiotherapy": "Physiothérapeute",
        "book_both": "Physiothérapeute et massothérapeute (RMT hors Québec)",
        "book_emergency": "Aucun rendez-vous : {call_911}",
        "book_emergency_department": ("Aucun rendez-vous : la personne doit aller à l'urgence "
                                      "maintenant"),
        "book_same_day": "Aucun rendez-vous : la personne doit voir un médecin aujourd'hui",
        "book_doctor_soon": ("Pas encore de rendez-vous : la personne doit voir un médecin d'ici "
                             "1 à 3 jours"),
        "book_self_care": ("Pas de rendez-vous pour l'instant : la personne doit attendre "
                           "d'aller mieux, puis rappeler"),
        "book_doctor_first": ("Pas encore de rendez-vous : la personne doit d'abord voir un "
                              "médecin"),
        "caller_label_not_enough_information": ("Pas assez d'information pour choisir une "
                                                "thérapie"),
        "book_not_enough_information": ("Pas encore de rendez-vous : un clinicien doit rappeler "
                                        "la personne pour l'aider à choisir"),
    },
}
