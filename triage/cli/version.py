"""``triage --version``: read without loading the pack (start-up matters)."""

from __future__ import annotations

import re

from triage import __version__
from triage.pack.bundled import default_pack_dir

_PACK_FIELD = re.compile(rb"^\s+(id|version):\s*[\"']?([^\"'\s#]+)", re.MULTILINE)


def version_line() -> str:
    """Tool and bundled pack versions, read without loading the pack (start-up matters)."""
    pack_id = pack_version = "?"
    try:
        for path in sorted(default_pack_dir().glob("*.yaml")):
            data = path.read_bytes()
            at = 0 if data.startswith(b"pack:") else data.find(b"\npack:")
            if at >= 0:
                found = {k.decode(): v.decode() for k, v in _PACK_FIELD.findall(data[at:at + 4000])}
                pack_id = found.get("id", "?")
                pack_version = found.get("version", "?")
                break
    except OSError:
        pass
    return f"triage {__version__} (rule pack {pack_id} {pack_version})"
