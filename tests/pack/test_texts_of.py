"""``texts_of`` finds every user-facing text of a pack's models (it looks only into the fields
that may hold one: a rule's points hold none; its source holds the optional note)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from tests.conftest import MINIMAL
from triage.pack import models as m
from triage.pack.bundled import default_pack_dir
from triage.pack.models import _TEXT_FIELDS, texts_of
from triage.pack.yamlio import load_yaml_file

SECTIONS = {"questions": m.Question, "scores": m.Score, "red_flags": m.RedFlag,
            "contraindications": m.Contraindication, "indications": m.Indication,
            "notes": m.Note}


def every_text(model: BaseModel, below: tuple[Any, ...] = ()) -> list[Any]:
    """Looking into every field, as texts_of did before it learnt which to skip."""
    out: list[Any] = []
    for name, value in model.__dict__.items():
        if value is None:
            continue
        if name in _TEXT_FIELDS and isinstance(value, str | dict):
            out.append(((*below, name), value))
        elif isinstance(value, BaseModel):
            out += every_text(value, (*below, name))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                if isinstance(v, BaseModel):
                    out += every_text(v, (*below, name, i))
                elif name == "techniques":
                    out.append(((*below, name, i), v))
    return out


@pytest.mark.parametrize("folder", [default_pack_dir(), MINIMAL], ids=["clinical", "minimal"])
def test_every_text_of_every_model_is_found(folder: Path) -> None:
    seen = 0
    for path in sorted(folder.glob("*.yaml")):
        doc, problems = load_yaml_file(path)
        assert doc is not None and not problems
        for key, value in doc.data.items():
            if key == "pack":
                models: list[BaseModel] = [m.PackMeta.model_validate(value)]
            elif key in SECTIONS:
                models = [SECTIONS[key].model_validate(v) for v in value or []]
            else:
                continue
            for model in models:
                found = list(texts_of(model))
                assert found == every_text(model)
                seen += len(found)
    assert seen > 20


def test_a_text_inside_a_nested_model_is_found() -> None:
    option = {"id": "a", "text": "A", "caller_text": "Say A"}
    q = m.Question.model_validate({"id": "q", "text": "Q?", "type": "single",
                                   "options": [option, {**option, "id": "b"}]})
    assert ("options", 1, "caller_text") in [path for path, _ in texts_of(q)]
