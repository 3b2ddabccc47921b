"""triage's own engine: the translated pack loaded through the public loader, then evaluated.

``build(ruleset)`` writes the pack with :mod:`benchmarks.translate` into a temporary folder
(not timed as triage's: it is this benchmark's own step), then loads it with
``triage.load_pack(folder, use_cache=False)``, i.e. read, parse, validate and compile.

Two ways of evaluating are measured:

* ``triage`` (:class:`TriageEvaluator`): ``triage.evaluate(pack, answers)``, the public
  call the CLI makes, returning an ``Outcome``; it runs the compiled ``pack.decide`` and then
  builds the outcome record;
* ``triage-decide`` (:class:`TriageDecideEvaluator`): ``pack.decide(answers)`` alone, the
  compiled straight-line function underneath.

Answers are turned into triage's normal form (True/False -> "yes"/"no") once, before timing,
as a caller holding triage answers would already have them.

Mapping to the reference tuple: a fired red flag -> ``see_doctor`` and its id; otherwise the
engine's therapy disposition: ``physiotherapy`` -> ``physio``; ``not_enough_information``
(no indication fired, so both totals are 0) -> ``physio``, which is what the reference gives
for 0/0 points since the threshold is at least 1.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import Answer, InProcessEvaluator, Result, Ruleset

try:
    import triage as _engine  # the public API: triage.load_pack, triage.evaluate
    from triage.engine.policy import therapy_disposition

except ImportError as exc:  # pragma: no cover - depends on the checkout
    _engine = None  # type: ignore[assignment]
    _IMPORT_ERROR = str(exc)
else:
    _IMPORT_ERROR = ""

DISPOSITION = {
    "both": "both",
    "soft_tissue": "soft_tissue",
    "physiotherapy": "physio",
    "not_enough_information": "physio",
}


def available() -> bool:
    return _engine is not None


def why_unavailable() -> str:
    return f"triage's engine cannot be imported ({_IMPORT_ERROR}); install with pip install -e ."


def version() -> str:
    import triage

    return str(triage.__version__)


def native(answer: Mapping[str, Any]) -> dict[str, Any]:
    """Canonical answers in triage's normal form."""
    return {k: ("yes" if v else "no") if isinstance(v, bool) else v for k, v in answer.items()}


