"""The compiled-pack cache in the user cache folder (see :func:`triage.pack.load.load_pack`).

Building a pack from YAML means pydantic and a full check, several times the start-up of
``assess --answers``; the cache keeps the checked pack so that the next run skips both. It is
designed so that it can never run code and never change a result:

* it stores plain data only (:mod:`triage.pack.plain`): no pickle, no code objects, no
  generated source; the decision code is generated and compiled afresh on every run;
* every entry carries a SHA-256 digest of its bytes, checked before anything is parsed: a
  flipped bit, a truncated write or a half-copied file is a miss, never another pack;
* the folders are checked like ssh checks ``~/.ssh``: the cache folder and its ``packs``
  folder must be real folders (not symlinks) owned by this user and not writable by group or
  others, opened with ``O_NOFOLLOW`` and checked on the opened descriptor; entries are opened
  relative to that descriptor with ``O_NOFOLLOW`` and checked with ``fstat`` (a regular file,
  this user's, owner-only, one link), so nothing can be swapped in between check and use;
* the key covers the pack's bytes and folder, the triage version, the Python version and every
  source file of the triage package (whatever shapes a compiled pack): their sizes and change
  times, which every edit changes.
* an entry edited by hand and sealed again must still hold together
  (:mod:`triage.pack.coherence`: every rule's disposition has words, every condition reads a
  question the pack has, every text is in every language, the rules are in precedence order),
  or it is a miss: never an internal error. The folder's owner is trusted as with the rules
  and the installed package, which they can edit as well.

Any doubt means a miss: the pack is built from its YAML (and the entry rewritten if the folder
can be trusted). A folder that cannot be trusted is neither read nor written.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from triage import __version__
from triage.folders import NoFolderError, cache_dir
from triage.pack.compiled import CompiledPack
from triage.pack.gc_pause import building_long_lived
from triage.pack.sources import sha256
from triage.pack.specs import CaseSpec
from triage.problems import display_path

CACHE_FORMAT = 7  # 5: the test cases apart, read when asked for (see DeferredCases); 6: recency;
# 7: the conditions in a table, each once (see triage.pack.plain)
MAGIC = b"triage-pack-cache 7\n"
MAX_ENTRY_BYTES = 256 << 20  # a 6,000-rule pack is about 15 MB of plain data
# Every edit of a pack, and every upgrade of triage, makes a new key; nothing else removes
# the entries no run will ask for again (a clinic editing its rules left one file an edit,
# about 1 MB for the bundled pack, for ever). Writing an entry keeps those used last (an
# entry read is touched): the packs in use stay.
MAX_ENTRIES = 16
# a temporary file this old is what a run that died while writing left (a write takes
# well under a second)
STALE_TMP_SECONDS = 3600
_DIGEST_LINE = 65  # 64 hex digits and a newline
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


PACKAGE = Path(__file__).resolve().parent.parent


def source_fingerprint(package: Path = PACKAGE) -> str:
    """A digest of the name, size, inode and change times of every Python file of the triage
    package: any edit to any module, whichever shapes a compiled pack, makes a new key
    (``st_ctime_ns`` changes on every write and cannot be set back), without reading them."""
    lines: list[str] = []
    _python_files(str(package), "", lines)
    lines.sort()
    return sha256("".join(lines).encode()).hexdigest()[:32]


def _python_files(folder: str, prefix: str, lines: list[str]) -> None:
    """One line per Python file under ``folder``: its path from the package and its facts
    (os.scandir, not pathlib: this runs on every start)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        lines.append(f"{prefix}\0-\n")
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    _python_files(entry.path, f"{prefix}{entry.name}/", lines)
                continue
            if not entry.name.endswith(".py"):
                continue
            st = entry.stat()
            facts = f"{st.st_size}:{st.st_ino}:{st.st_mtime_ns}:{st.st_ctime_ns}"
        except OSError:
            facts = "-"
        lines.append(f"{prefix}{entry.name}\0{facts}\n")


