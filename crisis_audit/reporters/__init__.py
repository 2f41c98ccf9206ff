"""Reporters: pure functions from an `AuditResult` to text. They decide nothing.

One module per format and one explicit registry; the CLI looks formats up here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..models import AuditResult
from .csv_report import iter_csv, render_csv
from .github import render_github
from .html_report import render_html
from .json_report import iter_json, render_json
from .junit import render_junit
from .markdown_report import render_markdown
from .sarif import render_sarif

Renderer = Callable[[AuditResult], str]

RENDERERS: dict[str, Renderer] = {
    "json": render_json,
    "html": render_html,
    "markdown": render_markdown,
    "csv": render_csv,
    "sarif": render_sarif,
    "junit": render_junit,
    "github": render_github,
}

# Formats that can also be written piece by piece (same bytes), for very large audits.
STREAMERS: dict[str, Callable[[AuditResult], Iterator[str]]] = {
    "json": iter_json,
    "csv": iter_csv,
}

__all__ = [
    "RENDERERS",
    "STREAMERS",
    "Renderer",
    "render_csv",
    "render_html",
    "render_json",
    "render_markdown",
]

# Renderers that also take the rule pack, as ``renderer(result, rules=ruleset.rules)``;
# the keyword is optional, so every renderer still fits `Renderer`.
RULE_AWARE: frozenset[str] = frozenset({"sarif"})
__all__ += ["RULE_AWARE", "render_github", "render_junit", "render_sarif"]
