"""Screening records: storage, audit, retention and exports, independent of any terminal.

The CLI wires `triage records ...` to this API; nothing here prints or prompts.
"""

from triage.records.backends import open_store
from triage.records.config import (
    ClinicConfig,
    Settings,
    load_config,
    resolve_settings,
    update_config,
    write_config,
)
from triage.records.errors import ConfigError, StoreError
from triage.records.export import csv_lines, export_formats, export_lines, jsonl_lines
from triage.records.model import (
    Actor,
    AnswerValue,
    AuditEntry,
    Record,
    new_record,
    record_from_dict,
    record_to_dict,
)
from triage.records.schema import LATEST_VERSION
from triage.records.store import RecordStore, SqlRecordStore

__all__ = [
    "LATEST_VERSION",
    "Actor",
    "AnswerValue",
    "AuditEntry",
    "ClinicConfig",
    "ConfigError",
    "Record",
    "RecordStore",
    "Settings",
    "SqlRecordStore",
    "StoreError",
    "csv_lines",
    "export_formats",
    "export_lines",
    "jsonl_lines",
    "load_config",
    "new_record",
    "open_store",
    "record_from_dict",
    "record_to_dict",
    "resolve_settings",
    "update_config",
    "write_config",
]
