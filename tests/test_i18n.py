"""Every program word exists in every language, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from triage.i18n import LANGUAGES, MESSAGES, default_language, language_part


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


def test_a_count_takes_the_singular_as_each_language_says() -> None:
    """English: 1 alone; French: below 2, so 0 too ("0 réponse conservée", never "1 ans")."""
    from triage.i18n import t
    from triage.i18n_counts import singular

    assert [n for n in (0, 1, 1.5, 2) if singular(n, "en")] == [1]
    assert [n for n in (0, 1, 1.5, 2) if singular(n, "fr")] == [0, 1, 1.5]
    assert t("resumed", "fr", path="s.json", count=0) == "Reprise de s.json : 0 réponse conservée."
    assert t("resumed", "en", path="s.json", count=0) == "Resuming s.json: 0 answers kept."
    assert t("caller_count_absent", "fr", count=1) == "1 vérifié et absent"
    assert t("caller_count_absent", "fr", count=2) == "2 vérifiés et absents"


def test_every_singular_form_says_its_count() -> None:
    """A ``_one`` form is used for every count that takes the singular (French 0 too): it
    says the count, never a written "1"."""
    for lang in LANGUAGES:
        for key, text in MESSAGES[lang].items():
            if key.endswith("_one") and key.removesuffix("_one") in MESSAGES[lang] and \
                    "count" in _fields(MESSAGES[lang][key.removesuffix("_one")]):
                assert "{count}" in text, (lang, key)


def test_how_many_says_one_row_or_many() -> None:
    from triage.i18n_counts import how_many

    assert [how_many(n, "row", "rows") for n in (0, 1, 2, 1000)] == [
        "0 rows", "1 row", "2 rows", "1,000 rows"]


@pytest.mark.parametrize(("variable", "value", "language"), [
    ("TRIAGE_LANG", "fr-CA", "fr"), ("TRIAGE_LANG", "fr_CA.UTF-8", "fr"),
    ("TRIAGE_LANG", "FR", "fr"), ("TRIAGE_LANG", "fr@euro", "fr"),
    ("TRIAGE_LANG", "en-CA", "en"), ("TRIAGE_LANG", "es-MX", "en"),
    ("LANG", "fr_CA.UTF-8", "fr"), ("LC_ALL", "fr-FR", "fr"), ("LANG", "C", "en"),
])
def test_the_language_is_read_from_a_locale_as_written(
        monkeypatch: pytest.MonkeyPatch, variable: str, value: str, language: str) -> None:
    """TRIAGE_LANG=fr-CA was English (only "_" was split off), while --lang fr-CA was French:
    the environment and --lang read a locale the same way (language_part)."""
    for name in ("TRIAGE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, value)
    assert default_language() == language
    assert language_part(value) == (language if value not in ("es-MX", "C") else
                                    value.split("-")[0].casefold())
