"""SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning, Azure DevOps, IDEs).

One run. ``tool.driver.rules`` describes every rule that can produce a problem (from the
rule pack when the CLI passes it, else from the findings themselves), so viewers can show
why and what to do. Each problem finding is one result pointing at the file, line and
column of the matched words; category evidence and info notes are not results.

Results carry ``partialFingerprints["postTextHash/v1"]``: a hash of the rule code and the
normalised post text, so an alert keeps its identity when the post moves in the file. The
k-th repeat of the same (rule, text) in a run gets a ``:k`` suffix, as GitHub does for its
own line hashes. Baselined findings are results with an external suppression. Rejected
input rows are tool execution notifications of level ``error``.

Columns are counted in Unicode code points (``run.columnKind``), as Python counts them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..models import AuditResult, Finding, PostResult
from .problems import (
    SourceRegion,
    fingerprint,
    locate,
    locate_span,
    problems,
    rule_reports_problems,
    split_source,
    uri_for,
)

if TYPE_CHECKING:
    from ..rulepack import Rule

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SARIF_VERSION = "2.1.0"
STDIN_URI = "stdin"
FINGERPRINT_KEY = "postTextHash/v1"
LEVELS: dict[str, str] = {"error": "error", "warning": "warning", "info": "note"}
_LANG_ORDER = ("en", "fr")


def level_for(severity: str) -> str:
    """SARIF level of a crisis-audit severity (info is a SARIF ``note``)."""
    return LEVELS.get(severity, "warning")


def _bilingual(texts: dict[str, str]) -> str:
    """Every language of a rule text, one ``lang: text`` line each; one line if they agree."""
    items = [(lang, text.strip()) for lang, text in texts.items() if text and text.strip()]
    items.sort(key=lambda kv: (_LANG_ORDER.index(kv[0]) if kv[0] in _LANG_ORDER else 9, kv[0]))
    if len({text for _, text in items}) <= 1:
        return items[0][1] if items else ""
    return "\n".join(f"{lang}: {text}" for lang, text in items)


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "defaultConfiguration": {"level": level_for(rule.severity)},
        "properties": {"tags": [rule.kind, rule.label]},
    }
    advice = _bilingual(dict(rule.advice))
    if advice:
        descriptor["help"] = {"text": advice}
    return descriptor


def _finding_descriptor(finding: Finding) -> dict[str, Any]:
    """A descriptor from a finding alone, for rules the caller did not pass."""
    descriptor: dict[str, Any] = {
        "id": finding.rule,
        "name": finding.name,
        "shortDescription": {"text": finding.name},
        "defaultConfiguration": {"level": level_for(finding.severity)},
        "properties": {"tags": [finding.kind, finding.label]},
    }
    if finding.advice.strip():
        descriptor["help"] = {"text": finding.advice.strip()}
    return descriptor


def _physical_location(region: SourceRegion, snippet: str | None) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": uri_for(region.path) if region.path else STDIN_URI}
    }
    if region.start_line is not None:
        sarif_region: dict[str, Any] = {"startLine": region.start_line}
        if region.start_column is not None:
            sarif_region["startColumn"] = region.start_column
        if region.end_line is not None:
            sarif_region["endLine"] = region.end_line
        if region.end_column is not None:
            sarif_region["endColumn"] = region.end_column
        if snippet:
            sarif_region["snippet"] = {"text": snippet}
        physical["region"] = sarif_region
    if region.sheet:
        physical["properties"] = {"sheet": region.sheet}
    return physical


def _message(finding: Finding) -> str:
    advice = finding.advice.strip()
    return f"{finding.message} → {advice}" if advice else finding.message


def _result(
    post_result: PostResult,
    finding: Finding,
    rule_index: int,
    seen: dict[str, int],
) -> dict[str, Any]:
    post = post_result.post
    region = locate(post, finding)
    digest = fingerprint(finding.rule, post.text)
    seen[digest] = seen.get(digest, 0) + 1
    if seen[digest] > 1:
        digest = f"{digest}:{seen[digest]}"
    logical: dict[str, Any] = {"name": post.id or post.source or "post"}
    if post.source:
        logical["fullyQualifiedName"] = post.source
    location: dict[str, Any] = {
        "physicalLocation": _physical_location(region, finding.text),
        "logicalLocations": [logical],
    }
    related: list[dict[str, Any]] = []
    for start, end in finding.all_spans:
        other = locate_span(post, (start, end))
        if other != region and end > start:
            snippet = post.text[max(0, start) : max(0, end)]
            related.append(
                {
                    "id": len(related) + 1,
                    "physicalLocation": _physical_location(other, snippet),
                    "message": {"text": "also matched"},
                }
            )
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": level_for(finding.severity),
        "message": {"text": _message(finding)},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: digest},
        **({"relatedLocations": related} if related else {}),
        "properties": {
            "post": post.id,
            "source": post.source,
            "kind": finding.kind,
            "label": finding.label,
            "phase": post_result.phase,
            "toneDeaf": post_result.tone_deaf,
            "score": post_result.score,
        },
    }
    if finding.baselined:
        result["suppressions"] = [
            {"kind": "external", "justification": "known finding, listed in the baseline"}
        ]
    return result


def _notifications(result: AuditResult) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for error in result.errors:
        path, line = split_source(error.source)
        region = SourceRegion(path, line)
        out.append(
            {
                "level": "error",
                "message": {"text": f"{error.source}: {error.reason}"},
                "locations": [{"physicalLocation": _physical_location(region, None)}],
            }
        )
    for note in result.notes:
        out.append({"level": "note", "message": {"text": note}})
    return out


def render_sarif(result: AuditResult, rules: Sequence[Rule] = ()) -> str:
    """Render the audit as a SARIF 2.1.0 log (JSON text).

    Args:
        result: the audit to render.
        rules: the rule pack in force, for full rule metadata (summary, why, advice in
            every language). Optional: rules that fired but are missing get a descriptor
            built from their findings, so every result has a valid ``ruleIndex``.
    """
    descriptors: list[dict[str, Any]] = []
    index_of: dict[str, int] = {}
    for rule in rules:
        if rule.code in index_of:
            continue
        if rule_reports_problems(rule):
            index_of[rule.code] = len(descriptors)
            descriptors.append(_rule_descriptor(rule))
    results: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for post_result in result.posts:
        for finding in problems(post_result):
            if finding.rule not in index_of:
                by_code = next((r for r in rules if r.code == finding.rule), None)
                index_of[finding.rule] = len(descriptors)
                descriptors.append(
                    _rule_descriptor(by_code) if by_code else _finding_descriptor(finding)
                )
            results.append(_result(post_result, finding, index_of[finding.rule], seen))
    version = result.tool_version or __version__
    invocation: dict[str, Any] = {"executionSuccessful": True}
    notifications = _notifications(result)
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    properties: dict[str, Any] = {"summary": result.summary()}
    if result.context:
        properties["context"] = result.context
    driver = {"name": "crisis-audit", "version": version, "rules": descriptors}
    log = {
        "$schema": SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {"driver": driver},
                "invocations": [invocation],
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": properties,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
