"""Clinic config: a small TOML file in the user config folder.

Precedence is flags > environment > config file > defaults. The file may hold a database URL
with a password, so it is written owner-only, like the records themselves.
"""

from __future__ import annotations

import getpass
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from triage.files import ensure_private_dir, write_private
from triage.folders import NoFolderError, config_path, default_db_path
from triage.records.errors import ConfigError
from triage.untrusted import InputError, read_regular_file

ENV_DATABASE_URL = "TRIAGE_DATABASE_URL"
ENV_DESK = "TRIAGE_DESK"
ENV_STAFF = "TRIAGE_STAFF"

DEFAULT_RETENTION_DAYS = 90
MAX_CONFIG_BYTES = 1_000_000  # a clinic config is a few lines
DEFAULT_DESK = "desk"


@dataclass(frozen=True)
class ClinicConfig:
    """What the config file may say; None means "not set here"."""

    clinic_name: str | None = None
    desk: str | None = None
    database_url: str | None = None
    store_path: str | None = None
    retention_days: int | None = None
    keep_names: bool | None = None
    # Whether a desk records every screening without --record (a clinic's choice).
    record_by_default: bool | None = None
    # Where the clinic publishes FHIR resources: the base of every canonical URL and
    # identifier system in FHIR exports (https://clinic.example/fhir).
    fhir_base_url: str | None = None

    def __repr__(self) -> str:
        # The URL can carry a password.
        shown = "<set>" if self.database_url else None
        return (
            f"ClinicConfig(clinic_name={self.clinic_name!r}, desk={self.desk!r}, "
            f"database_url={shown!r}, store_path={self.store_path!r}, "
            f"retention_days={self.retention_days!r}, keep_names={self.keep_names!r}, "
            f"record_by_default={self.record_by_default!r}, "
            f"fhir_base_url={self.fhir_base_url!r})"
        )


_TYPES: dict[str, type] = {
    "clinic_name": str,
    "desk": str,
    "database_url": str,
    "store_path": str,
    "retention_days": int,
    "keep_names": bool,
    "record_by_default": bool,
    "fhir_base_url": str,
}

_FHIR_BASE_URL = re.compile(
    r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*)?$")


def fhir_base_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the base of canonical URLs (None when it can)."""
    if not _FHIR_BASE_URL.match(url):
        return ("fhir_base_url must be an http(s) URL with no query or fragment, "
                "e.g. https://clinic.example/fhir")
    return None


_SQLITE_URL = "sqlite:///"


def anchored(key: str, value: str, base: Path) -> str:
    """``value`` of setting ``key`` with a relative file path made absolute against ``base``.

    A relative store_path (or ``sqlite:///relative`` database_url) kept as such would mean
    another file in every folder triage is started from: records split over several stores,
    ``records list`` finding none, ``purge`` cleaning the wrong one. ``config set`` anchors
    it to the folder it is typed in (what the person means), the config file to the file's
    own folder. ``~`` stays as written (one home: it means the same everywhere)."""
    if key == "store_path":
        return _absolute(value, base, home=True)
    if key == "database_url" and value.startswith(_SQLITE_URL):  # no ~ in a URL's path
        return _SQLITE_URL + _absolute(value[len(_SQLITE_URL):], base, home=False)
    return value


def _absolute(path: str, base: Path, *, home: bool) -> str:
    if (home and path.startswith("~")) or Path(path).is_absolute():
        return path
    return os.path.abspath(base / path)  # not resolve(): a symlinked folder stays as named


def _parse(data: Mapping[str, Any], source: Path) -> ClinicConfig:
    values: dict[str, Any] = {}
    for key, value in data.items():
        expected = _TYPES.get(key)
        if expected is None:
            known = ", ".join(sorted(_TYPES))
            raise ConfigError(f"{source}: unknown setting {key!r} (known: {known}).")
        # bool is an int in Python; `retention_days = true` is a mistake, not 1 day.
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ConfigError(f"{source}: {key} must be a {expected.__name__}.")
        if key == "retention_days" and isinstance(value, int) and value < 1:
            raise ConfigError(f"{source}: retention_days must be at least 1.")
        if key == "fhir_base_url" and isinstance(value, str):
            problem = fhir_base_url_problem(value)
            if problem:
                raise ConfigError(f"{source}: {problem}.")
        if isinstance(value, str):
            value = anchored(key, value, source.parent)
        values[key] = value
    return ClinicConfig(**values)


def load_config(path: Path | None = None) -> ClinicConfig:
    """The config file's settings; a missing file is an empty config, not an error."""
    if path is None:
        try:
            path = config_path()
        except NoFolderError:  # no home folder and no TRIAGE_CONFIG_DIR: no file to find
            return ClinicConfig()
    try:  # a regular file of bounded size: a FIFO there must not hang every command
        raw = read_regular_file(path, MAX_CONFIG_BYTES)
    except InputError as exc:
        if exc.not_found:
            return ClinicConfig()
        why = exc.message.removeprefix("cannot read the file: ")
        if why.startswith("not a regular file"):
            why = "not a regular file: a pipe or device is not read"
        raise ConfigError(f"Cannot read {path} ({why}).") from None
    try:  # an editor's byte order mark is not a TOML mistake
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}.") from None
    return _parse(data, path)


