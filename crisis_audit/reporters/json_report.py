"""The JSON machine contract of ``design.md``: one document per run."""

from __future__ import annotations

import json

from ..models import AuditResult


def render_json(result: AuditResult) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
