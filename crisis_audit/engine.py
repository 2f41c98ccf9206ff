"""The engine: posts in, explained verdicts out, with one spaCy pass per post.

Flow per batch: normalise each post's text (`textprep`), detect its language, run the
language's pipeline over the batch with ``nlp.pipe``, run the compiled matchers, drop
negated hits, then evaluate the rules that build on other findings (``when``), score the
categories and hand the findings to the judge (flags, score, band).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from . import regex_store
from .judge import judge
from .langdetect import detect_language
from .matching import NormFolder, TermTokenizer, compile_rules, rule_needs_tags
from .models import CategoryScore, Finding, Post, PostResult
from .negation import has_negation_cue, is_negated
from .rulepack import Rule, RuleError, RuleSet
from .taxonomy import LANGUAGES
from .textprep import PreparedText, prepare

if TYPE_CHECKING:
    from spacy.language import Language

    from .matching import CompiledRules, Hit, Tokens

CATEGORY_THRESHOLD = 0.5
MAX_SHARED_STRINGS = 200_000
NO_SPANS: list[tuple[int, int]] = []  # shared by single-span findings; never mutated
PhaseResolver = Callable[[Post], tuple[str, str]]


def _post_phase(post: Post) -> tuple[str, str]:
    return (post.phase, "post") if post.phase else ("none", "default")


@dataclass
class _Lang:
    nlp: Language
    compiled: CompiledRules

    def docs(self, texts: Iterable[str], batch_size: int) -> Iterator[Any]:
        """The Docs the rules read: the whole pipeline, or only the tokenizer when folding
        does the lookup lemmatizer's work itself (`NormFolder`)."""
        if self.compiled.fold.lemmatizer is not None:
            return map(self.nlp.make_doc, texts)
        return self.nlp.pipe(texts, batch_size=batch_size)


