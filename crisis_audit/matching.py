"""Compile the rules of one language into matchers, once, and run them on a Doc.

Checker kinds (one compiler each):

- ``terms``: phrases matched on the folded lowercase form of each token (accents and case
  ignored, so "securite" finds "sécurité"). Plain phrases go into one spaCy PhraseMatcher;
  phrases with a ``*`` (a word prefix, or a gap of up to two tokens) into `SequenceMatcher`.
- ``lemmas``: phrases of lemmas (``rester ouvert``); a word ``a|b`` accepts either lemma, a
  word ``*`` skips up to two tokens. Also `SequenceMatcher`, indexed by first element.
- ``tokens``: raw spaCy token patterns, validated by spaCy; one Matcher per rule, called only
  when the post holds the words the patterns require (`_token_anchors`).
- ``regex``: Python regular expressions over the normalised text (lowercase, hashtags
  expanded), for emoji, codes, prices and constructions; each runs only when the post holds
  a literal of every fixed part its matches need (`regex_prefilter`).

Every shortcut here is exact: the golden test pins every verdict on 400 posts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from .regex_prefilter import (
    LiteralFinder,
    RegexFacts,
    fold_text,
    regex_facts,
    whole_word_language,
)
from .rulepack import REGEX_FLAGS, Rule, RuleError
from .textprep import fold_accents

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .regex_store import RegexStore

TAG_ATTRS = {"LEMMA", "POS", "TAG", "MORPH", "DEP"}


def rule_needs_tags(rule: Rule, lang: str) -> bool:
    """Whether the rule reads lemmas or POS (which need the statistical pipeline)."""
    spec = rule.match.get(lang, {})
    if spec.get("lemmas"):
        return True
    for pattern in spec.get("tokens", []):
        for token in pattern:
            if any(key.upper() in TAG_ATTRS for key in token):
                return True
    return False


@dataclass
class Hit:
    """A raw match: a rule and a token span (or a char span for regex hits)."""

    code: str
    start: int
    end: int
    char_span: tuple[int, int] | None = None


# A sequence element: ("norm", word) exact folded form, ("prefix", start of a folded form),
# ("lemma", lemma), ("lemmas", "a|b") any of these lemmas, ("gap", "") 0-2 tokens.
Element = tuple[str, str]
MAX_GAP = 2
# A wildcard term or lemma phrase, indexed by its first element: rule, the elements after
# it, how far leading gaps reach back, and the words and lemma choices the rest needs.
_Pattern = tuple[str, list[Element], int, frozenset[str], tuple[frozenset[str], ...]]
_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")


class SequenceMatcher:
    """Wildcard terms and lemma phrases, matched in plain Python on token norms and lemmas.

    spaCy's Matcher tries every pattern at every token and evaluates every ``REGEX`` and
    ``IN`` predicate on every token, which made a few hundred rule patterns cost as much as
    the statistical model. Here each pattern is indexed by its first element (a dict lookup
    for words and lemmas; prefixes grouped by their first characters), so only candidates
    are checked. It returns the same (rule, start, end) set as the equivalent
    spaCy patterns (``{"NORM": {"REGEX": "^pre"}}``, ``{"LEMMA": {"IN": [...]}}``,
    ``{"OP": "{0,2}"}``).
    """

    def __init__(self) -> None:
        # first word -> (rule, the elements after it, how far leading gaps reach back)
        self.by_norm: dict[str, list[_Pattern]] = {}
        self.by_prefix: dict[str, list[_Pattern]] = {}
        self.by_lemma: dict[str, list[_Pattern]] = {}
        # the prefixes grouped by their first `head` characters (`head`: the shortest length)
        self.by_head: dict[str, list[tuple[str, list[_Pattern]]]] = {}
        self.head = 0
        # per word seen in posts, the patterns it starts by its form or prefix: a calendar
        # repeats its words, so each is looked up in `by_norm` and `by_head` once
        self._starts: dict[str, list[_Pattern]] = {}

    MAX_WORDS = 200_000  # bounded memory on very varied calendars

    def __bool__(self) -> bool:
        return bool(self.by_norm or self.by_prefix or self.by_lemma)

    def add(self, code: str, elements: list[Element]) -> None:
        lead = 0  # leading gaps: indexed by the first word, the start moved back afterwards
        while lead < len(elements) and elements[lead][0] == "gap":
            lead += 1
        if lead == len(elements):
            return
        kind, value = elements[lead]
        rest = elements[lead + 1 :]
        # what the rest needs somewhere in the post: checked on sets before walking it
        words = frozenset(v for k, v in rest if k == "norm")
        lemmas = tuple(frozenset(v.split("|")) for k, v in rest if k in ("lemma", "lemmas"))
        entry = (code, rest, lead * MAX_GAP, words, lemmas)
        self._starts = {}
        if kind == "norm":
            self.by_norm.setdefault(value, []).append(entry)
        elif kind == "prefix":
            self.by_prefix.setdefault(value, []).append(entry)
            self.by_head = {}  # regrouped on the next call
        else:
            for lemma in value.split("|"):
                self.by_lemma.setdefault(lemma, []).append(entry)

    def _group_prefixes(self) -> None:
        self.head = min(len(p) for p in self.by_prefix)
        for prefix, entries in self.by_prefix.items():
            self.by_head.setdefault(prefix[: self.head], []).append((prefix, entries))

    def __call__(
        self, norms: list[str], lemmas: list[str], words: set[str] | None = None
    ) -> list[tuple[str, int, int]]:
        """Every (rule, start, end) match; `words` is ``set(norms)`` when the caller has it."""
        found: set[tuple[str, int, int]] = set()
        if self.by_prefix and not self.by_head:
            self._group_prefixes()
        if len(self._starts) > self.MAX_WORDS:
            self._starts.clear()
        starts, by_lemma = self._starts, self.by_lemma
        words, lemma_set = words if words is not None else set(norms), set(lemmas)
        for i, norm in enumerate(norms):
            candidates = starts.get(norm)
            if candidates is None:
                candidates = self._started_by(norm)
            by_its_lemma = by_lemma.get(lemmas[i])
            if by_its_lemma:
                candidates = candidates + by_its_lemma
            for code, rest, back, needs_words, needs_lemmas in candidates:
                if not needs_words <= words:
                    continue  # a word of the pattern is nowhere in the post
                if needs_lemmas and not all(not lemma_set.isdisjoint(o) for o in needs_lemmas):
                    continue
                for end in _ends(norms, lemmas, i + 1, rest):
                    for start in range(max(0, i - back), i + 1):
                        found.add((code, start, end))
        return sorted(found, key=lambda hit: (hit[1], hit[2], hit[0]))

    def _started_by(self, norm: str) -> list[_Pattern]:
        """The patterns whose first element is `norm` or a prefix of it (remembered)."""
        entries = self.by_norm.get(norm, _NO_ENTRIES)
        head = self.head
        if head and len(norm) >= head and (prefixed := self.by_head.get(norm[:head])):
            for prefix, more in prefixed:
                if norm.startswith(prefix):
                    entries = entries + more
        self._starts[norm] = entries
        return entries


_NO_ENTRIES: list[_Pattern] = []


def _element_matches(kind: str, value: str, norm: str, lemma: str) -> bool:
    if kind == "norm":
        return norm == value
    if kind == "prefix":
        return norm.startswith(value)
    if kind == "lemma":
        return lemma == value
    return lemma in value.split("|")


def _ends(norms: list[str], lemmas: list[str], i: int, elements: list[Element]) -> list[int]:
    """Every end position where `elements` match from token `i`."""
    if not elements:
        return [i]
    (kind, value), rest = elements[0], elements[1:]
    if kind == "gap":
        out: list[int] = []
        for skip in range(MAX_GAP + 1):
            if i + skip <= len(norms):
                out.extend(_ends(norms, lemmas, i + skip, rest))
        return out
    if i < len(norms) and _element_matches(kind, value, norms[i], lemmas[i]):
        return _ends(norms, lemmas, i + 1, rest)
    return []


class Tokens:
    """What the engine reads of a Doc, as plain lists: folded norms and lemmas, each token's
    character start and end in the analysed text and whether it is punctuation."""

    __slots__ = ("_words", "ends", "lemmas", "norms", "punct", "starts")

    def __init__(
        self,
        norms: list[str],
        lemmas: list[str],
        starts: list[int] | None = None,
        ends: list[int] | None = None,
        punct: list[bool] | None = None,
    ) -> None:
        self.norms = norms
        self.lemmas = lemmas
        self.starts = starts if starts is not None else []
        self.ends = ends if ends is not None else []
        self.punct = punct if punct is not None else []
        self._words: set[str] | None = None

    @property
    def words(self) -> set[str]:
        """The distinct norms, built once: the matchers and the negation check all ask."""
        if self._words is None:
            self._words = set(self.norms)
        return self._words


class LookupLemmatizer(Protocol):
    """A lemmatizer whose lemma depends on the token's text alone (`TableLemmatizer`)."""

    def lemma_text(self, text: str) -> str: ...

    def __call__(self, doc: Doc) -> Doc: ...


