"""Plain text drafts: one post per file, or several separated by a line ``---``.

A line ``crisis-audit: ignore CODE[, CODE]`` (optionally behind ``#``, ``//`` or ``<!--``)
suppresses those rules for the post it stands in, and is not part of the audited text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..models import InputError, Post
from .common import ReadOptions, read_text_file

SEPARATOR = re.compile(r"^\s*---+\s*$")
IGNORE_LINE = re.compile(
    r"^\s*(?:#|//|<!--)?\s*crisis-audit:\s*ignore\s+([A-Za-z0-9_.,\s-]+?)\s*(?:-->)?\s*$"
)


def read_text(path: Path, options: ReadOptions) -> Iterator[Post | InputError]:
    text, _ = read_text_file(path)
    yield from split_posts(text, str(path))


def read_text_stream(text: str, name: str = "<stdin>") -> Iterator[Post | InputError]:
    yield from split_posts(text, name)


def split_posts(text: str, name: str) -> Iterator[Post | InputError]:
    """Cut a text into posts at ``---`` lines, keeping each post's first line number."""
    block: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if SEPARATOR.match(line):
            yield from _some(post_from_block(block, name))
            block = []
        else:
            block.append((number, line))
    yield from _some(post_from_block(block, name))


def post_from_block(
    block: list[tuple[int, str]], name: str, post_id: str | None = None
) -> Post | None:
    """A post from numbered lines, without its ignore comments and outer blank lines.

    None when nothing is left. Shared with the Markdown reader, which cuts blocks at
    headings too and passes the heading as `post_id`.
    """
    ignore: list[str] = []
    kept: list[tuple[int, str]] = []
    for number, line in block:
        m = IGNORE_LINE.match(line)
        if m:
            ignore.extend(c for c in re.split(r"[\s,]+", m.group(1)) if c)
        else:
            kept.append((number, line))
    while kept and not kept[0][1].strip():
        kept.pop(0)
    while kept and not kept[-1][1].strip():
        kept.pop()
    if not kept:
        return None
    first = kept[0][0]
    if post_id is None:
        post_id = f"{Path(name).name}:{first}" if name != "<stdin>" else str(first)
    return Post(
        text="\n".join(line for _, line in kept),
        id=post_id,
        source=f"{name}:{first}",
        location={"file": name, "line": first, "lines": [n for n, _ in kept]},
        ignore=ignore,
    )


def _some(post: Post | None) -> Iterator[Post]:
    if post is not None:
        yield post