def entry_key(pack_hash: str, pack_dir: Path) -> str:
    """What an entry must be for: the pack's bytes, where it was loaded from (rule locations
    are part of the compiled pack), the tool, the Python and the tool's source."""
    # the path's own bytes: a folder named in another encoding ("pk\xff") is no UTF-8 text
    where = sha256(os.fsencode(f"{pack_dir.resolve()}|{display_path(pack_dir)}")
                   ).hexdigest()[:16]
    return (f"{CACHE_FORMAT}-{pack_hash}-{where}-{__version__}-"
            f"{sys.implementation.cache_tag}-{source_fingerprint()}")


def _entry_name(key: str) -> str:
    return sha256(key.encode()).hexdigest()[:48] + ".json"


def _trusted(st: os.stat_result, *, folder: bool) -> bool:
    """Owned by this user and writable by no one else (ssh's rule for ~/.ssh)."""
    geteuid = getattr(os, "geteuid", None)
    if geteuid is None:  # pragma: no cover - Windows: no owner ids; ACLs decide
        return True
    kind_ok = stat.S_ISDIR(st.st_mode) if folder else stat.S_ISREG(st.st_mode)
    return kind_ok and st.st_uid == geteuid() and not st.st_mode & 0o022


def _open_folder(path: Path, *, dir_fd: int | None = None) -> int | None:
    """A descriptor of the folder ``path`` if it can be trusted, else None (and closed)."""
    try:
        fd = os.open(path, os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW | _O_CLOEXEC,
                     dir_fd=dir_fd)
    except OSError:
        return None
    try:
        if _trusted(os.fstat(fd), folder=True):
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def _open_packs_folder(*, create: bool) -> int | None:
    """The cache's ``packs`` folder, opened and checked (and created 0700 if asked)."""
    try:
        base = cache_dir()
    except NoFolderError:  # no home folder: no cache, never a failed run
        return None
    if create:
        try:
            base.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError:
            return None
    top = _open_folder(base)
    if top is None:
        return None
    try:
        if create:
            try:
                os.mkdir("packs", 0o700, dir_fd=top)
            except FileExistsError:
                pass
            except OSError:
                return None
        return _open_folder(Path("packs"), dir_fd=top)
    finally:
        os.close(top)


def _read_entry(folder: int, name: str) -> bytes | None:
    try:
        fd = os.open(name, os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_CLOEXEC, dir_fd=folder)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not _trusted(st, folder=False) or st.st_mode & 0o077 or st.st_nlink != 1 \
                or st.st_size > MAX_ENTRY_BYTES:
            return None
        chunks = []
        total = 0
        while total <= MAX_ENTRY_BYTES:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        return b"".join(chunks) if total <= MAX_ENTRY_BYTES else None
    finally:
        os.close(fd)


def unpack_entry(raw: bytes, key: str,
                 cases_fallback: Callable[[], tuple[CaseSpec, ...]] | None = None,
                 ) -> CompiledPack | None:
    """The pack an entry holds if its digest, key and every field check out, else None.

    The entry is two JSON documents on two lines, both under the digest: the pack without its
    test cases, then the cases, read only when ``pack.cases`` is first asked for; if they do
    not check out then, ``cases_fallback`` gives them (from the YAML).
    """
    if not raw.startswith(MAGIC):
        return None
    digest_line = raw[len(MAGIC):len(MAGIC) + _DIGEST_LINE]
    payload = raw[len(MAGIC) + _DIGEST_LINE:]
    if digest_line != sha256(payload).hexdigest().encode() + b"\n":
        return None
    from triage.pack.coherence import ReadBack, incoherence  # lazy: only needed on a hit
    from triage.pack.plain import decode

    main, newline, cases = payload.partition(b"\n")  # JSON text never holds a raw newline
    try:
        data = json.loads(main)
        if not newline or type(data) is not dict or data.get("key") != key:
            return None
        read_back = ReadBack()
        pack = decode(data.get("pack"), read_back=read_back)
    except Exception:  # any doubt: build from the YAML
        return None
    if not isinstance(pack, CompiledPack) or pack.cases or incoherence(pack, read_back):
        return None

    def read_cases() -> tuple[CaseSpec, ...]:
        try:
            found = decode(json.loads(cases), tuple[CaseSpec, ...])
        except Exception:  # any doubt: from the YAML
            if cases_fallback is None:
                raise
            return cases_fallback()
        return found  # type: ignore[no-any-return]

    pack.cases = read_cases
    return pack