def _toml_value(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    out = []
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def dumps_config(config: ClinicConfig) -> str:
    lines = ["# triage clinic config (written by triage; safe to edit by hand)"]
    for f in fields(config):
        value = getattr(config, f.name)
        if value is not None:
            lines.append(f"{f.name} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def write_config(config: ClinicConfig, path: Path | None = None) -> Path:
    """Write atomically (temp file + rename) with mode 0600 in a 0700 folder."""
    if path is None:
        try:
            path = config_path()
        except NoFolderError as exc:
            raise ConfigError(f"Cannot save the clinic config: {exc.message}.") from None
    text = dumps_config(config)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ConfigError("config values must be valid Unicode text.") from None
    _parse(tomllib.loads(text), path)  # never write a file that would not load back
    try:
        ensure_private_dir(path.parent, tighten_existing=False)
        write_private(path, text)
    except OSError as exc:
        raise ConfigError(f"Cannot write {path} ({exc.strerror or 'error'}).") from None
    return path


def update_config(path: Path | None = None, **changes: Any) -> ClinicConfig:
    """Load, change some settings, write back; returns the new config."""
    new = replace(load_config(path), **changes)
    write_config(new, path)
    return new


@dataclass(frozen=True)
class Settings:
    """The effective settings after precedence; what `open_store` takes."""

    clinic_name: str | None
    desk: str
    staff: str
    database_url: str | None
    store_path: Path
    retention_days: int
    keep_names: bool
    record_by_default: bool
    fhir_base_url: str | None = None

    def __repr__(self) -> str:
        shown = "<set>" if self.database_url else None
        return (
            f"Settings(clinic_name={self.clinic_name!r}, desk={self.desk!r}, "
            f"staff={self.staff!r}, database_url={shown!r}, store_path={str(self.store_path)!r}, "
            f"retention_days={self.retention_days!r}, keep_names={self.keep_names!r}, "
            f"record_by_default={self.record_by_default!r}, "
            f"fhir_base_url={self.fhir_base_url!r})"
        )


def _first(*values: Any) -> Any:
    return next((v for v in values if v is not None), None)


def _default_staff() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def resolve_settings(
    *,
    desk: str | None = None,
    staff: str | None = None,
    database_url: str | None = None,
    store_path: str | Path | None = None,
    retention_days: int | None = None,
    keep_names: bool | None = None,
    record_by_default: bool | None = None,
    env: Mapping[str, str] | None = None,
    config: ClinicConfig | None = None,
) -> Settings:
    """Apply flags > environment > config file > defaults. Keyword arguments are the flags."""
    env = os.environ if env is None else env
    config = load_config() if config is None else config
    env_url = env.get(ENV_DATABASE_URL) or None
    # An explicit --store path beats a database URL from a weaker source, and vice versa.
    if store_path is not None and database_url is None:
        url = None
    else:
        url = _first(database_url, env_url, config.database_url)
    path = _first(store_path, config.store_path)
    if path is None:
        try:
            path = default_db_path()
        except NoFolderError as exc:
            if url is None:  # the records would have nowhere to go: say what to set
                raise ConfigError(f"Cannot keep records: {exc.message}, or store_path in "
                                  "the clinic config.") from None
            path = os.devnull  # not used: the records go to database_url
    return Settings(
        clinic_name=config.clinic_name,
        desk=_first(desk, env.get(ENV_DESK) or None, config.desk, DEFAULT_DESK),
        staff=_first(staff, env.get(ENV_STAFF) or None, _default_staff()),
        database_url=url,
        store_path=Path(path).expanduser(),
        retention_days=_first(retention_days, config.retention_days, DEFAULT_RETENTION_DAYS),
        keep_names=bool(_first(keep_names, config.keep_names, False)),
        record_by_default=bool(_first(record_by_default, config.record_by_default, False)),
        fhir_base_url=config.fhir_base_url,
    )


def store_location(settings: Settings) -> str:
    """Where the records of ``settings`` go, safe to print: the SQLite file, or the
    database URL with any password masked."""
    if settings.database_url is None:
        return str(settings.store_path)
    if settings.database_url.startswith(_SQLITE_URL):
        return settings.database_url[len(_SQLITE_URL):]
    return mask_url(settings.database_url)


def mask_url(url: str) -> str:
    """A database URL or libpq keyword string with any password replaced by ***."""
    if "://" not in url:  # keyword form: host=db user=desk password=secret
        return _KEYWORD_PASSWORD.sub(r"\1***", url)
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, host = netloc.rsplit("@", 1)
            if ":" in userinfo:
                netloc = f"{userinfo.split(':', 1)[0]}:***@{host}"
        query = "***" if "password" in parts.query.lower() else parts.query
        if netloc == parts.netloc and query == parts.query:
            return url  # nothing to hide; urlunsplit would turn sqlite:////abs into sqlite://abs
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    except ValueError:
        return "<set, not shown>"


# password = 'it''s' | password=plain (libpq's keyword/value connection strings)
_KEYWORD_PASSWORD = re.compile(r"(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S*)", re.IGNORECASE)
