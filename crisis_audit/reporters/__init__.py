"""Reporters: pure functions from an `AuditResult` to text. They decide nothing.

One module per format and one explicit registry; the CLI looks formats up here. A format's
module is imported when the format is first looked up: `check` on a draft needs only the
terminal reporter, and importing every other one (Jinja2 for HTML, the XML writer for
JUnit…) was 45 ms of each cold draft.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..models import AuditResult

Renderer = Callable[[AuditResult], str]


class _Registry(Mapping[str, Any]):
    """Format name → function, each given as ``module:function`` and imported on lookup."""

    def __init__(self, targets: dict[str, str]) -> None:
        self._targets = targets

    def __getitem__(self, fmt: str) -> Any:
        module, function = self._targets[fmt].split(":")
        return getattr(importlib.import_module(f"{__name__}.{module}"), function)

    def __iter__(self) -> Iterator[str]:
        return iter(self._targets)

    def __len__(self) -> int:
        return len(self._targets)


RENDERERS: Mapping[str, Renderer] = _Registry(
    {
        "json": "json_report:render_json",
        "html": "html_report:render_html",
        "markdown": "markdown_report:render_markdown",
        "csv": "csv_report:render_csv",
        "sarif": "sarif:render_sarif",
        "junit": "junit:render_junit",
        "github": "github:render_github",
    }
)

# Formats that can also be written piece by piece (same bytes), for very large audits.
STREAMERS: Mapping[str, Callable[[AuditResult], Iterator[str]]] = _Registry(
    {"json": "json_report:iter_json", "csv": "csv_report:iter_csv"}
)

# Renderers that also take the rule pack, as ``renderer(result, rules=ruleset.rules)``;
# the keyword is optional, so every renderer still fits `Renderer`.
RULE_AWARE: frozenset[str] = frozenset({"sarif"})

_FUNCTIONS = {
    "render_json": "json",
    "render_html": "html",
    "render_markdown": "markdown",
    "render_csv": "csv",
    "render_sarif": "sarif",
    "render_junit": "junit",
    "render_github": "github",
}


def __getattr__(name: str) -> Any:
    """``from crisis_audit.reporters import render_html`` still works, importing on use."""
    if name in _FUNCTIONS:
        return RENDERERS[_FUNCTIONS[name]]
    if name == "iter_json":
        return STREAMERS["json"]
    if name == "iter_csv":
        return STREAMERS["csv"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["RENDERERS", "RULE_AWARE", "STREAMERS", "Renderer", *_FUNCTIONS, "iter_csv", "iter_json"]