def pack_entry(pack: CompiledPack, key: str) -> bytes:
    from triage.pack.plain import encode  # lazy: only on a miss, when the entry is written

    return seal_entry(encode(pack), key)


def seal_entry(data: dict[str, Any], key: str) -> bytes:
    """An entry's bytes for a pack's plain data (see :func:`unpack_entry`)."""
    cases = data["cases"]
    # surrogatepass: a pack folder named in another encoding ("pk\xff") is in every rule's
    # location; json.loads reads bytes back the same way, so such a pack is cached too
    payload = b"\n".join(json.dumps(part, ensure_ascii=False, separators=(",", ":"))
                         .encode("utf-8", "surrogatepass")
                         for part in ({"key": key, "pack": {**data, "cases": []}}, cases))
    return MAGIC + sha256(payload).hexdigest().encode() + b"\n" + payload


def cache_get(pack_hash: str, pack_dir: Path,
              cases_fallback: Callable[[], tuple[CaseSpec, ...]] | None = None,
              ) -> CompiledPack | None:
    key = entry_key(pack_hash, pack_dir)
    folder = _open_packs_folder(create=False)
    if folder is None:
        return None
    try:
        raw = _read_entry(folder, _entry_name(key))
        if raw is not None:
            # used now: the entries kept are those used last (_prune), the packs in use
            with contextlib.suppress(OSError, NotImplementedError):
                os.utime(_entry_name(key), dir_fd=folder, follow_symlinks=False)
    except OSError:
        return None
    finally:
        os.close(folder)
    if raw is None:
        return None
    with building_long_lived():
        pack = unpack_entry(raw, key, cases_fallback)
    if pack is None or pack.content_hash != pack_hash:
        return None
    return pack


def cache_put(pack: CompiledPack, pack_dir: Path) -> None:
    """Store ``pack``, if the cache folder can be trusted; failures are silent (a read-only
    home must not stop a screening)."""
    key = entry_key(pack.content_hash, pack_dir)
    try:
        data = pack_entry(pack, key)
    except (ValueError, TypeError):
        return
    folder = _open_packs_folder(create=True)
    if folder is None:
        return
    tmp = f".tmp-{os.getpid()}-{os.urandom(8).hex()}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC,
                     0o600, dir_fd=folder)
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, 0o600)  # whatever the umask
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, _entry_name(key), src_dir_fd=folder, dst_dir_fd=folder)
        _prune(folder, _entry_name(key))
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=folder)
    finally:
        os.close(folder)


def _prune(folder: int, written: str) -> None:
    """Keep the :data:`MAX_ENTRIES` entries written or read last (``written`` among them: a
    read touches its entry) and remove the temporary files of writes that died. Only names
    the cache writes, only regular files (unlink never follows a link); anything else in the
    folder is left alone."""
    import time

    now = time.time()
    entries: list[tuple[int, str]] = []
    with os.scandir(folder) as items:
        found = list(items)
    for item in found:
        name = item.name
        try:
            st = item.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        if name.startswith(".tmp-"):
            if now - st.st_mtime > STALE_TMP_SECONDS:
                with contextlib.suppress(OSError):
                    os.unlink(name, dir_fd=folder)
        elif _is_entry_name(name) and name != written:
            entries.append((st.st_mtime_ns, name))
    entries.sort(reverse=True)
    for _, name in entries[MAX_ENTRIES - 1:]:
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=folder)


def _is_entry_name(name: str) -> bool:
    stem, dot, suffix = name.partition(".")
    return bool(dot) and suffix == "json" and len(stem) == 48 and \
        all(c in "0123456789abcdef" for c in stem)
