"""Check: every text of a pack is given in each of its languages, and none is empty; no
citation holds a year of its own."""

from __future__ import annotations

import re
from collections.abc import Sequence

from triage.pack.located import Collected, DocPath, Located
from triage.pack.models import texts_of
from triage.problems import Problem

LANGUAGE_NAMES = {"en": "English", "fr": "French"}


def text_problems(collected: Collected, languages: Sequence[str]) -> list[Problem]:
    """Every problem with the texts of the pack's settings, questions, scores and rules."""
    problems: list[Problem] = []
    items: list[Located] = [*collected.metas, *collected.questions, *collected.scores,
                            *(r for _, r in collected.rules)]
    for item in items:
        for below, text in texts_of(item.model):
            problems += _text_problems(item, below, text, languages)
    return problems


# a year as a citation writes one: 1800-2099, not a page (":1995-9", "1391-6") or a volume
_YEAR = re.compile(r"(?<![\d:.-])(?:1[89]|20)\d\d(?![\d-])")


def citation_problems(collected: Collected) -> list[Problem]:
    """A citation that holds a year: every result prints the source as "citation (year)", so a
    year in the text is printed twice ("... (1996) (1995)") or reads as a second date. The
    year goes in ``year`` only. A warning: a pack written before this check still loads (an
    older pack compared with ``triage diff``, a record replayed against it); the bundled
    pack's tests allow no warning."""
    problems: list[Problem] = []
    items: list[Located] = [*collected.scores, *(r for _, r in collected.rules)]
    for item in items:
        source = getattr(item.model, "source", None)
        if source is None or not isinstance(source.citation, str):
            continue
        citation = source.citation
        years = sorted(set(_YEAR.findall(citation)))
        if years:
            problems.append(item.problem(
                f"the citation holds {'a year' if len(years) == 1 else 'years'} "
                f"({', '.join(years)}): every result prints the citation, then its 'year' "
                f"({source.year}); give the year in 'year' only",
                "source", "citation", severity="warning"))
    return problems


def _text_problems(item: Located, below: DocPath, text: str | dict[str, str],
                   languages: Sequence[str]) -> list[Problem]:
    if isinstance(text, str):
        if len(languages) > 1:
            return [item.problem(
                f"give this text in every language of the pack ({', '.join(languages)}), "
                f"e.g. 'en: ...' and 'fr: ...'", *below)]
        return [item.problem("the text is empty", *below)] if not text.strip() else []
    problems: list[Problem] = []
    for code, value in text.items():
        if code not in languages:
            problems.append(item.problem(
                f"'{code}' is not a language of this pack ({', '.join(languages)})",
                *below, code, key=True))
        elif not value.strip():
            problems.append(item.problem("the text is empty", *below, code))
    for code in languages:
        if code not in text:
            name = LANGUAGE_NAMES.get(code, code)
            problems.append(item.problem(f"missing {name} ('{code}') text", *below))
    return problems
