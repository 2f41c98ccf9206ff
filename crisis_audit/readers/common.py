"""What readers share: options, the error type, and decoding of text files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


class ReaderError(ValueError):
    """A whole file that cannot be read; the message starts with the file name."""


@dataclass
class ReadOptions:
    input_format: str | None = None
    text_column: str | None = None
    date_column: str | None = None
    id_column: str | None = None
    channel_column: str | None = None
    date_format: str | None = None
    sheet: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def read_text_file(path: Path) -> tuple[str, str]:
    """Decode a text file: UTF-8 (with or without BOM), else cp1252, else latin-1.

    Returns the text and the encoding used, so it can be reported.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReaderError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if b"\x00" in raw[:4096]:
        raise ReaderError(f"{path}: looks like a binary file, not text")
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ReaderError(f"{path}: cannot decode the file")  # pragma: no cover - latin-1 decodes all
