"""Baselines: adopt crisis-audit on an existing calendar and fail only on new findings.

A baseline records each problem finding as (rule code, hash of the normalised post text),
not line numbers, so reordering or editing other posts keeps it valid. A finding that is in
the baseline is still reported, marked ``"baselined": true``, but does not fail the run.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .models import AuditResult, Finding

VERSION = 1


def normalised_text_hash(text: str) -> str:
    """Hash of the text with case, accents form and whitespace normalised."""
    norm = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:32]


def is_problem(finding: Finding) -> bool:
    """Flags, and notes of warning or error level: what can fail a run."""
    return finding.kind == "flag" or (finding.kind == "note" and finding.severity != "info")


def baseline_entries(result: AuditResult) -> list[dict[str, str]]:
    entries = set()
    for r in result.posts:
        digest = normalised_text_hash(r.post.text)
        for f in r.findings:
            if is_problem(f):
                entries.add((f.rule, digest))
    return [{"rule": rule, "text_hash": digest} for rule, digest in sorted(entries)]


def write_baseline(result: AuditResult, path: Path) -> int:
    """Write the baseline atomically; returns how many findings it holds."""
    entries = baseline_entries(result)
    data = {"tool": "crisis-audit", "version": VERSION, "findings": entries}
    write_atomic(path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    return len(entries)


def load_baseline(path: Path) -> set[tuple[str, str]]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the baseline: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}:{exc.lineno}: the baseline is not valid JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise ValueError(f"{path}: not a crisis-audit baseline (no 'findings' list)")
    out = set()
    for item in data["findings"]:
        if isinstance(item, dict) and isinstance(item.get("rule"), str):
            out.add((item["rule"], str(item.get("text_hash", ""))))
    return out


def apply_baseline(result: AuditResult, known: set[tuple[str, str]]) -> int:
    """Mark known findings as baselined; returns how many were."""
    count = 0
    for r in result.posts:
        digest = normalised_text_hash(r.post.text)
        for f in r.findings:
            if is_problem(f) and (f.rule, digest) in known:
                f.baselined = True
                count += 1
    return count


def write_atomic(path: Path, text: str | Iterable[str], encoding: str = "utf-8") -> None:
    """Write a file (a string, or pieces of one) so that readers never see half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is an ordinary file
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            if isinstance(text, str):
                handle.write(text)
            else:
                handle.writelines(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
