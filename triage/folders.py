"""Where triage keeps per-user data, config and cache (the XDG folders; platformdirs elsewhere).

Each is overridable (TRIAGE_DATA_DIR, TRIAGE_CONFIG_DIR, TRIAGE_CACHE_DIR) so tests never
touch a real home. Light on purpose: the fast paths ask where the config is.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "triage"
DB_FILENAME = "records.sqlite3"
CONFIG_FILENAME = "config.toml"


class NoFolderError(Exception):
    """No folder can be named for this user: no override, no XDG variable and no home folder
    (HOME unset for a user id with no passwd entry, as in some containers). The message says
    which variable to set; callers decide what that means (no cache; no config file; records
    cannot be kept)."""

    def __init__(self, override_env: str, kind: str) -> None:
        self.override_env = override_env
        self.message = (f"there is no home folder to keep the {kind} in (HOME is not set); "
                        f"set {override_env} to a folder")
        super().__init__(self.message)


def _user_dir(override_env: str, xdg_env: str, xdg_default: str, kind: str) -> Path:
    override = os.environ.get(override_env)
    if override:
        return Path(override)
    try:
        if sys.platform.startswith("linux"):  # the XDG rule, as platformdirs applies it
            base = os.environ.get(xdg_env, "").strip() or str(Path.home() / xdg_default)
            return Path(base) / APP_NAME
        import platformdirs  # lazy: only other systems need it, and start-up matters

        return Path(getattr(platformdirs, f"user_{kind}_dir")(APP_NAME))
    except (RuntimeError, KeyError):  # "Could not determine home directory"; no passwd entry
        raise NoFolderError(override_env, _KINDS[kind]) from None


_KINDS = {"data": "records", "config": "clinic config", "cache": "cache"}


def data_dir() -> Path:
    return _user_dir("TRIAGE_DATA_DIR", "XDG_DATA_HOME", ".local/share", "data")


def config_dir() -> Path:
    return _user_dir("TRIAGE_CONFIG_DIR", "XDG_CONFIG_HOME", ".config", "config")


def cache_dir() -> Path:
    return _user_dir("TRIAGE_CACHE_DIR", "XDG_CACHE_HOME", ".cache", "cache")


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def config_path() -> Path:
    return config_dir() / CONFIG_FILENAME


