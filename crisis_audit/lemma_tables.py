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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import packcache

LINE, ITEM = "\n", "\t"


def load(source: Path, read: Callable[[], Any]) -> Any:
    """The tables `read()` returns from `source`, from the flat copy when there is one."""
    try:
        stat = source.stat()
    except OSError:  # not a plain file (a zipped install?): no copy, read it the usual way
        return read()
    key = packcache.data_key(f"lemma tables {source.resolve()} {stat.st_size} {stat.st_mtime_ns}")
    flat = packcache.load(key)
    if flat is not None:
        try:
            return unflatten(flat)
        except (TypeError, ValueError, KeyError):  # not what this version writes: read again
            pass
    tables = read()
    flat = flatten(tables)
    try:
        exact = unflatten(flat) == tables
    except ValueError:  # a separator inside a string: the copy cannot hold these tables
        exact = False
    if exact:
        packcache.store(key, flat)
    return tables


def flatten(value: Any) -> tuple[Any, ...]:
    """A form of `value` that pickles and unpickles fast (see `unflatten`)."""
    if isinstance(value, dict) and value:
        keys, values = list(value), list(value.values())
        if all(isinstance(k, str) for k in keys):
            key_part: tuple[str, Any] = ("str", LINE.join(keys))
        elif all(isinstance(k, int) and 0 <= k < 2**64 for k in keys):
            key_part = ("hash", array("Q", keys).tobytes())
        else:
            return ("raw", value)
        if all(isinstance(v, str) for v in values):
            return ("dict", key_part, "str", LINE.join(values))
        if all(isinstance(v, list) and len(v) == 1 and isinstance(v[0], str) for v in values):
            return ("dict", key_part, "one", LINE.join(v[0] for v in values))
        if all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in values):
            return ("dict", key_part, "list", LINE.join(ITEM.join(v) for v in values))
        if all(isinstance(v, dict) for v in values):
            return ("dict", key_part, "nested", [flatten(v) for v in values])
    return ("raw", value)


def unflatten(flat: tuple[Any, ...]) -> Any:
    """Inverse of `flatten` (exact when `load` has checked it, as it does before storing)."""
    if flat[0] == "raw":
        return flat[1]
    _, (key_kind, key_data), value_kind, value_data = flat
    if key_kind == "str":
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
