"""A compiled pack as plain JSON data and back, checked against its types on the way in.

What the pack cache stores (see :mod:`triage.pack.cache`): no pickle, no code objects, no
generated source. Reading back builds only the dataclasses named in :data:`_CLASSES`, each
field checked against its annotation (a ``str`` must be a ``str``, a ``float`` a number, a
comparison operator one of six), so even a cache entry written by someone else could not make
the code generator emit anything but ``repr`` of plain values; the decision code is then
generated and compiled afresh, as from the YAML.

A pack repeats its conditions (a score is built into every rule that uses it: the bundled
pack has 6,600 condition nodes, 700 different), so it is stored with a table of them, each
node once, naming the nodes it holds by their places in the table, always earlier ones; a
condition elsewhere in the pack is a place in that table (in a part stored alone, the node
itself). Read back, a repeated condition is one object: the reading takes half the time.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from triage.conditions import tree
from triage.pack import specs
from triage.pack.coherence import ReadBack
from triage.pack.compiled import CompiledPack, DeferredCases
from triage.pack.plain_any import PlainDataError as PlainDataError  # (where it is raised)
from triage.pack.plain_any import decode_any, encode_any

# the comparison operators generated code may contain (see triage.conditions.to_python)
_COMPARE_OPS = frozenset({"<", "<=", ">", ">=", "==", "!="})
_QUESTION_TYPES = frozenset({tree.YES_NO, tree.SINGLE, tree.MULTI, tree.NUMBER})
# CompiledPack fields that are not data: generated code, where it was loaded from, caches
_NOT_STORED = frozenset({"sources", "root", "_functions", "_code"})
# the condition nodes, stored once each in the pack's table of conditions (under this key)
_NODE_CLASSES = (tree.Const, tree.Is, tree.Has, tree.Compare, tree.And, tree.Or, tree.Not,
                 tree.Number, tree.Answer, tree.Count, tree.Sum)
NODES = "$nodes"
_NODE_TAGS = {cls.__name__: cls for cls in _NODE_CLASSES}

_CLASSES: dict[str, type] = {cls.__name__: cls for cls in (
    CompiledPack, specs.Location, specs.SourceRef, specs.OptionSpec, specs.NamedLaterSpec,
    specs.AnswerNamedLaterSpec, specs.PlacesSpec, specs.QuestionSpec, specs.RuleSpec,
    specs.CaseSpec, tree.Const, tree.Is,
    tree.Has, tree.Compare, tree.And, tree.Or, tree.Not, tree.Number, tree.Answer, tree.Count,
    tree.Sum)}


def _fields(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)
            if f.init and not (cls is CompiledPack and f.name in _NOT_STORED)]


def encode(value: Any, hint: Any = None) -> Any:
    """Plain JSON data for a compiled pack (or any part of it, given its type ``hint``).

    Typed containers become JSON arrays and objects (their type says what they were); only
    values typed ``Any`` (a test case's answers) carry tags for tuples, sets and mappings.
    A pack's conditions go to its table of conditions (see the module's notes).
    """
    return _encode(value, type(value) if hint is None else hint, None)


class _NodeTable:
    """The table of conditions being written: each node once, after the nodes it holds."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []
        self.place: dict[Any, int] = {}

    def place_of(self, node: Any) -> int:
        found = self.place.get(node)
        if found is None:
            entry = _encode_fields(node, self)  # the nodes it holds get their places first
            found = self.place[node] = len(self.entries)
            self.entries.append(entry)
        return found