class Engine:
    """Holds the loaded pipelines and compiled matchers; reuse one for many posts."""

    def __init__(
        self,
        ruleset: RuleSet,
        phase_resolver: PhaseResolver | None = None,
        lang: str | None = None,
        default_lang: str = "fr",
        fast: bool = False,
        disabled: Iterable[str] = (),
        severity_overrides: dict[str, str] | None = None,
        batch_size: int = 256,
        context: Any = None,
    ) -> None:
        self.ruleset = ruleset
        self.context = context
        self.rules = {r.code: r for r in ruleset.rules}
        self._strings: dict[str, str] = {}
        # per (rule, language): message template, advice, severity
        self._rule_texts: dict[tuple[str, str], tuple[str, str, str]] = {}
        self.disabled = {self._resolve(key) for key in disabled}
        # how each enabled rule treats negated matches (`Rule.negation`); disabled: absent
        self._negation_of = {
            code: rule.negation for code, rule in self.rules.items() if code not in self.disabled
        }
        self.severity_overrides = {
            self._resolve(k): v for k, v in (severity_overrides or {}).items()
        }
        self.phase_resolver = phase_resolver or _post_phase
        self.forced_lang = lang
        self.default_lang = default_lang
        self.fast = fast
        self.batch_size = batch_size
        self._langs: dict[str, _Lang] = {}
        self._regexes: regex_store.RegexStore | None = None  # read on first use
        self._derived_order = _derived_order(ruleset.rules)
        self._derived_cache: dict[tuple[str, str, frozenset[str]], list[_Derived]] = {}
        self._uses_restrictions = any("restricted" in r.when for r in ruleset.rules)

    def _resolve(self, key: str) -> str:
        rule = self.ruleset.find(key)
        if rule is None:
            raise RuleError(f"no rule has the code or name {key!r}")
        return rule.code

    # -- pipelines ---------------------------------------------------------------------
    def language(self, lang: str) -> _Lang:
        """The pipeline and matchers for `lang`, built on first use."""
        if lang not in self._langs:
            from .pipeline import TableLemmatizer, get_pipeline

            rules = [r for r in self.ruleset.rules if lang in r.languages and r.match.get(lang)]
            needs_tags = any(rule_needs_tags(r, lang) for r in rules)
            # Loading builds a few hundred thousand objects and no garbage cycles: the
            # collector would only rescan them over and over (0.1 s of a cold start).
            collecting = gc.isenabled()
            gc.disable()
            if self._regexes is None:
                self._regexes = regex_store.RegexStore(regex_store.store_key())
            store = self._regexes
            try:
                with store.serving_re():  # spaCy's tokenizer expressions, from earlier runs
                    nlp = get_pipeline(lang, needs_tags=needs_tags, fast=self.fast)
                entry = _Lang(nlp, self._compile(rules, lang, nlp))
                entry.compiled.compile_regex = store.compile
                entry.compiled.remember_regexes(store)
                store.save()
                if nlp.pipe_names == ["lemmatizer"]:
                    lemmatizer = nlp.get_pipe("lemmatizer")
                    if isinstance(lemmatizer, TableLemmatizer):
                        entry.compiled.fold = NormFolder(
                            lemmatizer, write_lemmas=entry.compiled.reads_doc_lemmas
                        )
                self._langs[lang] = entry
            finally:
                if collecting:
                    gc.enable()
        return self._langs[lang]

    def _compile(self, rules: list[Rule], lang: str, nlp: Language) -> CompiledRules:
        """Compile `lang`'s matchers with the term tokens and regex clauses kept on disk
        from earlier runs (`packcache`), and keep the term tokens and keys for the next one."""
        import spacy

        from . import packcache
        from .pipeline import describe

        key = packcache.data_key(
            f"term tokens {lang} {describe(nlp)} spacy {spacy.__version__}",
            code=("pipeline", "fr_tokenizer_speedup", "textprep", "matching"),
        )
        stored = packcache.load(key)
        known, keys = stored if isinstance(stored, tuple) and len(stored) == 2 else (None, None)
        tokenize = TermTokenizer(nlp, known, keys)
        compiled = compile_rules(rules, lang, nlp, self.ruleset.regex_facts, tokenize)
        if tokenize.grew:
            packcache.store(key, (tokenize.known, tokenize.keys))
        return compiled

    def loaded_languages(self) -> list[str]:
        """The languages whose pipeline and matchers this engine has built so far."""
        return sorted(self._langs)

    def pipeline_versions(self) -> dict[str, str]:
        from .pipeline import describe

        return {lang: describe(entry.nlp) for lang, entry in sorted(self._langs.items())}

    # -- auditing ----------------------------------------------------------------------
    def audit(self, posts: Iterable[Post]) -> Iterator[PostResult]:
        """Audit posts lazily, in input order, batch by batch (memory stays flat)."""
        iterator = iter(posts)
        while batch := list(islice(iterator, self.batch_size)):
            yield from self._audit_batch(batch)

    def audit_one(self, post: Post) -> PostResult:
        return next(iter(self._audit_batch([post])))

    def _audit_batch(self, batch: list[Post]) -> list[PostResult]:
        prepared = [prepare(p.text) for p in batch]
        langs = [self._lang_of(p) for p in batch]
        docs: list[Any] = [None] * len(batch)
        for lang in LANGUAGES:
            idx = [i for i, lg in enumerate(langs) if lg == lang]
            if not idx:
                continue
            entry = self.language(lang)
            texts = (prepared[i].text for i in idx)
            for i, doc in zip(idx, entry.docs(texts, self.batch_size), strict=True):
                docs[i] = doc
        return [
            self._judge_post(post, prep, lang, doc)
            for post, prep, lang, doc in zip(batch, prepared, langs, docs, strict=True)
        ]

    def _lang_of(self, post: Post) -> str:
        lang = self.forced_lang or post.lang
        if lang in LANGUAGES:
            return lang
        return detect_language(post.text, self.default_lang)

    def _judge_post(self, post: Post, prep: PreparedText, lang: str, doc: Any) -> PostResult:
        compiled = self.language(lang).compiled
        tokens = compiled.fold(doc)
        phase, decided_by = self.phase_resolver(post)
        restrictions = self.restrictions_of(post, phase)
        hits = compiled.run(doc, prep.text, tokens)
        spans_by_rule = self._hit_spans(hits, doc, tokens, prep, lang)
        findings, suppressed = self._findings(post, lang, phase, spans_by_rule, restrictions)
        fired = {f.rule for f in findings}
        categories = _score_categories(findings, self.rules)
        assigned = {c.id for c in categories}
        findings = [f for f in findings if f.kind != "category" or f.label in assigned]
        result = PostResult(
            post=post,
            lang=lang,
            phase=phase,
            categories=categories,
            findings=findings,
            fired=fired,
        )
        result.extra["phase_source"] = decided_by
        if restrictions:
            result.extra["restrictions"] = sorted(restrictions)
        if post.ignore:
            result.extra["suppressed"] = sorted(set(suppressed))
        judge(result)
        return result

    def _hit_spans(
        self, hits: list[Hit], doc: Any, tokens: Tokens, prep: PreparedText, lang: str
    ) -> dict[str, list[tuple[int, int]]]:
        spans: dict[str, list[tuple[int, int]]] = {}
        negation_of = self._negation_of
        cues: bool | None = None  # does the post hold a negation cue at all (asked once)
        for hit in hits:
            negation = negation_of.get(hit.code)
            if negation is None:
                continue  # a disabled rule
            if hit.char_span is not None:
                char_start, char_end = hit.char_span
            else:
                char_start, char_end = tokens.starts[hit.start], tokens.ends[hit.end - 1]
            if negation != "ignore":
                if cues is None:
                    cues = has_negation_cue(tokens, lang)
                negated = cues and self._negated(hit, doc, tokens, lang)
                if negated if negation == "skip" else not negated:
                    continue
            spans.setdefault(hit.code, []).append(prep.to_original(char_start, char_end))
        for code in spans:
            spans[code] = _merge_spans(spans[code])
        return spans

    @staticmethod
    def _negated(hit: Hit, doc: Any, tokens: Tokens, lang: str) -> bool:
        if hit.char_span is None:
            return is_negated(doc, tokens, hit.start, hit.end, lang)
        span = doc.char_span(*hit.char_span, alignment_mode="expand")
        return span is not None and is_negated(doc, tokens, span.start, span.end, lang)

    def _findings(
        self,
        post: Post,
        lang: str,
        phase: str,
        spans_by_rule: dict[str, list[tuple[int, int]]],
        restrictions: frozenset[str] = frozenset(),
    ) -> tuple[list[Finding], list[str]]:
        """Findings of the post, and the codes its ``ignore`` list suppressed."""
        findings: list[Finding] = []
        labels: dict[str, list[Finding]] = {}
        present: set[str] = set()  # labels a `when` may rely on, kept up to date by `add`
        ignored = self._ignored_codes(post)
        suppressed: list[str] = []

        def add(rule: Rule, spans: list[tuple[int, int]]) -> None:
            if rule.code in ignored:
                suppressed.append(rule.code)
                return
            finding = self._make_finding(rule, post.text, lang, spans)
            findings.append(finding)
            found = labels.setdefault(rule.label, [])
            found.append(finding)
            if _label_present(found, self.rules):
                present.add(rule.label)

        for code, spans in spans_by_rule.items():
            if not self.rules[code].when:
                add(self.rules[code], spans)
        for rule, needs_all, needs_any, needs_none in self._derived_for(phase, lang, restrictions):
            if rule.match:
                matched = spans_by_rule.get(rule.code)
                if not matched or not _labels_hold(present, needs_all, needs_any, needs_none):
                    continue
                add(rule, matched)
            elif _labels_hold(present, needs_all, needs_any, needs_none):
                add(rule, _evidence_spans(rule, labels))
        findings.sort(key=lambda f: (f.start, f.rule))
        return findings, suppressed

    def restrictions_of(self, post: Post, phase: str) -> frozenset[str]:
        """The restrictions in force for the post (`PhaseResolver.restrictions`)."""
        if not self._uses_restrictions:
            return frozenset()
        find = getattr(self.phase_resolver, "restrictions", None)
        return find(post, phase) if find is not None else frozenset()

    def _derived_for(
        self, phase: str, lang: str, restrictions: frozenset[str] = frozenset()
    ) -> list[_Derived]:
        """The derived rules that may fire in `phase` and `lang` under `restrictions`, in
        dependency order, with their label conditions (phase, language and restriction
        conditions are settled here, once)."""
        key = (phase, lang, restrictions)
        found = self._derived_cache.get(key)
        if found is None:
            found = self._derived_cache[key] = [
                (
                    rule,
                    tuple(rule.when.get("all", [])) + extra,
                    tuple(rule.when.get("any", [])),
                    tuple(rule.when.get("none", [])),
                )
                for rule in self._derived_order
                if rule.code not in self.disabled
                and lang in rule.languages
                and (extra := _phase_and_language_extra(rule, phase, lang)) is not None
                and _restriction_holds(rule, restrictions)
            ]
        return found

    def _ignored_codes(self, post: Post) -> set[str]:
        codes = set()
        for key in post.ignore:
            rule = self.ruleset.find(key)
            codes.add(rule.code if rule else key)
        return codes

    def _make_finding(
        self, rule: Rule, text: str, lang: str, spans: list[tuple[int, int]]
    ) -> Finding:
        start, end = spans[0] if spans else (0, 0)
        matched = self._shared(text[start:end])
        if len(spans) > 1:
            all_matched = ", ".join(dict.fromkeys(text[s:e] for s, e in spans))
        else:
            all_matched = matched
        texts = self._rule_texts.get((rule.code, lang))
        if texts is None:
            texts = self._rule_texts[rule.code, lang] = (
                rule.text_for("message", lang),
                rule.text_for("advice", lang),
                self.severity_overrides.get(rule.code, rule.severity),
            )
        template, advice, severity = texts
        return Finding(
            rule=rule.code,
            name=rule.name,
            kind=rule.kind,
            label=rule.label,
            severity=severity,
            start=start,
            end=end,
            text=matched,
            message=self._shared(template.replace("{matched}", all_matched)),
            advice=advice,
            spans=list(spans) if len(spans) > 1 else NO_SPANS,
        )

    def _shared(self, value: str) -> str:
        """One copy of each repeated string (matched words and messages repeat across a
        calendar): keeps memory small on 100k posts. The table is bounded."""
        found = self._strings.get(value)
        if found is not None:
            return found
        if len(self._strings) < MAX_SHARED_STRINGS:
            self._strings[value] = value
        return value


