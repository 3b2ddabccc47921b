"""The keys after a result (sees audit 2, item 11): once `d` has shown the details, the keys
line no longer offers them ("Type d for details and sources" under the details themselves),
for the patient and in reception mode. pexpect drives the program in a real terminal."""

from __future__ import annotations

import re
import time

import pexpect
import pytest

from tests.cli.test_terminal import finish, press, spawn
from triage.i18n import t


def _spaced(text: str) -> str:
    """``text`` as a pattern: the summary keeps French marks with their words (no-break
    spaces), and the terminal's width breaks its lines."""
    return r"\s+".join(re.escape(word) for word in text.split(" "))


def _to_911_result(*args: str) -> pexpect.spawn:
    child = spawn(*args)
    press(child, "y")  # chest pain: the 911 check
    child.expect("Is that right")
    press(child, "y")
    return child


def test_after_d_the_keys_no_longer_offer_the_details() -> None:
    child = _to_911_result()
    child.expect_exact(t("result_keys", "en"))
    child.send("d")
    child.expect_exact(t("why", "en"))
    child.expect_exact(t("result_keys_shown", "en"))  # below the details
    assert t("result_keys", "en") not in (child.before or "")
    child.send("x")  # a key not understood: the keys again, as they are now
    child.expect_exact(t("result_keys_shown", "en"))
    assert "Type d" not in (child.before or "")
    time.sleep(0.6)  # an Enter right after a key is dropped as a habit
    child.send("\r")
    assert finish(child, "") == 0


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_in_reception_mode_the_summary_after_d_points_at_the_details_above(lang: str) -> None:
    """The summary under the details said "Full lists: ... type d before you finish" with
    the lists just above it."""
    child = spawn("--caller", lang=lang)
    # a knee after surgery, on blood thinners: both, with the warning sign counts
    for keys in ("n", "n", "40\r", "n", "3", "1 2\r", "o" if lang == "fr" else "y"):
        press(child, keys)
    child.expect_exact(t("review_hint", lang, last=7)[:30])
    child.expect_exact("> ")
    time.sleep(0.6)  # an Enter right after a one-key answer is dropped as a habit
    child.send("\r")
    child.expect(_spaced(t("caller_lists_key", lang)))  # the summary: d shows the lists
    child.send("d")
    child.expect_exact(t("result_keys_shown", lang))
    child.expect(_spaced(t("caller_lists_above", lang)))
    assert not re.search(_spaced(t("caller_lists_key", lang)), child.before or "")
    time.sleep(0.6)  # an Enter right after a key is dropped as a habit
    child.send("\r")
    assert finish(child, "") == 0
