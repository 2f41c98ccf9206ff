"""The JSON machine contract of ``design.md``: one document per run.

Layout: the document is indented, and each post is one compact line inside ``"posts"``, so a
100,000-post audit is fast to write (the C encoder) and easy to grep or diff post by post.
`iter_json` streams the document one post at a time, so memory stays flat.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..models import AuditResult

INDENT = 2
# check_circular off: results are fresh trees of dicts and lists (no cycles); 5–20 % faster
_compact = json.JSONEncoder(
    ensure_ascii=False, separators=(", ", ": "), check_circular=False
).encode


def _dump(value: object, level: int) -> str:
    """`value` indented as if nested `level` deep in an indented document."""
    text = json.dumps(value, ensure_ascii=False, indent=INDENT)
    return text.replace("\n", "\n" + " " * (INDENT * level))


def iter_json(result: AuditResult) -> Iterator[str]:
    """The document in pieces; ``"".join`` of them is `render_json`."""
    pad = " " * INDENT
    yield "{\n"
    yield f'{pad}"tool": {_dump({"name": "crisis-audit", "version": result.tool_version}, 1)},\n'
    yield f'{pad}"context": {_dump(result.context, 1)},\n'
    if result.posts:
        yield f'{pad}"posts": [\n'
        last = len(result.posts) - 1
        for i, post in enumerate(result.posts):
            yield pad * 2 + _compact(post.to_dict()) + (",\n" if i < last else "\n")
        yield f"{pad}],\n"
    else:
        yield f'{pad}"posts": [],\n'
    yield f'{pad}"errors": {_dump([e.to_dict() for e in result.errors], 1)},\n'
    yield f'{pad}"summary": {_dump(result.summary(), 1)}\n'
    yield "}\n"


def render_json(result: AuditResult) -> str:
    return "".join(iter_json(result))
