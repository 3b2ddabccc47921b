"""Problems a user can fix, reported compiler-style as ``file:line:col: message``."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located to a line and column (1-based)."""

    file: str
    line: int
    col: int
    message: str
    severity: str = field(default="error", compare=False)

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.file}:{self.line}:{self.col}: {prefix}{self.message}"

    def said_in(self, lang: str) -> str:
        """As ``str()``, the message in ``lang`` when it can be said in it (a
        :class:`triage.i18n.Said`); the ``file:line:col:`` shape as it is."""
        from triage.i18n_said import said_in

        return str(replace(self, message=said_in(self.message, lang)))

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def line_starts(source: str) -> list[int]:
    """Where each line of ``source`` starts (its first character's index): made once for a
    text with problems, then :func:`line_and_column` for each."""
    return [0, *(m.end() for m in re.finditer("\n", source))]


def line_and_column(starts: list[int], at: int) -> tuple[int, int]:
    """The 1-based line and column of index ``at`` of the text ``starts`` was made from."""
    line = bisect.bisect_right(starts, at)
    return line, at - starts[line - 1] + 1


class ProblemsError(Exception):
    """Raised by a loader when an input has problems; carries all of them, sorted."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s)")


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it.

    As given when that cannot be worked out: a symbolic link loop (``resolve`` raises
    RuntimeError, or OSError on newer Pythons), a working folder that was deleted (``cwd``
    raises FileNotFoundError)."""
    try:  # the name itself not resolved: a link is named as the link, not its target
        return str((path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()))
    except (ValueError, RuntimeError, OSError):
        return str(path)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or an empty string."""
    close = closest(word, candidates)
    return f" (did you mean '{close}'?)" if close else ""


def closest(word: str, candidates: Iterable[str]) -> str:
    """The candidate ``word`` is most likely a mistake for, or an empty string."""
    import difflib  # only when there is a mistake to explain

    pool = list(candidates)
    folded = word.casefold()
    close = [c for c in pool if c.casefold() == folded]  # 'Stroke_Signs': only the case
    close = close or difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not close:  # 'age_years' for 'age': a known id that is a prefix of the word, or vice versa
        close = sorted((c for c in pool if min(len(c), len(word)) >= 3
                        and (word.startswith(c) or c.startswith(word))), key=len, reverse=True)
    return close[0] if close else ""
