"""Readers: every input format becomes a stream of `Post`s (or `InputError`s for bad rows).

One module per format, one explicit registry below; a reader never raises for a bad row,
it yields an `InputError` naming file and row so the rest of the file is still audited.
A file that cannot be read at all raises `ReaderError`; inside a folder, that file becomes
one `InputError` and the other files are still read.

For the CLI: `read_path(path, options)` reads a file or folder; `sniff_layout(path, options)`
says how a CSV or Excel file was understood (tool layout, columns, encoding, delimiter, date
order), and ``ReadOptions(on_note=...)`` receives the same line while reading, so the file
need not be read twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..models import InputError, Post
from .calendar_yaml import read_calendar
from .columns import Layout
from .common import ReaderError, ReadOptions
from .delimited import open_delimited, read_delimited
from .excel import open_sheet, read_excel
from .jsonl import read_jsonl
from .markdown import read_markdown
from .plaintext import read_text, read_text_stream
from .tabular import TableSource, load_table

Reader = Callable[[Path, ReadOptions], Iterator[Post | InputError]]

READERS: dict[str, Reader] = {
    "jsonl": read_jsonl,
    "text": read_text,
    "csv": read_delimited,
    "excel": read_excel,
    "yaml": read_calendar,
    "markdown": read_markdown,
}

SUFFIXES: dict[str, str] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".txt": "text",
    ".text": "text",
    ".csv": "csv",
    ".tsv": "csv",
    ".tab": "csv",
    ".xlsx": "excel",
    ".xlsm": "excel",
    ".xls": "excel",  # refused with a hint by the Excel reader, not misread as text
    ".ods": "excel",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".md": "markdown",
    ".markdown": "markdown",
}

# Table formats: how to open their rows, for `sniff_layout`.
TABLES: dict[str, Callable[[Path, ReadOptions], TableSource]] = {
    "csv": lambda path, options: open_delimited(path),
    "excel": lambda path, options: open_sheet(path, options.sheet),
}

# Never audited when met inside a folder: the tool's own configuration.
CONFIG_NAMES = {".crisis-audit.yaml", ".crisis-audit.yml", "crisis-audit.yaml", "crisis-audit.yml"}

__all__ = [
    "READERS",
    "SUFFIXES",
    "Layout",
    "ReadOptions",
    "ReaderError",
    "describe_layout",
    "format_for",
    "read_all",
    "read_path",
    "read_text_stream",
    "sniff_layout",
]


def format_for(path: Path, explicit: str | None = None) -> str:
    """The reader name for a file: `explicit`, else by suffix, else plain text."""
    if explicit:
        if explicit not in READERS:
            raise ReaderError(f"{path}: unknown input format {explicit!r} ({', '.join(READERS)})")
        return explicit
    return SUFFIXES.get(path.suffix.lower(), "text")


def read_path(path: Path, options: ReadOptions | None = None) -> Iterator[Post | InputError]:
    """Read one file, or every readable file below a folder.

    In a folder, hidden files and folders and crisis-audit config files are skipped, and a
    file that cannot be read is reported as one `InputError` (its path as source) instead
    of stopping the whole folder.
    """
    options = options or ReadOptions()
    if path.is_dir():
        for child in folder_files(path):
            try:
                yield from _read_file(child, options)
            except ReaderError as exc:
                reason = str(exc)
                prefix = f"{child}: "
                yield InputError(
                    str(child), reason[len(prefix) :] if reason.startswith(prefix) else reason
                )
        return
    if not path.exists():
        raise ReaderError(f"{path}: no such file or folder")
    yield from _read_file(path, options)


def folder_files(folder: Path) -> list[Path]:
    """The files of `folder` (recursively) that `read_path` reads, in a stable order."""
    found = []
    for child in sorted(p for p in folder.rglob("*") if p.is_file()):
        parts = child.relative_to(folder).parts
        if any(part.startswith(".") for part in parts) or child.name in CONFIG_NAMES:
            continue
        if child.suffix.lower() in SUFFIXES:
            found.append(child)
    return found


def _read_file(path: Path, options: ReadOptions) -> Iterator[Post | InputError]:
    reader = READERS[format_for(path, options.input_format)]
    yield from reader(path, options)


def read_all(paths: Iterable[Path], options: ReadOptions | None = None) -> Iterator[Any]:
    for path in paths:
        yield from read_path(path, options)


def sniff_layout(path: Path, options: ReadOptions | None = None) -> Layout | None:
    """How a CSV or Excel file is understood, without auditing it; None for other formats.

    The whole file is read (the date order depends on the whole date column). Raises
    `ReaderError` like the reader would. ``sniff_layout(p).describe()`` gives e.g.
    ``layout: buffer (text: Text, date: Posting Time); encoding utf-8; delimiter ','``.
    """
    options = options or ReadOptions()
    kind = format_for(path, options.input_format)
    if kind not in TABLES:
        return None
    layout, _ = load_table(TABLES[kind](path, options), options)
    return layout


def describe_layout(path: Path, options: ReadOptions | None = None) -> str:
    """`sniff_layout` as one line for the terminal (empty for formats without columns)."""
    layout = sniff_layout(path, options)
    return layout.describe() if layout else ""
