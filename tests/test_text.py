"""Text on a standard stream whose codec is not UTF-8: each character it lacks is spelled the
nearest way, so a French result on a Latin-1 or ASCII terminal reads as French, and is never
lost to a UnicodeEncodeError (audit "inputs" B1)."""

from __future__ import annotations

import io
import unicodedata

import pytest

from tests.conftest import REPO_ROOT
from triage.text import nearest, speak_through


@pytest.mark.parametrize(("text", "encoding", "spelled"), [
    ("Allez à l'urgence", "latin-1", "Allez à l'urgence"),  # Latin-1 has it: unchanged
    ("Allez à l'urgence", "ascii", "Allez a l'urgence"),
    ("du cœur « angine »", "latin-1", "du coeur « angine »"),
    ("du cœur « angine »", "ascii", 'du coeur " angine "'),
    ("l\u2019épaule… 38 °C", "ascii", "l'epaule... 38 degC"),  # a curly apostrophe
    ("Question\u202f:", "latin-1", "Question :"),  # a narrow no-break space
    ("pk\udcff", "utf-8", "pk\\udcff"),  # a file name's byte in another encoding
    ("\u4e2d", "ascii", "?"),
])
def test_nearest_spelling(text: str, encoding: str, spelled: str) -> None:
    assert "".join(nearest(ch, encoding) for ch in text) == spelled


def test_every_character_the_program_and_pack_say_has_an_ascii_spelling() -> None:
    """Not "?": letters keep their letter, quotes and dashes their ASCII look-alike. Digits of
    other scripts are left out: messages quote them as what is not a digit."""
    files = [*(REPO_ROOT / "rules").rglob("*.yaml"), *(REPO_ROOT / "triage").rglob("*.py")]
    said = {ch for path in files for ch in path.read_text(encoding="utf-8") if ord(ch) > 127}
    unspelled = sorted(ch for ch in said if "?" in nearest(ch, "ascii")
                       and unicodedata.category(ch) != "Nd")
    assert unspelled == []


def test_a_stream_that_cannot_encode_writes_on() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii", errors="strict")
    speak_through(stream)
    stream.write("Appelez le 911 : le cœur\n")
    stream.flush()
    assert raw.getvalue() == b"Appelez le 911 : le coeur\n"


def test_a_utf8_stream_that_copes_is_left_alone() -> None:
    for errors in ("surrogateescape", "backslashreplace"):
        stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors=errors)
        speak_through(stream)
        assert stream.errors == errors
    strict = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    speak_through(strict)
    assert strict.errors != "strict"  # a lone surrogate would stop it

