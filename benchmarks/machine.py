"""What machine a benchmark ran on, for the README next to its numbers."""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: on a shared machine, how much else was running
    (absolute figures taken at load 3 are not those of a quiet machine)."""
    try:
        return " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def describe(extra: dict[str, str] | None = None) -> list[tuple[str, str]]:
    rows = [
        ("date (UTC)", time.strftime("%Y-%m-%d %H:%M", time.gmtime())),
        ("CPU", f"{cpu_model()}, nproc {os.cpu_count()}"),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", f"{platform.python_implementation()} {sys.version.split()[0]}"),
    ]
    rows += list((extra or {}).items())
    return rows


def markdown(rows: list[tuple[str, str]]) -> str:
    return "\n".join(f"- {k}: {v}" for k, v in rows)
