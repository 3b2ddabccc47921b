"""``--lang`` as people write it (ux walk-through, item 3): "FR", "fr-CA" and "fr_CA" were
refused; any case, and a locale's language part, are taken; an unknown language is still a
usage error that lists the languages."""

from __future__ import annotations

import pytest
import typer

from tests.cli.test_root import run
from triage.cli.common import Language, language_of


@pytest.mark.parametrize(("typed", "lang"), [
    ("fr", "fr"), ("FR", "fr"), ("Fr", "fr"), ("fr-CA", "fr"), ("fr_CA", "fr"),
    ("fr_CA.UTF-8", "fr"), ("en-US", "en"), ("EN_gb", "en"), ("en", "en")])
def test_a_language_or_a_locale_is_its_language(typed: str, lang: str) -> None:
    assert language_of(typed) is Language(lang)


@pytest.mark.parametrize("typed", ["es", "es-FR", "xx-fr", "", "-fr", "français", "f"])
def test_an_unknown_language_is_refused_as_typed(typed: str) -> None:
    with pytest.raises(typer.BadParameter, match=f"'{typed}' is not one of: en, fr."):
        language_of(typed)


@pytest.mark.parametrize("args", [("assess",), ()])  # at the root too
def test_lang_fr_ca_asks_in_french(args: tuple[str, ...]) -> None:
    done = run(*args, "--lang", "fr-CA", "--no-record")
    assert "Question 1" in done.stderr and "Une question à la fois" in done.stderr, \
        done.stderr


def test_an_unknown_locale_lists_the_languages() -> None:
    done = run("assess", "--lang", "es-MX")
    assert done.returncode == 2
    assert "Invalid value for '--lang': 'es-MX' is not one of: en, fr." in done.stderr
