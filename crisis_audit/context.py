"""Crisis contexts: which phase is in force on a date, and which words acknowledge the crisis.

A context is a YAML file (``contexts/covid19-fr.yaml`` is the default; ``contexts/template.yaml``
explains the fields): a name, the vocabulary that counts as acknowledging the crisis per
language, and dated phases (``acute``, ``reprieve``, ``recovery``). Dates outside every range
are phase ``none``. Bad dates, unknown phases and overlapping ranges are reported with file,
line and field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import packcache
from .models import Post
from .rulepack import Rule
from .taxonomy import LANGUAGES, PHASES
from .yamlsafe import LineDict, LineList, YamlError, load_yaml

CONTEXT_FIELDS = {"name", "description", "version", "acknowledge", "phases"}
PERIOD_FIELDS = {"phase", "start", "end", "label", "restrictions"}
# What a restriction name may look like (rules name them in ``when.restricted``).
_RESTRICTION = re.compile(r"^[a-z][a-z0-9_]*$")
ACK_RULE_CODE = "CTX01"


class ContextError(ValueError):
    """A crisis context problem, phrased as ``file:line: field: reason``."""


@dataclass(frozen=True)
class Period:
    phase: str
    start: dt.date
    end: dt.date
    label: str = ""
    # What the rules in force forbid or limit in this period (``dining_in_closed``,
    # ``curfew``…): rules with ``when.restricted`` fire only while one of theirs holds.
    restrictions: frozenset[str] = frozenset()


@dataclass
class CrisisContext:
    name: str
    periods: list[Period]
    acknowledge: dict[str, list[str]] = field(default_factory=dict)
    version: str = ""
    source: str = ""
    digest: str = ""  # of the file's bytes; the result cache keys on it

    def phase_on(self, day: dt.date) -> tuple[str, Period | None]:
        """The phase in force on `day` and the period that says so (``none`` outside all)."""
        for period in self.periods:
            if period.start <= day <= period.end:
                return period.phase, period
        return "none", None

    def ack_rule(self) -> Rule:
        """The context's acknowledgement vocabulary as a rule producing ``crisis_ack`` notes."""
        match = {lang: {"terms": list(terms)} for lang, terms in self.acknowledge.items() if terms}
        return Rule(
            code=ACK_RULE_CODE,
            name="context.crisis_acknowledged",
            kind="note",
            label="crisis_ack",
            summary=f"Mentions the crisis of the context ({self.name}).",
            why="A post that names the situation is not living in another galaxy.",
            severity="info",
            languages=tuple(match),
            weight=1.0,
            match=match,
            when={},
            negation="ignore",
            message={
                "fr": f"Mentionne la crise ({self.name}) : « {{matched}} ».",
                "en": f"Acknowledges the crisis ({self.name}): “{{matched}}”.",
            },
            advice={"fr": "", "en": ""},
            fail_examples=(),
            pass_examples=(),
            source=self.source,
        )

    def unmet_restrictions(self, rules: Iterable[Rule]) -> list[str]:
        """One line per rule waiting for a restriction no period of this context lists: such
        a rule can never fire here (a misspelt name, or a context that does not model it)."""
        known = set().union(*(p.restrictions for p in self.periods))
        lines = []
        for rule in rules:
            wanted = rule.when.get("restricted", [])
            missing = [name for name in wanted if name not in known]
            if missing:
                names = ", ".join(repr(name) for name in missing)
                never = ": it can never fire" if len(missing) == len(wanted) else ""
                lines.append(
                    f"{rule.source}: {rule.code} waits for {names}, which no period of the "
                    f"context {self.name!r} lists{never}"
                )
        return lines

    def describe(self) -> dict[str, Any]:
        return {
            "crisis": self.name,
            "context_version": self.version,
            "context_file": self.source,
            "periods": [
                {
                    "phase": p.phase,
                    "start": p.start.isoformat(),
                    "end": p.end.isoformat(),
                    "label": p.label,
                    **({"restrictions": sorted(p.restrictions)} if p.restrictions else {}),
                }
                for p in self.periods
            ],
        }


def default_context_path() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "_contexts", here.parent / "contexts"):
        if (candidate / "covid19-fr.yaml").is_file():
            return candidate / "covid19-fr.yaml"
    raise ContextError(f"{here}: the bundled crisis context covid19-fr.yaml is missing")


def load_context(path: Path | None = None) -> CrisisContext:
    """Load and validate a crisis context file (the bundled COVID-19 one by default).

    A context that validated is kept in the pack cache under a hash of its path and bytes,
    so a later run neither parses it nor imports the YAML parser."""
    path = path or default_context_path()
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return _parse_context(path)  # reports the unreadable file
    key = packcache.data_key(
        f"context {path}\x00{path.resolve()}\x00{digest}", code=("context", "yamlsafe", "taxonomy")
    )
    cached = packcache.load(key)
    if isinstance(cached, CrisisContext):
        return cached
    context = _parse_context(path)
    context.digest = digest
    packcache.store(key, context)
    return context


