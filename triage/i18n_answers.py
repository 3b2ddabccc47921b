"""The words of an answers file's problems (``triage assess --answers FILE``): an answer
that is not one of its question's, a question the pack does not have. Merged into
:data:`triage.i18n.MESSAGES` like the reception words; said through
:class:`triage.i18n.Said`, so that a problem found once is printed in the run's language
while every other caller keeps reading it as the English text it always was."""

from __future__ import annotations

ANSWERS: dict[str, dict[str, str]] = {
    "en": {
        "answer_at": "{question}: {message}",
        "answer_yes_no": "'{question}' is a yes/no question: answer yes or no",
        "answer_not_option": ("the answer given is not an answer of '{question}' "
                              "(answers: {options}){hint}"),
        "answer_list": "'{question}' takes a list of answers ({options})",
        "answer_not_options": ("an answer given is not an answer of '{question}' "
                               "(answers: {options}){hint}"),
        "answer_number": "'{question}' takes a number",
        "answer_digits": "'{question}' takes a number written with the digits 0-9",
        "answer_whole": "'{question}' takes a whole number",
        "answer_precise": ("'{question}' takes a number of at most {digits} significant "
                           "digits"),
        "answer_range": "the answer given is out of range for '{question}' ({min} to {max})",
        "answer_unknown": "unknown question '{question}'{hint}",
        "answer_did_you_mean": " (did you mean '{word}'?)",
        "answers_mapping": ("answers must be a mapping of question id to answer, e.g. "
                            "'fever: no'"),
        # a warning sign answered to a question that does not apply (engine.hidden)
        "sign_hidden": ("{question}: {said} is a warning sign ({label}: red flag {rule}, "
                        "{disposition}), but {question} does not apply with the answer to "
                        "{gates}, so it would be ignored; correct {gates} or {question}"),
        "sign_the_answer": "the answer",
        "sign_the_answer_is": "the answer {answer}",
        "sign_other_answers": "the other answers",
        "sign_already_given": " (the other answers already give {disposition}{by})",
        "sign_by_flag": " by red flag {flag}",
        "then": "{first}{then}",
        # reading the file (the words the rule pack's reader uses too)
        "file_cannot_read": "cannot read the file: {why}",
        "file_folder": "this is a folder, not a file",
        "file_not_regular": ("not a regular file (a pipe, device or socket cannot be read as "
                             "answers; use --answers - to read standard input)"),
        "file_too_large": "the file is too large (more than {limit} bytes)",
        "text_not_utf8": "the text is not UTF-8 (byte 0x{byte}); save it as UTF-8",
        "file_not_utf8": "the file is not UTF-8 text (byte 0x{byte}); save it as UTF-8",
        "text_nul": "the text contains NUL bytes; it is not a text file",
        "file_nul": "the file contains NUL bytes; it is not a text file",
        "invalid_json": "invalid JSON: {reason}",
        "invalid_yaml": "invalid YAML: {reason}",
        "yaml_tabs": "tab characters cannot be used for indentation in YAML; use spaces",
        "duplicate_key": "duplicate key '{name}'",
        "json_constant": "{name} is not a number JSON allows",
        "nested_too_deep": "nested deeper than {depth} levels",
    },
    "fr": {
        "answer_at": "{question} : {message}",
        "answer_yes_no": "« {question} » est une question oui ou non : répondez yes ou no",
        "answer_not_option": ("la réponse donnée n'est pas une réponse de « {question} » "
                              "(réponses : {options}){hint}"),
        "answer_list": "« {question} » prend une liste de réponses ({options})",
        "answer_not_options": ("une réponse donnée n'est pas une réponse de « {question} » "
                               "(réponses : {options}){hint}"),
        "answer_number": "« {question} » prend un nombre",
        "answer_digits": "« {question} » prend un nombre écrit avec les chiffres 0 à 9",
        "answer_whole": "« {question} » prend un nombre entier",
        "answer_precise": ("« {question} » prend un nombre d'au plus {digits} chiffres "
                           "significatifs"),
        "answer_range": ("la réponse donnée est hors limites pour « {question} » (de {min} "
                         "à {max})"),
        "answer_unknown": "question inconnue « {question} »{hint}",
        "answer_did_you_mean": " (vouliez-vous dire « {word} »?)",
        "answers_mapping": ("les réponses doivent être une table de l'identifiant de la "
                            "question à la réponse, p. ex. « fever: no »"),
        "sign_hidden": ("{question} : {said} est un signe d'alerte ({label} : signal d'alarme "
                        "{rule}, {disposition}), mais {question} ne s'applique pas avec la "
                        "réponse à {gates}, donc elle serait ignorée; corrigez {gates} ou "
                        "{question}"),
        "sign_the_answer": "la réponse",
        "sign_the_answer_is": "la réponse {answer}",
        "sign_other_answers": "les autres réponses",
        "sign_already_given": " (les autres réponses donnent déjà {disposition}{by})",
        "sign_by_flag": " par le signal d'alarme {flag}",
        "then": "{first}{then}",
        "file_cannot_read": "impossible de lire le fichier : {why}",
        "file_folder": "c'est un dossier, pas un fichier",
        "file_not_regular": ("ce n'est pas un fichier ordinaire (un tube, un périphérique ou un "
                             "socket ne peut pas être lu comme réponses; utilisez --answers - "
                             "pour lire l'entrée standard)"),
        "file_too_large": "le fichier est trop gros (plus de {limit} octets)",
        "text_not_utf8": ("le texte n'est pas en UTF-8 (octet 0x{byte}); enregistrez-le en "
                          "UTF-8"),
        "file_not_utf8": ("le fichier n'est pas un texte UTF-8 (octet 0x{byte}); enregistrez-le "
                          "en UTF-8"),
        "text_nul": "le texte contient des octets NUL; ce n'est pas un fichier texte",
        "file_nul": "le fichier contient des octets NUL; ce n'est pas un fichier texte",
        "invalid_json": "JSON non valide : {reason}",
        "invalid_yaml": "YAML non valide : {reason}",
        "yaml_tabs": ("les tabulations ne peuvent pas servir à l'indentation en YAML; utilisez "
                      "des espaces"),
        "duplicate_key": "clé en double « {name} »",
        "json_constant": "{name} n'est pas un nombre que JSON permet",
        "nested_too_deep": "imbriqué sur plus de {depth} niveaux",
    },
}
