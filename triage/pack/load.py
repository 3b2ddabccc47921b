"""Finding, hashing and caching rule packs. Light on purpose: no pydantic, no YAML here.

A pack is validated once; its compiled form is cached by content hash in the user cache
directory, so later runs only read and hash the files and unpickle plain dataclasses.
"""

from __future__ import annotations

import os
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from triage import __version__
from triage.pack.bundled import default_pack_dir as default_pack_dir  # re-exported
from triage.pack.compiled import CompiledPack
from triage.pack.gc_pause import building_long_lived
from triage.problems import Problem, ProblemsError, display_path

PACK_SUFFIXES = (".yaml", ".yml")
CACHE_FORMAT = 1

if TYPE_CHECKING:
    from hashlib import sha256 as _sha256
else:
    try:  # the built-in SHA-256 starts faster than OpenSSL's, and every run hashes the pack
        from _sha256 import sha256 as _sha256
    except ImportError:  # pragma: no cover - other Pythons
        from hashlib import sha256 as _sha256


@dataclass(frozen=True)
class PackFileBytes:
    relative: str  # e.g. "questions.yaml", "tests/cases.yaml"
    path: Path
    data: bytes


def read_pack_files(pack_dir: Path) -> list[PackFileBytes]:
    """Every YAML file of a pack (top level and ``tests/``), sorted; raises ProblemsError."""
    shown = display_path(pack_dir)
    if not pack_dir.exists():
        raise ProblemsError([Problem(shown, 1, 1, "no such rule pack folder")])
    if not pack_dir.is_dir():
        raise ProblemsError([Problem(shown, 1, 1, "a rule pack is a folder of YAML files")])
    found: list[PackFileBytes] = []
    problems: list[Problem] = []
    for folder, prefix in ((pack_dir, ""), (pack_dir / "tests", "tests/")):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix in PACK_SUFFIXES and path.is_file():
                try:
                    found.append(PackFileBytes(prefix + path.name, path, path.read_bytes()))
                except OSError as exc:
                    problems.append(Problem(display_path(path), 1, 1,
                                            f"cannot read the file: {exc.strerror or exc}"))
    if problems:
        raise ProblemsError(problems)
    if not found:
        raise ProblemsError([Problem(shown, 1, 1, "no .yaml files in this rule pack folder")])
    return found


def content_hash(files: list[PackFileBytes]) -> str:
    digest = _sha256()
    for f in files:
        digest.update(f.relative.encode() + b"\0" + len(f.data).to_bytes(8, "big") + f.data)
    return digest.hexdigest()


def cache_dir() -> Path:
    override = os.environ.get("TRIAGE_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform.startswith("linux") or os.name == "posix":
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "triage"
    import tempfile

    return Path(tempfile.gettempdir()) / "triage-cache"  # pragma: no cover


def _code_fingerprint() -> str:
    """Changes whenever the modules that shape a compiled pack change (even between releases)."""
    package = Path(__file__).resolve().parent.parent
    parts = []
    shaping = ("pack", "conditions", "engine")
    for name in sorted(str(p) for d in shaping for p in (package / d).glob("*.py")):
        try:
            st = Path(name).stat()
            parts.append(f"{st.st_mtime_ns}:{st.st_size}")
        except OSError:
            parts.append("-")
    return _sha256("|".join(parts).encode()).hexdigest()[:12]


def _cache_file(pack_hash: str, pack_dir: Path) -> Path:
    tag = (f"{CACHE_FORMAT}-{__version__}-{sys.implementation.cache_tag}-"
           f"{_code_fingerprint()}")
    # rule locations (file:line) are part of the compiled pack: two copies of the same pack,
    # or one pack seen from another folder, must not share an entry
    where = _sha256(f"{pack_dir.resolve()}|{display_path(pack_dir)}".encode()).hexdigest()[:12]
    return cache_dir() / "packs" / f"{pack_hash[:32]}-{where}-{tag}.pickle"


def _cache_get(pack_hash: str, pack_dir: Path) -> CompiledPack | None:
    path = _cache_file(pack_hash, pack_dir)
    try:
        st = path.stat()
        # only trust a cache file this user owns and no one else can write
        if st.st_uid != os.getuid() or st.st_mode & 0o022:
            return None
        with building_long_lived(), path.open("rb") as fh:
            pack = pickle.load(fh)
    except Exception:
        return None
    if not isinstance(pack, CompiledPack) or pack.content_hash != pack_hash \
            or not hasattr(pack, "sources"):
        return None
    return pack


def _cache_put(pack: CompiledPack, pack_dir: Path) -> None:
    path = _cache_file(pack.content_hash, pack_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        import tempfile  # only on a cache miss

        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(pack, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a read-only home must not stop a screening


def load_pack(pack_dir: Path | None = None, *, use_cache: bool = True) -> CompiledPack:
    """Load, validate and compile a pack; raises ProblemsError listing every problem."""
    pack_dir = pack_dir or default_pack_dir()
    files = read_pack_files(pack_dir)
    pack_hash = content_hash(files)
    if use_cache:
        cached = _cache_get(pack_hash, pack_dir)
        if cached is not None:
            cached.root = str(pack_dir)
            return cached
    from triage.pack.validate import check_files  # heavy: pydantic and YAML, only on a cache miss

    pack, problems = check_files(pack_dir, files, pack_hash)
    errors = [p for p in problems if p.is_error]
    if pack is None or errors:
        raise ProblemsError(errors or problems)
    if use_cache:
        pack.fast_decision  # noqa: B018 - compiled now: the cache keeps the code object too
        _cache_put(pack, pack_dir)
    return pack
