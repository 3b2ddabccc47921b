"""The one strict reader of answers as they arrive: a file, standard input, a saved session,
each row of a batch.

Everything read from outside is bounded before it is parsed: the bytes read (counted as they
are read, never trusted from ``st_size``), the nesting depth, the length of every number and
the time standard input may stay silent. A path must name a regular file: a FIFO with no writer
would block for ever and ``/dev/zero`` never ends. JSON is parsed with duplicate keys refused
(the last one would otherwise win silently; each repeat is reported at its own line and
column), numbers limited to ASCII digits and NaN/Infinity refused. Every failure is an
:class:`InputError` with a message that never quotes the input.
"""

from __future__ import annotations

import json
import math
import os
import re
import select
import stat
from pathlib import Path
from typing import IO, Any

from triage.i18n_said import PerLanguage, Said
from triage.json_refusals import MAX_NUMBER_CHARS as MAX_NUMBER_CHARS  # re-exported
from triage.json_refusals import (
    constant_message,
    duplicate_message,
    number_refused,
    refused_tokens,
    too_deep,
)
from triage.json_refusals import printable_key as printable_key  # re-exported
from triage.problems import line_and_column, line_starts

MAX_ANSWERS_BYTES = 1_000_000  # an answers or session file: a few hundred bytes in practice
MAX_DEPTH = 32  # answers need 3 levels; a FHIR QuestionnaireResponse nests groups deeper
STDIN_IDLE_TIMEOUT_S = 30.0  # a pipe that stays silent this long is given up on


