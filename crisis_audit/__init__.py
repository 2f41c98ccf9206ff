"""crisis-audit: audit brand posts for tone-deaf communication during a crisis.

The importable API is `audit`; importing this package does not import spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .models import AuditResult

__all__ = ["__version__", "audit"]


def audit(posts: Any, **options: Any) -> AuditResult:
    """Audit posts (strings, dicts in the JSON contract, or `Post`s); see `api.audit`."""
    from .api import audit as _audit

    return _audit(posts, **options)