# What NormFolder remembers of a vocabulary entry: folded form and its hash, length,
# punctuation, and (with a lookup lemmatizer) the lemma and its hash.
_Entry = tuple[str, int, int, bool, str, int]


def hash_column(values: list[int]) -> Any:
    """Hashes as the one-column array ``Doc.from_array`` writes a single attribute from."""
    import numpy

    return numpy.array(values, dtype=numpy.uint64).reshape(-1, 1)


class NormFolder:
    """Set each token's NORM to its folded lowercase text (after the model has run, since
    tok2vec reads NORM as a feature) and read the norms, lemmas and layout back, a whole Doc
    at a time: hashes are read and written as arrays, and what depends on the vocabulary
    entry alone is computed once per entry (a post is mostly words seen before).

    With a lookup `lemmatizer` (no model: English, `--fast`), whose lemma depends on the
    token's text alone, the lemma is part of that per-entry work, and the pipeline skips
    its own lemmatizer component (`_Lang.docs`): one pass over the tokens instead of two.
    With no model reading NORM, the folded form is then set once on the vocabulary entry
    (tokens read their entry's NORM), and lemmas are written to the Doc only when a token
    pattern reads them (`write_lemmas`): most Docs need no writing at all.
    """

    MAX_ENTRIES = 500_000  # bounded memory on very large, very varied calendars

    def __init__(
        self, lemmatizer: LookupLemmatizer | None = None, write_lemmas: bool = True
    ) -> None:
        self.lemmatizer = lemmatizer
        self.write_lemmas = write_lemmas
        self._entries: dict[int, _Entry] = {}
        self._strings: dict[int, str] = {}

    def __call__(self, doc: Doc) -> Tokens:
        if not len(doc):
            return Tokens([], [])
        from spacy.attrs import IDX, LEMMA, NORM, ORTH

        if len(self._entries) > self.MAX_ENTRIES or len(self._strings) > self.MAX_ENTRIES:
            self._entries.clear()
            self._strings.clear()
        # one column per attribute: four lists, not one small list per token
        orths, lemma_ids, starts, doc_norms = doc.to_array([ORTH, LEMMA, IDX, NORM]).T.tolist()
        known, new = self._entries.get, self._entry
        entries = [known(orth) or new(doc, orth) for orth in orths]
        norms = [entry[0] for entry in entries]
        norm_ids = [entry[1] for entry in entries]
        ends = [start + entry[2] for start, entry in zip(starts, entries, strict=True)]
        punct = [entry[3] for entry in entries]
        if self.lemmatizer is not None and not any(lemma_ids):
            if norm_ids != doc_norms:  # a NORM the tokenizer set itself
                doc.from_array([NORM], hash_column(norm_ids))
            if self.write_lemmas:
                doc.from_array([LEMMA], hash_column([entry[5] for entry in entries]))
            return Tokens(norms, [entry[4] for entry in entries], starts, ends, punct)
        if self.lemmatizer is not None:  # lemmas set already: the component's own rule
            self.lemmatizer(doc)
            lemma_ids = doc.to_array(LEMMA).tolist()
        string_of, spell = self._strings.get, self._string
        lemmas = [string_of(lemma) or spell(doc, lemma) for lemma in lemma_ids]
        doc.from_array([NORM], hash_column(norm_ids))
        return Tokens(norms, lemmas, starts, ends, punct)

    def _entry(self, doc: Doc, orth: int) -> _Entry:
        strings = doc.vocab.strings
        text = strings[orth]
        norm = fold_accents(text)
        lexeme = doc.vocab[orth]
        lemma = ""
        if self.lemmatizer is not None:  # no model reads NORM: the entry carries the fold
            lemma = self.lemmatizer.lemma_text(text)
            lexeme.norm_ = norm
        entry = self._entries[orth] = (
            norm,
            strings.add(norm),
            len(text),
            bool(lexeme.is_punct),
            lemma,
            strings.add(lemma) if self.lemmatizer is not None else 0,
        )
        return entry

    def _string(self, doc: Doc, key: int) -> str:
        text = self._strings[key] = doc.vocab.strings[key]
        return text


