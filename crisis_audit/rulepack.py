"""Rule packs: YAML files that say what to look for, validated before anything runs.

A pack file holds ``pack``, optional ``defaults`` and a list of ``rules``. Each rule has a
stable ``code`` and dotted ``name``, the taxonomy ``label`` it supports, a ``kind``
(``category``, ``flag`` or ``note`` for internal signals), its ``match`` per language (a few
checker kinds, see `MATCH_KINDS`), optional ``when`` conditions on other findings and on
the crisis phase, ``message``/``advice`` in French and English, and its own ``examples``
that must fire (``fail``) and must not (``pass``). ``rules/README.md`` is the authoring
guide. Every error names file, line and field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import packcache
from .regex_prefilter import RegexFacts, regex_facts
from .taxonomy import CATEGORIES, FLAGS, LANGUAGES, PHASES
from .yamlsafe import LineDict, LineList, YamlError, load_yaml

MATCH_KINDS = ("terms", "lemmas", "tokens", "regex")
KINDS = ("category", "flag", "note")
SEVERITIES = ("info", "warning", "error")
NEGATION_MODES = ("skip", "only", "ignore")
WHEN_KEYS = ("all", "any", "none", "phases", "elsewhere", "languages", "restricted")

REGEX_FLAGS = re.IGNORECASE | re.UNICODE  # how rule regexes are compiled everywhere
_CODE = re.compile(r"^[A-Z]{2,4}[0-9]{2,3}$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
_LABEL = re.compile(r"^[a-z][a-z0-9_]*$")

RULE_FIELDS = {
    "code",
    "name",
    "kind",
    "label",
    "summary",
    "why",
    "severity",
    "languages",
    "weight",
    "match",
    "when",
    "negation",
    "message",
    "advice",
    "examples",
    "aliases",
}
PACK_FIELDS = {"pack", "description", "defaults", "rules"}


class RuleError(ValueError):
    """A rule pack problem, already phrased as ``file:line: field: reason``."""


@dataclass(frozen=True)
class Example:
    text: str
    lang: str | None = None
    phase: str | None = None
    date: str | None = None  # YYYY-MM-DD: the phase and restrictions in force that day


@dataclass(frozen=True)
class Rule:
    """One validated rule. `match` maps a language to its checker specs."""

    code: str
    name: str
    kind: str
    label: str
    summary: str
    why: str
    severity: str
    languages: tuple[str, ...]
    weight: float
    match: dict[str, dict[str, list[Any]]]
    when: dict[str, list[str]]
    negation: str
    message: dict[str, str]
    advice: dict[str, str]
    fail_examples: tuple[Example, ...]
    pass_examples: tuple[Example, ...]
    source: str
    aliases: tuple[str, ...] = ()

    def text_for(self, field_name: str, lang: str) -> str:
        """The message or advice in the post's language, falling back to any language."""
        texts: dict[str, str] = getattr(self, field_name)
        return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")

    @property
    def depends_on(self) -> set[str]:
        return (
            set(self.when.get("all", []))
            | set(self.when.get("any", []))
            | set(self.when.get("none", []))
            | set(self.when.get("elsewhere", []))
        )


@dataclass
class RuleSet:
    """All rules loaded for a run, in a stable order, with where each came from."""

    rules: list[Rule] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    packs: list[dict[str, Any]] = field(default_factory=list)
    # What each rule regex needs to match and its first-character lookahead
    # (`regex_prefilter.regex_facts`), worked out once when the packs are read and kept with
    # them in the pack cache.
    regex_facts: dict[str, RegexFacts] = field(default_factory=dict)
    digest: str = ""  # the packs' names and contents (`_contents_digest`)

    def by_code(self) -> dict[str, Rule]:
        return {r.code: r for r in self.rules}

    def find(self, key: str) -> Rule | None:
        """A rule by code, name or alias (case-insensitive for codes)."""
        for r in self.rules:
            if key.upper() == r.code or key == r.name or key in r.aliases:
                return r
        return None


class _Field:
    """Helper that phrases errors for one mapping of one file."""

    def __init__(self, path: Path, mapping: LineDict, where: str) -> None:
        self.path, self.mapping, self.where = path, mapping, where

    def fail(self, key: str, reason: str, line: int | None = None) -> RuleError:
        line = line or self.mapping.line_of(key)
        return RuleError(f"{self.path}:{line}: {self.where}{key}: {reason}")


