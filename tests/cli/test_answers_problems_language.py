"""An answers file's problems in the run's language (sees ux-t, item 4): with ``--lang fr``
every problem was in English under a French count ("4 problèmes trouvés."). Each is now said
through the message catalogue (triage.i18n_answers, by triage.i18n_said.Said: worked out once
in English, said in the language where it is printed), in the ``file:line:col: message``
shape, every problem at once, exit 1. What a library or the system adds (PyYAML's or json's
detail, the system's error) stays as it comes, inside the translated sentence."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.web.test_app import THERAPY
from triage.cli.app import app
from triage.engine.answers import check_answers
from triage.i18n import MESSAGES
from triage.i18n_answers import ANSWERS
from triage.i18n_said import Said, said_in
from triage.pack.load import load_pack

PACK = load_pack()
SHAPE = re.compile(r"^(?P<where>.+?:\d+:\d+): (?P<message>.+)$")
# English words no French problem may hold (the ids and option ids it quotes aside)
ENGLISH = re.compile(r"\b(takes|answer given|unknown question|did you mean|is a yes/no|"
                     r"out of range|is a warning sign|does not apply|invalid|duplicate key|"
                     r"the file|the text|folder)\b")

# for each type of question, a value no answers file can use
BROKEN = {"multi": ["not_an_option"], "single": "not_an_option", "yes_no": "perhaps",
          "number": "thirty"}


def run(path: Path, lang: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["assess", "--answers", str(path), "--lang", lang])
    return result.exit_code, result.stderr.splitlines()


def both(path: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]], str]:
    """The problems (where, message) in English and French, and the French count line."""
    out = []
    for lang in ("en", "fr"):
        code, lines = run(path, lang)
        assert code == 1, (lang, lines)
        found = [SHAPE.match(line) for line in lines[:-1]]
        assert all(found), lines
        out.append([(m["where"], m["message"]) for m in found if m])
    return out[0], out[1], lines[-1]


def test_every_question_broken_at_once_is_said_in_french(tmp_path: Path) -> None:
    answers: dict[str, Any] = {q.id: BROKEN[q.type] for q in PACK.questions}
    answers["agee"] = 35  # a question the pack does not have, with a did-you-mean
    path = tmp_path / "a.yaml"
    path.write_text("\n".join(f"{k}: {json.dumps(v)}" for k, v in answers.items()) + "\n",
                    encoding="utf-8")
    en, fr, count = both(path)
    assert len(en) == len(fr) == len(answers)  # every problem at once
    assert count == f"{len(answers)} problèmes trouvés."
    for (where_en, said_en), (where_fr, said_fr) in zip(en, fr, strict=True):
        assert where_en == where_fr  # the same place: file:line:col as it was
        assert said_en != said_fr and not ENGLISH.search(said_fr), said_fr
        assert ENGLISH.search(said_en), said_en
    assert any("vouliez-vous dire « age »" in said for _, said in fr)


@pytest.mark.parametrize(("name", "text"), [
    ("broken.yaml", "age: [1\n"),
    ("dup.yaml", "age: 3\nage: 4\n"),
    ("dup.json", '{"age": 3, "age": 4}'),
    ("broken.json", '{"age": 3,,}'),
    ("tabs.yaml", "age:\n\t- 3\n"),
    ("list.yaml", "- 3\n"),
    ("nan.json", '{"age": NaN}'),
])
def test_a_file_that_cannot_be_read_is_said_in_french(tmp_path: Path, name: str,
                                                      text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    en, fr, count = both(path)
    assert count in ("1 problème trouvé.", f"{len(fr)} problèmes trouvés.")
    assert [w for w, _ in en] == [w for w, _ in fr]
    for (_, said_en), (_, said_fr) in zip(en, fr, strict=True):
        assert said_en != said_fr and not ENGLISH.search(said_fr), said_fr


def test_bytes_that_are_not_text_and_a_folder_are_said_in_french(tmp_path: Path) -> None:
    (tmp_path / "latin.yaml").write_bytes(b"age: \xff\n")
    (tmp_path / "nul.yaml").write_bytes(b"age: 3\x00\n")
    (tmp_path / "folder.yaml").mkdir()
    for name in ("latin.yaml", "nul.yaml", "folder.yaml"):
        en, fr, _ = both(tmp_path / name)
        assert len(fr) == 1 and fr[0][1] != en[0][1] and not ENGLISH.search(fr[0][1]), fr


def test_a_warning_sign_where_it_does_not_apply_is_said_in_french(tmp_path: Path) -> None:
    from tests.cli.test_app import SHOULDER_WITH_CES_YAML

    path = tmp_path / "a.yaml"
    path.write_text(SHOULDER_WITH_CES_YAML.replace("emergency_signs: []\n", ""),
                    encoding="utf-8")
    en, fr, count = both(path)
    assert count == "2 problèmes trouvés."
    assert "Signes du syndrome de la queue de cheval" in fr[1][1]
    assert "Cauda equina signs" in en[1][1]
    assert not ENGLISH.search(fr[1][1]), fr


def test_a_said_message_is_its_english_text_everywhere_else() -> None:
    """Every other reader of a problem (the API, batch rows, records, tests) reads the
    English it always read: a Said is that str, and survives a pickle (batch workers)."""
    problems = check_answers({**THERAPY, "age": "thirty"}, PACK.shapes)[1]
    ((_, why),) = problems
    assert isinstance(why, Said) and why == "'age' takes a number written with the digits 0-9"
    assert json.dumps(why) == json.dumps(str(why))
    again = pickle.loads(pickle.dumps(why))
    assert again == why and said_in(again, "fr") == said_in(why, "fr") != why
    assert said_in("plain text", "fr") == "plain text"


def test_every_message_of_an_answers_file_has_its_french() -> None:
    for key in ANSWERS["en"]:
        assert ANSWERS["fr"].get(key), key
        assert MESSAGES["fr"][key] == ANSWERS["fr"][key]  # merged into the one catalogue
