"""Is a matched span negated? A small window rule, because no French negation model exists.

French: ``ne``/``n'`` shortly before the span with ``pas``/``plus``/``jamais``/``rien``/
``aucun``/``guère`` shortly after ("nous ne fermons pas"); colloquial ``pas``/``jamais`` right
after ("on ferme pas"); or ``pas de``/``sans``/``aucun``/``jamais`` just before ("sans
masque"). English: ``not``/``n't``/``never``/``no``/``without`` just before. Fixed
expressions that reassure rather than negate ("pas de panique", "sans contact", "no
worries", "contact-free") are never cues. The window stops at punctuation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

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
}


def _norms(doc: Doc, i: int, n: int) -> tuple[str, ...]:
    return tuple(t.norm_ for t in doc[i : min(len(doc), i + n)])


def _is_fixed_expression(doc: Doc, i: int) -> bool:
    """Is the cue at token `i` part of an expression that does not negate, wherever the
    cue stands inside it ("pas de panique", "n'oubliez pas")?"""
    if doc[i].norm_ == "jamais" and i > 0 and doc[i - 1].norm_ in ("que", "qu'"):
        return True  # "plus que jamais" intensifies, it does not negate
    cue = doc[i].norm_
    for expr in _NOT_NEGATION:
        for k, word in enumerate(expr):
            if word == cue and i - k >= 0 and _norms(doc, i - k, len(expr)) == expr:
                return True
    return False


def _window_before(doc: Doc, start: int, size: int) -> list[int]:
    out: list[int] = []
    i = start - 1
    while i >= 0 and len(out) < size:
        if doc[i].norm_ in _CLAUSE_BREAK or (doc[i].is_punct and doc[i].text != "'"):
            break
        out.append(i)
        i -= 1
    return out


def _window_after(doc: Doc, end: int, size: int) -> list[int]:
    out: list[int] = []
    i = end
    while i < len(doc) and len(out) < size:
        if doc[i].norm_ in _CLAUSE_BREAK or doc[i].is_punct:
            break
        out.append(i)
        i += 1
    return out


def is_negated(doc: Doc, start: int, end: int, lang: str) -> bool:
    """True when the token span [start, end) of `doc` is under a negation cue.

    Token norms must already be the folded lowercase forms the engine sets.
    """
    before = _window_before(doc, start, 4)
    if lang == "fr":
        for i in before[:3]:
            if doc[i].norm_ in _FR_BEFORE and not _is_fixed_expression(doc, i):
                return True
        if any(doc[i].norm_ in _FR_NE and not _is_fixed_expression(doc, i) for i in before):
            inside_and_after = list(range(start, end)) + _window_after(doc, end, 3)
            if any(doc[i].norm_ in _FR_AFTER for i in inside_and_after):
                return True
        after = _window_after(doc, end, 1)
        if (
            after
            and doc[after[0]].norm_ in _FR_COLLOQUIAL_AFTER
            and not _is_fixed_expression(doc, after[0])
        ):
            return doc[start].pos_ in ("VERB", "AUX", "ADJ", "")
        return False
    for i in before[:3]:
        norm = doc[i].norm_
        if (norm in _EN_BEFORE or norm.endswith("n't")) and not _is_fixed_expression(doc, i):
            return True
    return False