class InputError(Exception):
    """An input that cannot be read as answers; ``message`` is for the user and never quotes
    the input (it may be health data, and it may hold terminal escapes). ``more``: further
    problems of the same reading, as (line, column, message), so that a file with several
    repeated keys is told all of them at once (readers that show one problem show the first)."""

    def __init__(self, message: str, line: int = 1, col: int = 1, *,
                 not_found: bool = False,
                 more: tuple[tuple[int, int, str], ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col
        self.not_found = not_found
        self.more = more


def read_regular_file(path: Path, limit: int = MAX_ANSWERS_BYTES) -> bytes:
    """The bytes of ``path``, which must be a regular file of at most ``limit`` bytes.

    Opened without blocking (a FIFO with no writer would wait for ever) and checked on the
    opened descriptor (no swap between a check and the open); at most ``limit + 1`` bytes are
    ever read, whatever ``st_size`` claims (``/proc`` files say 0).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputError(Said("file_cannot_read", why=exc.strerror or "error"),
                         not_found=isinstance(exc, FileNotFoundError)) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(Said("file_folder"))
        if not stat.S_ISREG(st.st_mode):
            raise InputError(Said("file_not_regular"))
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            try:
                chunk = os.read(fd, min(1 << 16, limit + 1 - total))
            except OSError as exc:
                raise InputError(Said("file_cannot_read", why=exc.strerror or "error")) from None
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > limit:
        raise InputError(Said("file_too_large", limit=PerLanguage(
            en=f"{limit:,}", fr=f"{limit:,}".replace(",", "\u202f"))))
    return b"".join(chunks)


def read_stream(binary: IO[bytes], limit: int = MAX_ANSWERS_BYTES,
                idle_timeout: float | None = STDIN_IDLE_TIMEOUT_S) -> bytes:
    """At most ``limit`` bytes of a stream (standard input), or InputError.

    A pipe or device that sends nothing for ``idle_timeout`` seconds is given up on; a
    terminal is waited for (a person is typing). Streams without a descriptor (tests) are
    read with the size limit only.
    """
    try:
        fd = binary.fileno()
    except (AttributeError, OSError, ValueError):
        fd = -1
    if fd < 0:
        data = binary.read(limit + 1)
        if len(data) > limit:
            raise InputError(f"standard input is too large (more than {limit:,} bytes)")
        return data
    try:
        waits = idle_timeout is not None and not os.isatty(fd) \
            and not stat.S_ISREG(os.fstat(fd).st_mode)
    except OSError:
        waits = False
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        if waits:
            ready, _, _ = select.select([fd], [], [], idle_timeout)
            if not ready:
                raise InputError(f"nothing arrived on standard input for {idle_timeout:g} "
                                 f"seconds")
        try:
            chunk = os.read(fd, min(1 << 16, limit + 1 - total))
        except OSError as exc:
            raise InputError(f"cannot read standard input: {exc.strerror or 'error'}") from None
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > limit:
        raise InputError(f"standard input is too large (more than {limit:,} bytes)")
    return b"".join(chunks)


def decode_utf8(raw: bytes) -> str:
    """UTF-8 text (a BOM is fine), or InputError locating the first bad byte."""
    skip = 3 if raw.startswith(b"\xef\xbb\xbf") else 0  # the BOM (no codec lookup for it)
    try:
        text = raw[skip:].decode("utf-8") if skip else raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start + skip
        before = raw[:start]
        line = before.count(b"\n") + 1
        col = start - (before.rfind(b"\n") + 1) + 1
        bad = raw[start : start + 1].hex().upper()
        raise InputError(Said("text_not_utf8", byte=bad),
                         line, col) from None
    if "\x00" in text:
        raise InputError(Said("text_nul"))
    return text


# --------------------------------------------------------------------------- strict JSON


class _Refused(ValueError):
    """Raised from inside the JSON parser's hooks; carries the user's message. The hooks know
    no position: the text is then scanned again for every refusal (:func:`refused_tokens`)."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):  # cheap in the common case: no duplicates
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(duplicate_message(key))
            seen.add(key)
    return out


def _int(text: str) -> int:
    if why := number_refused(text):
        raise _Refused(why)
    return int(text)


def _float(text: str) -> float:
    if why := number_refused(text):
        raise _Refused(why)
    return exact_float(text)


class Rounded(float):
    """A number written with more digits than a float keeps: the float is another number
    (``45.0000000000000001`` is the float 45.0), so comparing it with a pack's bounds would
    compare another number. Never an answer, nor a number in a condition."""


class RoundedWhole(Rounded):
    """A number written with a fraction that a float rounds to a whole number
    (``15.99999999999999999`` is the float 16.0): never a whole-number answer."""


# Every decimal of at most this many significant digits is a float's shortest form (C's
# DBL_DIG), in the normal range of floats: two of them compare as their floats do.
EXACT_DIGITS = 15


def exact_float(text: str) -> float:
    """``float(text)`` of a decimal number's text, as a :class:`RoundedWhole` when the float
    is whole but the number written is not (an age of 15.99999999999999999 is not 16), as a
    :class:`Rounded` when it is another number than the one written (the shortest form of
    the float, ``repr``, is not it): a float compares as the number written only if it is
    that number's shortest form, since rounding to a float keeps the order but not always
    the difference (45.0000000000000001 > 45, but both are the float 45.0)."""
    value = float(text)
    if value.is_integer() and _has_fraction(text):
        return RoundedWhole(value)
    if not _shortest(text, value):
        return Rounded(value)
    return value


def _shortest(text: str, value: float) -> bool:
    """Whether ``value`` (``float(text)``) is the number ``text`` writes in its shortest
    form: cheaply for the common text (few digits, a float in the normal range), else from
    the exact decimal values (an infinity: out of any range, judged there)."""
    if not math.isfinite(value):
        return True
    mantissa = text.lower().partition("e")[0].lstrip("+-").replace(".", "")
    if len(mantissa.strip("0")) <= EXACT_DIGITS and (value == 0.0 or 1e-300 < abs(value)
                                                     < 1e300):
        return value != 0.0 or not mantissa.strip("0")  # (1e-400 is no zero)
    from decimal import Decimal  # (rare: most numbers are judged above; 1 ms at start-up)

    try:
        return Decimal(text) == Decimal(repr(value))
    except (ArithmeticError, ValueError):
        return False


def _has_fraction(text: str) -> bool:
    """Whether the decimal ``text`` (as the number readers allow) is not a whole number,
    from its digits as written: no arithmetic (Decimal refuses exponents past its limits,
    which read as "whole" made 1e-99999999999999999999 an age of 0)."""
    mantissa, _, exponent = text.lower().partition("e")
    whole, _, fraction = mantissa.lstrip("+-").partition(".")
    significand = whole + fraction
    trimmed = significand.rstrip("0")
    if not trimmed.strip("0"):
        return False  # zero, however written
    # the value is int(trimmed) * 10**power
    power = int(exponent or "0") - len(fraction) + len(significand) - len(trimmed)
    return power < 0


# --------------------------------------------------------------------------- numbers
# The one reading of a number written as text by a person, a file, an environment variable or
# a request. str.isdigit() is also true of "²", "①" and "٣"; int() and float() then raise on
# the first two (a crash, exit 70) and read the third as 3, and they take "3_8", "nan" and
# Unicode spaces: none of them is used on text from outside.

_DECIMAL = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_DECIMAL_NO_EXPONENT = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def digits(text: str) -> bool:
    """``text`` is one or more of the digits 0-9, and nothing else."""
    return text.isascii() and text.isdigit()


def whole_number(text: str, max_chars: int = MAX_NUMBER_CHARS) -> int | None:
    """The number ``text`` writes with the digits 0-9 only (no sign, point or space), or
    None; at most ``max_chars`` digits (int() of thousands of digits is slow, then raises)."""
    return int(text) if len(text) <= max_chars and digits(text) else None


def decimal_number(text: str, *, exponent: bool = True) -> float | None:
    """The number ``text`` writes as people and files write decimals (the digits 0-9, an
    optional sign, point and, unless ``exponent`` is false, exponent; white space around it,
    as the questionnaire and batch cells strip it; at most :data:`MAX_NUMBER_CHARS`
    characters), or None.

    As :func:`exact_float`: a fraction that the float rounds away is a :class:`RoundedWhole`
    (15.99999999999999999 is no age of 16), and a number too large for a float is an
    infinity, so that it reads as out of range rather than as no number.
    """
    if len(text) > MAX_NUMBER_CHARS:
        return None
    text = text.strip()
    pattern = _DECIMAL if exponent else _DECIMAL_NO_EXPONENT
    if not text.isascii() or pattern.fullmatch(text) is None:
        return None
    return exact_float(text)


def _constant(name: str) -> Any:
    raise _Refused(constant_message(name))


_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_int=_int, parse_float=_float,
                            parse_constant=_constant)


def strict_json(text: str, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON strictly (see the module docstring); raises InputError."""
    try:
        data = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise InputError(Said("invalid_json", reason=exc.msg), exc.lineno, exc.colno) from None
    except _Refused as exc:
        raise _located(text, str(exc), max_depth) from None
    except RecursionError:
        raise _located(text, too_deep(max_depth), max_depth) from None
    try:
        check_depth(data, max_depth)
    except InputError as exc:
        raise _located(text, exc.message, max_depth) from None
    return data


def _located(text: str, message: str, max_depth: int) -> InputError:
    """What the decoder refused in ``text``, each at its own line and column, in the order
    they are written: every repeated key (at its second, third... occurrence), number too
    long, NaN or Infinity, and the first place nested too deep. ``message`` at 1:1 should the
    scan find none (it cannot: everything before what the decoder refused is valid JSON)."""
    found = refused_tokens(text, max_depth)
    if not found:
        return InputError(message)
    starts = line_starts(text)
    located = [(*line_and_column(starts, at), why) for at, why in found]
    (line, col, first), *more = located
    return InputError(first, line, col, more=tuple(more))


def check_depth(data: Any, max_depth: int = MAX_DEPTH) -> None:
    """InputError when lists and mappings nest deeper than ``max_depth`` (no recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            items: Any = node.values()
        elif isinstance(node, list | tuple):
            items = node
        else:
            continue
        if depth > max_depth:
            raise InputError(too_deep(max_depth))
        stack.extend((item, depth + 1) for item in items if isinstance(item, dict | list | tuple))
