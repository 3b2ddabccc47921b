"""The same answers spelled another way each reader must read the same: option ids in another
case or with spaces around them, numbers as strings, with a leading zero, as ``38.0`` or
``3.8e1``, a one-option list as a bare word, YAML's ``no`` unquoted, a byte order mark,
CRLF line ends (the JSON API takes each answer in its JSON type: only case, spaces, order and
``38.0`` there). Each function takes a ``random.Random`` (hypothesis's ``st.randoms()``) that
chooses the spellings."""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from typing import Any

from triage.pack.compiled import CompiledPack


def _number_words(n: int) -> list[str]:
    return [str(n), f"0{n}", f"{n}.0", f"{n}e0", f"{n / 10!r}e1", f"{n}.000"]


def _option_words(o: str) -> list[str]:
    return [o, o.upper(), o.title(), o.capitalize(), f" {o}", f"{o}  "]


def yaml_text(answers: Mapping[str, Any], rnd: random.Random) -> bytes:
    """A YAML answers file; every scalar plain, single- or double-quoted (a plain scalar
    cannot keep the spaces around a word: those are written quoted)."""

    def scalar(word: str, *, number: bool = False) -> str:
        if word != word.strip():
            return json.dumps(word)
        style = rnd.randrange(4)
        if style == 1:
            return json.dumps(word)
        if style == 2 and not number:
            return f"'{word}'"
        return word

    lines = ["# answers, spelled another way"]
    for q, value in answers.items():
        key = rnd.choice([q, json.dumps(q), f"'{q}'"])
        if isinstance(value, frozenset):
            words = [rnd.choice(_option_words(o)) for o in sorted(value)]
            if rnd.randrange(4) == 0 and words:
                words.append(words[0])  # an option twice is that option
            if len(words) == 1 and rnd.randrange(2):
                lines.append(f"{key}: {scalar(words[0])}")
            elif words and rnd.randrange(2):
                lines.append(f"{key}:")
                lines.extend(f"  - {scalar(w)}" for w in words)
            else:
                lines.append(f"{key}: [{', '.join(scalar(w) for w in words)}]")
        elif isinstance(value, int):
            word = rnd.choice(_number_words(value))
            lines.append(f"{key}: {json.dumps(word) if rnd.randrange(3) == 0 else word}")
        else:
            lines.append(f"{key}: {scalar(rnd.choice(_option_words(value)))}")
    text = "\n".join(lines) + "\n"
    if rnd.randrange(2):
        text = text.replace("\n", "\r\n")
    return ("\ufeff" if rnd.randrange(2) else "").encode() + text.encode()


def csv_cells(answers: Mapping[str, Any], rnd: random.Random) -> dict[str, str]:
    """Batch CSV cells (``none`` for none of the options, in any case)."""
    cells: dict[str, str] = {}
    for q, value in answers.items():
        if isinstance(value, frozenset):
            words = [rnd.choice(_option_words(o)) for o in sorted(value)]
            cell = rnd.choice([";", "|", " ; ", " | "]).join(words) or \
                rnd.choice(["none", "NONE", "None", " none "])
        elif isinstance(value, int):
            cell = rnd.choice([*_number_words(value), f" {value} "])
        else:
            cell = rnd.choice(_option_words(value))
        cells[q] = f'"{cell}"' if rnd.randrange(4) == 0 else cell
    return cells


def csv_text(rows: list[dict[str, str]], pack: CompiledPack, rnd: random.Random) -> bytes:
    header = ["id", *(q.id for q in pack.questions)]
    lines = [",".join(header)]
    for i, cells in enumerate(rows):
        lines.append(",".join([f"set{i}", *(cells.get(q.id, "") for q in pack.questions)]))
    end = "\r\n" if rnd.randrange(2) else "\n"
    return ("\ufeff" if rnd.randrange(2) else "").encode() + (end.join(lines) + end).encode()


def json_answers(answers: Mapping[str, Any], rnd: random.Random) -> dict[str, Any]:
    """JSON values for ``POST /api/assess``, each of the JSON type its question takes (the
    API is strict on types: tests/web/test_api_types.py): numbers with a fraction of zero,
    options in another case, options in another order."""
    out: dict[str, Any] = {}
    for q, value in answers.items():
        if isinstance(value, frozenset):
            words = [rnd.choice(_option_words(o)) for o in value]
            rnd.shuffle(words)
            out[q] = words
        elif isinstance(value, int):
            out[q] = rnd.choice([value, float(value)])
        else:
            out[q] = rnd.choice(_option_words(value))
    return out
