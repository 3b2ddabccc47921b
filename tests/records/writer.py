"""A desk in its own process: opens the store, says "ready", waits for "go" on stdin, then
adds COUNT records, printing "ok ID REF" only after each add has committed.

Usage: writer.py LOCATION COUNT TAG   (LOCATION: a SQLite path or a postgresql:// URL)
"""

from __future__ import annotations

import sys

from triage.records import Actor, new_record
from triage.records.postgres_store import PostgresRecordStore
from triage.records.sqlite_store import SqliteRecordStore
from triage.records.store import SqlRecordStore


def main() -> int:
    location, count, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    actor = Actor(staff=f"staff-{tag}", desk=f"desk-{tag}")
    store: SqlRecordStore
    if location.startswith("postgresql://"):
        store = PostgresRecordStore(location, actor=actor, lock_timeout_ms=30_000)
    else:
        # Generous: four writers share one file, and a desk waiting is not a lost record.
        store = SqliteRecordStore(location, actor=actor, busy_timeout_ms=30_000)
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return 2
    with store:
        for i in range(count):
            ref = f"{tag}-{i:05d}"
            record = new_record(
                caller_ref=ref,
                desk=actor.desk,
                staff=actor.staff,
                answers={"writer": tag, "seq": i, "pain": i % 11, "where": ["neck", tag]},
                disposition=("rmt", "physio", "both", "doctor")[i % 4],
                outcome={"disposition": "rmt", "writer": tag, "seq": i},
                pack_id="core",
                pack_version="1.0.0",
                pack_hash="sha256:test",
                tool_version="0.1.0",
            )
            store.add(record)
            print(f"ok {record.id} {ref}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
