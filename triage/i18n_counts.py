"""Counts in words: which form of a noun a number takes in each language, and the counted
nouns of the program's own messages ("1 test case", never "1 test cases"; "0 an", never
"0 ans"). Merged into :data:`triage.i18n.MESSAGES` like the reception words."""

from __future__ import annotations

COUNTS: dict[str, dict[str, str]] = {
    "en": {
        # `triage validate`: "... 43 questions, 130 rules, 1 test case."
        "n_questions": "{count} questions",
        "n_questions_one": "{count} question",
        "n_rules": "{count} rules",
        "n_rules_one": "{count} rule",
        "n_cases": "{count} test cases",
        "n_cases_one": "{count} test case",
    },
    "fr": {
        "n_questions": "{count} questions",
        "n_questions_one": "{count} question",
        "n_rules": "{count} règles",
        "n_rules_one": "{count} règle",
        "n_cases": "{count} cas de test",
        "n_cases_one": "{count} cas de test",
    },
}


def singular(count: float, lang: str) -> bool:
    """Whether a noun after ``count`` is singular in ``lang``: in English for 1 alone ("0
    years", "1 year"); in French below 2 ("0 an", "1 an", "1,5 an"; CLDR's rule for French),
    so "1 ans" is never said."""
    if lang == "fr":
        return 0 <= abs(count) < 2
    return count == 1


def how_many(count: int, one: str, many: str) -> str:
    """``count`` and its noun, for the English-only messages of the tools around the
    questionnaire (records, batch): "1 row", "2 rows", "1,000 rows"."""
    return f"{count:,} {one if count == 1 else many}"
