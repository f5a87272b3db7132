"""What both backends' full-text search share: a resident's words as safe search terms.

The GeoPackage backend searches with SQLite FTS5 (``porter unicode61 remove_diacritics 2``),
PostGIS with a ``tsvector`` (the Snowball English stemmer without stop words, accents folded by
:data:`ACCENT_FOLDING`, text split on anything not a letter or digit). So that both find the
same things, the words are taken apart here, once, the same way for both:

* lower case, accents folded ("Café" → "cafe"), split on anything not a letter or digit, so
  no quote, ``*``, ``-``, ``(`` or ``:`` of FTS5 or tsquery syntax survives;
* common little words ("a", "for", "near", "the" …, :data:`STOP_WORDS`) left out, since every
  remaining word must match (``NEAR``, ``AND``, ``OR`` and ``NOT`` are words like any other);
* at most :data:`MAX_TERMS` words of at most :data:`MAX_TERM_LENGTH` characters.

Documents keep every word (no stop words on either side), and the stemmers meet on the words
residents type ("toddlers" → "toddler", "clubs" → "club"); ``tests/store/test_contract_search.py``
holds the queries checked on both backends.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from assetmap.errors import ValidationFailed
from assetmap.layers import LayerSpec

__all__ = [
    "ACCENT_FOLDING",
    "MAX_TERMS",
    "MAX_TERM_LENGTH",
    "STOP_WORDS",
    "SearchQuery",
    "fold_accents",
    "plan_search",
    "search_terms",
    "split_values",
]

MAX_TERMS = 8
MAX_TERM_LENGTH = 40

STOP_WORDS = frozenset({
    "a", "an", "and", "any", "anything", "are", "as", "at", "be", "by", "can", "do", "for",
    "from", "i", "in", "is", "it", "me", "my", "near", "nearby", "of", "on", "or", "our", "some",
    "something", "that", "the", "there", "this", "to", "we", "what", "when", "where", "which",
    "who", "with", "you", "your",
})


def _accent_folding() -> dict[str, str]:
    """Latin letters with accents -> the plain letter (é -> e, Ł is left: it has no accent mark).

    The letters FTS5's ``remove_diacritics`` folds; PostGIS applies the same table with
    ``translate()``, so a stored "Café" and a typed "cafe" meet on both backends.
    """
    folding: dict[str, str] = {}
    for code in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        character = chr(code)
        parts = unicodedata.normalize("NFD", character)
        base, marks = parts[0], parts[1:]
        if (len(parts) > 1 and base.isascii() and base.isalpha()
                and all(unicodedata.category(m) == "Mn" for m in marks)):
            folding[character] = base
    return folding


ACCENT_FOLDING: dict[str, str] = _accent_folding()
_TABLE = str.maketrans(ACCENT_FOLDING)


def fold_accents(text: str) -> str:
    return text.translate(_TABLE)


def _words(text: str) -> list[str]:
    words: list[str] = []
    current: list[str] = []
    for character in text:
        if character.isalnum():
            current.append(character)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def search_terms(text: str, *, keep_stop_words: bool = False) -> tuple[str, ...]:
    """The words to search for, in the order typed, each once (empty: nothing to search)."""
    folded = fold_accents(unicodedata.normalize("NFC", text).lower())
    if keep_stop_words:  # a value, such as an id, matched as a phrase
        return tuple(_words(folded))
    terms = [w[:MAX_TERM_LENGTH] for w in _words(folded) if w not in STOP_WORDS]
    return tuple(dict.fromkeys(terms))[:MAX_TERMS]


@dataclass(frozen=True)
class SearchQuery:
    """One search, checked: the words (all required) and, per field, the values (any one)."""

    terms: tuple[str, ...]
    within: tuple[tuple[str, tuple[str, ...]], ...] = ()


def split_values(value: object) -> tuple[str, ...]:
    """A semicolon-list field's values (``"A1; A7"`` -> ``("A1", "A7")``)."""
    if value is None:
        return ()
    return tuple(part.strip() for part in str(value).split(";") if part.strip())


def plan_search(
    layer: LayerSpec, text: str, within: Mapping[str, Collection[str]] | None
) -> SearchQuery | None:
    """The search to run on ``layer``, or None when nothing can match (no words, no within)."""
    if not layer.search:
        raise ValidationFailed(
            f"Layer {layer.name!r} declares no fields to search: add `search: [name, …]` "
            f"to layers/{layer.name}.yaml"
        )
    narrowed: list[tuple[str, tuple[str, ...]]] = []
    for field, values in (within or {}).items():
        if field not in layer.search_within:
            raise ValidationFailed(
                f"Layer {layer.name!r} cannot narrow a search by {field!r}: add it to "
                f"`search_within:` in layers/{layer.name}.yaml"
            )
        kept = tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))
        if not kept:
            return None  # within none of nothing: no feature matches
        narrowed.append((field, kept))
    terms = search_terms(text)
    if not terms and not narrowed:
        return None
    return SearchQuery(terms, tuple(narrowed))
