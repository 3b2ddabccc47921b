"""The printable summary (--report) and the booking summary, beyond the golden screens."""

from __future__ import annotations

import re

import pytest

from tests.render.test_golden import SCENARIOS, outcome_of
from triage.pack.compiled import CompiledPack
from triage.render.report import report_html, report_markdown


@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_html_is_self_contained(pack: CompiledPack, name: str, lang: str) -> None:
    html = report_html(outcome_of(pack, name), pack, lang, date="2026-01-01")
    assert html.startswith("<!DOCTYPE html>")
    assert f'<html lang="{lang}">' in html
    lowered = html.lower()
    for external in ("<script", "<link", "src=", "@import", "url(", "http:", "https:"):
        assert external not in lowered
    assert "2026-01-01" in html


def test_html_says_the_result_in_words_and_escapes_text(pack: CompiledPack) -> None:
    outcome = outcome_of(pack, "emergency")
    html = report_html(outcome, pack, "en")
    assert "<title>Call 911 now &ndash; Therapy triage summary</title>" in html
    assert "This is not a diagnosis." in html
    assert "Bring this page" not in html  # not an appointment matter
    assert not re.search(r"<[^>]*color:\s*red", html)
    knee = report_html(outcome_of(pack, "knee"), pack, "en")
    assert "Bring this page to your first appointment." in knee
    assert "Heart &amp; Stroke" not in knee  # not fired there; escaping checked below
    assert "Heart &amp; Stroke Foundation" in html


def test_markdown_report(pack: CompiledPack) -> None:
    text = report_markdown(outcome_of(pack, "knee"), pack, "fr").replace("\xa0", " ")
    assert text.startswith("# Résultat : Physiothérapie et massothérapie")
    assert "Apportez cette page à votre premier rendez-vous." in text


def test_type_is_never_below_12_points(pack: CompiledPack) -> None:
    """The size is fixed at 12 pt and nothing is set smaller (the browser test measures it)."""
    html = report_html(outcome_of(pack, "knee"), pack, "en")
    assert "font-size: 12pt" in html
    for size in re.findall(r"font-size:\s*([0-9.]+)(em|pt|px|rem)", html):
        number, unit = float(size[0]), size[1]
        assert (unit == "pt" and number >= 12) or (unit in ("em", "rem") and number >= 1), size


def test_sources_are_listed_once(pack: CompiledPack) -> None:
    html = report_html(outcome_of(pack, "knee"), pack, "en")
    assert html.count("Batavia M, J Bodyw Mov Ther") == 1  # two precautions share it
    assert "[2]" in html
