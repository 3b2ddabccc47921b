"""The strict reader of answers input, the one sanitiser and safe CSV cells."""

from __future__ import annotations

import io
import os
import threading
import time
from pathlib import Path

import pytest

from triage.csv_cells import safe_cell
from triage.text import printable, unsafe_characters
from triage.untrusted import (
    MAX_DEPTH,
    MAX_NUMBER_CHARS,
    InputError,
    RoundedWhole,
    decimal_number,
    decode_utf8,
    digits,
    read_regular_file,
    read_stream,
    strict_json,
    whole_number,
)


def test_duplicate_keys_are_refused_at_any_level() -> None:
    with pytest.raises(InputError, match="duplicate key 'emergency_signs'"):
        strict_json('{"emergency_signs": ["chest_pain"], "emergency_signs": []}')
    with pytest.raises(InputError, match="duplicate key 'a'"):
        strict_json('{"answers": {"a": 1, "a": 2}}')
    assert strict_json('{"a": 1, "b": {"a": 2}}') == {"a": 1, "b": {"a": 2}}


def test_a_duplicate_key_with_escapes_is_named_safely() -> None:
    with pytest.raises(InputError) as caught:
        strict_json('{"\\u001b]0;pwned\\u0007": 1, "\\u001b]0;pwned\\u0007": 2}')
    assert "\x1b" not in caught.value.message and "\\x1b" in caught.value.message


def test_a_duplicate_key_is_located_at_its_repeat_in_the_order_written() -> None:
    # the decoder finds the inner repeat first (its object closes first); the text's order
    # is the one told, each key at its own second writing
    with pytest.raises(InputError) as caught:
        strict_json('{"a": 1,\n "a": 2, "b": {"c": 1,\n  "c": 2}}')
    error = caught.value
    assert (error.line, error.col, error.message) == (2, 2, "duplicate key 'a'")
    assert error.more == ((3, 3, "duplicate key 'c'"),)


def test_a_duplicate_key_written_with_an_escape_is_located() -> None:
    with pytest.raises(InputError) as caught:
        strict_json('{"age": 1, "list": [{"age": 2}], "a\\u0067e": 3}')
    assert (caught.value.line, caught.value.col) == (1, 34)
    assert caught.value.message == "duplicate key 'age'"


def test_a_duplicate_key_before_broken_text_is_located_without_a_crash() -> None:
    # the decoder stops at the repeat; the scan for positions then meets the broken rest
    with pytest.raises(InputError) as caught:
        strict_json('{"a": {"k": 1, "k": 2}, "b": [1, }')
    assert (caught.value.line, caught.value.col, caught.value.more) == (1, 16, ())


def test_a_duplicate_key_deep_inside_lists_is_located_without_recursion() -> None:
    # nesting is checked after decoding: the scan for the repeat must not recurse
    depth = 900
    with pytest.raises(InputError) as caught:
        strict_json("[" * depth + '{"a": 1, "a": 2}' + "]" * depth)
    assert [(caught.value.col, caught.value.message), *((c, m) for _, c, m in caught.value.more)
            ] == [(MAX_DEPTH + 1, f"nested deeper than {MAX_DEPTH} levels"),
                  (depth + 10, "duplicate key 'a'")]


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 3000, 100_000])
def test_deep_nesting_is_refused_without_a_recursion_error(depth: int) -> None:
    with pytest.raises(InputError, match="nested deeper") as caught:
        strict_json('{"a": ' + "[" * depth + "]" * depth + "}")
    # at the bracket that goes one level too deep (the object is level 1), not at 1:1
    assert (caught.value.line, caught.value.col) == (1, 7 + MAX_DEPTH - 1)


@pytest.mark.parametrize("number", ["1" * 5000, "1" * 41, "1." + "1" * 50, "1e" + "9" * 50])
def test_long_numbers_are_refused(number: str) -> None:
    with pytest.raises(InputError, match="longer than") as caught:
        strict_json('{"age": ' + number + "}")
    assert (caught.value.line, caught.value.col) == (1, 9)


