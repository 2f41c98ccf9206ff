"""What readers share: options, the error type, decoding of text files and cell values."""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# Tried in order when a file is not UTF-8: Windows Western Europe first (what French Excel
# writes), then latin-1, which decodes any byte.
FALLBACK_ENCODINGS = ("cp1252", "latin-1")

# Bytes that did not decode in a mostly-UTF-8 file survive as lone surrogates
# (``errors="surrogateescape"``); a row holding one is reported, not guessed at.
UNDECODABLE = re.compile("[\udc80-\udcff]")
MIXED_UTF8 = "utf-8 (with undecodable bytes)"


class ReaderError(ValueError):
    """A whole file that cannot be read; the message starts with the file name."""


@dataclass
class ReadOptions:
    """How to read inputs; every field is optional and auto-detected when left empty.

    Column options take a header name (case- and accent-insensitive) or a 1-based index.
    `date_format` is ``dmy``, ``mdy`` or a strptime format such as ``%d.%m.%Y %H:%M``.
    `sheet` is an Excel sheet name or 1-based index. `on_note`, when given, receives one
    human line per decision a reader made on its own (layout, encoding, date order), so the
    CLI can show what was guessed instead of guessing silently.
    """

    input_format: str | None = None
    text_column: str | None = None
    date_column: str | None = None
    id_column: str | None = None
    channel_column: str | None = None
    date_format: str | None = None
    sheet: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    on_note: Callable[[str], None] | None = None

    def note(self, message: str) -> None:
        """Pass a decision to whoever asked to hear about it."""
        if self.on_note is not None:
            self.on_note(message)


def read_text_file(path: Path, *, lenient: bool = False) -> tuple[str, str]:
    """Decode a text file: UTF-16 with BOM, UTF-8 (with or without BOM), else cp1252, else latin-1.

    Returns the text and the encoding used, so it can be reported. With `lenient`, a file
    that is UTF-8 except for a few rows keeps its UTF-8 text and those rows' bad bytes as
    lone surrogates (see `has_undecodable`), so a tabular reader can reject just those rows
    instead of misreading every accent in the file as cp1252.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReaderError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return decode_bytes(raw, str(path), lenient=lenient)


def decode_bytes(raw: bytes, name: str, *, lenient: bool = False) -> tuple[str, str]:
    """The decoding half of `read_text_file`, for bytes that did not come from a path."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ReaderError(f"{name}: cannot decode the file as UTF-16") from None
    if b"\x00" in raw[:4096]:
        raise ReaderError(f"{name}: looks like a binary file, not text")
    bom = raw.startswith(codecs.BOM_UTF8)
    body = raw[len(codecs.BOM_UTF8) :] if bom else raw
    try:
        return body.decode("utf-8"), ("utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError:
        pass
    if lenient and _mostly_utf8(body):
        return body.decode("utf-8", "surrogateescape"), MIXED_UTF8
    for encoding in FALLBACK_ENCODINGS:
        try:
            return body.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ReaderError(f"{name}: cannot decode the file")  # pragma: no cover - latin-1 decodes all


def _mostly_utf8(raw: bytes) -> bool:
    """True when lines with valid UTF-8 accents clearly outnumber the lines that fail."""
    good = bad = 0
    for line in raw.splitlines():
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad += 1
        else:
            good += 1
    return bad > 0 and good >= 2 * bad


def has_undecodable(value: object) -> bool:
    """Whether a decoded value still holds bytes the file's encoding could not read."""
    return isinstance(value, str) and UNDECODABLE.search(value) is not None


def is_blank(value: object) -> bool:
    """An empty cell: nothing, or only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str | None:
    """A cell as text, for ids, channels and codes: numbers lose a spurious ``.0``.

    Spreadsheets turn ids such as ``122158000000000000`` into floats; writing them back as
    ``1.22158e+17`` or ``…000.0`` would break matching against the source, so integral
    floats are written as integers. Blank cells are None.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def split_codes(value: object) -> list[str]:
    """Rule codes from an ``ignore`` cell or field: a list, or text separated by ``,`` or ``;``."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(code).strip() for code in value if str(code).strip()]
    text = cell_text(value) or ""
    return [part.strip() for part in re.split(r"[,;]", text) if part.strip()]


_LANG_NAMES = {"francais": "fr", "french": "fr", "anglais": "en", "english": "en"}


def normalise_lang(value: object) -> str | None:
    """``FR``, ``fr-FR``, ``fr_CA``, ``français`` → ``fr``; unknown values pass through unchanged
    so the post's validation can name them."""
    text = cell_text(value)
    if text is None:
        return None
    key = text.casefold().replace("ç", "c")
    if key in _LANG_NAMES:
        return _LANG_NAMES[key]
    base = re.split(r"[-_]", key, maxsplit=1)[0]
    return base if base in ("fr", "en") else text
