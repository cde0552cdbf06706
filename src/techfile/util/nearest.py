"""Bounded "did you mean": difflib's closest match, with a ceiling on the work per query.

`difflib.get_close_matches` compares the word with every known string, and each comparison
can cost time quadratic in the lengths. A tree from a pull request can declare 100,000 ids
and cite 100,000 unknown ones, so the plain call is quadratic in the size of the tree.

NearestIndex keeps the answer of difflib whenever it can afford to, and says when it could
not (Shortlist.complete):

1. Only known strings whose length allows the cutoff at all are candidates (the bound
   difflib's real_quick_ratio applies). When there are at most MAX_SCANNED of them, all are
   taken; otherwise the GRAM_SHORTLIST_FACTOR * MAX_COMPARED sharing the most of the word's
   rarest character trigrams are taken, visiting at most MAX_POSTINGS_VISITED index entries.
2. Candidates whose character counts cannot reach the cutoff are dropped (difflib's
   quick_ratio bound, so nothing that could match is lost).
3. At most MAX_COMPARED of the rest, those with the highest bound, get the full
   SequenceMatcher.ratio(), in falling order of bound until no bound can beat the best ratio
   found; the best ratio wins, ties going to the greater string, as in difflib.

When nothing was cut in steps 1 and 3 the answer is exactly difflib's (n=1).
"""

from __future__ import annotations

import bisect
import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

MAX_WORD_LENGTH = 200
MAX_SCANNED = 1_000
MAX_POSTINGS_VISITED = 5_000
MAX_COMPARED = 200
GRAM_SHORTLIST_FACTOR = 2  # trigram-sharing strings kept per full comparison allowed
_GRAM = 3
_EDGE = "\x00"  # pads the word so its first and last characters form trigrams of their own


@dataclass(frozen=True, slots=True)
class Shortlist:
    """Candidates for a full comparison, highest bound on their ratio first.

    complete is False when candidates were cut for cost, so difflib might answer otherwise.
    """

    candidates: tuple[str, ...]
    bounds: tuple[float, ...]
    complete: bool


