"""triage's own engine, through its public loader and compiled fast path.

Filled in once the rule-pack core (``triage/engine.py``) has landed on main; until then the
harness reports triage as unavailable and prints no ratios against it.
"""

from __future__ import annotations

from benchmarks.common import Ruleset

REASON = "triage's engine (triage/engine.py) has not landed yet"


def available() -> bool:
    return False


def why_unavailable() -> str:
    return REASON


def version() -> str:
    import triage

    return str(triage.__version__)


def build(ruleset: Ruleset) -> object:
    raise RuntimeError(REASON)
