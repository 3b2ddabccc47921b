"""A pack's files as bytes, and their content hash (what the cache is keyed by)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from triage.problems import Problem, ProblemsError, display_path
from triage.untrusted import InputError, read_regular_file

PACK_SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 2_000_000  # per file, as in triage.pack.yamlio (not imported: start-up)

if TYPE_CHECKING:
    from hashlib import sha256 as sha256
else:
    try:  # the built-in SHA-256 starts faster than OpenSSL's, and every run hashes the pack
        from _sha256 import sha256 as sha256
    except ImportError:  # pragma: no cover - other Pythons
        from hashlib import sha256 as sha256


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
                try:  # bounded as it is read: a 66 MB rule file is refused, not parsed
                    data = read_regular_file(path, MAX_FILE_BYTES)
                except InputError as exc:
                    problems.append(Problem(display_path(path), 1, 1, exc.message))
                    continue
                found.append(PackFileBytes(prefix + path.name, path, data))
    if problems:
        raise ProblemsError(problems)
    if not found:
        raise ProblemsError([Problem(shown, 1, 1, "no .yaml files in this rule pack folder")])
    return found


def content_hash(files: list[PackFileBytes]) -> str:
    digest = sha256()
    for f in files:
        digest.update(f.relative.encode() + b"\0" + len(f.data).to_bytes(8, "big") + f.data)
    return digest.hexdigest()
