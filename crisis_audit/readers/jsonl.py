"""JSON Lines in the machine contract: one post per line, only ``text`` required."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ..models import InputError, Post
from .common import ReaderError, ReadOptions, split_codes

_STRING_FIELDS = ("id", "lang", "date", "channel", "phase")


def read_jsonl(path: Path, options: ReadOptions) -> Iterator[Post | InputError]:
    """Stream the file line by line (memory stays flat on large calendars). JSON Lines is
    UTF-8; a line that is not is read as cp1252 rather than rejected."""
    name = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise ReaderError(f"{path}: cannot read: {exc.strerror or exc}") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = raw.decode("cp1252", errors="replace")
            if line.strip():
                yield _parse_line(line, name, number)


def _parse_line(line: str, name: str, number: int) -> Post | InputError:
    source = f"{name}:{number}"
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(source, f"invalid JSON: {exc.msg} at column {exc.colno}")
    post = post_from_mapping(data, source, default_id=str(number))
    if isinstance(post, Post):
        post.location = {"file": name, "line": number}
    return post


def post_from_mapping(data: object, source: str, default_id: str) -> Post | InputError:
    """Validate one record of the machine contract (also used by the YAML calendar reader)."""
    if not isinstance(data, dict):
        return InputError(source, "a post must be a JSON object with a 'text' field")
    text = data.get("text")
    if not isinstance(text, str):
        if text is None:
            return InputError(source, "missing 'text'")
        return InputError(source, f"'text' must be a string, not {type(text).__name__}")
    if not text.strip():
        return InputError(source, "empty 'text'")
    for key in _STRING_FIELDS:
        value = data.get(key)
        if value is not None and not isinstance(value, (str, int)):
            return InputError(source, f"'{key}' must be a string")
    phase = data.get("phase")
    if phase is not None and phase not in ("acute", "reprieve", "recovery", "none"):
        return InputError(source, f"unknown phase {phase!r} (acute, reprieve, recovery, none)")
    lang = data.get("lang")
    if lang is not None and lang not in ("fr", "en"):
        return InputError(source, f"unsupported lang {lang!r} (fr, en)")
    ignore = data.get("ignore") or []
    if not isinstance(ignore, (list, str)):
        return InputError(source, "'ignore' must be a list of rule codes")
    labels = data.get("labels")
    return Post(
        text=text,
        id=str(data.get("id", default_id)),
        lang=lang,
        date=str(data["date"]) if data.get("date") else None,
        channel=str(data["channel"]) if data.get("channel") else None,
        phase=phase,
        source=source,
        ignore=split_codes(ignore),
        labels=list(labels) if isinstance(labels, list) else None,
        tone_deaf=data.get("tone_deaf") if isinstance(data.get("tone_deaf"), bool) else None,
        flags=list(data["flags"]) if isinstance(data.get("flags"), list) else None,
    )
