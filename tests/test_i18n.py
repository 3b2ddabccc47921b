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


def test_a_results_labels_never_start_alike() -> None:
    """The labels of a result's lines, read one under the other, each start with a word of
    their own: French said "Quand : D'ici 1 à 2 semaines" beside "Quand consulter : Si cela
    empire..." (sees audit 2, item 6), two "when"s, the second read as when to book."""
    for lang in LANGUAGES:
        table = MESSAGES[lang]
        labels = [table[k] for k in ("result", "what_to_do", "how_soon", "if_worse",
                                     "watch_for", "tell_therapist")]
        firsts = [label.split()[0].casefold() for label in labels]
        assert len(set(firsts)) == len(firsts), (lang, labels)
        assert table["caller_how_soon"] == table["how_soon"], lang
