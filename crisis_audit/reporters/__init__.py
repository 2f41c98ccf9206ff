"""Reporters: pure functions from an `AuditResult` to text. They decide nothing.

One module per format and one explicit registry; the CLI looks formats up here.
"""

from __future__ import annotations

from collections.abc import Callable

from ..models import AuditResult
from .json_report import render_json

Renderer = Callable[[AuditResult], str]

RENDERERS: dict[str, Renderer] = {
    "json": render_json,
}

__all__ = ["RENDERERS", "Renderer", "render_json"]
