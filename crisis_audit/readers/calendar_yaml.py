"""YAML content calendars: a posting plan kept in a repository and checked in CI.

Read with the safe loader (`crisis_audit.yamlsafe`), which keeps line numbers, so every post
and every error points at the post's own line (``plan.yaml:14``). Schema, also in
``docs/calendar-format.md``::

    calendar: Printemps 2020        # optional name, kept as post.extra["calendar"]
    defaults:                       # optional; fills posts that lack the key
      channel: instagram
      lang: fr
    posts:                          # required list (a bare top-level list is accepted too)
      - id: promo-01                # optional; defaults to the post's line number
        date: 2020-03-20            # ISO, "2020-03-20 18:00", "20/03/2020 18h00", ...
        time: "18:00"               # optional, when the date has no time (quote it!)
        channel: instagram
        phase: acute                # optional: acute, reprieve, recovery, none
        lang: fr                    # optional: fr or en; detected when absent
        ignore: [BU01, UI02]        # optional rule codes not to apply to this post
        notes: validé par Claire    # optional, for the team; not audited
        url: https://…              # optional, kept as post.extra["url"]
        extra: {visuel: promo.jpg}  # optional free mapping; not audited
        text: |
          Nouvelle collection printemps 🌸

Only ``text`` is required. A post with a key not listed here is reported (a typo such as
``chanel:`` would otherwise lose the channel silently); team fields go under ``notes`` or
``extra``. Slash dates are read day- or month-first for the whole file, as in CSV (`dates`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..models import InputError, Post
from ..yamlsafe import LineDict, YamlError, load_yaml_text
from . import dates
from .common import ReaderError, ReadOptions, normalise_lang, read_text_file, split_codes
from .jsonl import post_from_mapping

POST_KEYS = (
    "id",
    "date",
    "time",
    "channel",
    "phase",
    "lang",
    "ignore",
    "text",
    "notes",
    "url",
    "extra",
)
TOP_KEYS = ("calendar", "defaults", "posts")
DEFAULT_KEYS = ("channel", "lang")


def read_calendar(path: Path, options: ReadOptions) -> Iterator[Post | InputError]:
    text, _ = read_text_file(path)
    try:
        data = load_yaml_text(text, str(path))
    except YamlError as exc:
        raise ReaderError(str(exc)) from None
    name, defaults, posts = _parts(data, path)
    try:
        order = dates.decide_order(
            (
                (f"line {_line(posts, i, item)}", item.get("date"))
                for i, item in enumerate(posts)
                if isinstance(item, dict)
            ),
            options.date_format,
        )
    except ValueError as exc:
        raise ReaderError(f"{path}: {exc}") from None
    for index, item in enumerate(posts):
        line = _line(posts, index, item)
        yield _post(item, f"{path}:{line}", str(line), defaults, order, name, path)


def _parts(data: Any, path: Path) -> tuple[str | None, dict[str, Any], list[Any]]:
    """Name, defaults and posts of a calendar; a file that is not one raises ReaderError."""
    if isinstance(data, list):
        return None, {}, data
    if not isinstance(data, LineDict) or "posts" not in data:
        raise ReaderError(
            f"{path}: not a content calendar: expected a 'posts:' list "
            "(see docs/calendar-format.md)"
        )
    for key in data:
        if key not in TOP_KEYS:
            raise ReaderError(
                f"{path}:{data.line_of(key)}: unknown key {key!r} (expected {', '.join(TOP_KEYS)})"
            )
    posts = data["posts"]
    if not isinstance(posts, list):
        raise ReaderError(f"{path}:{data.line_of('posts')}: 'posts' must be a list of posts")
    defaults = data.get("defaults")
    if defaults is None:
        defaults = LineDict()
    if not isinstance(defaults, LineDict):
        raise ReaderError(f"{path}:{data.line_of('defaults')}: 'defaults' must be a mapping")
    for key in defaults:
        if key not in DEFAULT_KEYS:
            raise ReaderError(
                f"{path}:{defaults.line_of(key)}: unknown default {key!r} "
                f"(expected {', '.join(DEFAULT_KEYS)})"
            )
    name = data.get("calendar")
    return (str(name) if name is not None else None), dict(defaults), posts


def _line(posts: list[Any], index: int, item: Any) -> int:
    line_of = getattr(posts, "line_of", None)
    return int(line_of(index)) if line_of else int(getattr(item, "line", index + 1))


def _post(
    item: Any,
    source: str,
    default_id: str,
    defaults: dict[str, Any],
    order: dates.DateOrder,
    calendar: str | None,
    path: Path,
) -> Post | InputError:
    if not isinstance(item, dict):
        return InputError(source, "a post must be a mapping with at least a 'text' key")
    unknown = [key for key in item if key not in POST_KEYS]
    if unknown:
        return InputError(
            source,
            f"unknown key {unknown[0]!r} (known: {', '.join(POST_KEYS)}; "
            "team fields go under 'notes' or 'extra')",
        )
    data = {**defaults, **{k: v for k, v in item.items() if v is not None}}
    try:
        data["date"] = dates.with_time(
            dates.parse_date(data.get("date"), order), _sexagesimal(data.get("time"))
        )
    except ValueError as exc:
        return InputError(source, str(exc))
    if isinstance(data.get("text"), str):
        data["text"] = data["text"].strip()  # a `|` block keeps a final newline: not post text
    if data.get("lang") is not None:
        data["lang"] = normalise_lang(data["lang"])
    if data.get("ignore") is not None and not isinstance(data["ignore"], (list, str)):
        return InputError(source, "'ignore' must be a list of rule codes")
    data["ignore"] = split_codes(data.get("ignore"))
    post = post_from_mapping(
        {k: v for k, v in data.items() if k not in ("time", "notes", "url", "extra")},
        source,
        default_id,
    )
    if isinstance(post, Post):
        post.location = {"file": str(path), "line": int(default_id)}
        if calendar:
            post.extra["calendar"] = calendar
        if data.get("url"):
            post.extra["url"] = str(data["url"])
    return post


def _sexagesimal(value: Any) -> Any:
    """YAML 1.1 reads an unquoted ``18:00`` as the base-60 number 1080: give it back as a time."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value // 60:02d}:{value % 60:02d}"
    return value
