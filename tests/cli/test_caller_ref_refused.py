"""A caller reference the records store refuses (an arrow key typed while correcting it, a
control character, a right-to-left override, over 200 characters) lost the whole record at
the end of the call: "The result above was NOT saved ... nothing was saved", exit 4. Found
by hand: `triage --caller --record`, at "Reference for the record" type C-1, the left arrow
and 2 (the line is "C-1\\x1b[D2"). The reference prompt now asks again, as for a name; a
`--caller-ref` the store would refuse is said before the first question and the reference
is asked for after the result: the screening is never refused, and the record is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.conftest import MINIMAL
from triage.cli.app import app
from triage.i18n import t
from triage.text import MAX_REF_CHARS, plain_line

PACK = ["--pack", str(MINIMAL)]
KNEE = "n\nn\n40\nn\n3\n1 2\ny\n"  # then Enter at the review and after the result
REFUSED = ["C-1\x1b[D2", "C-\x07", "C-\u202e12", "1" * (MAX_REF_CHARS + 1), "C-\t1"]


@pytest.fixture(autouse=True)
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TRIAGE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("TRIAGE_DATABASE_URL", raising=False)


def invoke(args: list[str], text: str) -> Result:
    return CliRunner().invoke(app, args, input=text, env={"TRIAGE_INTERACTIVE": "1"})


def saved_ref(result: Result) -> str:
    from triage.records import open_store, resolve_settings

    record_id = result.stderr.strip().splitlines()[-1].removeprefix(
        "Saved as record ").rstrip(".")
    with open_store(resolve_settings()) as store:
        record = store.get(record_id)
    assert record is not None, result.stderr
    return record.caller_ref


def test_every_refused_reference_is_one_the_store_refuses() -> None:
    # the prompt's check is the store's own: the one function both call
    assert not any(plain_line(ref) for ref in REFUSED)
    assert plain_line("C-1042") and plain_line("1" * MAX_REF_CHARS)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_reference_the_store_would_refuse_is_asked_again(lang: str) -> None:
    text = KNEE if lang == "en" else KNEE.replace("y\n", "o\n")
    result = invoke(["assess", *PACK, "--caller", "--record", "--lang", lang],
                    text + "\n\n" + "\n".join(REFUSED) + "\nC-77\n")
    assert result.exit_code == 0, result.stderr
    said = t("ref_not_plain", lang)
    assert result.stderr.count(said.split(".")[0]) == len(REFUSED)
    assert "NOT saved" not in result.stderr and "PAS" not in result.stderr
    assert saved_ref(result) == "C-77"


@pytest.mark.parametrize("ref", REFUSED)
def test_a_refused_caller_ref_option_is_said_first_and_the_reference_asked(ref: str) -> None:
    result = invoke(["assess", *PACK, "--caller", "--record", "--caller-ref", ref],
                    KNEE + "\n\nC-78\n")
    assert result.exit_code == 0, result.stderr
    err = result.stderr
    assert err.index("--caller-ref: a reference is up to 200") < err.index("Question 1")
    assert "Reference for the record" in err
    assert saved_ref(result) == "C-78"


def test_a_good_caller_ref_option_is_kept_without_asking() -> None:
    result = invoke(["assess", *PACK, "--caller", "--record", "--caller-ref", "C-5"],
                    KNEE + "\n\n")
    assert result.exit_code == 0, result.stderr
    assert "--caller-ref:" not in result.stderr and "Reference for the record" not in \
        result.stderr
    assert saved_ref(result) == "C-5"
