"""Where triage keeps per-user data and config; overridable so tests never touch a real home."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "triage"
DB_FILENAME = "records.sqlite3"
CONFIG_FILENAME = "config.toml"


def data_dir() -> Path:
    override = os.environ.get("TRIAGE_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


def config_dir() -> Path:
    override = os.environ.get("TRIAGE_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME))


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def config_path() -> Path:
    return config_dir() / CONFIG_FILENAME


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
