"""Files and folders that may hold health data or clinic settings: atomic and owner-only."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path


def output_target(path: Path) -> tuple[Path, bool]:
    """Where to write ``path``, and whether in place.

    In place (opened and written, never replaced) when ``path`` is an existing FIFO or
    character device (``>(gzip)``, a terminal, a ``mknod`` null device), or a file reached
    through ``/dev`` or ``/proc`` (``/dev/stdout`` redirected to a file: the file the shell
    opened). Else a file to replace atomically; a symbolic link is replaced, not written
    through (one planted at OUT must not lead the write elsewhere). OSError for a path that
    cannot be used: a link loop, a block device or socket.
    """
    try:
        mode: int | None = os.stat(path).st_mode  # follows links
    except FileNotFoundError:
        mode = None
    if mode is not None and (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
        return path, True
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise OSError(errno.EINVAL, "not a regular file, a pipe or a character device")
    hop = os.path.abspath(path)
    for _ in range(40):  # the kernel's limit on links in a row
        if hop.startswith(("/dev/", "/proc/")):
            return path, mode is not None and stat.S_ISREG(mode)
        if not os.path.islink(hop):
            break
        hop = os.path.join(os.path.dirname(hop), os.readlink(hop))
    return path, False


def write_private(path: Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (or each string of an iterable, as it comes: an export streamed from a
    store) to ``path`` atomically, readable and writable by the owner only, even where an
    older, looser file stood: no half-written file is ever left.

    A FIFO or device (see :func:`output_target`) is written in place, never replaced: its
    reader gets the text and the device stays what it was."""
    path, in_place = output_target(path)
    if in_place:
        with open(path, "w", encoding="utf-8", newline="") as out:
            for part in (text,) if isinstance(text, str) else text:
                out.write(part)
        return
    folder = path.parent if str(path.parent) else Path(".")
    import tempfile  # lazy: not needed before the first answer is saved

    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if hasattr(os, "fchmod"):  # POSIX; mkstemp already asks for 0600, the umask aside
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            if isinstance(text, str):
                fh.write(text)
            else:
                for part in text:
                    fh.write(part)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def owned_by_me(path: Path) -> bool:
    """True when this user owns `path` (POSIX); Windows has no uid and its own ACLs."""
    geteuid = getattr(os, "geteuid", None)
    return geteuid is not None and path.stat().st_uid == geteuid()


def ensure_private_dir(path: Path, *, tighten_existing: bool) -> None:
    """Create `path` (and parents) and make the leaf owner-only.

    mkdir's mode is filtered by the umask and ignored for existing folders, hence the chmod.
    An existing folder is tightened only when asked (triage's own data folder): a folder
    someone chose for the database is theirs to set.
    """
    existed = path.is_dir()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if existed and not tighten_existing:
        return
    if owned_by_me(path) and path.stat().st_mode & 0o077:
        path.chmod(0o700)
