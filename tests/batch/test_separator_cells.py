"""A multiple-choice CSV cell of separators only (";", "|", "; ;") is refused, as `assess`
refuses it (audit "inputs" D3). It is what joining empty cells makes (a spreadsheet formula,
a form export left blank); read as "answered, none of these" it passed the emergency signs
nobody was asked about: soft tissue therapy instead of a doctor's review."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from triage.batch.reading import screen_csv
from triage.batch.rows import BAD_VALUE, ERROR, MISSING_SAFETY, OK
from triage.cli.exitcodes import EXIT_PROBLEMS
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack

HEADER = ("id,emergency_signs,age,recent_stroke_signs,areas,neck_neuro,exertion_pain,"
          "today_signs,health_history,injury,duration,onset,other_symptoms,"
          "myelopathy_signs,bladder_bowel,reasons,conditions")
CALM = ",38,no,neck;shoulder,none,no,none,none,none,under_6_weeks,gradual,none,none,none," \
       "desk_posture,none"


@pytest.fixture(scope="module")
def clinical() -> CompiledPack:
    return load_pack(None)


@pytest.mark.parametrize("cell", [";", "|", " ; | ;", ";;"])
def test_separators_alone_are_no_answer_to_a_safety_question(clinical: CompiledPack,
                                                             cell: str) -> None:
    text = "\n".join([HEADER, f"a,none{CALM}", f'b,"{cell}"{CALM}', f"c,{CALM}"]) + "\n"
    answered, separators, empty = screen_csv(clinical, io.StringIO(text, newline=""))
    assert (answered.status, answered.disposition) == (OK, "soft_tissue")
    assert (separators.status, separators.error_kind) == (ERROR, BAD_VALUE)
    assert separators.disposition is None
    assert separators.error == ("'emergency_signs': the cell holds only separators, no answer: "
                                "write none for none of them, or leave the cell empty if not "
                                "answered")
    assert (empty.status, empty.error_kind) == (ERROR, MISSING_SAFETY)  # as before


def test_assess_refuses_the_same_answer(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text((REPO_ROOT / "examples" / "answers.yaml").read_text().replace(
        "emergency_signs: []", 'emergency_signs: ";"'))
    done = subprocess.run([sys.executable, "-m", "triage", "assess", "--answers", str(path),
                           "--no-record"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    assert done.returncode == EXIT_PROBLEMS
    assert "an answer given is not an answer of 'emergency_signs'" in done.stderr