def default_rules_dir() -> Path:
    """The bundled packs: inside the installed package, or ``rules/`` in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_rules", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise RuleError(f"{here}: the bundled rule packs are missing (no _rules/ or ../rules/)")


def load_rules(paths: list[Path] | None = None, include_default: bool = True) -> RuleSet:
    """Load and validate rule packs from files or folders (``*.yaml``, ``*.yml``)."""
    files: list[Path] = []
    sources = ([default_rules_dir()] if include_default else []) + list(paths or [])
    for src in sources:
        if src.is_dir():
            files.extend(sorted(p for p in src.iterdir() if p.suffix in (".yaml", ".yml")))
        elif src.is_file():
            files.append(src)
        else:
            raise RuleError(f"{src}: no such rule file or folder")
    blobs: list[bytes] = []
    for path in files:
        try:
            blobs.append(path.read_bytes())
        except OSError as exc:
            raise RuleError(f"{path}: cannot read: {exc}") from None
    cache_key = packcache.packs_key(files, blobs)
    cached = packcache.load(cache_key)
    if isinstance(cached, RuleSet):
        return cached
    ruleset = RuleSet(files=files, digest=_contents_digest(files, blobs))
    seen: dict[str, str] = {}
    for path, blob in zip(files, blobs, strict=True):
        pack_rules = load_pack(path, blob)
        digest = hashlib.sha256(blob).hexdigest()[:12]
        ruleset.packs.append(
            {"name": path.stem, "file": path.name, "rules": len(pack_rules), "version": digest}
        )
        for rule in pack_rules:
            for key in (rule.code, rule.name):
                if key in seen:
                    raise RuleError(f"{rule.source}: code: {key} is already defined at {seen[key]}")
                seen[key] = rule.source
            ruleset.rules.append(rule)
    ruleset.regex_facts = {
        expr: regex_facts(expr, REGEX_FLAGS)
        for rule in ruleset.rules
        for spec in rule.match.values()
        for expr in spec.get("regex", [])
    }
    packcache.store(cache_key, ruleset)
    return ruleset


def _contents_digest(files: list[Path], blobs: list[bytes]) -> str:
    """A hash of the packs' file names and contents (not their folder): what the result
    cache keys on, so a calendar audited from another checkout still hits."""
    h = hashlib.sha256()
    for path, blob in sorted(zip(files, blobs, strict=True)):
        h.update(path.name.encode("utf-8", "surrogatepass") + b"\x00")
        h.update(hashlib.sha256(blob).digest())
    return h.hexdigest()


def check_references(ruleset: RuleSet) -> None:
    """Every label a ``when`` names must be produced by some loaded rule (call this once
    the context's own rule has been added)."""
    produced = {r.label for r in ruleset.rules}
    for rule in ruleset.rules:
        for label in sorted(rule.depends_on):
            if label not in produced:
                raise RuleError(
                    f"{rule.source}: when: {rule.code} refers to label {label!r} "
                    "that no loaded rule produces"
                )


def load_pack(path: Path, content: bytes | None = None) -> list[Rule]:
    """Validate one pack file (whose bytes may be given, already read) and return its rules."""
    try:
        data = load_yaml(path, content)
    except YamlError as exc:
        raise RuleError(str(exc)) from None
    if not isinstance(data, LineDict):
        raise RuleError(f"{path}:1: pack: the file must be a mapping with 'pack' and 'rules'")
    top = _Field(path, data, "")
    for key in data:
        if key not in PACK_FIELDS:
            raise top.fail(key, f"unknown field (expected one of {', '.join(sorted(PACK_FIELDS))})")
    if not isinstance(data.get("pack"), str):
        raise top.fail("pack", "required, a short name for the pack")
    defaults = data.get("defaults") or LineDict()
    if not isinstance(defaults, dict):
        raise top.fail("defaults", "must be a mapping of rule fields")
    for key in defaults:
        if key not in RULE_FIELDS:
            raise _Field(path, _as_line_dict(defaults), "defaults.").fail(key, "unknown rule field")
    rules = data.get("rules")
    if not isinstance(rules, LineList) or not rules:
        raise top.fail("rules", "required, a non-empty list of rules")
    out = []
    for index, raw in enumerate(rules):
        if not isinstance(raw, LineDict):
            raise RuleError(f"{path}:{rules.line_of(index)}: rules[{index}]: must be a mapping")
        merged = LineDict({**defaults, **raw})
        merged.line = raw.line
        merged.key_lines = {**getattr(defaults, "key_lines", {}), **raw.key_lines}
        out.append(_parse_rule(path, merged, index))
    return out


def _parse_rule(path: Path, raw: LineDict, index: int) -> Rule:
    code = raw.get("code")
    where = f"rules[{index}]" + (f" ({code})" if isinstance(code, str) else "") + "."
    f = _Field(path, raw, where)
    for key in raw:
        if key not in RULE_FIELDS:
            raise f.fail(key, f"unknown field (expected one of {', '.join(sorted(RULE_FIELDS))})")
    if not isinstance(code, str) or not _CODE.match(code):
        raise f.fail("code", "required, like RE01 (2-4 capitals and 2-3 digits)")
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise f.fail("name", "required, dotted lowercase like reassurance.orders_kept")
    kind = raw.get("kind", "category")
    if kind not in KINDS:
        raise f.fail("kind", f"must be one of {', '.join(KINDS)}")
    label = raw.get("label")
    if not isinstance(label, str) or not _LABEL.match(label):
        raise f.fail("label", "required, a taxonomy id")
    if kind == "category" and label not in CATEGORIES:
        raise f.fail("label", f"{label!r} is not a category ({', '.join(CATEGORIES)})")
    if kind == "flag" and label not in FLAGS:
        raise f.fail("label", f"{label!r} is not a risk flag ({', '.join(FLAGS)})")
    for key in ("summary", "why"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise f.fail(key, "required, one plain sentence")
    severity = raw.get("severity", "info")
    if severity not in SEVERITIES:
        raise f.fail("severity", f"must be one of {', '.join(SEVERITIES)}")
    weight = raw.get("weight", 0.6)
    if not isinstance(weight, (int, float)) or not 0 < float(weight) <= 1:
        raise f.fail("weight", "must be a number in (0, 1]")
    negation = raw.get("negation", "skip")
    if negation not in NEGATION_MODES:
        raise f.fail("negation", f"must be one of {', '.join(NEGATION_MODES)}")
    match = _parse_match(f, raw.get("match"))
    when = _parse_when(f, raw.get("when"))
    if not match and not (when.get("all") or when.get("any")):
        raise f.fail("match", "required unless 'when' names labels (all/any) to build on")
    languages = _parse_languages(f, raw.get("languages"), match)
    message = _parse_texts(f, "message", raw.get("message"))
    advice = _parse_texts(f, "advice", raw.get("advice"))
    fail_ex, pass_ex = _parse_examples(f, raw.get("examples"))
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise f.fail("aliases", "must be a list of names")
    return Rule(
        code=code,
        name=name,
        kind=kind,
        label=label,
        summary=raw["summary"].strip(),
        why=raw["why"].strip(),
        severity=severity,
        languages=languages,
        weight=float(weight),
        match=match,
        when=when,
        negation=negation,
        message=message,
        advice=advice,
        fail_examples=fail_ex,
        pass_examples=pass_ex,
        source=f"{path}:{raw.line}",
        aliases=tuple(aliases),
    )


def _parse_languages(f: _Field, value: Any, match: dict[str, Any]) -> tuple[str, ...]:
    if value is None:
        return tuple(match) if match else LANGUAGES
    if not isinstance(value, list) or not value or any(v not in LANGUAGES for v in value):
        raise f.fail("languages", f"must be a non-empty list of {', '.join(LANGUAGES)}")
    missing = [lang for lang in match if lang not in value]
    if missing:
        raise f.fail("languages", f"match has patterns for {missing} not listed here")
    return tuple(value)


def _parse_match(f: _Field, value: Any) -> dict[str, dict[str, list[Any]]]:
    if value is None:
        return {}
    if not isinstance(value, LineDict):
        raise f.fail("match", "must map a language (fr, en) to checkers")
    out: dict[str, dict[str, list[Any]]] = {}
    for lang, spec in value.items():
        where = _Field(f.path, value, f"{f.where}match.")
        if lang not in LANGUAGES:
            raise where.fail(lang, f"unknown language (expected {', '.join(LANGUAGES)})")
        if not isinstance(spec, LineDict) or not spec:
            raise where.fail(lang, f"must map checker kinds ({', '.join(MATCH_KINDS)}) to lists")
        inner = _Field(f.path, spec, f"{f.where}match.{lang}.")
        checks: dict[str, list[Any]] = {}
        for kind, items in spec.items():
            if kind not in MATCH_KINDS:
                raise inner.fail(
                    kind, f"unknown checker (expected one of {', '.join(MATCH_KINDS)})"
                )
            if not isinstance(items, LineList) or not items:
                raise inner.fail(kind, "must be a non-empty list")
            for i, item in enumerate(items):
                line = items.line_of(i)
                if kind in ("terms", "lemmas", "regex") and (
                    not isinstance(item, str) or not item.strip()
                ):
                    raise inner.fail(kind, f"item {i} must be a non-empty string", line)
                if kind == "regex":
                    try:
                        re.compile(item, REGEX_FLAGS)  # as the engine will: cached once
                    except re.error as exc:
                        raise inner.fail(
                            kind, f"item {i} is not a valid regex: {exc}", line
                        ) from None
                if kind == "tokens" and (
                    not isinstance(item, list) or not all(isinstance(t, dict) for t in item)
                ):
                    raise inner.fail(kind, f"item {i} must be a list of token dicts", line)
            checks[kind] = [_plain(x) for x in items]
        out[lang] = checks
    return out


def _parse_when(f: _Field, value: Any) -> dict[str, list[str]]:
    if value is None:
        return {}
    if not isinstance(value, LineDict):
        raise f.fail("when", f"must be a mapping with keys among {', '.join(WHEN_KEYS)}")
    inner = _Field(f.path, value, f"{f.where}when.")
    out: dict[str, list[str]] = {}
    for key, items in value.items():
        if key not in WHEN_KEYS:
            raise inner.fail(key, f"unknown condition (expected one of {', '.join(WHEN_KEYS)})")
        if isinstance(items, str):
            items = [items]
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise inner.fail(key, "must be a list of ids")
        if key == "phases" and any(p not in PHASES for p in items):
            raise inner.fail(key, f"phases must be among {', '.join(PHASES)}")
        if key == "languages" and any(p not in LANGUAGES for p in items):
            raise inner.fail(key, f"languages must be among {', '.join(LANGUAGES)}")
        out[key] = list(items)
    if "elsewhere" in out and "phases" not in out:
        raise inner.fail("elsewhere", "needs 'phases': it says what must also hold outside them")
    return out


def _parse_texts(f: _Field, key: str, value: Any) -> dict[str, str]:
    if isinstance(value, str) and value.strip():
        return {"en": value.strip(), "fr": value.strip()}
    if (
        isinstance(value, dict)
        and value
        and all(k in LANGUAGES and isinstance(v, str) and v.strip() for k, v in value.items())
    ):
        return {k: v.strip() for k, v in value.items()}
    raise f.fail(key, "required: a string, or a mapping {fr: ..., en: ...}")


def _parse_examples(f: _Field, value: Any) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
    if not isinstance(value, LineDict):
        raise f.fail("examples", "required: {fail: [...], pass: [...]}, at least 2 of each")
    inner = _Field(f.path, value, f"{f.where}examples.")
    result = []
    for key in ("fail", "pass"):
        items = value.get(key)
        if not isinstance(items, LineList) or len(items) < 2:
            raise inner.fail(key, "at least 2 examples are required")
        examples = []
        for i, item in enumerate(items):
            if isinstance(item, str):
                examples.append(Example(text=item))
            elif isinstance(item, dict) and isinstance(item.get("text"), str):
                lang, phase, day = item.get("lang"), item.get("phase"), item.get("date")
                if lang is not None and lang not in LANGUAGES:
                    raise inner.fail(key, f"item {i}: lang must be fr or en", items.line_of(i))
                if phase is not None and phase not in PHASES:
                    raise inner.fail(key, f"item {i}: unknown phase {phase!r}", items.line_of(i))
                if isinstance(day, dt.date):
                    day = day.isoformat()
                if day is not None and not _is_day(str(day)):
                    raise inner.fail(key, f"item {i}: date must be YYYY-MM-DD", items.line_of(i))
                examples.append(Example(item["text"], lang, phase, day))
            else:
                hint = " (quote texts that contain ': ')" if isinstance(item, dict) else ""
                raise inner.fail(
                    key,
                    f"item {i}: a string or {{text, lang, phase, date}}{hint}",
                    items.line_of(i),
                )
        result.append(tuple(examples))
    return result[0], result[1]


def _is_day(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _as_line_dict(value: dict[str, Any]) -> LineDict:
    if isinstance(value, LineDict):
        return value
    out = LineDict(value)
    out.key_lines = {}
    return out


def _plain(value: Any) -> Any:
    """Strip the line-tracking subclasses so spaCy sees ordinary dicts and lists."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
