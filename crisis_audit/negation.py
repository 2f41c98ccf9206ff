"""Is a matched span negated? A small window rule, because no French negation model exists.

French: ``ne``/``n'`` shortly before the span with ``pas``/``plus``/``jamais``/``rien``/
``aucun``/``guère`` shortly after ("nous ne fermons pas"); colloquial ``pas``/``jamais`` right
after ("on ferme pas"); or ``pas de``/``sans``/``aucun``/``jamais`` just before ("sans
masque"). English: ``not``/``n't``/``never``/``no``/``without`` just before. Fixed
expressions that reassure rather than negate ("pas de panique", "sans contact", "no
worries", "contact-free") are never cues. The window stops at punctuation and at emoji.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .matching import Tokens

_CLAUSE_BREAK = {",", ".", "!", "?", ";", ":", "…", "(", ")", "—", "–", "\n"}

_FR_NE = {"ne", "n'", "n’"}
_FR_AFTER = {"pas", "plus", "jamais", "rien", "aucun", "aucune", "guere", "point", "personne"}
_FR_COLLOQUIAL_AFTER = {"pas", "jamais"}
_FR_BEFORE = {"sans", "aucun", "aucune", "jamais", "non", "ni", "pas"}
_EN_BEFORE = {"not", "n't", "never", "no", "without", "nor", "cannot", "none", "nothing"}

# Cue + following words that are reassurances, not negations.
_NOT_NEGATION = {
    ("pas", "de", "panique"),
    ("pas", "d'", "inquietude"),
    ("pas", "de", "souci"),
    ("pas", "d'", "affolement"),
    ("sans", "contact"),
    ("sans", "frais"),
    ("sans", "engagement"),
    ("sans", "attendre"),
    ("sans", "oublier"),
    ("sans", "interet"),
    ("sans", "interets"),
    ("sans", "surcout"),
    ("sans", "supplement"),
    ("sans", "rendez"),
    ("no", "worries"),
    ("no", "panic"),
    ("no", "contact"),
    ("no", "-", "contact"),
    ("no", "extra"),
    ("no", "matter"),
    ("no", "doubt"),
    ("no", "charge"),
    ("no", "interest"),
    ("no", "touch"),
    ("without", "contact"),
    ("without", "touching"),
    ("not", "only"),
    ("never", "been"),
    # "n'oubliez pas", "n'hésitez pas", "ne manquez pas": positive imperatives
    ("n'", "oubliez", "pas"),
    ("n'", "oublie", "pas"),
    ("n'", "oublions", "pas"),
    ("n'", "hesitez", "pas"),
    ("n'", "hesite", "pas"),
    ("ne", "manquez", "pas"),
    ("ne", "ratez", "pas"),
    ("don't", "forget"),
    ("do", "n't", "forget"),
    ("don't", "hesitate"),
    ("do", "n't", "hesitate"),
    ("never", "forget"),
    # rhetorical suggestions: "pourquoi ne pas vous offrir…", "why not treat yourself"
    ("pourquoi", "ne", "pas"),
    ("pourquoi", "pas"),
    ("why", "not"),
    ("why", "don't"),
    ("why", "do", "n't"),
}


# cue word -> (its position in the expression, the expression)
_EXPRESSIONS_BY_WORD: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
for _expr in sorted(_NOT_NEGATION):
    for _k, _word in enumerate(_expr):
        _EXPRESSIONS_BY_WORD.setdefault(_word, []).append((_k, _expr))


def _is_fixed_expression(norms: list[str], i: int) -> bool:
    """Is the cue at token `i` part of an expression that does not negate, wherever the
    cue stands inside it ("pas de panique", "n'oubliez pas")?"""
    cue = norms[i]
    if cue == "jamais" and i > 0 and norms[i - 1] in ("que", "qu'"):
        return True  # "plus que jamais" intensifies, it does not negate
    for k, expr in _EXPRESSIONS_BY_WORD.get(cue, ()):
        if i - k >= 0 and tuple(norms[i - k : i - k + len(expr)]) == expr:
            return True
    return False


@lru_cache(maxsize=4096)
def _is_symbol(norm: str) -> bool:
    """Emoji and pictographs end a clause like punctuation does ("pas ruinés 😉 Profitez")."""
    return any(unicodedata.category(c) == "So" for c in norm) and not any(c.isalnum() for c in norm)


def _window_before(norms: list[str], punct: list[bool], start: int, size: int) -> list[int]:
    out: list[int] = []
    i = start - 1
    while i >= 0 and len(out) < size:
        norm = norms[i]
        if norm in _CLAUSE_BREAK or (punct[i] and norm != "'") or _is_symbol(norm):
            break
        out.append(i)
        i -= 1
    return out


def _window_after(norms: list[str], punct: list[bool], end: int, size: int) -> list[int]:
    out: list[int] = []
    i = end
    while i < len(norms) and len(out) < size:
        if norms[i] in _CLAUSE_BREAK or punct[i] or _is_symbol(norms[i]):
            break
        out.append(i)
        i += 1
    return out


_FR_CUES = frozenset(_FR_BEFORE | _FR_NE | _FR_COLLOQUIAL_AFTER)
_EN_CUES = frozenset(_EN_BEFORE)


def has_negation_cue(tokens: Tokens, lang: str) -> bool:
    """False when no span of the post can be negated: `is_negated` needs one of these cue
    words (or an English word ending in "n't"). Checked once per post: a post with no cue
    skips the check for every one of its matches."""
    words = tokens.words
    if lang == "fr":
        return not words.isdisjoint(_FR_CUES)
    return not words.isdisjoint(_EN_CUES) or any(w.endswith("n't") for w in words)


def is_negated(doc: Doc, tokens: Tokens, start: int, end: int, lang: str) -> bool:
    """True when the token span [start, end) of `doc` is under a negation cue.

    `tokens` are the doc's folded forms and punctuation flags (`matching.NormFolder`).
    """
    norms, punct = tokens.norms, tokens.punct
    before = _window_before(norms, punct, start, 4)
    if lang == "fr":
        for i in before[:3]:
            if norms[i] in _FR_BEFORE and not _is_fixed_expression(norms, i):
                return True
        if any(norms[i] in _FR_NE and not _is_fixed_expression(norms, i) for i in before):
            inside_and_after = list(range(start, end)) + _window_after(norms, punct, end, 3)
            if any(norms[i] in _FR_AFTER for i in inside_and_after):
                return True
        after = _window_after(norms, punct, end, 1)
        if (
            after
            and norms[after[0]] in _FR_COLLOQUIAL_AFTER
            and not _is_fixed_expression(norms, after[0])
        ):
            return doc[start].pos_ in ("VERB", "AUX", "ADJ", "")
        return False
    for i in before[:3]:
        norm = norms[i]
        if (norm in _EN_BEFORE or norm.endswith("n't")) and not _is_fixed_expression(norms, i):
            return True
    return False