@pytest.mark.parametrize("text", ['{"age": NaN}', '{"age": Infinity}', '{"age": -Infinity}'])
def test_nan_and_infinity_are_not_json_numbers(text: str) -> None:
    with pytest.raises(InputError, match="is not a number JSON allows") as caught:
        strict_json(text)
    assert (caught.value.line, caught.value.col) == (1, 9)


def test_every_refused_token_is_told_at_its_own_place_in_the_order_written() -> None:
    text = ('{"age": 40,\n "x": [NaN, 1],\n "y": ' + "1" * 50 + ',\n "z": -Infinity,\n'
            ' "age": 3}')
    with pytest.raises(InputError) as caught:
        strict_json(text)
    error = caught.value
    assert [(error.line, error.col, error.message), *error.more] == [
        (2, 8, "NaN is not a number JSON allows"),
        (3, 7, f"a number is longer than {MAX_NUMBER_CHARS} characters"),
        (4, 7, "-Infinity is not a number JSON allows"),
        (5, 2, "duplicate key 'age'")]


def test_nesting_too_deep_is_told_once_where_it_first_is() -> None:
    deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    with pytest.raises(InputError) as caught:
        strict_json(f'{{"a": {deep},\n "b": {deep}}}')
    assert (caught.value.line, caught.value.col, caught.value.more) == (1, 6 + MAX_DEPTH, ())


def test_a_string_that_reads_nan_or_a_long_number_is_no_refusal() -> None:
    assert strict_json('{"a": "NaN", "b": "' + "1" * 50 + '"}') == {"a": "NaN", "b": "1" * 50}


# digits that str.isdigit() takes: superscript two, circled one, Arabic-Indic three and eight,
# full-width three and eight; and what int()/float() take that nobody types as a number
NOT_DIGITS = ["\u00b2", "\u2460", "\u0663\u0668", "\uff13\uff18", "3_8", " 38", "+38", "-1",
              "", "1" * 41, "38\u00b2"]


@pytest.mark.parametrize("text", NOT_DIGITS)
def test_only_the_digits_0_to_9_are_a_whole_number(text: str) -> None:
    assert whole_number(text) is None
    assert not digits(text) or len(text) > 40


def test_whole_numbers() -> None:
    assert [whole_number(t) for t in ("0", "007", "65535", "9" * 40)] == [0, 7, 65535,
                                                                          int("9" * 40)]
    assert whole_number("123", max_chars=2) is None


@pytest.mark.parametrize("text", [*NOT_DIGITS[:5], "nan", "inf", "1e", ".", "-", "+", "1..2",
                                  "1\u20036", "0x10", "1" * 41])
def test_what_is_no_decimal_number(text: str) -> None:
    assert decimal_number(text) is None


@pytest.mark.parametrize(("text", "value"), [
    ("38", 38.0), (" 38\t", 38.0), ("+.5", 0.5), ("1.", 1.0), ("-0.25", -0.25),
    ("1e2", 100.0), ("1.6E+1", 16.0), ("1e999", float("inf")), ("16.0 ", 16.0),
    ("\u200316\u00a0", 16.0),  # white space, as the questionnaire and batch cells strip it
])
def test_decimal_numbers(text: str, value: float) -> None:
    number = decimal_number(text)
    assert number == value and not isinstance(number, RoundedWhole)


def test_a_decimal_number_keeps_a_fraction_the_float_rounds_away() -> None:
    for text in ("15.99999999999999999", "1599999999999999999e-17", "1e-99999999999999999999"):
        assert isinstance(decimal_number(text), RoundedWhole), text
    # the exponent's size never matters: Decimal refused 1e-99999999999999999999 and the
    # fraction was then missed (read as an age of 0); the digits decide, as written
    assert isinstance(strict_json("1e-99999999999999999999"), RoundedWhole)
    assert decimal_number("1e2", exponent=False) is None
    assert decimal_number("12.5", exponent=False) == 12.5


def test_bad_json_is_located() -> None:
    with pytest.raises(InputError) as caught:
        strict_json('{\n  "a": 1,\n  "b" 2\n}')
    assert (caught.value.line, caught.value.col) == (3, 7)


