"""Readers: every input format becomes a stream of `Post`s (or `InputError`s for bad rows).

One module per format, one explicit registry below; a reader never raises for a bad row,
it yields an `InputError` naming file and row so the rest of the file is still audited.
A file that cannot be read at all raises `ReaderError`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..models import InputError, Post
from .common import ReaderError, ReadOptions
from .jsonl import read_jsonl
from .plaintext import read_text, read_text_stream

Reader = Callable[[Path, ReadOptions], Iterator[Post | InputError]]

READERS: dict[str, Reader] = {
    "jsonl": read_jsonl,
    "text": read_text,
}

SUFFIXES: dict[str, str] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".txt": "text",
    ".text": "text",
}

__all__ = [
    "READERS",
    "SUFFIXES",
    "ReadOptions",
    "ReaderError",
    "format_for",
    "read_path",
    "read_text_stream",
]


def format_for(path: Path, explicit: str | None = None) -> str:
    """The reader name for a file: `explicit`, else by suffix, else plain text."""
    if explicit:
        if explicit not in READERS:
            raise ReaderError(f"{path}: unknown input format {explicit!r} ({', '.join(READERS)})")
        return explicit
    return SUFFIXES.get(path.suffix.lower(), "text")


def read_path(path: Path, options: ReadOptions | None = None) -> Iterator[Post | InputError]:
    """Read one file (or every readable file below a folder)."""
    options = options or ReadOptions()
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if child.suffix.lower() in SUFFIXES and not child.name.startswith("."):
                yield from read_path(child, options)
        return
    if not path.exists():
        raise ReaderError(f"{path}: no such file or folder")
    reader = READERS[format_for(path, options.input_format)]
    yield from reader(path, options)


def read_all(paths: Iterable[Path], options: ReadOptions | None = None) -> Iterator[Any]:
    for path in paths:
        yield from read_path(path, options)
