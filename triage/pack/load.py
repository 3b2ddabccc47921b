"""Loading a rule pack: read its files, then the cache or a full check and compile.

Light on purpose: no pydantic and no YAML unless the pack has to be checked.
"""

from __future__ import annotations

from pathlib import Path

from triage.pack.bundled import default_pack_dir as default_pack_dir  # re-exported
from triage.pack.cache import cache_get, cache_put
from triage.pack.compiled import CompiledPack
from triage.pack.sources import content_hash, read_pack_files
from triage.problems import ProblemsError


def load_pack(pack_dir: Path | None = None, *, use_cache: bool = True) -> CompiledPack:
    """Load, validate and compile a pack; raises ProblemsError listing every problem."""
    pack_dir = pack_dir or default_pack_dir()
    files = read_pack_files(pack_dir)
    pack_hash = content_hash(files)

    def build() -> CompiledPack:
        from triage.pack.validate import check_files

        pack, problems = check_files(pack_dir, files, pack_hash)
        errors = [p for p in problems if p.is_error]
        if pack is None or errors:
            raise ProblemsError(errors or problems)
        return pack

    if use_cache:
        cached = cache_get(pack_hash, pack_dir, lambda: build().cases)
        if cached is not None:
            cached.root = str(pack_dir)
            return cached
    pack = build()
    if use_cache:
        cache_put(pack, pack_dir)  # plain data only: the code is generated on every run
    return pack
