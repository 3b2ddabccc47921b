"""Helpers shared by the authoring-command tests (verify, explain, graph, diff, coverage)."""

from __future__ import annotations

import shutil
from pathlib import Path

from triage.pack.compiled import CompiledPack
from triage.pack.load import default_pack_dir, load_pack

TESTS = Path(__file__).parent
PACKS = TESTS / "packs"
MINIMAL = PACKS / "minimal"
BUNDLED = default_pack_dir()
UNSAFE = sorted(p.name for p in PACKS.glob("unsafe_*"))
SOURCE = 'source: {citation: "Test fixture", year: 2026, kind: consensus}'


def load(path: Path) -> CompiledPack:
    return load_pack(path, use_cache=False)


def small_pack(tmp: Path, rules: str, cases: str = "cases: []\n") -> Path:
    """A one-language pack in ``tmp``: the pack header of an unsafe pack plus ``rules``."""
    tmp.mkdir(parents=True, exist_ok=True)
    shutil.copy(PACKS / "unsafe_monotone" / "pack.yaml", tmp / "pack.yaml")
    (tmp / "rules.yaml").write_text(rules.replace("SOURCE", SOURCE), encoding="utf-8")
    (tmp / "tests").mkdir(exist_ok=True)
    (tmp / "tests" / "cases.yaml").write_text(cases, encoding="utf-8")
    return tmp
