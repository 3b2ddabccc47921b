"""A pack's files as bytes, and their content hash (what the cache is keyed by)."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

# OpenSSL's SHA-256: every run hashes the pack's files and its cache entry (2 MB for the
# bundled pack), which took 7.5 ms with the interpreter's built-in one and takes 5.0 ms with
# OpenSSL's, its import included (the built-in one was quicker when packs were small)
from hashlib import sha256 as sha256
from pathlib import Path

from triage.problems import Problem, ProblemsError, display_path
from triage.untrusted import InputError, read_regular_file

PACK_SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 2_000_000  # per file, as in triage.pack.yamlio (not imported: start-up)



@dataclass(frozen=True)
class PackFileBytes:
    relative: str  # e.g. "questions.yaml", "tests/cases.yaml"
    path: Path
    data: bytes


def read_pack_files(pack_dir: Path) -> list[PackFileBytes]:
    """Every YAML file of a pack (top level and ``tests/``), sorted; raises ProblemsError.

    Nothing that looks like a pack file is passed over in silence (a skipped red-flag file
    would make the pack less safe and still valid): a name ending in ``.yaml`` or ``.yml``
    must be a regular file that reads (not a broken or looping link, a folder or a pipe), a
    differently-cased ``.YAML`` is reported, and so is a folder other than ``tests/`` that
    holds YAML files (they would not be read).
    """
    shown = display_path(pack_dir)
    try:
        mode = os.stat(pack_dir).st_mode
    except FileNotFoundError:
        raise ProblemsError([Problem(shown, 1, 1, "no such rule pack folder")]) from None
    except OSError as exc:
        raise ProblemsError([Problem(shown, 1, 1, f"cannot read the rule pack folder: "
                                                  f"{exc.strerror or 'error'}")]) from None
    if not stat.S_ISDIR(mode):
        raise ProblemsError([Problem(shown, 1, 1, "a rule pack is a folder of YAML files")])
    found: list[PackFileBytes] = []
    problems: list[Problem] = []
    for folder, prefix in ((pack_dir, ""), (pack_dir / "tests", "tests/")):
        if prefix and not folder.is_dir():
            if os.path.lexists(folder):
                problems.append(Problem(display_path(folder), 1, 1, "'tests' must be a "
                                        "folder of test case files (a broken link?)"))
            continue
        for path in sorted(folder.iterdir()):
            why = _not_a_pack_file(path, top=not prefix)
            if why == "":
                try:  # bounded as it is read: a 66 MB rule file is refused, not parsed
                    data = read_regular_file(path, MAX_FILE_BYTES)
                except InputError as exc:
                    problems.append(Problem(display_path(path), 1, 1, exc.message))
                    continue
                found.append(PackFileBytes(prefix + path.name, path, data))
            elif why is not None:
                problems.append(Problem(display_path(path), 1, 1, why))
    if problems:
        raise ProblemsError(problems)
    if not found:
        raise ProblemsError([Problem(shown, 1, 1, "no .yaml files in this rule pack folder")])
    return found


def _not_a_pack_file(path: Path, *, top: bool) -> str | None:
    """``""`` for a pack file to read; None for an entry that is not one (a README); else
    why an entry that looks like a pack file cannot be one."""
    name = path.name
    if not name.lower().endswith(PACK_SUFFIXES):
        if name.startswith(".") or (top and name == "tests") or not _holds_yaml(path):
            return None
        return ("a folder of YAML files that is not read: a pack reads the files at its top "
                "level and in tests/ only")
    if not name.endswith(PACK_SUFFIXES):
        return (f"'{name}' is not read: pack files end in .yaml or .yml in lower case "
                f"(rename it)")
    try:
        mode = os.stat(path).st_mode  # follows a link
    except FileNotFoundError:
        return "a link to a file that does not exist: a pack file must be a regular file"
    except OSError as exc:  # a link loop, a folder that may not be read, ...
        return f"cannot read the file: {exc.strerror or 'error'}"
    if stat.S_ISDIR(mode):
        return "a folder named like a pack file: a pack file must be a regular file"
    if not stat.S_ISREG(mode):
        return "not a regular file (a pipe, device or socket): a pack file must be a regular file"
    return ""


def _holds_yaml(folder: Path) -> bool:
    """Whether a folder holds YAML files, at any depth (links below it not followed; a pack
    is small: at most a few thousand entries are looked at)."""
    if not folder.is_dir():
        return False
    looked = 0
    for _, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        if any(f.lower().endswith(PACK_SUFFIXES) for f in files):
            return True
        looked += len(files) + len(dirs)
        if looked > 5000:
            return False
    return False


def content_hash(files: list[PackFileBytes]) -> str:
    digest = sha256()
    for f in files:
        digest.update(f.relative.encode() + b"\0" + len(f.data).to_bytes(8, "big") + f.data)
    return digest.hexdigest()