@dataclass
class CompiledRules:
    """The matchers of one language, built from every rule that has patterns for it."""

    lang: str
    fold: NormFolder = field(default_factory=NormFolder)
    phrase_matcher: Any = None
    # (rule, its spaCy Matcher, per pattern the word sets it cannot match without, and the
    # words one of which every pattern needs first, None when some pattern needs none)
    token_matchers: list[tuple[str, Any, list[list[frozenset[str]]], frozenset[str] | None]] = (
        field(default_factory=list)
    )
    reads_doc_lemmas: bool = False  # a token pattern reads LEMMA from the Doc
    sequences: SequenceMatcher = field(default_factory=SequenceMatcher)
    regexes: list[tuple[str, str]] = field(default_factory=list)  # (rule, pattern)
    regex_plan: list[tuple[str, str]] = field(default_factory=list)
    # Each planned regex compiled the first time a post may match it: a draft needs a
    # handful of the few hundred, and ``re`` spends 0.1 s compiling them all.
    regex_compiled: list[re.Pattern[str] | None] = field(default_factory=list)
    # what each regex needs and its first-character lookahead, when already worked out
    # (`RuleSet.regex_facts`)
    known_regexes: dict[str, RegexFacts] = field(default_factory=dict)
    regex_always: list[int] = field(default_factory=list)
    regex_by_literal: dict[str, list[int]] = field(default_factory=dict)
    # per planned regex, the other literal sets it needs one of each of (`required_clauses`)
    regex_also_needs: list[list[frozenset[str]]] = field(default_factory=list)
    literal_finder: LiteralFinder = field(default_factory=lambda: LiteralFinder(()))
    compile_regex: Callable[[str, int], re.Pattern[str]] = re.compile  # `regex_store`

    def remember_regexes(self, store: RegexStore) -> None:
        """Have `store` keep every planned regex's code (compiled once, on the first run),
        so that a later run restores each one it needs instead of compiling it."""
        for index in range(len(self.regex_plan)):
            store.remember(self._guarded(index), REGEX_FLAGS)

    def _guarded(self, index: int) -> str:
        """The planned regex `index` behind its first-character lookahead."""
        pattern = self.regex_plan[index][1]
        return self._facts(pattern).guard + pattern

    def _facts(self, pattern: str) -> RegexFacts:
        known = self.known_regexes.get(pattern)
        return known if known is not None else regex_facts(pattern, REGEX_FLAGS)

    def build_prefilter(self) -> None:
        """Attach to each regex the literal sets its matches need (`regex_prefilter`): a
        regex runs only when the post holds a literal of each. Regexes with backreferences
        run last, as they always have."""
        ordered = [r for r in self.regexes if not _BACKREFERENCE.search(r[1])]
        ordered += [r for r in self.regexes if _BACKREFERENCE.search(r[1])]
        self.regex_plan = ordered
        self.regex_compiled = [None] * len(ordered)
        self.regex_always = []
        self.regex_by_literal = {}
        self.regex_also_needs = []
        words: set[str] = set()
        for index, (_code, pattern) in enumerate(ordered):
            clauses = self._facts(pattern).clauses
            self.regex_also_needs.append(clauses[1:] if clauses else [])
            if not clauses:
                self.regex_always.append(index)
                continue
            for literal in clauses[0]:
                self.regex_by_literal.setdefault(literal, []).append(index)
            words.update(*clauses)
        self.literal_finder = LiteralFinder(words)

    def run(self, doc: Doc, analysed_text: str, tokens: Tokens) -> list[Hit]:
        """All hits in a Doc; `tokens` are its folded forms and lemmas (`NormFolder`)."""
        norms, lemmas = tokens.norms, tokens.lemmas
        hits: list[Hit] = []
        strings = doc.vocab.strings
        if self.phrase_matcher is not None:
            for match_id, start, end in self.phrase_matcher(doc):
                hits.append(Hit(strings[match_id], start, end))
        if self.token_matchers:
            words = tokens.words
            for code, matcher, anchors, gate in self.token_matchers:
                if gate is not None and words.isdisjoint(gate):
                    continue  # no pattern's first required word: most posts stop here
                if any(all(not words.isdisjoint(a) for a in need) for need in anchors):
                    hits.extend(Hit(code, start, end) for _, start, end in matcher(doc))
        if self.sequences:
            hits.extend(
                Hit(code, a, b) for code, a, b in self.sequences(norms, lemmas, tokens.words)
            )
        if self.regex_plan:
            selected = set(self.regex_always)
            by_literal = self.regex_by_literal
            present = self.literal_finder(fold_text(analysed_text))
            for literal in present & by_literal.keys():  # the literals that index a regex
                selected.update(by_literal[literal])
            also_needs = self.regex_also_needs
            for index in sorted(selected):
                for clause in also_needs[index]:
                    if present.isdisjoint(clause):
                        break  # a part every match needs is missing: it cannot match
                else:
                    self._run_regex(index, analysed_text, hits)
        return hits

    def _run_regex(self, index: int, analysed_text: str, hits: list[Hit]) -> None:
        code = self.regex_plan[index][0]
        regex = self.regex_compiled[index]
        if regex is None:
            regex = self.regex_compiled[index] = self.compile_regex(
                self._guarded(index), REGEX_FLAGS
            )
        for m in regex.finditer(analysed_text):
            if m.end() > m.start():
                hits.append(Hit(code, 0, 0, (m.start(), m.end())))