def _encode(value: Any, hint: Any, nodes: _NodeTable | None) -> Any:
    origin = typing.get_origin(hint)
    if hint is Any:
        return encode_any(value)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        options = [o for o in typing.get_args(hint) if o is not type(None)]
        if dataclasses.is_dataclass(value):
            return _encode(value, type(value), nodes)
        if len(options) == 1:
            return _encode(value, options[0], nodes)
        raise PlainDataError(f"cannot store a {type(value).__name__} as {hint}")
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return [_encode(v, args[0], nodes) for v in value]
        return [_encode(v, a, nodes) for v, a in zip(value, args, strict=True)]
    if origin is frozenset:
        (arg,) = typing.get_args(hint)
        return [_encode(v, arg, nodes) for v in sorted(value, key=repr)]
    if origin is dict:
        key_type, value_type = typing.get_args(hint)
        if key_type is not str:
            raise PlainDataError("mapping keys must be text")
        return {str(k): _encode(v, value_type, nodes) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if nodes is not None and type(value) in _NODE_CLASSES:
            return nodes.place_of(value)
        if type(value) is CompiledPack and nodes is None:
            table = _NodeTable()
            out = _encode_fields(value, table)
            out[NODES] = table.entries
            return out
        return _encode_fields(value, nodes)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise PlainDataError(f"cannot store a {type(value).__name__}")


def _encode_fields(value: Any, nodes: _NodeTable | None) -> dict[str, Any]:
    cls = type(value)
    if _CLASSES.get(cls.__name__) is not cls:
        raise PlainDataError(f"cannot store a {cls.__name__}")
    hints = _hints(cls)
    out = {"$t": cls.__name__}
    for name in _fields(cls):
        out[name] = _encode(getattr(value, name), hints[name], nodes)
    return out


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    found = _HINTS.get(cls)
    if found is None:
        found = _HINTS[cls] = {
            name: tuple[specs.CaseSpec, ...] if hint is DeferredCases else hint
            for name, hint in typing.get_type_hints(cls).items()}
    return found


def decode(data: Any, hint: Any = CompiledPack, read_back: ReadBack | None = None) -> Any:
    """The value of type ``hint`` that ``data`` encodes; PlainDataError if it does not fit.
    ``read_back`` gathers the conditions' reads and the texts' languages on the way, for
    :func:`triage.pack.coherence.incoherence`."""
    token = _READ_BACK.set(read_back)
    try:
        return _decoder(hint)(data)
    finally:
        _READ_BACK.reset(token)


# the ReadBack of the decode() under way, if any (a context variable: the web server's
# threads may read packs at once)
_READ_BACK: ContextVar[ReadBack | None] = ContextVar("read_back", default=None)
# the conditions of the pack being read, as far as they are read (see the module's notes)
_NODES: ContextVar[list[Any] | None] = ContextVar("nodes", default=None)


Decoder = Callable[[Any], Any]
_DECODERS: dict[Any, Decoder] = {}


def _decoder(hint: Any) -> Decoder:
    """The checking reader of one type, built once (a pack has thousands of values)."""
    found = _DECODERS.get(hint)
    if found is None:
        found = _DECODERS[hint] = _make_decoder(hint)
    return found


def _exact(kind: type) -> Decoder:
    def read(data: Any) -> Any:
        if type(data) is kind:
            return data
        raise PlainDataError(f"expected {kind.__name__}")
    return read


def _read_float(data: Any) -> float:
    if type(data) is float or type(data) is int:
        return float(data)
    raise PlainDataError("expected a number")


def _read_none(data: Any) -> None:
    if data is not None:
        raise PlainDataError("expected null")


def _make_decoder(hint: Any) -> Decoder:
    origin = typing.get_origin(hint)
    if hint is Any:
        return decode_any
    if origin in (typing.Union, types.UnionType):
        return _union_decoder(typing.get_args(hint))
    if origin is typing.Literal:
        allowed = typing.get_args(hint)

        def literal(data: Any) -> Any:
            if type(data) in (str, int, bool) and data in allowed:
                return data
            raise PlainDataError("unexpected value")
        return literal
    if origin is tuple:
        args = typing.get_args(hint)
        if args == (str, Ellipsis):
            return _read_str_tuple
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            return lambda data: tuple([item(x) for x in _array(data)])
        items = [_decoder(a) for a in args]

        def fixed(data: Any) -> Any:
            values = _array(data)
            if len(values) != len(items):
                raise PlainDataError("a tuple of the wrong length")
            return tuple([f(x) for f, x in zip(items, values, strict=True)])
        return fixed
    if origin is frozenset:
        member = _decoder(typing.get_args(hint)[0])
        return lambda data: frozenset([member(x) for x in _array(data)])
    if origin is dict:
        key_hint, value_hint = typing.get_args(hint)
        if key_hint is not str:
            raise PlainDataError("mapping keys must be text")  # pragma: no cover
        if value_hint is str:
            return _read_text
        value_type = _decoder(value_hint)
        return lambda data: {k: value_type(v) for k, v in _object(data).items()}
    if hint is float:
        return _read_float
    if hint is type(None):
        return _read_none
    if hint in (str, int, bool):
        return _exact(hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint) \
            and _CLASSES.get(hint.__name__) is hint:
        return _dataclass_decoder(hint)
    raise PlainDataError(f"cannot read a {hint}")  # pragma: no cover - a new field type


def _read_text(data: Any) -> dict[str, str]:
    """dict[str, str] (texts by language: the most common value of a pack), inline."""
    if type(data) is not dict or not all(type(v) is str for v in data.values()):
        raise PlainDataError("expected texts")
    read_back = _READ_BACK.get()
    if read_back is not None:
        read_back.text_languages.add(tuple(data))
    return dict(data)


def _array(data: Any) -> list[Any]:
    if type(data) is list:
        return data
    raise PlainDataError("expected an array")


def _object(data: Any) -> dict[str, Any]:
    if type(data) is dict and "$t" not in data:
        return data
    raise PlainDataError("expected an object")


def _read_str_tuple(data: Any) -> tuple[str, ...]:
    items = _array(data)
    if not all(type(x) is str for x in items):
        raise PlainDataError("expected texts")
    return tuple(items)


def _union_decoder(options: tuple[Any, ...]) -> Decoder:
    nullable = type(None) in options
    rest = [o for o in options if o is not type(None)]
    tagged = {o.__name__: o for o in rest if isinstance(o, type) and dataclasses.is_dataclass(o)}
    plain = [o for o in rest if o.__name__ not in tagged] if tagged else rest
    if nullable and not tagged and len(plain) == 1:  # ``X | None``: the most common union
        only = _decoder(plain[0])
        return lambda data: None if data is None else only(data)

    def union(data: Any) -> Any:
        if data is None:
            if nullable:
                return None
            raise PlainDataError("unexpected null")
        if tagged and type(data) is int:
            return _node_at(data, tagged)
        if tagged and type(data) is dict:
            tag = data.get("$t")
            if type(tag) is str and tag in tagged:
                if tag in _NODE_TAGS and _NODES.get() is not None:  # in its table only
                    raise PlainDataError("a condition outside the table of conditions")
                return _decoder(tagged[tag])(data)
        for option in plain:
            try:
                return _decoder(option)(data)
            except PlainDataError:
                continue
        raise PlainDataError("value fits none of its types")
    return union


def _node_at(place: int, tagged: dict[str, type]) -> Any:
    """The node at ``place`` in the table read so far (earlier places only), of a kind allowed."""
    nodes = _NODES.get()
    if nodes is None or not 0 <= place < len(nodes):
        raise PlainDataError("no such condition")
    node = nodes[place]
    if tagged.get(type(node).__name__) is not type(node):
        raise PlainDataError("a condition of the wrong kind")
    return node


def _read_nodes(data: Any, nodes: list[Any]) -> None:
    """A pack's table of conditions, read in order into ``nodes`` (the table its places are
    read in, as far as it is read). Each node is as large as a checked tree may be, as every
    walk meets it (measured from its parts' sizes: a node may name a place twice, doubling
    at every link)."""
    measured: dict[int, tuple[int, int]] = {}
    for entry in _array(data):
        tag = entry.get("$t") if type(entry) is dict else None
        cls = _NODE_TAGS.get(tag) if type(tag) is str else None
        if cls is None:
            raise PlainDataError("expected a condition")
        node = _decoder(cls)(entry)
        depth, size = tree.measure(node, measured)  # its parts: earlier nodes, measured
        if depth > tree.MAX_TREE_DEPTH or size > tree.MAX_TREE_SIZE:
            raise PlainDataError("a condition too large")
        nodes.append(node)


def _dataclass_decoder(cls: type) -> Decoder:
    names = _fields(cls)
    expected = {"$t", *names, *((NODES,) if cls is CompiledPack else ())}
    tag = cls.__name__
    slots: list[tuple[str, Decoder]] = []
    hints = _hints(cls)

    def read(data: Any) -> Any:
        if not slots:  # filled on first use: classes may refer to each other
            slots.extend((name, _decoder(hints[name])) for name in names)
        if type(data) is not dict or data.get("$t") != tag or data.keys() != expected:
            raise PlainDataError(f"expected {tag}")
        if cls is CompiledPack:
            nodes: list[Any] = []
            token = _NODES.set(nodes)
            try:
                _read_nodes(data[NODES], nodes)
                return cls(**{name: f(data[name]) for name, f in slots})
            finally:
                _NODES.reset(token)
        if positional:
            return cls(*[f(data[name]) for name, f in slots])
        return cls(**{name: f(data[name]) for name, f in slots})
    # by position (faster) when the stored fields lead __init__'s in order (not CompiledPack's)
    positional = names == [f.name for f in dataclasses.fields(cls) if f.init][:len(names)]
    if cls is tree.Compare:
        return _checked(read, "op", _COMPARE_OPS, "unknown comparison")
    if cls is specs.QuestionSpec:
        return _checked(read, "type", _QUESTION_TYPES, "unknown question type")
    if cls in (tree.Is, tree.Has, tree.Answer):
        return _gathered(read)
    return read


def _gathered(read: Decoder) -> Decoder:
    """``read``, adding what it reads to the ReadBack under way (a question's read)."""
    def read_gathered(data: Any) -> Any:
        value = read(data)
        read_back = _READ_BACK.get()
        if read_back is not None:
            read_back.reads.add(value)
        return value
    return read_gathered


def _checked(read: Decoder, name: str, allowed: frozenset[str], problem: str) -> Decoder:
    """``read``, refusing a value whose field ``name`` is not one of ``allowed``."""
    def read_checked(data: Any) -> Any:
        value = read(data)
        if getattr(value, name) not in allowed:
            raise PlainDataError(problem)
        return value
    return read_checked
