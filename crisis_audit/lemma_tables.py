"""Lemma tables read in a fraction of the time, from a flat copy kept in the pack cache.

The French lemmatizer's tables hold ~400,000 entries: unpacking the model's msgpack file
took 0.25 s of every cold start, and spacy-lookups-data's French lookup table (fast mode)
0.3 s of JSON. A flat copy (all keys in one string or one array of hashes, all values in
another) is rebuilt with a few C-level splits and one ``dict(zip(...))`` in a few
hundredths of a second. The copy is written only after checking that it rebuilds the very
same tables, and its key names the source file's path, size and modification time, so an
updated model is read from its own files again.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import packcache

LINE, ITEM = "\n", "\t"


def load(source: Path, read: Callable[[], Any], for_lookup: bool = False) -> Any:
    """The tables `read()` returns from `source`, from the flat copy when there is one.

    `for_lookup`: the caller only calls ``.get`` and takes the first item of a list value
    (a lookup lemmatizer). A table keyed by strings may then come back as a `SortedLookup`
    over the copy's sorted keys, with one-string lists as their string: building a dict of
    400,000 entries and as many lists costs 0.1–0.2 s of every start, and a run looks up a
    few thousand words at most."""
    if packcache.cache_folder() is None:
        return read()
    try:
        stat = source.stat()
    except OSError:  # not a plain file (a zipped install?): no copy, read it the usual way
        return read()
    key = packcache.data_key(f"lemma tables {source.resolve()} {stat.st_size} {stat.st_mtime_ns}")
    flat = packcache.load(key)
    if flat is not None:
        try:
            return unflatten(flat, for_lookup)
        except (TypeError, ValueError, KeyError):  # not what this version writes: read again
            pass
    tables = read()
    flat = flatten(tables)
    if flat is not None:
        packcache.store(key, flat)
    return tables


def flatten(value: Any) -> tuple[Any, ...] | None:
    """A form of `value` that pickles and unpickles fast (see `unflatten`), or None when a
    separator inside a string or an empty list would not come back the same."""
    if not isinstance(value, dict) or not value:
        return ("raw", value)
    key_part: tuple[str, Any]
    if all(isinstance(k, str) for k in value):
        keys, values = map(list, zip(*sorted(value.items()), strict=True))
        key_part = ("sorted", _joined(keys, LINE))  # sorted: `SortedLookup` can search it
    elif all(isinstance(k, int) and 0 <= k < 2**64 for k in value):
        keys, values = list(value), list(value.values())
        key_part = ("hash", array("Q", keys).tobytes())
    else:
        return ("raw", value)
    if key_part[1] is None:
        return None
    if all(isinstance(v, str) for v in values):
        return _flat(key_part, "str", _joined(values, LINE))
    if all(isinstance(v, list) and len(v) == 1 and isinstance(v[0], str) for v in values):
        return _flat(key_part, "one", _joined([v[0] for v in values], LINE))
    if all(isinstance(v, list) and v and all(isinstance(x, str) for x in v) for v in values):
        items = [_joined(v, ITEM) for v in values]
        if any(item is None or LINE in item for item in items):
            return None
        return _flat(key_part, "list", _joined(items, LINE))
    if all(isinstance(v, dict) for v in values):
        nested = [flatten(v) for v in values]
        return None if None in nested else ("dict", key_part, "nested", nested)
    return ("raw", value)


def _joined(strings: list[Any], separator: str) -> str | None:
    """`separator`.join(strings), or None when a string holds the separator (splitting would
    not give the same strings back)."""
    joined = separator.join(strings)
    return joined if joined.count(separator) == len(strings) - 1 else None


def _flat(key_part: tuple[str, Any], kind: str, values: str | None) -> tuple[Any, ...] | None:
    return None if values is None else ("dict", key_part, kind, values)


def unflatten(flat: tuple[Any, ...], for_lookup: bool = False) -> Any:
    """Inverse of `flatten` (exact when `load` has checked it, as it does before storing);
    `for_lookup` as in `load`."""
    if flat[0] == "raw":
        return flat[1]
    _, (key_kind, key_data), value_kind, value_data = flat
    if key_kind == "sorted" and for_lookup and value_kind in ("str", "one"):
        return SortedLookup(key_data.split(LINE), value_data.split(LINE))
    if key_kind == "sorted":
        keys: list[Any] = key_data.split(LINE)
    else:
        hashes = array("Q")
        hashes.frombytes(key_data)
        keys = hashes.tolist()
    if value_kind == "str":
        values: list[Any] = value_data.split(LINE)
    elif value_kind == "one":
        values = [[v] for v in value_data.split(LINE)]
    elif value_kind == "list":
        values = [v.split(ITEM) for v in value_data.split(LINE)]
    elif value_kind == "nested":
        values = [unflatten(v) for v in value_data]
    else:
        raise ValueError(f"unknown flat value kind {value_kind!r}")
    if len(keys) != len(values):
        raise ValueError("flat table: keys and values differ in number")
    return dict(zip(keys, values, strict=True))


class SortedLookup:
    """A read-only table over sorted keys, searched by bisection: what a lookup lemmatizer
    needs of a dict (``get``), without building one."""

    __slots__ = ("keys", "values")

    def __init__(self, keys: list[str], values: list[str]) -> None:
        self.keys = keys
        self.values = values

    def get(self, key: str, default: Any = None) -> Any:
        i = bisect_left(self.keys, key)
        if i < len(self.keys) and self.keys[i] == key:
            return self.values[i]
        return default

    def __len__(self) -> int:
        return len(self.keys)
