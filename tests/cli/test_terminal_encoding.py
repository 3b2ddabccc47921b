"""Free text typed on a terminal that is not UTF-8 (sees-words, d).

A Latin-1 terminal (LANG=fr_CA.ISO-8859-1) sends "é" as the one byte 0xE9; the questionnaire
read every line as UTF-8, so a caller reference "Café-2001" was saved as "Caf\\ufffd-2001".
Input is read in the terminal's encoding, as output is written in it. PYTHONIOENCODING stands
for the Latin-1 locale, which this machine may not have installed (as in
test_entry_streams); pexpect sends the real bytes.
"""

from __future__ import annotations

import os
import sys
import time

import pexpect
import pytest

from tests.cli.test_terminal import TIMEOUT, _as_in_a_shell
from tests.conftest import MINIMAL

pytestmark = pytest.mark.usefixtures("own_store")  # tests/cli/conftest.py


def _latin1_terminal(*args: str, lang: str) -> pexpect.spawn:
    env = dict(os.environ, TERM="xterm", LANG="fr_CA.ISO-8859-1", PYTHONIOENCODING="latin-1",
               TRIAGE_LANG=lang)
    for var in ("NO_COLOR", "TRIAGE_ACCESSIBLE", "TRIAGE_INTERACTIVE", "LC_ALL"):
        env.pop(var, None)
    return pexpect.spawn(sys.executable, ["-m", "triage", "assess", "--pack", str(MINIMAL),
                                          *args], env=env, encoding="latin-1",
                         timeout=TIMEOUT, dimensions=(50, 120), preexec_fn=_as_in_a_shell)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_caller_reference_typed_in_latin1_is_read_as_typed(lang: str) -> None:
    from triage.records import open_store, resolve_settings

    child = _latin1_terminal("--caller", "--record", lang=lang)
    yes = "o" if lang == "fr" else "y"
    child.expect_exact("> ")
    child.send(yes)  # chest pain: the 911 check
    child.expect_exact("> ")
    child.send(yes)
    child.expect("Entrée pour terminer" if lang == "fr" else "press Enter to finish")
    time.sleep(0.6)
    child.send("\r")
    child.expect("dossier" if lang == "fr" else "Reference for the record")
    child.expect_exact("> ")
    assert "é".encode("latin-1") == b"\xe9"
    child.send("Café-2001\r")  # one byte for "é", as the terminal sends it
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    with open_store(resolve_settings()) as store:
        (record,) = store.list()
    assert record.caller_ref == "Café-2001"
