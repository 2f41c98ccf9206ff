"""Plain records that flow through crisis-audit: posts in, findings and results out.

Readers build `Post`s, the engine turns them into `PostResult`s, reporters only render
`AuditResult`s. Nothing here imports spaCy, so these types are cheap to use anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How much a finding matters; ordered info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


@dataclass(slots=True)
class Post:
    """One post to audit, with where it came from.

    Only `text` is required. `source` is a human location such as ``calendar.csv:17`` and
    `location` keeps its parts (file, line, row, column, sheet) for SARIF and annotations.
    """

    text: str
    id: str = ""
    lang: str | None = None
    date: str | None = None
    channel: str | None = None
    phase: str | None = None
    source: str = ""
    location: dict[str, Any] = field(default_factory=dict)
    ignore: list[str] = field(default_factory=list)
    labels: list[str] | None = None
    tone_deaf: bool | None = None
    flags: list[str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Finding:
    """One piece of evidence: a rule that fired on a span of the post's text."""

    rule: str
    name: str
    kind: str  # "category", "flag" or "note"
    label: str
    severity: str
    start: int
    end: int
    text: str
    message: str
    advice: str
    spans: list[tuple[int, int]] = field(default_factory=list)  # only when more than one
    baselined: bool = False

    @property
    def all_spans(self) -> list[tuple[int, int]]:
        """Every matched span (the first is start/end)."""
        return self.spans or [(self.start, self.end)]

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "name": self.name,
            "kind": self.kind,
            "label": self.label,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            "advice": self.advice,
        }
        if len(self.spans) > 1:
            data["spans"] = [list(s) for s in self.spans]
        if self.baselined:
            data["baselined"] = True
        return data


def finding_from_dict(data: dict[str, Any]) -> Finding:
    """Inverse of `Finding.to_dict` (used by the cache and by worker processes)."""
    spans = [tuple(s) for s in data.get("spans", [])] or [(data["start"], data["end"])]
    return Finding(
        rule=data["rule"],
        name=data["name"],
        kind=data["kind"],
        label=data["label"],
        severity=data["severity"],
        start=data["start"],
        end=data["end"],
        text=data["text"],
        message=data["message"],
        advice=data["advice"],
        spans=[(int(a), int(b)) for a, b in spans] if len(spans) > 1 else [],
    )


@dataclass(slots=True)
class CategoryScore:
    id: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "score": round(self.score, 2)}


@dataclass(slots=True)
class PostResult:
    """What the engine concluded about one post."""

    post: Post
    lang: str
    phase: str
    categories: list[CategoryScore]
    findings: list[Finding]
    tone_deaf: bool = False
    score: int = 100
    band: str = "publish"
    extra: dict[str, Any] = field(default_factory=dict)
    fired: set[str] = field(default_factory=set)  # every rule that fired, before thresholds

    @property
    def category_ids(self) -> list[str]:
        return [c.id for c in self.categories]

    @property
    def flag_ids(self) -> list[str]:
        seen: list[str] = []
        for f in self.findings:
            if f.kind == "flag" and f.label not in seen:
                seen.append(f.label)
        return seen

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.post.id,
            "source": self.post.source,
            "lang": self.lang,
            "phase": self.phase,
            "categories": [c.to_dict() for c in self.categories],
            "tone_deaf": self.tone_deaf,
            "score": self.score,
            "band": self.band,
            "findings": [f.to_dict() for f in self.findings],
            "text": self.post.text,
        }
        if self.post.date:
            data["date"] = self.post.date
        if self.post.channel:
            data["channel"] = self.post.channel
        data.update(self.extra)
        return data

    def to_record(self) -> dict[str, Any]:
        """Everything needed to rebuild this result for the same post (cache, workers)."""
        data = self.to_dict()
        data["findings"] = [
            dict(f.to_dict(), spans=[list(s) for s in f.spans]) for f in self.findings
        ]
        data["fired"] = sorted(self.fired)
        for key in ("id", "source", "text", "date", "channel"):
            data.pop(key, None)
        return data

    @classmethod
    def from_record(cls, post: Post, data: dict[str, Any]) -> PostResult:
        """Inverse of `to_record`, attached to `post`."""
        data = dict(data)
        known = {"lang", "phase", "categories", "findings", "tone_deaf", "score", "band", "fired"}
        result = cls(
            post=post,
            lang=data["lang"],
            phase=data["phase"],
            categories=[CategoryScore(c["id"], c["score"]) for c in data["categories"]],
            findings=[finding_from_dict(f) for f in data["findings"]],
            tone_deaf=data["tone_deaf"],
            score=data["score"],
            band=data["band"],
            fired=set(data.get("fired", [])),
        )
        result.extra = {k: v for k, v in data.items() if k not in known}
        return result


@dataclass(slots=True)
class InputError:
    """A post or file that could not be audited, and why."""

    source: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "reason": self.reason}


@dataclass(slots=True)
class AuditResult:
    """Everything one run produced; the single input of every reporter."""

    posts: list[PostResult]
    errors: list[InputError] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)
    tool_version: str = ""
    posts_in: int | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        by_category: dict[str, int] = {}
        by_flag: dict[str, int] = {}
        by_phase: dict[str, int] = {}
        by_band: dict[str, int] = {}
        for r in self.posts:
            for c in r.category_ids:
                by_category[c] = by_category.get(c, 0) + 1
            for f in r.flag_ids:
                by_flag[f] = by_flag.get(f, 0) + 1
            by_phase[r.phase] = by_phase.get(r.phase, 0) + 1
            by_band[r.band] = by_band.get(r.band, 0) + 1
        audited = len(self.posts)
        return {
            "posts": audited,
            "posts_in": self.posts_in if self.posts_in is not None else audited + len(self.errors),
            "audited": audited,
            "rejected": len(self.errors),
            "tone_deaf": sum(1 for r in self.posts if r.tone_deaf),
            "errors": len(self.errors),
            "categories": dict(sorted(by_category.items())),
            "flags": dict(sorted(by_flag.items())),
            "phases": dict(sorted(by_phase.items())),
            "bands": dict(sorted(by_band.items())),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "tool": {"name": "crisis-audit", "version": self.tool_version},
            "context": self.context,
            "posts": [r.to_dict() for r in self.posts],
            "errors": [e.to_dict() for e in self.errors],
            "summary": self.summary(),
        }
