"""Turn a raw post into the text spaCy analyses, keeping a map back to the original.

Social posts break a stock pipeline in known ways (see ``shared/nlp-notes.md``):
hashtags are split and mis-lemmatised, capitals make imperatives look like proper nouns,
emoji carry invisible variation selectors, apostrophes come in two shapes. We therefore
analyse a *normalised* copy of the text and map every character of it back to the original,
so findings always point at the words the user wrote.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_HASHTAG = re.compile(r"(?<![\w&])#(\w[\w'’]*)", re.UNICODE)
_CAMEL = re.compile(r"[A-ZÀ-ÖØ-Þ]+(?![a-zß-ÿ])|[A-ZÀ-ÖØ-Þ]?[a-zß-ÿ]+|\d+", re.UNICODE)
_INVISIBLE = {"\ufe0f", "\ufe0e", "\u200d", "\u200b", "\u00ad"}
_APOSTROPHES = {"’": "'", "ʼ": "'", "‘": "'", "`": "'"}
_SPACES = {"\u00a0": " ", "\u202f": " ", "\u2009": " "}


@dataclass
class PreparedText:
    """The analysed text and, for each of its characters, the index in the original."""

    original: str
    text: str
    offsets: list[int]
    hashtags: list[tuple[int, int]]
    one_for_one: bool = False  # offsets[i] == i and no hashtag: spans map to themselves

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the analysed text to the original text."""
        if not self.offsets:
            return 0, 0
        start = max(0, min(start, len(self.offsets) - 1))
        end = max(start + 1, min(end, len(self.offsets)))
        if self.one_for_one:
            return start, end
        o_start = self.offsets[start]
        o_end = self.offsets[end - 1] + 1
        # A match inside an expanded hashtag shows the whole hashtag.
        for h_start, h_end in self.hashtags:
            if h_start <= o_start < h_end or h_start < o_end <= h_end:
                o_start, o_end = min(o_start, h_start), max(o_end, h_end)
        return o_start, o_end


def split_hashtag(body: str) -> list[str]:
    """``RestezChezVous`` -> ``["Restez", "Chez", "Vous"]``; ``confinement`` stays whole."""
    body = body.replace("_", " ")
    parts = _CAMEL.findall(body)
    return parts or [body]


@lru_cache(maxsize=200_000)
def fold_accents(text: str) -> str:
    """Lowercase and strip diacritics: the form term lists are matched on."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("œ", "oe")


def prepare(text: str) -> PreparedText:
    """Build the analysis text: hashtags expanded to words, invisible marks dropped,
    apostrophes and spaces unified, everything lowercased (capitals and ALL-CAPS posts
    otherwise turn imperatives into proper nouns for the French tagger)."""
    out: list[str] = []  # pieces of the analysed text, none empty
    offsets: list[int] = []  # one per character of the analysed text

    def emit(chars: str, origin: int) -> None:
        if chars:
            out.append(chars)
            offsets.extend([origin] * len(chars))

    if "#" not in text:
        plain = _plain_fast(text, 0, len(text))
        if plain is not None:
            return PreparedText(
                original=text,
                text=plain,
                offsets=list(range(len(text))),
                hashtags=[],
                one_for_one=True,
            )

    pos = 0
    hashtags: list[tuple[int, int]] = []
    for m in _HASHTAG.finditer(text):
        hashtags.append((m.start(), m.end()))
        _emit_plain(text, pos, m.start(), out, offsets)
        body_start = m.start(1)
        words = split_hashtag(m.group(1))
        cursor = body_start
        for i, word in enumerate(words):
            found = text.find(word, cursor, m.end()) if word else -1
            origin = found if found >= 0 else cursor
            if i > 0 or (out and not out[-1][-1].isspace()):
                emit(" ", origin if i > 0 else m.start())
            for j, c in enumerate(word):
                emit(_normalise_char(c), min(origin + j, m.end() - 1))
            cursor = origin + len(word)
        emit(" ", m.end() - 1)
        pos = m.end()
    _emit_plain(text, pos, len(text), out, offsets)
    return PreparedText(original=text, text="".join(out), offsets=offsets, hashtags=hashtags)


_TRANSLATE = str.maketrans({**_APOSTROPHES, **_SPACES})
_NEEDS_SLOW_PATH = re.compile("[" + "".join(_INVISIBLE) + "Σ]")


def _plain_fast(text: str, start: int, end: int) -> str | None:
    """The normalised segment when it maps one character to one (the usual case), else
    None so that the character-by-character path handles it."""
    segment = text[start:end]
    return None if _NEEDS_SLOW_PATH.search(segment) else _one_for_one(segment)


def _one_for_one(segment: str) -> str | None:
    """`segment` normalised at once, when that maps each character to one (no capital
    sigma, no invisible mark, no character whose lowercase is longer), else None."""
    lowered = segment.translate(_TRANSLATE).lower()
    return lowered if len(lowered) == len(segment) else None


def _normalise_char(c: str) -> str:
    c = _APOSTROPHES.get(c, c)
    c = _SPACES.get(c, c)
    return c.lower() if len(c.lower()) == 1 else c


def _emit_plain(text: str, start: int, end: int, out: list[str], offsets: list[int]) -> None:
    """Append the normalised text[start:end] to `out` and its origins to `offsets`: runs
    between the characters that need care (invisible marks, dropped; capital sigma, alone)
    go at once when they map one character to one, else character by character."""
    run = start
    for mark in _NEEDS_SLOW_PATH.finditer(text, start, end):
        _emit_run(text, run, mark.start(), out, offsets)
        if mark.group() not in _INVISIBLE:
            out.append(_normalise_char(mark.group()))
            offsets.append(mark.start())
        run = mark.end()
    _emit_run(text, run, end, out, offsets)


def _emit_run(text: str, start: int, end: int, out: list[str], offsets: list[int]) -> None:
    if start >= end:
        return
    lowered = _one_for_one(text[start:end])
    if lowered is not None:
        out.append(lowered)
        offsets.extend(range(start, end))
        return
    for i in range(start, end):
        out.append(_normalise_char(text[i]))
        offsets.append(i)
