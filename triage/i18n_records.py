"""The words of `--record` when the records store cannot take a screening: said before its
first question (staff learn it before the call, not after it) and again after its result.
Merged into :data:`triage.i18n.MESSAGES` like the reception words; kept apart as one concern.

``store_<kind>`` says what is wrong and where, for each kind of
:class:`triage.records.errors.StoreError` (``_db``: the same kind on a database server), in
words staff can act on; ``{where}`` is a file or folder, or a database URL with its password
masked. Each is a clause: the sentences around it end it.
"""

from __future__ import annotations

RECORDS: dict[str, dict[str, str]] = {
    "en": {
        "record_unusable": ("Records cannot be kept: {problem}. This screening will NOT be "
                            "saved; the questions go on as usual."),
        "record_unusable_answers": ("Records cannot be kept: {problem}. This screening will "
                                    "NOT be saved; its result is shown all the same."),
        "record_unusable_after": ("The result above was NOT saved. Records cannot be kept: "
                                  "{problem}."),
        # {where}: what is wrong in the file, by its path (the parser's words)
        "store_config": "the clinic config cannot be used: {where}",
        "store_no_home": ("there is no home folder to keep them in (set TRIAGE_DATA_DIR, or "
                          "store_path in the clinic config)"),
        "store_not_folder": ("{where} is a file where the records folder should be (move it "
                             "aside, or set another store_path in the clinic config)"),
        "store_permission": ("the records file {where} or its folder cannot be written (check "
                             "that they are yours and only you may write them, or set another "
                             "store_path in the clinic config)"),
        "store_permission_db": ("the database server {where} refused access, or the right to "
                                "add records (check the user, password and privileges: "
                                "`triage records migrate --grant-to` by the owner)"),
        "store_read_only": "the records at {where} are read-only",
        "store_full": "the disk holding the records at {where} is full",
        "store_locked": ("the records at {where} are locked by another program or session "
                         "(try again at the next call)"),
        "store_unreachable": ("the database server {where} cannot be reached (check that it is "
                              "running, and the network)"),
        "store_bad_url": ("the database URL {where} is not valid (TRIAGE_DATABASE_URL, or "
                          "database_url in the clinic config)"),
        "store_schema": ("the records database {where} was made by a newer triage (upgrade "
                         "triage on this desk), or needs its tables created or upgraded by "
                         "its owner (`triage records migrate`)"),
        "store_corrupt": ("{where} is damaged or is not a triage database (move it aside, or "
                          "set another store_path in the clinic config)"),
        "store_foreign": ("{where} holds another program's tables (choose another location in "
                          "the clinic config)"),
        "store_io": "the records at {where} could not be used",
        "store_no_driver": ("PostgreSQL support (triage's postgres extra) is not installed "
                            "on this desk, for {where}"),
        # a caller reference the store would refuse: asked again, never a record lost
        "ref_not_plain": ("A reference is up to 200 letters, digits and signs, with no arrow "
                          "or other control key. Type the caller number again, then Enter:"),
        "caller_ref_option": ("--caller-ref: a reference is up to 200 letters, digits and "
                              "signs, with no control character: this one is not used. The "
                              "reference is asked for after the result."),
    },
    "fr": {
        "record_unusable": ("Les dossiers ne peuvent pas être gardés : {problem}. Cette "
                            "évaluation ne sera PAS enregistrée ; les questions continuent "
                            "normalement."),
        "record_unusable_answers": ("Les dossiers ne peuvent pas être gardés : {problem}. "
                                    "Cette évaluation ne sera PAS enregistrée ; son résultat "
                                    "est tout de même affiché."),
        "record_unusable_after": ("Le résultat ci-dessus n'a PAS été enregistré. Les "
                                  "dossiers ne peuvent pas être gardés : {problem}."),
        "store_config": "la configuration de la clinique est inutilisable : {where}",
        "store_no_home": ("il n'y a pas de répertoire personnel où les garder (définissez "
                          "TRIAGE_DATA_DIR, ou store_path dans la configuration de la "
                          "clinique)"),
        "store_not_folder": ("{where} est un fichier là où devrait être le répertoire des "
                             "dossiers (déplacez-le, ou choisissez un autre store_path dans "
                             "la configuration de la clinique)"),
        "store_permission": ("le fichier des dossiers {where} ou son répertoire ne peut pas "
                             "être écrit (vérifiez qu'ils sont à vous et que vous seul pouvez "
                             "y écrire, ou choisissez un autre store_path dans la "
                             "configuration de la clinique)"),
        "store_permission_db": ("le serveur de base de données {where} a refusé l'accès, ou "
                                "le droit d'ajouter des dossiers (vérifiez l'utilisateur, le "
                                "mot de passe et les privilèges : `triage records migrate "
                                "--grant-to` par le propriétaire)"),
        "store_read_only": "les dossiers de {where} sont en lecture seule",
        "store_full": "le disque des dossiers de {where} est plein",
        "store_locked": ("les dossiers de {where} sont verrouillés par un autre programme ou "
                         "une autre session (réessayez à l'appel suivant)"),
        "store_unreachable": ("le serveur de base de données {where} est injoignable "
                              "(vérifiez qu'il est démarré, et le réseau)"),
        "store_bad_url": ("l'URL de base de données {where} n'est pas valide "
                          "(TRIAGE_DATABASE_URL, ou database_url dans la configuration de la "
                          "clinique)"),
        "store_schema": ("la base des dossiers {where} a été faite par un triage plus récent "
                         "(mettez triage à jour sur ce poste), ou son propriétaire doit en "
                         "créer ou mettre à jour les tables (`triage records migrate`)"),
        "store_corrupt": ("{where} est endommagé ou n'est pas une base triage (déplacez-le, "
                          "ou choisissez un autre store_path dans la configuration de la "
                          "clinique)"),
        "store_foreign": ("{where} contient les tables d'un autre programme (choisissez un "
                          "autre emplacement dans la configuration de la clinique)"),
        "store_io": "les dossiers de {where} n'ont pas pu être utilisés",
        "store_no_driver": ("la prise en charge de PostgreSQL (l'extra postgres de triage) "
                            "n'est pas installée sur ce poste, pour {where}"),
        "ref_not_plain": ("Une référence compte au plus 200 lettres, chiffres et signes, sans "
                          "flèche ni autre touche de contrôle. Tapez de nouveau le numéro "
                          "d'appelant, puis Entrée :"),
        "caller_ref_option": ("--caller-ref : une référence compte au plus 200 lettres, "
                              "chiffres et signes, sans caractère de contrôle : celle-ci "
                              "n'est pas utilisée. La référence est demandée après le "
                              "résultat."),
    },
}
