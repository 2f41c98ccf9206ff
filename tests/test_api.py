"""The importable API: strings, contract dicts or Posts in; bad items reported, not raised."""

from __future__ import annotations

import crisis_audit
from crisis_audit.models import Post


def test_audit_accepts_strings_dicts_and_posts_and_reports_bad_items() -> None:
    result = crisis_audit.audit(
        [
            "Restez chez vous, prenez soin de vous.",
            {"id": "b", "text": "Stay home, stay safe.", "lang": "en"},
            Post(text="Nos magasins restent ouverts.", id="c"),
            {"id": "d", "text": "Bonjour", "phase": "soon"},
            {"id": "e"},
            42,
        ],
        phase="acute",
    )
    assert [r.post.id for r in result.posts] == ["1", "b", "c"]
    assert [e.source for e in result.errors] == ["<api>:4", "<api>:5", "<api>:6"]
    assert "unknown phase" in result.errors[0].reason
    assert result.summary()["posts_in"] == 6
    assert result.context["phase"] == "acute"