class TermTokenizer:
    """The tokens the pipeline's tokenizer makes of rule terms, remembered in `known`, and
    their folded NORM hashes, remembered in `keys`.

    Tokenising the few thousand terms of the packs was a quarter of a cold start (spaCy's
    tokenizer is slow on words it has not seen yet), folding them 0.03 s more per language;
    the engine keeps both on disk (`packcache`) for the same tokenizer, and `grew` says when
    to store them."""

    def __init__(
        self,
        nlp: Language,
        known: dict[str, tuple[str, ...]] | None = None,
        keys: dict[str, list[int]] | None = None,
    ) -> None:
        self.nlp = nlp
        self.known = known if known is not None else {}
        self.keys = keys if keys is not None else {}
        self.grew = False

    def __call__(self, text: str) -> tuple[str, ...]:
        tokens = self.known.get(text)
        if tokens is None:
            tokens = self.known[text] = tuple(t.text for t in self.nlp.make_doc(text))
            self.grew = True
        return tokens

    def norm_keys(self, text: str) -> list[int]:
        """The NORM hashes a post's tokens have, once folded (`NormFolder`), where `text`
        matches: what the PhraseMatcher compares. Handing it these hashes instead of a Doc
        per term spares building a vocabulary entry for every word of every term. (A hash
        is the string's, whether or not the string is in the vocabulary's store.)"""
        found = self.keys.get(text)
        if found is None:
            strings = self.nlp.vocab.strings
            found = self.keys[text] = [strings.add(fold_accents(t)) for t in self(text)]
            self.grew = True
        return found


