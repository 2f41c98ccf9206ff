"""JUnit XML for CI test views (Jenkins, GitLab, Azure DevOps, GitHub test-report actions).

Shape: ``<testsuites>`` with one ``<testsuite>`` per input file (``stdin`` for standard
input), because every CI server groups by suite and a calendar file is what a reader looks
for. Inside, one ``<testcase>`` per post (classname = the file, name = post id and source):

- a post with live problem findings (`problems.is_problem`, not baselined) has one
  ``<failure>``: ``message`` = the most serious flag's message, ``type`` = its rule code,
  text = every problem with code, severity, matched words, message and advice;
- a post without is a passing test; baselined findings are listed in its ``<system-out>``;
- a rejected input row is a test case with an ``<error>`` giving the reason.

The post text goes to ``<system-out>``. Characters XML 1.0 cannot hold (control characters,
lone surrogates, U+FFFE/U+FFFF) are removed from every string; ElementTree escapes the rest.
Valid against the Jenkins xUnit ``junit-10.xsd``. No timings: we do not measure them per post.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..models import AuditResult, Finding, InputError, PostResult
from .problems import post_path, problems, split_source

STDIN_SUITE = "stdin"
_ILLEGAL_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 forbids, with line ends normalised to LF.

    Parsers turn a raw CR into LF anyway; normalising first keeps what we write and what
    a consumer reads identical.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _ILLEGAL_XML.sub("", text)


def _element(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    child = ET.SubElement(parent, tag, {k: xml_safe(v) for k, v in attrs.items()})
    if text is not None:
        child.text = xml_safe(text)
    return child


def _describe(finding: Finding, text: str) -> str:
    """One problem as plain lines; every matched span, not only the first."""
    spans = [text[max(0, a) : max(0, b)] for a, b in finding.all_spans if b > a]
    matched = " … ".join(dict.fromkeys(spans)) or finding.text
    lines = [f"{finding.rule} {finding.name} [{finding.severity}] « {matched} »"]
    lines.append(f"  {finding.message}")
    if finding.advice.strip():
        lines.append(f"  → {finding.advice.strip()}")
    return "\n".join(lines)


def _case_name(post_result: PostResult) -> str:
    post = post_result.post
    if not post.id:
        return post.source or "post"
    source = post.source
    if not source or source == post.id or source.endswith(("/" + post.id, ":" + post.id)):
        return source or post.id  # the id is already in the source (text files, stdin)
    return f"{post.id} ({source})"


def _post_case(suite: ET.Element, classname: str, post_result: PostResult) -> bool:
    """Add one post's test case; returns whether it failed."""
    case = _element(suite, "testcase", name=_case_name(post_result), classname=classname)
    text = post_result.post.text
    found = problems(post_result)
    live = [f for f in found if not f.baselined]
    known = [f for f in found if f.baselined]
    if live:
        first = next((f for f in live if f.kind == "flag"), live[0])
        verdict = "tone-deaf" if post_result.tone_deaf else "not tone-deaf"
        header = (
            f"{verdict}, score {post_result.score}/100 ({post_result.band}), "
            f"phase {post_result.phase}, lang {post_result.lang}"
        )
        body = "\n\n".join([header, *(_describe(f, text) for f in live)])
        _element(case, "failure", body, message=first.message, type=first.rule)
    out = [text]
    if known:
        described = "\n".join(_describe(f, text) for f in known)
        out.append(f"Baselined (known, not failing):\n{described}")
    _element(case, "system-out", "\n\n".join(out))
    return bool(live)


def _error_case(suite: ET.Element, classname: str, error: InputError) -> None:
    case = _element(suite, "testcase", name=error.source or "input", classname=classname)
    _element(case, "error", error.reason, message=error.reason, type="InputError")


def render_junit(result: AuditResult) -> str:
    """Render the audit as JUnit XML: a suite per input file, a test case per post."""
    order: list[str] = []
    posts_by_suite: dict[str, list[PostResult]] = {}
    errors_by_suite: dict[str, list[InputError]] = {}
    for post_result in result.posts:
        name = post_path(post_result.post) or STDIN_SUITE
        if name not in posts_by_suite and name not in errors_by_suite:
            order.append(name)
        posts_by_suite.setdefault(name, []).append(post_result)
    for error in result.errors:
        path, _ = split_source(error.source)
        name = path or STDIN_SUITE
        if name not in posts_by_suite and name not in errors_by_suite:
            order.append(name)
        errors_by_suite.setdefault(name, []).append(error)

    root = ET.Element("testsuites", {"name": "crisis-audit"})
    total_tests = total_failures = total_errors = 0
    for name in order:
        suite = _element(root, "testsuite", name=name)
        properties = _element(suite, "properties")
        _element(properties, "property", name="tool.version", value=result.tool_version)
        for key, value in sorted(result.context.items()):
            if isinstance(value, (str, int, float, bool)):
                _element(properties, "property", name=f"context.{key}", value=str(value))
        failures = sum(_post_case(suite, name, p) for p in posts_by_suite.get(name, []))
        errors = errors_by_suite.get(name, [])
        for error in errors:
            _error_case(suite, name, error)
        tests = len(posts_by_suite.get(name, [])) + len(errors)
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", str(len(errors)))
        suite.set("skipped", "0")
        total_tests += tests
        total_failures += failures
        total_errors += len(errors)
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", str(total_errors))
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
