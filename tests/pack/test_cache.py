"""The compiled-pack cache can never run code or change a result (issue 12)."""

from __future__ import annotations

import ast
import os
import pickle
import random
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MINIMAL, REPO_ROOT
from triage.engine.evaluate import MissingAnswers, evaluate
from triage.folders import cache_dir
from triage.pack import cache as pack_cache
from triage.pack.cache import (
    MAGIC,
    _entry_name,
    cache_get,
    entry_key,
    seal_entry,
    source_fingerprint,
    unpack_entry,
)
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.pack.plain import NODES, PlainDataError, decode, encode

ANSWER_SETS = [
    {"chest_pain": "yes"},
    {"chest_pain": "no", "fall": "yes", "can_bear_weight": "no", "fever": "no", "age": 70,
     "area": "knee", "problems": ["strain"], "blood_thinners": "no"},
    {"chest_pain": "no", "fall": "no", "fever": "yes", "age": 40, "area": "neck",
     "problems": ["stiffness"], "blood_thinners": "no"},
    {"chest_pain": "no", "fall": "no", "fever": "no", "age": 40, "area": "neck",
     "problems": ["stiffness"], "blood_thinners": "no"},
    {"chest_pain": "no", "fall": "no", "fever": "no", "age": 40, "area": "low_back",
     "problems": ["after_surgery", "strain"], "blood_thinners": "yes"},
]


def dispositions(pack: CompiledPack) -> list[str]:
    out = []
    for answers in ANSWER_SETS:
        try:
            out.append(evaluate(pack, answers).disposition)
        except MissingAnswers as exc:
            out.append(f"missing {exc.questions}")
    return out


def entry_path(pack_dir: Path = MINIMAL) -> Path:
    pack = load_pack(pack_dir, use_cache=False)
    return cache_dir() / "packs" / _entry_name(entry_key(pack.content_hash, pack_dir))


@pytest.fixture
def filled() -> Path:
    """The minimal pack's cache entry, freshly written."""
    shutil.rmtree(cache_dir(), ignore_errors=True)
    load_pack(MINIMAL)
    path = entry_path()
    assert path.is_file()
    return path


def test_the_cache_holds_plain_data_under_a_digest(filled: Path) -> None:
    raw = filled.read_bytes()
    assert raw.startswith(MAGIC)
    assert b"pickle" not in raw and b"\x80\x04" not in raw[:64]
    assert stat.S_IMODE(filled.stat().st_mode) == 0o600
    for folder in (cache_dir(), cache_dir() / "packs"):
        assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0


def test_no_module_that_loads_packs_can_unpickle_or_unmarshal() -> None:
    for name in ("cache.py", "plain.py", "plain_any.py", "compiled.py", "load.py", "sources.py"):
        tree = ast.parse((REPO_ROOT / "triage" / "pack" / name).read_text())
        imported = {a.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for a in node.names}
        imported |= {node.module or "" for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom)}
        assert not imported & {"pickle", "marshal", "shelve", "dill", "cloudpickle"}, name


def test_plain_data_round_trips_the_pack() -> None:
    pack = load_pack(MINIMAL, use_cache=False)
    again = decode(encode(pack))
    assert isinstance(again, CompiledPack)
    assert (again.questions, again.rules, again.cases, again.dispositions) == \
        (pack.questions, pack.rules, pack.cases, pack.dispositions)
    again.root = pack.root  # where it was loaded from is not stored
    assert again == pack  # every other field too (the dataclass's own comparison)
    assert again.sources == {} and again.review_status == pack.review_status
    assert dispositions(again) == dispositions(pack)


