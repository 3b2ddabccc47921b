"""Where the bundled rule pack lives. Tiny on purpose: ``triage --version`` imports it."""

from __future__ import annotations

from pathlib import Path


def default_pack_dir() -> Path:
    """The bundled pack: inside the installed package, or ``rules/`` of a source checkout."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "rules"
    if installed.is_dir():
        return installed
    return package.parent / "rules"