def compile_rules(
    rules: list[Rule],
    lang: str,
    nlp: Language,
    known_regexes: dict[str, RegexFacts] | None = None,
    tokenize: TermTokenizer | None = None,
) -> CompiledRules:
    """Build the matchers for `lang`; a bad token pattern raises `RuleError` naming the rule.
    `known_regexes` are the regexes' prefilter clauses and lookaheads when already worked
    out (`RuleSet.regex_facts`), `tokenize` a term tokenizer with the tokens of terms
    already seen."""
    from spacy.matcher import Matcher, PhraseMatcher

    tokenize = tokenize or TermTokenizer(nlp)
    compiled = CompiledRules(lang=lang, known_regexes=known_regexes or {})
    phrase_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
    has_phrases = False
    for rule in rules:
        spec = rule.match.get(lang)
        if not spec:
            continue
        phrases = []
        for term in spec.get("terms", []):
            if "*" in term:
                compiled.sequences.add(rule.code, _wildcard_elements(term, tokenize))
            else:
                phrases.append(tokenize.norm_keys(fold_accents(term.strip())))
        for phrase in spec.get("lemmas", []):
            compiled.sequences.add(rule.code, _lemma_elements(phrase, tokenize))
        if phrases:
            # Sequences of attribute hashes are patterns as they are (phrasematcher.pyx
            # turns a Doc into exactly that); the stub only names Docs.
            phrase_matcher.add(rule.code, phrases)  # type: ignore[arg-type]
            has_phrases = True
        if spec.get("tokens"):
            matcher = Matcher(nlp.vocab, validate=True)
            try:
                matcher.add(rule.code, spec["tokens"])
            except ValueError as exc:
                first = str(exc).strip().splitlines()
                raise RuleError(
                    f"{rule.source}: match.{lang}: invalid token pattern in {rule.code}: "
                    f"{' '.join(first[-3:])}"
                ) from None
            anchors = [_token_anchors(pattern) for pattern in spec["tokens"]]
            gate = frozenset().union(*(need[0] for need in anchors)) if all(anchors) else None
            compiled.token_matchers.append((rule.code, matcher, anchors, gate))
            compiled.reads_doc_lemmas |= any(
                key.upper() == "LEMMA"
                for pattern in spec["tokens"]
                for token in pattern
                for key in token
            )
        for expr in spec.get("regex", []):
            compiled.regexes.append((rule.code, expr))  # validated with the pack
    compiled.phrase_matcher = phrase_matcher if has_phrases else None
    compiled.build_prefilter()
    return compiled