def _parse_context(path: Path) -> CrisisContext:
    try:
        data = load_yaml(path)
    except YamlError as exc:
        raise ContextError(str(exc)) from None
    if not isinstance(data, LineDict):
        raise ContextError(f"{path}:1: context: the file must be a mapping")

    def fail(mapping: LineDict, key: str, reason: str, where: str = "") -> ContextError:
        return ContextError(f"{path}:{mapping.line_of(key)}: {where}{key}: {reason}")

    for key in data:
        if key not in CONTEXT_FIELDS:
            raise fail(data, key, f"unknown field (expected {', '.join(sorted(CONTEXT_FIELDS))})")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail(data, "name", "required, the crisis's name")
    ack = data.get("acknowledge", {})
    if not isinstance(ack, LineDict):
        raise fail(data, "acknowledge", "must map a language (fr, en) to a list of words")
    acknowledge: dict[str, list[str]] = {}
    for lang, words in ack.items():
        if lang not in LANGUAGES:
            raise fail(ack, lang, "unknown language", "acknowledge.")
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise fail(ack, lang, "must be a list of words or phrases", "acknowledge.")
        acknowledge[lang] = [w.strip() for w in words]
    raw_periods = data.get("phases", [])
    if not isinstance(raw_periods, LineList):
        raise fail(data, "phases", "must be a list of {phase, start, end}")
    periods: list[tuple[Period, int]] = []
    for i, raw in enumerate(raw_periods):
        where = f"phases[{i}]."
        if not isinstance(raw, LineDict):
            raise ContextError(f"{path}:{raw_periods.line_of(i)}: phases[{i}]: must be a mapping")
        for key in raw:
            if key not in PERIOD_FIELDS:
                raise fail(
                    raw,
                    key,
                    "unknown field (expected phase, start, end, label, restrictions)",
                    where,
                )
        phase = raw.get("phase")
        if phase not in PHASES or phase == "none":
            raise fail(raw, "phase", f"unknown phase {phase!r} (acute, reprieve, recovery)", where)
        start = _date(raw, "start", path, where)
        end = _date(raw, "end", path, where)
        if end < start:
            raise fail(raw, "end", f"{end} is before start {start}", where)
        restrictions = raw.get("restrictions", [])
        if not isinstance(restrictions, list) or not all(
            isinstance(r, str) and _RESTRICTION.match(r) for r in restrictions
        ):
            raise fail(raw, "restrictions", "must be a list of names like dining_in_closed", where)
        period = Period(phase, start, end, str(raw.get("label", "")), frozenset(restrictions))
        periods.append((period, raw.line))
    ordered = sorted(periods, key=lambda p: p[0].start)
    for (prev, _), (cur, line) in itertools.pairwise(ordered):
        if cur.start <= prev.end:
            raise ContextError(
                f"{path}:{line}: phases.start: {cur.phase} from {cur.start} overlaps "
                f"{prev.phase} {prev.start}..{prev.end}"
            )
    return CrisisContext(
        name=name.strip(),
        periods=[p for p, _ in ordered],
        acknowledge=acknowledge,
        version=str(data.get("version", "")),
        source=str(path),
    )


def _date(raw: LineDict, key: str, path: Path, where: str) -> dt.date:
    value = raw.get(key)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ContextError(
        f"{path}:{raw.line_of(key)}: {where}{key}: {value!r} is not a date (YYYY-MM-DD)"
    )


_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")


@lru_cache(maxsize=8192)
def parse_post_date(value: str) -> dt.date | None:
    """The calendar day of a post's ISO date or date-time (``2020-03`` means the 1st).
    Cached: a calendar repeats its dates, and each post's is read twice."""
    m = _DATE_PREFIX.match(value.strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    except ValueError:
        return None


@dataclass
class PhaseResolver:
    """Decides a post's phase: ``--phase``, else the post's phase, else its date, else
    ``--date`` (default today), each against the context. Returns (phase, decided_by)."""

    context: CrisisContext
    forced_phase: str | None = None
    run_date: dt.date | None = None
    run_date_source: str = "today"
    _restrictions: dict[tuple[dt.date, str], frozenset[str]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __call__(self, post: Post) -> tuple[str, str]:
        if self.forced_phase:
            return self.forced_phase, "--phase"
        if post.phase:
            return post.phase, "post phase"
        day, source = self._dated(post) or (dt.date.today(), self.run_date_source)
        return self.context.phase_on(day)[0], _decided_by(source, day)

    def _dated(self, post: Post) -> tuple[dt.date, str] | None:
        """The day that dates `post` and what says so: its own date, else ``--date``."""
        if post.date and (day := parse_post_date(post.date)) is not None:
            return day, "post date"
        return (self.run_date, self.run_date_source) if self.run_date is not None else None

    def restrictions(self, post: Post, phase: str) -> frozenset[str]:
        """The restrictions in force for `post`: those of the period its date (else
        ``--date``, else today when nothing else decided its phase) falls in, when that
        period's phase is the post's. A phase given with no date at all has none known."""
        dated = self._dated(post)
        if dated is None and (self.forced_phase or post.phase):
            return frozenset()
        day = dated[0] if dated is not None else dt.date.today()
        found = self._restrictions.get((day, phase))
        if found is None:
            period_phase, period = self.context.phase_on(day)
            found = period.restrictions if period and period_phase == phase else frozenset()
            if len(self._restrictions) < 100_000:
                self._restrictions[day, phase] = found
        return found


@lru_cache(maxsize=8192)
def _decided_by(what: str, day: dt.date) -> str:
    """``post date 2020-03-25``; cached, as a calendar repeats its dates."""
    return f"{what} {day.isoformat()}"
