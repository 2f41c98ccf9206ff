"""Markdown drafts: several posts in one ``.md`` file, as writers keep them in a repository.

- A ``## heading`` starts a post and its text becomes the post's id (``## Promo printemps``
  → id ``Promo printemps``); a ``---`` line also ends a post, as in plain text.
- ``# Title`` lines are the document's title, not post text; ``###`` and deeper stay in the
  post. A ``## heading`` with nothing under it is reported: a placeholder is not silently
  skipped.
- Optional YAML front matter (a first line ``---``, ``key: value`` lines, then ``---``) gives
  every post a default ``channel``, ``lang``, ``date`` or ``phase``; other keys are left to
  the tools that use them.
- ``<!-- crisis-audit: ignore CODE -->`` suppresses rules for one post, as in plain text.

Posts point at their first text line (``drafts.md:12``), like plain-text posts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..models import InputError, Post
from ..yamlsafe import YamlError, load_yaml_text
from . import dates
from .common import ReaderError, ReadOptions, normalise_lang, read_text_file
from .jsonl import post_from_mapping
from .plaintext import SEPARATOR, post_from_block

HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_FRONT_MATTER_LINE = re.compile(r"^(?:[A-Za-z_][\w-]*\s*:|\s|-|#|$)")
FRONT_MATTER_KEYS = ("channel", "lang", "date", "phase")


def read_markdown(path: Path, options: ReadOptions) -> Iterator[Post | InputError]:
    text, _ = read_text_file(path)
    lines = text.splitlines()
    skip, defaults = _front_matter(lines, path, options)
    block: list[tuple[int, str]] = []
    heading: tuple[int, str] | None = None
    for number, line in enumerate(lines[skip:], start=skip + 1):
        m = HEADING.match(line)
        if m and len(m.group(1)) == 1:
            continue
        if SEPARATOR.match(line) or (m and len(m.group(1)) == 2):
            yield from _flush(block, heading, path, defaults)
            block = []
            heading = (number, m.group(2)) if m else None
        else:
            block.append((number, line))
    yield from _flush(block, heading, path, defaults)


def _flush(
    block: list[tuple[int, str]],
    heading: tuple[int, str] | None,
    path: Path,
    defaults: dict[str, Any],
) -> Iterator[Post | InputError]:
    post = post_from_block(block, str(path), heading[1] if heading else None)
    if post is None:
        if heading:
            yield InputError(f"{path}:{heading[0]}", f"nothing under the heading {heading[1]!r}")
        return
    for key, value in defaults.items():
        setattr(post, key, value)
    yield post


def _front_matter(lines: list[str], path: Path, options: ReadOptions) -> tuple[int, dict[str, Any]]:
    """Lines to skip and the post defaults, when the file opens with YAML front matter."""
    if not lines or not SEPARATOR.match(lines[0]):
        return 0, {}
    end = next((i for i in range(1, len(lines)) if SEPARATOR.match(lines[i])), None)
    body = lines[1:end]
    if (
        end is None
        or not any(line.strip() for line in body)
        or not all(_FRONT_MATTER_LINE.match(line) for line in body)
    ):
        return 0, {}
    try:
        # a leading blank line keeps YAML's line numbers equal to the file's
        data = load_yaml_text("\n" + "\n".join(body), str(path))
    except YamlError as exc:
        raise ReaderError(str(exc)) from None
    if not isinstance(data, dict):
        return 0, {}
    defaults = {k: data[k] for k in FRONT_MATTER_KEYS if data.get(k) is not None}
    if "lang" in defaults:
        defaults["lang"] = normalise_lang(defaults["lang"])
    checked = post_from_mapping({"text": "-", **defaults}, str(path), "0")
    if isinstance(checked, InputError):
        raise ReaderError(f"{path}: front matter: {checked.reason}")
    if "date" in defaults:
        try:
            order = dates.decide_order([("front matter", defaults["date"])], options.date_format)
            defaults["date"] = dates.parse_date(defaults["date"], order)
        except ValueError as exc:
            raise ReaderError(f"{path}: front matter: {exc}") from None
    for key in ("channel", "phase"):
        if key in defaults:
            defaults[key] = str(defaults[key])
    return end + 1, defaults
