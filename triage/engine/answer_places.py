"""Where each answer is in an answers file written as JSON (``triage assess --answers``):
its key, its value, an item of its value, or, in a FHIR QuestionnaireResponse, its item and
the answers of that item, found only when a problem is reported (the YAML reader keeps its
own places: :class:`triage.pack.yamldoc.YamlDocument`)."""

from __future__ import annotations

import json
import re
from typing import Protocol

from triage.problems import line_and_column, line_starts


class Locate(Protocol):
    """Where an answer is in its file: (line, column) of question ``qid``'s key (``key``) or
    value, or of the ``item``-th item of its value, a list; the closest known place when the
    file has no such part."""

    def __call__(self, qid: str, key: bool, item: int | None = None) -> tuple[int, int]: ...


def json_locator(source: str, nested: list[str]) -> Locate:
    """Where an answer is in JSON text: its key, its value, or an item of its value (a list),
    in the answers mapping (the top level, or ``nested`` in it), found by reading the text as
    JSON: a question id written inside a value or in a nested object is never taken for it.
    A FHIR QuestionnaireResponse answers in items: there, the ``linkId`` of the item that
    answers the question, and the ``item``-th of its ``answer`` list."""
    places: _JsonPlaces | None = None
    starts: list[int] = []

    def locate(qid: str, key: bool, item: int | None = None) -> tuple[int, int]:
        nonlocal places
        if places is None:  # only for a problem: the common file never pays for it
            places = _json_places(source)
            # where each line starts, once: counting lines again for each of thousands of
            # problems (unknown keys) in a file of one long line took seconds
            starts.extend(line_starts(source))
        keys, links, answered = places
        found = keys.get((*nested, qid))
        if found is not None and item is not None and not key:
            found = keys.get((*nested, qid, item), found)
        if found is not None:
            at = found[0] if key else found[1]
        elif qid in links:
            at = answered.get((qid, item), links[qid]) if item is not None else links[qid]
        else:
            return 1, 1
        return line_and_column(starts, at)

    return locate


_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = json.JSONDecoder()  # one key, text, number or literal at a time (after strict_json)


_JsonPlaces = tuple[dict[tuple[str | int, ...], tuple[int, int]], dict[str, int],
                    dict[tuple[str, int], int]]


def _json_places(source: str) -> _JsonPlaces:
    """Of JSON text already read strictly (valid, and nested no deeper than MAX_DEPTH, so
    recursion is bounded): (where the key and the value of each member of the top object and
    of the objects in it are, by path, and where each item of a list that is such a
    member's value is (its path ends with the item's place; key and value are both the
    item's start); where the value of the first ``linkId`` naming each id is, at any
    depth; where each item of the ``answer`` list of that object is, by (id, place))."""
    keys: dict[tuple[str | int, ...], tuple[int, int]] = {}
    links: dict[str, int] = {}
    answered: dict[tuple[str, int], int] = {}

    def skip(i: int) -> int:
        return _JSON_SPACE.match(source, i).end()  # type: ignore[union-attr]  # (* matches "")

    def value(i: int, path: tuple[str | int, ...] | None,
              items: list[int] | None = None) -> int:
        """The end of the value at ``i``; ``path``: where an object or list there is (None:
        in a list, no answers mapping); ``items``: where the items of a list there start
        are added to it."""
        first = source[i]
        if first not in "{[":
            end: int = _SCALAR.raw_decode(source, i)[1]
            return end
        close = "}" if first == "{" else "]"
        i = skip(i + 1)
        item = 0
        link: str | None = None  # an object's linkId, first named
        given: list[int] = []  # where the items of its answer list start
        while source[i] != close:
            if first == "{":
                key_at = i
                name, i = _SCALAR.raw_decode(source, i)
                i = skip(skip(i) + 1)  # past the colon
                inner = None if path is None else (*path, name)
                if inner is not None and len(inner) <= 2:
                    keys.setdefault(inner, (key_at, i))
                if name == "linkId" and source[i] == '"':
                    link = _SCALAR.raw_decode(source, i)[0]
                    if links.setdefault(link, i) != i:
                        link = None  # a later item of the same linkId: the first is shown
                i = skip(value(i, inner, given if name == "answer" else None))
            else:
                if items is not None:
                    items.append(i)
                if path is not None and 1 <= len(path) <= 2:  # an answer's list: its items
                    keys.setdefault((*path, item), (i, i))
                    item += 1
                i = skip(value(i, None))
            if source[i] == ",":
                i = skip(i + 1)
        if link is not None:
            for n, at in enumerate(given):
                answered[link, n] = at
        return i + 1

    value(skip(0), ())
    return keys, links, answered
