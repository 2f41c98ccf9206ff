"""The JSON machine contract of ``design.md``: one document per run.

`iter_json` streams the same bytes as `render_json`, one post at a time, so a 100,000-post
audit is written without building the whole document in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..models import AuditResult

INDENT = 2


def _dump(value: object, level: int) -> str:
    """`value` as ``json.dumps(indent=2)`` writes it when nested `level` deep."""
    text = json.dumps(value, ensure_ascii=False, indent=INDENT)
    return text.replace("\n", "\n" + " " * (INDENT * level))


def iter_json(result: AuditResult) -> Iterator[str]:
    """The document in pieces; ``"".join`` equals ``json.dumps(to_dict(), indent=2)``."""
    pad = " " * INDENT
    yield "{\n"
    yield f'{pad}"tool": {_dump({"name": "crisis-audit", "version": result.tool_version}, 1)},\n'
    yield f'{pad}"context": {_dump(result.context, 1)},\n'
    if result.posts:
        yield f'{pad}"posts": [\n'
        last = len(result.posts) - 1
        for i, post in enumerate(result.posts):
            yield pad * 2 + _dump(post.to_dict(), 2) + (",\n" if i < last else "\n")
        yield f"{pad}],\n"
    else:
        yield f'{pad}"posts": [],\n'
    yield f'{pad}"errors": {_dump([e.to_dict() for e in result.errors], 1)},\n'
    yield f'{pad}"summary": {_dump(result.summary(), 1)}\n'
    yield "}\n"


def render_json(result: AuditResult) -> str:
    return "".join(iter_json(result))