def _label_present(found: list[Finding], rules: dict[str, Rule]) -> bool:
    """May a ``when`` rely on this label? A category counts once it is assigned (its score
    reaches the threshold), so a single weak cue cannot block or trigger another rule;
    flags and notes count as soon as they fire."""
    return found[0].kind != "category" or _noisy_or(found, rules) >= CATEGORY_THRESHOLD


def _noisy_or(findings: list[Finding], rules: dict[str, Rule]) -> float:
    """1 - Π(1 - weight) over the distinct rules of `findings` (tolerates float noise)."""
    rest = 1.0
    for code in {f.rule for f in findings}:
        rest *= 1.0 - rules[code].weight
    return 1.0 - rest + 1e-9


# a derived rule and its `all`, `any` and `none` label conditions
_Derived = tuple[Rule, tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def _labels_hold(
    labels: set[str],
    needs_all: tuple[str, ...],
    needs_any: tuple[str, ...],
    needs_none: tuple[str, ...],
) -> bool:
    for label in needs_all:
        if label not in labels:
            return False
    if needs_any and labels.isdisjoint(needs_any):
        return False
    return labels.isdisjoint(needs_none)


def _restriction_holds(rule: Rule, restrictions: frozenset[str]) -> bool:
    """A rule with ``when.restricted`` fires only while one of its restrictions is in force."""
    needed = rule.when.get("restricted")
    return not needed or not restrictions.isdisjoint(needed)


def _phase_and_language_extra(rule: Rule, phase: str, lang: str) -> tuple[str, ...] | None:
    """None when the rule cannot fire in this phase and language; else the labels it needs
    on top of ``all``: none in its phases, its ``elsewhere`` labels outside them (a
    fear-mongering word counts in a lockdown, or in any period when the post names the
    crisis, not in a Halloween post of 2019)."""
    when = rule.when
    if "languages" in when and lang not in when["languages"]:
        return None
    if "phases" not in when or phase in when["phases"]:
        return ()
    if "elsewhere" in when:
        return tuple(when["elsewhere"])
    return None


def _evidence_spans(rule: Rule, labels: dict[str, list[Finding]]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for label in rule.when.get("all", []) + rule.when.get("any", []):
        for finding in labels.get(label, []):
            spans.extend(finding.all_spans)
    return _merge_spans(spans)


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _score_categories(findings: list[Finding], rules: dict[str, Rule]) -> list[CategoryScore]:
    """Noisy-OR of the weights of the distinct rules that fired for each category."""
    by_label: dict[str, list[Finding]] = {}
    for f in findings:
        if f.kind == "category":
            by_label.setdefault(f.label, []).append(f)
    scores = [
        CategoryScore(label, min(1.0, _noisy_or(found, rules))) for label, found in by_label.items()
    ]
    kept = [c for c in scores if c.score >= CATEGORY_THRESHOLD]
    return sorted(kept, key=lambda c: (-c.score, c.id))


def _derived_order(rules: list[Rule]) -> list[Rule]:
    """Rules with ``when`` conditions, ordered so that producers come before consumers."""
    derived = [r for r in rules if r.when]
    producers: dict[str, list[Rule]] = {}
    for r in derived:
        producers.setdefault(r.label, []).append(r)
    order: list[Rule] = []
    state: dict[str, int] = {}

    def visit(rule: Rule) -> None:
        if state.get(rule.code) == 2:
            return
        if state.get(rule.code) == 1:
            raise RuleError(f"{rule.source}: when: {rule.code} depends on itself through labels")
        state[rule.code] = 1
        for label in sorted(rule.depends_on):
            for producer in producers.get(label, []):
                if producer is not rule:
                    visit(producer)
        state[rule.code] = 2
        order.append(rule)

    for r in derived:
        visit(r)
    return order
