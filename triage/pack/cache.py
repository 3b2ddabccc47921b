"""The compiled-pack cache in the user cache folder (see :func:`triage.pack.load.load_pack`)."""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

from triage import __version__
from triage.folders import cache_dir
from triage.pack.compiled import CompiledPack
from triage.pack.gc_pause import building_long_lived
from triage.pack.sources import sha256
from triage.problems import display_path

CACHE_FORMAT = 3  # 3: rules carry safety_net and show_with, contraindications techniques


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
    return sha256("|".join(parts).encode()).hexdigest()[:12]


def _cache_file(pack_hash: str, pack_dir: Path) -> Path:
    tag = (f"{CACHE_FORMAT}-{__version__}-{sys.implementation.cache_tag}-"
           f"{_code_fingerprint()}")
    # rule locations (file:line) are part of the compiled pack: two copies of the same pack,
    # or one pack seen from another folder, must not share an entry
    where = sha256(f"{pack_dir.resolve()}|{display_path(pack_dir)}".encode()).hexdigest()[:12]
    return cache_dir() / "packs" / f"{pack_hash[:32]}-{where}-{tag}.pickle"


def cache_get(pack_hash: str, pack_dir: Path) -> CompiledPack | None:
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


def cache_put(pack: CompiledPack, pack_dir: Path) -> None:
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
