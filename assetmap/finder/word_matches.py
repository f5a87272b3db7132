"""Which activities hold a word, asked of the store once per word for one version of the store.

A search near a place looks at the few hundred activities of the nearest venues; asking the
store's full-text index to narrow its matches to those venues costs it several milliseconds a
search (an OR over every venue id). Residents type the same words again and again ("toddler",
"yoga", "warm space"), and a word's matches change only when the store does, so each word is
searched once, unranked, and its matching ids kept; every word of a query must match, so a
query's matches are the intersection of its words'. :class:`WordMatches` lives on
:class:`~assetmap.finder.FinderData`, which is rebuilt for every new store version, so no
stale answer outlives a change.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Protocol

from assetmap.layers import LayerSpec
from assetmap.store.search_terms import search_terms

__all__ = ["Matcher", "Matches", "MatchesOf", "WordMatches"]

_WORDS_KEPT = 64  # a common word's matches at 300,000 activities take about 4 MB


class MatchesOf(Protocol):
    """What a search near a place asks of one query's matches."""

    def among(self, ids: list[str]) -> list[str]: ...

    def fewer_than(self, count: int) -> list[str] | None: ...


class Matcher(Protocol):
    def matching(self, text: str) -> MatchesOf: ...


@dataclass(frozen=True)
class Matches:
    """Ids matching every word: in each word's set (the smallest first; none: nothing)."""

    by_word: tuple[frozenset[str], ...]

    def among(self, ids: list[str]) -> list[str]:
        """The ``ids`` that match, in their order."""
        # Each word's set is tested, never intersected: a common word's is tens of thousands.
        kept = ids if self.by_word else []
        for found in self.by_word:
            kept = [i for i in kept if i in found]
        return kept

    def fewer_than(self, count: int) -> list[str] | None:
        """Every match, sorted, when there are fewer than ``count``; otherwise None."""
        if not self.by_word:
            return []
        every: list[str] = []
        smallest, others = self.by_word[0], self.by_word[1:]
        if len(smallest) >= count and not others:
            return None
        for feature_id in smallest:  # stops at ``count``: a common pair is not walked whole
            if all(feature_id in found for found in others):
                every.append(feature_id)
                if len(every) >= count:
                    return None
        return sorted(every)


class WordMatches:
    """The ids among ``kept`` whose ``layer.search`` fields hold a word, per word (an LRU)."""

    def __init__(self, store: Any, layer: LayerSpec, kept: Collection[str],
                 words_kept: int = _WORDS_KEPT) -> None:
        self._store = store
        self._layer = layer
        self._kept = kept
        self._words_kept = words_kept
        self._by_word: OrderedDict[str, frozenset[str]] = OrderedDict()
        self._lock = threading.Lock()

    def matching(self, text: str) -> Matches:
        """The features matching every word of ``text`` (as the store's search takes them)."""
        return Matches(tuple(sorted((self._of_word(t) for t in search_terms(text)), key=len)))

    def _of_word(self, term: str) -> frozenset[str]:
        with self._lock:
            found = self._by_word.get(term)
            if found is not None:
                self._by_word.move_to_end(term)
                return found
        # Outside the lock: two threads may both ask for a new word; both get the same answer.
        ids = self._store.search(self._layer, term, ranked=False)
        found = frozenset(i for i in ids if i in self._kept)
        with self._lock:
            self._by_word[term] = found
            while len(self._by_word) > self._words_kept:
                self._by_word.popitem(last=False)
        return found
