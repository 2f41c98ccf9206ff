"""The importable API: ``crisis_audit.audit(posts, ...)`` returns an `AuditResult`.

The CLI is a thin layer over `build_engine` and `audit`; notebooks and batch jobs call the
same functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import __version__
from .context import CrisisContext, PhaseResolver, load_context
from .engine import Engine
from .models import AuditResult, InputError, Post
from .readers.jsonl import post_from_mapping
from .rulepack import RuleSet, check_references, load_rules
from .taxonomy import PHASES


def build_engine(
    rules: list[Path] | None = None,
    context: CrisisContext | Path | None = None,
    phase: str | None = None,
    date: dt.date | None = None,
    lang: str | None = None,
    default_lang: str = "fr",
    fast: bool = False,
    disable: Iterable[str] = (),
    severity: dict[str, str] | None = None,
    include_default_rules: bool = True,
) -> Engine:
    """Load rule packs and the crisis context and return a ready engine."""
    if phase is not None and phase not in PHASES:
        raise ValueError(f"unknown phase {phase!r} (expected {', '.join(PHASES)})")
    ctx = context if isinstance(context, CrisisContext) else load_context(context)
    ruleset: RuleSet = load_rules(rules, include_default=include_default_rules)
    ruleset.rules.append(ctx.ack_rule())
    check_references(ruleset)
    resolver = PhaseResolver(
        context=ctx,
        forced_phase=phase,
        run_date=date,
        run_date_source="--date" if date else "today",
    )
    engine = Engine(
        ruleset,
        phase_resolver=resolver,
        lang=lang,
        default_lang=default_lang,
        fast=fast,
        disabled=disable,
        severity_overrides=severity,
        context=ctx,
    )
    return engine


def to_post(item: Any, index: int, source: str = "<api>") -> Post:
    """Accept a string, a dict in the JSON contract (validated like a JSONL line), or a
    `Post`; a bad item raises `ValueError` with the reason."""
    if isinstance(item, Post):
        return item
    if isinstance(item, str):
        return Post(text=item, id=str(index), source=f"{source}:{index}")
    if isinstance(item, dict):
        post = post_from_mapping(item, item.get("source") or f"{source}:{index}", str(index))
        if isinstance(post, InputError):
            raise ValueError(post.reason)
        return post
    raise TypeError(f"cannot audit a {type(item).__name__}")


def context_summary(engine: Engine) -> dict[str, Any]:
    ctx: CrisisContext = engine.context
    resolver = engine.phase_resolver
    data = ctx.describe()
    data["rule_packs"] = list(engine.ruleset.packs)
    if isinstance(resolver, PhaseResolver):
        if resolver.forced_phase:
            data["phase"] = resolver.forced_phase
            data["phase_source"] = "--phase"
        else:
            day = resolver.run_date or dt.date.today()
            data["phase"] = ctx.phase_on(day)[0]
            data["date"] = day.isoformat()
            data["phase_source"] = resolver.run_date_source
    return data


def audit(
    posts: Iterable[Any],
    engine: Engine | None = None,
    **options: Any,
) -> AuditResult:
    """Audit posts and return every result, the input errors and a summary.

    `posts` may hold strings, dicts in the machine contract, or `Post` objects; a bad
    item becomes an `InputError` and the rest is still audited. Options are those of
    `build_engine`.
    """
    engine = engine or build_engine(**options)
    errors: list[InputError] = []
    good: list[Post] = []
    for i, item in enumerate(posts, start=1):
        try:
            good.append(to_post(item, i))
        except (ValueError, TypeError) as exc:
            errors.append(InputError(source=f"<api>:{i}", reason=str(exc)))
    results = list(engine.audit(good))
    return AuditResult(
        posts=results,
        errors=errors,
        context=context_summary(engine),
        tool_version=__version__,
    )
