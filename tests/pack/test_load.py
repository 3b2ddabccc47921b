"""Pack lookup, hashing and the compiled-pack cache."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MINIMAL
from triage.authoring.cases import run_cases
from triage.pack.cache import cache_dir
from triage.pack.load import default_pack_dir, load_pack
from triage.problems import ProblemsError


def test_the_bundled_pack_is_found_and_valid() -> None:
    pack = load_pack(default_pack_dir(), use_cache=False)
    assert pack.questions and pack.rules


def test_the_bundled_pack_passes_its_own_cases() -> None:
    pack = load_pack(default_pack_dir(), use_cache=False)
    failed = [(str(r.case.location), r.case.id, r.failures)
              for r in run_cases(pack) if not r.passed]
    assert failed == []


def test_a_cached_pack_equals_a_fresh_one_and_is_owner_only() -> None:
    fresh = load_pack(MINIMAL, use_cache=False)
    first = load_pack(MINIMAL)  # fills the cache
    second = load_pack(MINIMAL)  # served from it
    assert second.content_hash == fresh.content_hash == first.content_hash
    fresh.fast_decision  # noqa: B018 - generated when first needed
    second.fast_decision  # noqa: B018 - generated afresh: the cache holds no code
    assert second.sources == fresh.sources
    assert second.decide(dict(chest_pain="yes"))[0] == 0
    files = list((cache_dir() / "packs").iterdir())
    assert files
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) & 0o077 == 0
    assert stat.S_IMODE((cache_dir() / "packs").stat().st_mode) & 0o077 == 0


def test_editing_a_pack_changes_its_hash_and_skips_the_old_cache(
        pack_copy: Callable[..., Path]) -> None:
    pack = pack_copy()
    before = load_pack(pack)
    notes = pack / "notes.yaml"
    notes.write_text(notes.read_text().replace("Bring your knee brace.", "Bring a brace."))
    after = load_pack(pack)
    assert after.content_hash != before.content_hash
    assert "Bring a brace." in after.rule_by_id["knee_note"].reason["en"]


def test_a_corrupt_cache_entry_is_a_miss_not_a_crash() -> None:
    load_pack(MINIMAL)
    for f in (cache_dir() / "packs").iterdir():
        f.write_bytes(b"not a cache entry")
    assert load_pack(MINIMAL).id == "minimal"


def test_a_cache_file_others_can_write_is_not_trusted() -> None:
    load_pack(MINIMAL)
    for f in (cache_dir() / "packs").iterdir():
        os.chmod(f, 0o666)
    assert load_pack(MINIMAL).id == "minimal"  # recompiled and rewritten


def test_a_broken_pack_raises_every_problem(pack_copy: Callable[..., Path]) -> None:
    pack = pack_copy({"notes.yaml": "notes:\n  - id: X\n", "contraindications.yaml":
                      lambda text: text.replace("effect: precaution", "effect: caution")})
    with pytest.raises(ProblemsError) as caught:
        load_pack(pack)
    assert [(Path(p.file).name, p.line, p.col, p.message) for p in caught.value.problems] == [
        ("contraindications.yaml", 19, 13, "'caution' is not allowed here; use "
         "'strike_soft_tissue', 'avoid_area', 'avoid_technique' or 'precaution' (did you mean "
         "'precaution'?)"),
        ("notes.yaml", 2, 5, "missing required field 'reason'"),
        ("notes.yaml", 2, 5, "missing required field 'source'"),
        ("notes.yaml", 2, 5, "missing required field 'when'"),
        ("notes.yaml", 2, 9, "'X' is not a valid id: use lower-case letters, digits and _, "
         "starting with a letter"),
    ]


def test_two_copies_of_a_pack_report_their_own_file_locations(
        tmp_path: Path, pack_copy: Callable[..., Path]) -> None:
    import shutil

    first = pack_copy()
    second = tmp_path / "second"
    shutil.copytree(first, second)
    a = load_pack(first)
    b = load_pack(second)
    assert a.content_hash == b.content_hash
    assert str(second.name) in b.rules[0].location.file
    assert str(second.name) not in a.rules[0].location.file