def test_flipping_random_bits_gives_the_clean_result_or_a_rebuild(filled: Path) -> None:
    """The audit's test: 1,500 single-bit flips of the stored bytes (and truncations)."""
    clean = load_pack(MINIMAL, use_cache=False)
    expected = dispositions(clean)
    good = filled.read_bytes()
    rng = random.Random(12)
    hits = misses = 0
    for i in range(1500):
        damaged = bytearray(good)
        if i % 100 == 99:
            damaged = damaged[: rng.randrange(len(damaged))]
        else:
            bit = rng.randrange(len(damaged) * 8)
            damaged[bit // 8] ^= 1 << (bit % 8)
        filled.write_bytes(bytes(damaged))
        got = cache_get(clean.content_hash, MINIMAL)  # None: built from the YAML instead
        if got is None:
            misses += 1
        else:
            hits += 1
            assert dispositions(got) == expected
    assert misses == 1500 and hits == 0  # every flip is caught by the digest
    for _ in range(5):  # and end to end: a damaged entry is rebuilt, never used
        damaged = bytearray(good)
        damaged[rng.randrange(len(damaged))] ^= 0x10
        filled.write_bytes(bytes(damaged))
        assert dispositions(load_pack(MINIMAL)) == expected
        assert filled.read_bytes() == good  # rewritten


def test_a_well_formed_entry_with_a_wrong_type_is_refused() -> None:
    pack = load_pack(MINIMAL, use_cache=False)
    data = encode(pack)
    question = data["questions"][0]
    question["min"] = "__import__('os')"
    with pytest.raises(PlainDataError):
        decode(data)


MARKER_CODE = "__import__('pathlib').Path({marker!r}).write_text('pwned')"


class _Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (exec, (MARKER_CODE.format(marker=str(self.marker)),))


def hostile_entry(pack: CompiledPack, marker: Path) -> bytes:
    """A self-consistent entry (right digest and key) whose comparison operator would run
    code if it reached the generated source."""
    data = encode(pack)
    planted = 0
    stack = [data]  # the whole entry: its table of conditions as well as the rules
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("$t") == "Compare":
                node["op"] = f"< 0 or {MARKER_CODE.format(marker=str(marker))} or 0 <"
                planted += 1
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    assert planted, "the pack has no comparison to plant code in"
    return seal(data, pack)


def changed_entry(pack: CompiledPack) -> bytes:
    """A self-consistent entry whose 911 red flags never hold (it holds together: see
    tests/pack/test_coherence.py for entries that do not)."""
    data = encode(pack)
    data[NODES].append({"$t": "Const", "value": False})
    for rule in data["rules"]:
        if rule["disposition"] == "emergency":
            rule["when"] = len(data[NODES]) - 1  # its place in the table of conditions
    return seal(data, pack)


def seal(data: Any, pack: CompiledPack) -> bytes:
    return seal_entry(data, entry_key(pack.content_hash, MINIMAL))


def test_a_changed_entry_would_change_the_result_if_trusted() -> None:
    """The planted entries below are real threats: read from a trusted place, this one
    changes the answer (so the folder checks are what stops it)."""
    clean = load_pack(MINIMAL, use_cache=False)
    from triage.pack.cache import unpack_entry

    changed = unpack_entry(changed_entry(clean), entry_key(clean.content_hash, MINIMAL))
    assert changed is not None and dispositions(changed) != dispositions(clean)


@pytest.mark.parametrize("how", ["group_writable_folder", "world_writable_cache",
                                 "symlinked_entry", "symlinked_folder", "pickle_in_own_folder",
                                 "hostile_plain_data_in_own_folder"])
def test_a_planted_entry_never_runs(tmp_path: Path, how: str) -> None:
    marker = tmp_path / "marker"
    shutil.rmtree(cache_dir(), ignore_errors=True)
    clean = load_pack(MINIMAL, use_cache=False)
    expected = dispositions(clean)
    load_pack(MINIMAL)  # creates the folders and the entry
    entry = entry_path()
    packs = entry.parent
    if how == "pickle_in_own_folder":
        planted = pickle.dumps(_Payload(marker))
    elif how == "hostile_plain_data_in_own_folder":
        planted = hostile_entry(clean, marker)
    else:  # well-formed, right digest and key, but another result: trusted, it would win
        planted = changed_entry(clean)
    if how == "group_writable_folder":
        entry.write_bytes(planted)
        os.chmod(packs, 0o770)
    elif how == "world_writable_cache":
        entry.write_bytes(planted)
        os.chmod(cache_dir(), 0o777)
    elif how == "symlinked_entry":
        elsewhere = tmp_path / "elsewhere.json"
        elsewhere.write_bytes(planted)
        os.chmod(elsewhere, 0o600)
        entry.unlink()
        entry.symlink_to(elsewhere)
    elif how == "symlinked_folder":
        theirs = tmp_path / "theirs"
        theirs.mkdir(mode=0o700)
        (theirs / entry.name).write_bytes(planted)
        os.chmod(theirs / entry.name, 0o600)
        shutil.rmtree(packs)
        packs.symlink_to(theirs)
    else:
        entry.write_bytes(planted)
        os.chmod(entry, 0o600)
    try:
        for _ in range(2):
            assert dispositions(load_pack(MINIMAL)) == expected
        got = cache_get(clean.content_hash, MINIMAL)  # untrusted, or rewritten from the YAML
        assert got is None or dispositions(got) == expected
        assert not marker.exists()
    finally:
        for path in (cache_dir(), packs):
            if path.is_dir() and not path.is_symlink():
                os.chmod(path, 0o700)
        if packs.is_symlink():
            packs.unlink()


def test_a_cache_folder_of_another_user_is_neither_read_nor_written() -> None:
    shutil.rmtree(cache_dir(), ignore_errors=True)
    cache_dir().mkdir(mode=0o700)
    try:
        if os.geteuid() == 0:  # root can give the folder away, as another user's would be
            import pwd

            nobody = pwd.getpwnam("nobody")
            os.chown(cache_dir(), nobody.pw_uid, nobody.pw_gid)
        else:
            os.chmod(cache_dir(), 0o777)
        load_pack(MINIMAL)
        assert not (cache_dir() / "packs").exists()
    finally:
        shutil.rmtree(cache_dir(), ignore_errors=True)


def test_the_key_covers_every_source_file_of_the_package(tmp_path: Path) -> None:
    copy = tmp_path / "triage"
    shutil.copytree(REPO_ROOT / "triage", copy,
                    ignore=shutil.ignore_patterns("__pycache__", "rules"))
    before = source_fingerprint(copy)
    assert source_fingerprint(copy) == before  # stable while nothing changes
    names = sorted(p.relative_to(copy) for p in copy.rglob("*.py"))
    assert Path("conditions/quick_reader.py") in names  # the audit's stale-cache example
    for name in [Path("conditions/quick_reader.py"), *names[::7]]:
        path = copy / name
        path.write_text(path.read_text() + "\n# edited\n")
        after = source_fingerprint(copy)
        assert after != before, name
        before = after
    assert source_fingerprint() == pack_cache.source_fingerprint(pack_cache.PACKAGE)


def test_the_test_cases_are_read_only_when_asked_for() -> None:
    clean = load_pack(MINIMAL, use_cache=False)
    key = entry_key(clean.content_hash, MINIMAL)
    entry = seal_entry(encode(clean), key)
    head, _, cases = entry.partition(b"\n")[2].partition(b"\n")[2].partition(b"\n")
    assert b'"cases":[]' in head and cases.startswith(b"[")
    pack = unpack_entry(entry, key)
    assert pack is not None and not isinstance(pack.__dict__["_cases"], tuple)  # not yet read
    assert pack.cases == clean.cases and isinstance(pack.__dict__["_cases"], tuple)


def test_test_cases_that_do_not_check_out_come_from_the_yaml() -> None:
    """A self-consistent entry (right digest) whose cases are not cases: the pack's own."""
    clean = load_pack(MINIMAL, use_cache=False)
    key = entry_key(clean.content_hash, MINIMAL)
    data = encode(clean)
    data["cases"] = [{"$t": "CaseSpec", "id": 7}]
    pack = unpack_entry(seal_entry(data, key), key, lambda: clean.cases)
    assert pack is not None and pack.cases == clean.cases
    without = unpack_entry(seal_entry(data, key), key)
    assert without is not None
    with pytest.raises(PlainDataError):
        without.cases  # noqa: B018 - reading them is the test


def test_writing_an_entry_keeps_the_newest_and_clears_dead_writes(private_cache: Path) -> None:
    """Each edit of a pack or upgrade of triage makes a new key, and nothing removed the old
    entries (one a rule edit, for ever). A write keeps the MAX_ENTRIES written last and the
    temporary files of writes under way; only the cache's own names, never a link."""
    packs = private_cache / "packs"
    packs.mkdir(parents=True, mode=0o700)
    private_cache.chmod(0o700)
    old = [packs / f"{i:048x}.json" for i in range(pack_cache.MAX_ENTRIES + 4)]
    for age, path in enumerate(old, 1):  # old[0] the newest
        path.write_bytes(b"an entry")
        os.utime(path, (1_700_000_000 - age * 60,) * 2)
    dead, busy = packs / ".tmp-1-dead", packs / ".tmp-2-busy"
    for path in (dead, busy):
        path.write_bytes(b"half")
    os.utime(dead, (1_700_000_000,) * 2)
    other = packs / "notes.txt"
    other.write_text("mine")
    link = packs / ("f" * 48 + ".json")
    link.symlink_to(other)
    other_mtime = other.stat().st_mtime

    pack = load_pack(MINIMAL)  # a miss: built and written

    kept = sorted(p.name for p in packs.iterdir() if p.is_file() and not p.is_symlink()
                  and p.suffix == ".json")
    written = _entry_name(entry_key(pack.content_hash, MINIMAL))
    assert written in kept and len(kept) == pack_cache.MAX_ENTRIES
    assert set(kept) - {written} == {p.name for p in old[:pack_cache.MAX_ENTRIES - 1]}
    assert not dead.exists() and busy.exists()
    assert other.read_text() == "mine" and other.stat().st_mtime == other_mtime
    assert link.is_symlink()
    assert dispositions(load_pack(MINIMAL)) == dispositions(load_pack(MINIMAL, use_cache=False))


def test_an_entry_in_use_is_kept_however_long_ago_it_was_written(
        private_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries are kept by last use, not by when they were written: the pack a clinic runs
    every day stays cached while MAX_ENTRIES other packs are written after it."""
    from triage.pack import load as pack_load

    load_pack(MINIMAL)
    in_use = private_cache / "packs" / _entry_name(
        entry_key(load_pack(MINIMAL, use_cache=False).content_hash, MINIMAL))
    os.utime(in_use, (1_600_000_000,) * 2)  # written long ago
    built: list[Path] = []  # the packs built from YAML (a miss) from here on

    def put(pack: CompiledPack, folder: Path) -> None:
        built.append(folder)
        pack_cache.cache_put(pack, folder)

    monkeypatch.setattr(pack_load, "cache_put", put)
    for i in range(pack_cache.MAX_ENTRIES + 2):
        load_pack(MINIMAL)  # read (a hit) between the writes of other packs
        copy = tmp_path / f"pack{i}"
        shutil.copytree(MINIMAL, copy)
        load_pack(copy)
    assert MINIMAL not in built and len(built) == pack_cache.MAX_ENTRIES + 2
    assert in_use.is_file()
    assert len(list((private_cache / "packs").iterdir())) == pack_cache.MAX_ENTRIES
