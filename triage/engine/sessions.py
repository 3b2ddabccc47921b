"""Saved questionnaire sessions (``--save`` / ``--resume``) and owner-only file writes.

A session file is JSON: the pack it was answered against (id, version, content hash), the
answers in the order given, and a status: ``in_progress`` while answering, ``stopped`` after
Ctrl-C or end of input, ``complete`` once a result was shown. Health answers are private: every
file is written to a temporary file in the same folder with mode 0600, then renamed over the
target, so a crash never leaves half a file and other users never can read it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triage.files import write_private as write_private  # re-exported for callers
from triage.pack.compiled import CompiledPack
from triage.untrusted import InputError, decode_utf8, read_regular_file, strict_json

FORMAT = "triage-session"
FORMAT_VERSION = 1
IN_PROGRESS = "in_progress"
STOPPED = "stopped"
COMPLETE = "complete"
STATUSES = (IN_PROGRESS, STOPPED, COMPLETE)


class SessionFileError(Exception):
    """A session file that cannot be read; the message is for the user (English detail), and
    ``line``, ``col`` where in the file (1, 1 for the file as a whole): said as
    ``file:line:col: message``, as every problem a user can fix."""

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.col = col


def _json_value(value: Any) -> Any:
    return sorted(value) if isinstance(value, frozenset | set) else value


@dataclass
class Session:
    pack_id: str
    pack_version: str
    pack_hash: str
    answers: list[tuple[str, Any]] = field(default_factory=list)  # in the order given
    status: str = IN_PROGRESS
    language: str | None = None
    caller: bool = False
    disposition: str | None = None

    @classmethod
    def for_pack(cls, pack: CompiledPack, language: str, caller: bool) -> Session:
        return cls(pack.id, pack.version, pack.content_hash, language=language, caller=caller)

    def to_json(self) -> str:
        from datetime import UTC, datetime  # lazy: not needed before the first answer

        data = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "status": self.status,
            "pack": {"id": self.pack_id, "version": self.pack_version, "hash": self.pack_hash},
            "language": self.language,
            "caller": self.caller,
            "answers": {qid: _json_value(v) for qid, v in self.answers},
            "disposition": self.disposition,
            "updated": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    def save(self, path: Path) -> None:
        write_private(path, self.to_json())


def _plain(value: object) -> bool:
    """Short printable text: what triage writes for a pack's id, version and hash (these are
    shown when resuming, so nothing else may pass)."""
    return isinstance(value, str) and len(value) <= 200 and value.isprintable()


def load_session(path: Path) -> Session:
    """Read a session file; raises :class:`SessionFileError` with the reason."""
    try:
        data = strict_json(decode_utf8(read_regular_file(path)))
    except InputError as exc:
        if exc.not_found:
            raise SessionFileError("no such file") from None
        raise SessionFileError(exc.message, exc.line, exc.col) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SessionFileError("not a saved triage session")
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        shown = f" (format {version})" if type(version) is int else ""
        raise SessionFileError(f"saved by another version of triage{shown}")
    pack = data.get("pack")
    answers = data.get("answers")
    status = data.get("status")
    if (not isinstance(pack, dict) or not isinstance(answers, dict)
            or status not in STATUSES
            or not all(_plain(pack.get(k)) for k in ("id", "version", "hash"))):
        raise SessionFileError("not a saved triage session (missing pack, answers or status)")
    language = data.get("language")
    return Session(pack["id"], pack["version"], pack["hash"], list(answers.items()),
                   status=status, language=language if isinstance(language, str) else None,
                   caller=data.get("caller") is True,
                   disposition=data.get("disposition")
                   if _plain(data.get("disposition")) else None)
