"""The reception summary's own words (`--caller`), in every supported language: what staff
read about the patient and say to the caller. Merged into :data:`triage.i18n.MESSAGES` (one
lookup, one check that every language has every key); kept apart as one concern."""

from __future__ import annotations

RECEPTION: dict[str, dict[str, str]] = {
    "en": {
        "caller_flags_unsure": ("Not ruled out (the caller was not sure): ask a clinician "
                                "before booking"),
        "caller_watch_for": "Tell the caller to watch for",
        "caller_summary": "Booking summary",
        "caller_disposition": "Disposition",
        "caller_book": "Book",
        "caller_first": "Suggested first appointment",
        "caller_precautions": "Precautions for the therapist",
        "caller_reasons": "Reasons",
        "caller_no_precautions": "none noted",
        "caller_tell": "Tell the caller",
        "caller_soft_tissue_struck": ("Massage (soft tissue) therapy is not safe for the caller "
                                      "right now."),
        "book_soft_tissue": "Registered massage therapist (RMT)",
        "book_physiotherapy": "Physiotherapist",
        "book_both": "Physiotherapist and registered massage therapist (RMT)",
        "book_emergency": "No booking: the caller must call 911 now",
        "book_emergency_department": ("No booking: the caller should go to the emergency "
                                      "department now"),
        "book_same_day": "No booking: the caller should see a doctor today",
        "book_doctor_soon": "No booking yet: the caller should see a doctor within 1 to 3 days",
        "book_doctor_first": "No booking yet: the caller should see a doctor first",
        "book_self_care": "No booking now: the caller should wait until well, then call again",
        "book_not_enough_information": ("No booking yet: a clinician should call the caller "
                                        "back"),
        "caller_no_therapy": "none (no therapy booking)",
    },
    "fr": {
        "caller_flags_unsure": ("Non écarté (la personne n'était pas sûre) : demandez à un "
                                "clinicien avant de prendre rendez-vous"),
        "caller_watch_for": "Dites à la personne de surveiller",
        "caller_summary": "Résumé pour la prise de rendez-vous",
        "caller_disposition": "Orientation",
        "caller_book": "Rendez-vous à prendre",
        "caller_first": "Premier rendez-vous suggéré",
        "caller_precautions": "Précautions pour le thérapeute",
        "caller_reasons": "Raisons",
        "caller_no_precautions": "aucune",
        "caller_tell": "Dites à la personne",
        "caller_soft_tissue_struck": ("La massothérapie (tissus mous) n'est pas sécuritaire pour "
                                      "la personne en ce moment."),
        "book_soft_tissue": "Massothérapeute (RMT hors Québec)",
        "book_physiotherapy": "Physiothérapeute",
        "book_both": "Physiothérapeute et massothérapeute (RMT hors Québec)",
        "book_emergency": "Aucun rendez-vous : la personne doit appeler le 911 maintenant",
        "book_emergency_department": ("Aucun rendez-vous : la personne doit aller à l'urgence "
                                      "maintenant"),
        "book_same_day": "Aucun rendez-vous : la personne doit voir un médecin aujourd'hui",
        "book_doctor_soon": ("Pas encore de rendez-vous : la personne doit voir un médecin d'ici "
                             "1 à 3 jours"),
        "book_self_care": ("Pas de rendez-vous pour l'instant : la personne doit attendre "
                           "d'aller mieux, puis rappeler"),
        "book_doctor_first": ("Pas encore de rendez-vous : la personne doit d'abord voir un "
                              "médecin"),
        "book_not_enough_information": ("Pas encore de rendez-vous : un clinicien doit rappeler "
                                        "la personne"),
        "caller_no_therapy": "aucun (pas de rendez-vous de thérapie)",
    },
}