class TriageEvaluator(InProcessEvaluator):
    """``triage.engine.evaluate.evaluate`` -> ``Outcome`` -> reference tuple."""

    def __init__(self, ruleset: Ruleset, pack_dir: Path | None = None) -> None:
        if _engine is None:
            raise RuntimeError(why_unavailable())
        from benchmarks.translate import write_pack

        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.translate_seconds = 0.0  # this benchmark's own step: see bench_engines.Measure
        if pack_dir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="triage-bench-pack-")
            t0 = time.perf_counter()
            pack_dir = write_pack(ruleset, Path(self._tmp.name))
            self.translate_seconds = time.perf_counter() - t0
        self.pack_dir = pack_dir
        t0 = time.perf_counter()
        self.pack = _engine.load_pack(pack_dir, use_cache=False)
        # compiled from the first call on (else its first 32 interpret: CompiledPack.still_cold),
        # so that the build's first evaluation pays for the compile, as the other engines do
        self.pack.warm_up()
        self.load_seconds = time.perf_counter() - t0
        rules = self.pack.rules
        self._rule_ids = [r.id for r in rules]

    def _result(self, a: Mapping[str, Any]) -> Result:
        o = _engine.evaluate(self.pack, a)
        soft, physio = o.points
        # Outcome.indicated: how many indications hold (fired rules are worked out lazily;
        # the benchmark never reads them)
        n = o.indicated
        if o.main_red_flag is not None:
            return ["see_doctor", o.main_red_flag, soft, physio, n]
        return [DISPOSITION[o.disposition], "", soft, physio, n]

    def evaluate(self, answer: Answer) -> Result:
        return self._result(native(answer))

    def evaluate_native(self, answers: Sequence[Mapping[str, Any]]) -> list[Result]:
        # _result inlined: the mapping to the reference tuple should cost triage as little as
        # it can (the if/else ceiling builds that list directly)
        evaluate = _engine.evaluate
        pack = self.pack
        disposition = DISPOSITION
        out: list[Result] = []
        append = out.append
        for a in answers:
            # an Outcome is a named tuple: its fields in order (triage.engine.outcome.FIELDS)
            d, red, _, (soft, physio), n, _, _, _, _, _ = evaluate(pack, a)
            if red is not None:
                append(["see_doctor", red, soft, physio, n])
            else:
                append([disposition[d], "", soft, physio, n])
        return out

    def evaluate_many(self, answers: Sequence[Answer]) -> list[Result]:
        return self.evaluate_native([native(a) for a in answers])

    def prepare(self, answers: Sequence[Answer]) -> Sequence[Any]:
        return [native(a) for a in answers]  # outside the timed loop, see the module doc

    def evaluate_prepared(self, prepared: Sequence[Any]) -> list[Result]:
        return self.evaluate_native(prepared)

    def details(self, answer: Answer) -> list[str]:
        """Where the build time goes: translation (ours), uncached and cached pack loads."""
        import os

        out = [f"translate to YAML {self.translate_seconds * 1000:.0f} ms (in the build column, "
               f"not in the compile target)"]
        out.append(f"load_pack uncached {self.load_seconds * 1000:.0f} ms")
        # the CLI's path: the compiled pack from triage's pickle cache (a private cache folder)
        with tempfile.TemporaryDirectory(prefix="triage-bench-cache-") as cache:
            old = os.environ.get("TRIAGE_CACHE_DIR")
            os.environ["TRIAGE_CACHE_DIR"] = cache
            try:
                warm = _engine.load_pack(self.pack_dir, use_cache=True)  # fills the cache
                _engine.evaluate(warm, native(answer))  # and the compiled code, where kept
                t0 = time.perf_counter()
                pack = _engine.load_pack(self.pack_dir, use_cache=True)
                cached = time.perf_counter() - t0
                t0 = time.perf_counter()
                _engine.evaluate(pack, native(answer))  # builds the decision code if needed
                first = time.perf_counter() - t0
            finally:
                if old is None:
                    os.environ.pop("TRIAGE_CACHE_DIR", None)
                else:
                    os.environ["TRIAGE_CACHE_DIR"] = old
        out.append(
            f"load_pack from cache {cached * 1000:.0f} ms + first evaluation {first * 1000:.0f} ms"
        )
        return out

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()


class TriageDecideEvaluator(TriageEvaluator):
    """``CompiledPack.decide`` alone -> reference tuple."""

    def __init__(self, ruleset: Ruleset, pack_dir: Path | None = None) -> None:
        super().__init__(ruleset, pack_dir)
        self._decide = self.pack.decide  # compiles the generated source (lazily, on first use)
        self._threshold = self.pack.both_threshold

    def evaluate_native(self, answers: Sequence[Mapping[str, Any]]) -> list[Result]:
        decide = self._decide
        ids = self._rule_ids
        t = self._threshold
        therapy = therapy_disposition  # the engine's own policy, steps 2 and 3
        out: list[Result] = []
        append = out.append
        for a in answers:
            # (red, strike, soft, physio, indications fired, fired, ...): the rest is unused
            red, strike, st, pt, n, *_ = decide(a)
            if red >= 0:
                append(["see_doctor", ids[red], st, pt, n])
            else:
                append([DISPOSITION[therapy(strike, st, pt, n, t)], "", st, pt, n])
        return out

    def _result(self, a: Mapping[str, Any]) -> Result:
        return self.evaluate_native([a])[0]


def build(ruleset: Ruleset) -> TriageEvaluator:
    return TriageEvaluator(ruleset)


def build_decide(ruleset: Ruleset) -> TriageDecideEvaluator:
    return TriageDecideEvaluator(ruleset)
