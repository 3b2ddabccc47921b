"""triage: choose between soft tissue therapy, physiotherapy, both, or a doctor first.

The Python API::

    import triage

    pack = triage.load_pack()                 # the bundled pack; load_pack(path, use_cache=False)
    outcome = triage.evaluate(pack, {"emergency_signs": [], ...})
    outcome.disposition                       # e.g. "physiotherapy"

``Outcome`` is the result type and ``MissingAnswers`` the error for unanswered safety
questions (fail closed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["MissingAnswers", "Outcome", "ProblemsError", "__version__", "evaluate", "load_pack"]

if TYPE_CHECKING:
    from triage.engine.evaluate import MissingAnswers, Outcome, evaluate
    from triage.pack.load import load_pack
    from triage.problems import ProblemsError

_API = {"load_pack": "triage.pack.load", "evaluate": "triage.engine.evaluate",
        "Outcome": "triage.engine.evaluate", "MissingAnswers": "triage.engine.evaluate",
        "ProblemsError": "triage.problems"}


def __getattr__(name: str) -> Any:
    # lazy: `triage --version` imports this package and must not load the engine
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'triage' has no attribute {name!r}")
    import importlib  # lazy, like the API it loads

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
