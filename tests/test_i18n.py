"""Every program word exists in every language, with the same placeholders."""

from __future__ import annotations

import string

from triage.i18n import LANGUAGES, MESSAGES


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_same_keys_and_placeholders_in_every_language() -> None:
    english = MESSAGES["en"]
    for lang in LANGUAGES:
        table = MESSAGES[lang]
        assert set(table) == set(english), lang
        for key, text in table.items():
            assert _fields(text) == _fields(english[key]), (lang, key)