class NearestIndex:
    """Built once from the known strings, then asked for suggestions many times.

    max_compared caps full comparisons per query; tests lower it to reach the capped path.
    """

    def __init__(self, known: Iterable[str], *, max_compared: int = MAX_COMPARED) -> None:
        if max_compared < 1:
            raise ValueError(f"max_compared must be at least 1, not {max_compared}")
        self._known = sorted(set(known))
        self._max_compared = max_compared
        by_length: defaultdict[int, list[int]] = defaultdict(list)
        by_gram: defaultdict[str, list[int]] = defaultdict(list)
        for number, text in enumerate(self._known):
            by_length[len(text)].append(number)
            for gram in set(_grams(text)):
                by_gram[gram].append(number)
        self._by_length = dict(by_length)
        self._by_gram = dict(by_gram)
        self._lengths = sorted(by_length)
        self.comparisons = 0  # full SequenceMatcher.ratio() calls, for tests of bounded work

    def suggest(self, word: str, *, cutoff: float) -> str | None:
        """The known string most like `word` with a ratio of at least `cutoff`, if any.

        Words longer than MAX_WORD_LENGTH get no suggestion.
        """
        shortlist = self.shortlist(word, cutoff=cutoff)
        matcher = _matcher_for(word)
        best: tuple[float, str] | None = None
        for bound, candidate in zip(shortlist.bounds, shortlist.candidates, strict=True):
            if best is not None and bound < best[0]:
                break  # the rest are in falling bound order, and a ratio never beats its bound
            matcher.set_seq1(candidate)
            self.comparisons += 1
            scored = (matcher.ratio(), candidate)
            if scored[0] >= cutoff and (best is None or scored > best):
                best = scored
        return None if best is None else best[1]

    def only_match(self, word: str, *, cutoff: float) -> str | None:
        """The one known string with a ratio of at least `cutoff`, when exactly one has it and
        no candidate was cut for cost: a suggestion certain enough to apply unasked."""
        shortlist = self.shortlist(word, cutoff=cutoff)
        if not shortlist.complete:
            return None
        matcher = _matcher_for(word)
        found = []
        for candidate in shortlist.candidates:
            matcher.set_seq1(candidate)
            self.comparisons += 1
            if matcher.ratio() >= cutoff:
                found.append(candidate)
        return found[0] if len(found) == 1 else None

    def shortlist(self, word: str, *, cutoff: float) -> Shortlist:
        """The candidates suggest() may compare in full, highest bound first."""
        _check_cutoff(cutoff)
        if len(word) > MAX_WORD_LENGTH:
            return Shortlist(candidates=(), bounds=(), complete=False)
        pool, pool_complete = self._pool(word, cutoff)
        matcher = _matcher_for(word)
        bounded = [
            (bound, text) for text in pool if (bound := _count_bound(matcher, text)) >= cutoff
        ]
        chosen = heapq.nlargest(self._max_compared, bounded)
        complete = pool_complete and len(bounded) <= self._max_compared
        return Shortlist(
            candidates=tuple(text for _, text in chosen),
            bounds=tuple(bound for bound, _ in chosen),
            complete=complete,
        )

    def _pool(self, word: str, cutoff: float) -> tuple[list[str], bool]:
        lengths = self._possible_lengths(len(word), cutoff)
        size = sum(len(self._by_length[length]) for length in lengths)
        if size <= MAX_SCANNED:
            every = (number for length in lengths for number in self._by_length[length])
            return [self._known[number] for number in every], True
        allowed = set(lengths)
        sharing = self._sharing_rare_grams(word)
        fitting = [self._known[n] for n in sharing if len(self._known[n]) in allowed]
        return fitting, False

    def _possible_lengths(self, word_length: int, cutoff: float) -> list[int]:
        """Lengths whose ratio bound 2*min/(sum) reaches the cutoff, as real_quick_ratio."""
        if cutoff <= 0.0:
            return list(self._lengths)
        # a little slack around the exact bounds; each length is then checked as difflib would
        low = word_length * cutoff / (2.0 - cutoff) - 1
        high = word_length * (2.0 - cutoff) / cutoff + 1
        first = bisect.bisect_left(self._lengths, low)
        last = bisect.bisect_right(self._lengths, high)
        window = self._lengths[first:last]
        return [length for length in window if _length_bound(word_length, length) >= cutoff]

    def _sharing_rare_grams(self, word: str) -> list[int]:
        """Known strings sharing the most trigrams, visiting the rarest trigrams first."""
        grams = sorted(set(_grams(word)))  # sorted, so ties do not depend on hash seeds
        postings = sorted((self._by_gram.get(gram, []) for gram in grams), key=len)
        shared: Counter[int] = Counter()
        visited = 0
        for numbers in postings:
            visited += len(numbers)
            if visited > MAX_POSTINGS_VISITED:
                break
            shared.update(numbers)
        wanted = GRAM_SHORTLIST_FACTOR * self._max_compared
        ranked = heapq.nsmallest(wanted, shared.items(), key=lambda item: (-item[1], item[0]))
        return [number for number, _ in ranked]


def _grams(text: str) -> list[str]:
    padded = f"{_EDGE}{text}{_EDGE}"
    return [padded[index : index + _GRAM] for index in range(len(padded) - _GRAM + 1)]


def _matcher_for(word: str) -> SequenceMatcher[str]:
    """Same orientation as get_close_matches: the word is seq2, each candidate seq1."""
    matcher: SequenceMatcher[str] = SequenceMatcher()
    matcher.set_seq2(word)
    return matcher


def _count_bound(matcher: SequenceMatcher[str], candidate: str) -> float:
    matcher.set_seq1(candidate)
    return matcher.quick_ratio()


def _length_bound(first: int, second: int) -> float:
    total = first + second
    return 2.0 * min(first, second) / total if total else 1.0


def _check_cutoff(cutoff: float) -> None:
    if not 0.0 <= cutoff <= 1.0:
        raise ValueError(f"cutoff must be between 0.0 and 1.0, not {cutoff!r}")
