"""`triage config`: show and set the clinic config (clinic name, desk, where records are kept,
retention, names). Exit codes: :mod:`triage.cli.exitcodes`."""

from __future__ import annotations

import os
import sys
from dataclasses import fields, replace
from typing import TYPE_CHECKING, Annotated, Any

import typer

from triage.cli.common import app, store_failed
from triage.cli.exitcodes import EXIT_USAGE
from triage.cli.output import err as _err
from triage.records.config import mask_url
from triage.untrusted import whole_number

if TYPE_CHECKING:
    from pathlib import Path

    from triage.records import ClinicConfig


config_app = typer.Typer(
    name="config",
    help="The clinic config: clinic name, desk, where records are kept, retention, names.",
    no_args_is_help=True,
)
app.add_typer(config_app, name="config")


# What `config set` accepts, by the names staff use, mapped to ClinicConfig fields.
_ALIASES = {"desk_id": "desk", "store": "store_path", "store_location": "store_path",
            "database": "database_url", "retention": "retention_days"}
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def _show(value: object) -> str:
    """A setting as printed: control characters escaped, as everywhere triage prints text from
    a file (a hand-edited clinic_name could hold an ESC that repaints the terminal)."""
    from triage.text import printable

    if value is None:
        return "(not set)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return printable(str(value))


@config_app.command("show")
def config_show() -> None:
    """Show the effective settings and where each one comes from (passwords hidden)."""
    from triage.folders import NoFolderError, config_path
    from triage.records import ClinicConfig, StoreError, load_config, resolve_settings
    from triage.records.config import ENV_DATABASE_URL, ENV_DESK, ENV_STAFF

    no_folder = ""
    path: Path | None
    try:
        path = config_path()
    except NoFolderError:  # HOME unset, no TRIAGE_CONFIG_DIR: no file to show
        path, no_folder = None, _NO_CONFIG_FOLDER
    try:
        file_config = load_config()
        # Showing the settings keeps no records, so a missing home folder for the default
        # store is a line of the output, not exit 4: it is what someone without a home
        # folder runs to find out what to set.
        no_store = _no_records_folder(file_config)
        settings = resolve_settings(config=file_config,
                                    store_path=os.devnull if no_store else None)
    except StoreError as err:
        store_failed(err)
    env_keys = {"database_url": ENV_DATABASE_URL, "desk": ENV_DESK, "staff": ENV_STAFF}

    def source(key: str) -> str:
        env_name = env_keys.get(key)
        if env_name and os.environ.get(env_name):
            return f"environment {env_name}"
        if key in {f.name for f in fields(ClinicConfig)} and getattr(file_config, key) is not None:
            return "config file"
        return "login name" if key == "staff" else "default"

    url = settings.database_url
    lines = [f"config file: none ({no_folder})" if path is None else
             f"config file: {_show(path)}" + ("" if path.exists() else " (not created yet)")]
    values: list[tuple[str, object]] = [
        ("clinic_name", settings.clinic_name),
        ("desk", settings.desk),
        ("staff", settings.staff),
        ("database_url", mask_url(url) if url else None),
        ("store_path", settings.store_path),
        ("retention_days", settings.retention_days),
        ("keep_names", settings.keep_names),
        ("record_by_default", settings.record_by_default),
        ("fhir_base_url", settings.fhir_base_url),
    ]
    for key, value in values:
        note = source(key) if value is not None else ""
        if key == "store_path" and url:
            note = "not used: database_url is set"
        elif key == "store_path" and no_store:
            value, note = None, no_store
        lines.append(f"{key} = {_show(value)}" + (f"  ({note})" if note else ""))
    sys.stdout.write("\n".join(lines) + "\n")


_NO_CONFIG_FOLDER = ("HOME is not set, so there is no home folder; with TRIAGE_CONFIG_DIR set "
                     "to a folder, the config file is read from config.toml there")


def _no_records_folder(file_config: ClinicConfig) -> str:
    """Why records could not be kept with the default store (no home folder, and neither a
    store_path nor a database URL set), else "": what `config show` says instead of
    failing as every command that keeps records does."""
    from triage.folders import NoFolderError, data_dir
    from triage.records.config import ENV_DATABASE_URL

    if file_config.store_path or file_config.database_url or os.environ.get(ENV_DATABASE_URL):
        return ""
    try:
        data_dir()
    except NoFolderError:
        return ("no default: HOME is not set; to keep records, set TRIAGE_DATA_DIR to a "
                "folder, or store_path")
    return ""


def _anchored_here(name: str, text: str) -> str:
    """A relative path typed here means this folder: saved as an absolute path, because the
    config is read from every folder triage is started in."""
    from pathlib import Path

    from triage.records.config import anchored

    try:
        here = Path.cwd()
    except OSError:  # the current folder was deleted
        _err(f"{name}: the current folder no longer exists; give a full path.")
        raise typer.Exit(EXIT_USAGE) from None
    return anchored(name, text, here)


@config_app.command("set")
def config_set(
    key: Annotated[str, typer.Argument(metavar="KEY", help="clinic_name, desk, database_url, "
                                       "store_path, retention_days, keep_names, "
                                       "record_by_default or fhir_base_url.")],
    value: Annotated[str, typer.Argument(metavar="VALUE", help='The new value; "" unsets it.')],
) -> None:
    """Change one setting in the clinic config file (written owner-only)."""
    from triage.records import ClinicConfig, StoreError, load_config, write_config
    from triage.records.config import _TYPES

    name = key.strip().lower().replace("-", "_")
    name = _ALIASES.get(name, name)
    if name not in {f.name for f in fields(ClinicConfig)}:
        _err(f"Unknown setting {key!r} (settings: {', '.join(_TYPES)}).")
        raise typer.Exit(EXIT_USAGE)
    expected = _TYPES[name]
    parsed: str | int | bool | None
    text = value.strip()
    if text == "":
        parsed = None
    elif expected is bool:
        if text.lower() not in _TRUE | _FALSE:
            _err(f"{name} must be true or false.")
            raise typer.Exit(EXIT_USAGE)
        parsed = text.lower() in _TRUE
    elif expected is int:
        # the digits 0-9 only: int() also reads "٩٠" and "9_0" as 90
        number = whole_number(text.removeprefix("-"))
        if number is None:
            _err(f"{name} must be a whole number.")
            raise typer.Exit(EXIT_USAGE)
        parsed = -number if text.startswith("-") else number
    else:
        parsed = text
        if name in ("store_path", "database_url"):
            parsed = _anchored_here(name, text)
    if name == "retention_days" and isinstance(parsed, int) and parsed < 1:
        _err("retention_days must be at least 1.")
        raise typer.Exit(EXIT_USAGE)
    if name == "fhir_base_url" and isinstance(parsed, str):
        from triage.records.config import fhir_base_url_problem

        problem = fhir_base_url_problem(parsed)
        if problem:
            _err(f"{problem}.")
            raise typer.Exit(EXIT_USAGE)
    try:
        current = load_config()
        change: dict[str, Any] = {name: parsed}
        write_config(replace(current, **change))
    except StoreError as err:  # an unreadable config file, or one that cannot be written
        store_failed(err)
    from triage.folders import config_path

    shown = "(not set)" if parsed is None else (
        _show(mask_url(str(parsed))) if name == "database_url" else _show(parsed))
    _err(f"{name} = {shown}  (saved in {_show(config_path())})")