def _wildcard_elements(term: str, tokenize: TermTokenizer) -> list[Element]:
    """A term with ``*`` wildcards as matcher elements; each word is tokenised like the posts
    ("we'll" is two tokens), and a trailing ``*`` makes its last token a prefix."""
    elements: list[Element] = []
    for word in fold_accents(term).split():
        if word == "*":
            elements.append(("gap", ""))
            continue
        is_prefix = word.endswith("*")
        tokens = tokenize(word.rstrip("*")) or (word.rstrip("*"),)
        for i, token in enumerate(tokens):
            last = i == len(tokens) - 1
            elements.append(("prefix", token) if is_prefix and last else ("norm", token))
    return elements


def _lemma_elements(phrase: str, tokenize: TermTokenizer) -> list[Element]:
    """A lemma phrase as matcher elements; a hyphenated lemma ("week-end") becomes the
    tokens the tokenizer makes of it."""
    elements: list[Element] = []
    for word in phrase.split():
        if word == "*":
            elements.append(("gap", ""))
        elif "|" in word:
            elements.append(("lemmas", word))
        else:
            elements.extend(("lemma", t) for t in tokenize(word))
    return elements


_WORD_ATTRS = {"NORM", "LOWER", "ORTH", "TEXT"}


def _token_anchors(pattern: list[dict[str, Any]]) -> list[frozenset[str]]:
    """Word sets a token pattern needs: for each token it requires exactly once with a
    word attribute from a finite set (``"de"``, ``{"IN": [...]}``, a ``^...$`` regex with
    finitely many words), the set of folded forms, one of which the post must hold.

    spaCy's Matcher tries every pattern at every token; a pattern whose required words are
    all absent cannot match, so its Matcher is not called (exact, and it is most posts)."""
    anchors = []
    for token in pattern:
        if "OP" in token:
            continue
        for attr, value in token.items():
            if attr not in _WORD_ATTRS:
                continue
            words = _finite_words(value)
            if words:
                anchors.append(frozenset(fold_accents(w) for w in words))
    return anchors


def _finite_words(value: Any) -> set[str] | None:
    if isinstance(value, str):
        return {value}
    if not isinstance(value, dict) or len(value) != 1:
        return None
    ((op, arg),) = value.items()
    if op == "IN" and isinstance(arg, list) and all(isinstance(v, str) for v in arg):
        return set(arg)
    if op == "REGEX" and isinstance(arg, str):
        words = whole_word_language(arg)
        return (
            words if words and all(w and not any(c.isspace() for c in w) for w in words) else None
        )
    return None
