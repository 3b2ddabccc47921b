"""What the questionnaire shows a person: the question again after "no" at the 911 check,
answers that read as the result reads them, and --plain lines that are whole items."""

from __future__ import annotations

import os
import sys

import pexpect

from tests.cli.test_interactive import PACK, invoke
from tests.cli.test_terminal import _as_in_a_shell
from triage.engine.flow import Flow
from triage.pack.bundled import default_pack_dir
from triage.pack.load import load_pack
from triage.render import prompts


def test_no_at_the_911_check_asks_the_question_again_in_full() -> None:
    result = invoke(["assess", *PACK, "--plain"], "y\nn\nq\n")
    assert result.exit_code == 130
    after = result.stderr[result.stderr.index("Then please answer the question again."):]
    assert "Do you have chest pain or pressure right now?" in after  # not a bare prompt
    assert "Type y for yes or n for no." in after
    assert after.index("right now?") < after.index("Answer:")


def test_the_review_says_none_of_these_as_the_result_does() -> None:
    pack = load_pack(default_pack_dir())
    flow = Flow(pack, "en")
    for raw in ["0", "45", "6", "0", "0", "1", "4", "1", "0"]:  # the order of pack 0.2.23
        assert flow.current is not None
        flow.answer(flow.current.id, raw)
    shown = prompts.review(pack, flow.review(), prompts.Look("en", plain=True))
    assert "(even if they went away)? None of these" in shown
    assert "? none of these" not in shown


def test_plain_options_are_one_line_each_on_a_narrow_terminal() -> None:
    """--plain at 40 columns: each option is one line ("2, Sudden weakness..."), which the
    terminal wraps; never broken by the program into two lines a screen reader reads apart."""
    pack = load_pack(default_pack_dir())
    env = dict(os.environ, TERM="xterm", LANG="C.UTF-8", TRIAGE_LANG="en")
    for var in ("NO_COLOR", "TRIAGE_ACCESSIBLE", "TRIAGE_INTERACTIVE", "COLUMNS", "LINES"):
        env.pop(var, None)
    child = pexpect.spawn(sys.executable, ["-m", "triage", "--plain"], env=env,
                          encoding="utf-8", timeout=60, dimensions=(24, 40),
                          preexec_fn=_as_in_a_shell)
    # 24 rows: the options come on two pages, the second after Enter
    child.expect("Press Enter for options")
    seen = (child.before or "") + "\n"
    child.send("\r")
    child.expect("Answer:")
    seen = (seen + (child.before or "")).replace("\r\n", "\n")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    first = pack.questions[0]
    lines = seen.splitlines()
    for i, option in enumerate(first.options, 1):
        text = f"{i}, {pack.text(option.text, 'en')}"
        assert text in lines, (text, seen)
    assert lines.count(pack.text(first.text, "en")) == 1  # said once: nothing twice
    assert max(len(pack.text(o.text, "en")) for o in first.options) > 40  # some must wrap