def test_utf8_is_required_and_the_bad_byte_located() -> None:
    assert decode_utf8("\ufeffage: 3".encode()) == "age: 3"
    with pytest.raises(InputError) as caught:
        decode_utf8(b"age: 3\nfever: \xff\n")
    assert (caught.value.line, caught.value.col) == (2, 8)
    with pytest.raises(InputError, match="NUL"):
        decode_utf8(b"a\x00")


def test_a_file_is_read_up_to_its_cap_whatever_its_size_claims(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"x" * 101)
    with pytest.raises(InputError, match="too large"):
        read_regular_file(path, limit=100)
    path.write_bytes(b"x" * 100)
    assert read_regular_file(path, limit=100) == b"x" * 100


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_are_refused_at_once(device: str) -> None:
    started = time.monotonic()
    with pytest.raises(InputError, match="not a regular file"):
        read_regular_file(Path(device))
    assert time.monotonic() - started < 5


def test_a_fifo_without_a_writer_is_refused_not_waited_for(tmp_path: Path) -> None:
    fifo = tmp_path / "answers.fifo"
    os.mkfifo(fifo)
    done: list[BaseException | bytes] = []

    def read() -> None:
        try:
            done.append(read_regular_file(fifo))
        except BaseException as exc:
            done.append(exc)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(10)
    if thread.is_alive():  # unblock the reader so the test run can end
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO with no writer blocked")
    assert isinstance(done[0], InputError)


def test_folders_and_missing_files_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="folder"):
        read_regular_file(tmp_path)
    with pytest.raises(InputError) as caught:
        read_regular_file(tmp_path / "nope.json")
    assert caught.value.not_found


def test_a_stream_is_capped() -> None:
    with pytest.raises(InputError, match="too large"):
        read_stream(io.BytesIO(b"x" * 11), limit=10)
    assert read_stream(io.BytesIO(b"x" * 10), limit=10) == b"x" * 10


def test_a_real_pipe_is_capped_and_a_silent_one_given_up_on() -> None:
    read_fd, write_fd = os.pipe()
    try:
        os.write(write_fd, b"y" * 50)
        with os.fdopen(os.dup(read_fd), "rb", buffering=0) as stream, \
                pytest.raises(InputError, match="too large"):
            read_stream(stream, limit=10, idle_timeout=1)
        # a writer that never writes and never closes: given up on, not waited for
        silent_r, silent_w = os.pipe()
        with os.fdopen(silent_r, "rb", buffering=0) as stream:
            started = time.monotonic()
            with pytest.raises(InputError, match="nothing arrived"):
                read_stream(stream, limit=10, idle_timeout=0.2)
            assert time.monotonic() - started < 5
        os.close(silent_w)
    finally:
        os.close(read_fd)
        os.close(write_fd)


@pytest.mark.parametrize(("raw", "shown"), [
    ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),
    ("\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H"),
    ("a\x9bb", "a\\x9bb"),  # C1 CSI
    ("ab\u202ecd", "ab\\u202ecd"),  # right-to-left override
    ("line\nbreak", "line\\x0abreak"),
    ("café 38 ans", "café 38 ans"),
])
def test_the_sanitiser_escapes_every_control_character(raw: str, shown: str) -> None:
    assert printable(raw) == shown
    assert printable(shown) == shown  # idempotent on its own output


def test_the_sanitiser_keeps_lines_when_asked() -> None:
    assert printable("a\nb\tc\x1b", multiline=True) == "a\nb\tc\\x1b"
    assert unsafe_characters("ok\x1bx\x07") == ["\\x07", "\\x1b"]


@pytest.mark.parametrize(("cell", "safe"), [
    ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
    ("\uff1dHYPERLINK(1)", "'\uff1dHYPERLINK(1)"),  # full-width equals sign
    ("\uff0b1", "'\uff0b1"),
    ("-1", "'-1"),
    ("\x1b[31mred", "\\x1b[31mred"),
    ("\tx", "'\tx"),
    ("C-1042", "C-1042"),
    ("", ""),
])
def test_csv_cells_stay_text(cell: str, safe: str) -> None:
    assert safe_cell(cell) == safe
