"""NearestIndex answers as difflib does while bounding the work of every query."""

from __future__ import annotations

import difflib
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from techfile.util.nearest import MAX_COMPARED, MAX_WORD_LENGTH, NearestIndex

KNOWN = [
    "REQ-012",
    "REQ-013",
    "REQ-120",
    "RISK-1",
    "RISK-12",
    "SOUP-7",
    "SOUP-12",
    "DOC-3",
    "IEC 62304:2006/A1:2015",
    "ISO 14971:2019",
]

_IDS = st.one_of(
    st.from_regex(r"[A-Z]{2,5}-[0-9]{1,4}", fullmatch=True),
    st.text(alphabet="abcAB-_ 1234", max_size=10),
)
_CUTOFFS = st.sampled_from([0.0, 0.3, 0.5, 0.6, 0.75, 0.8, 1.0])


def _difflib(word: str, known: list[str], cutoff: float) -> str | None:
    found = difflib.get_close_matches(word, known, n=1, cutoff=cutoff)
    return found[0] if found else None


def _ratio(word: str, candidate: str) -> float:
    return difflib.SequenceMatcher(None, candidate, word).ratio()


@pytest.mark.parametrize(
    "word", ["REQ-021", "REQ-12", "REQ-0120", "RSK-1", "SOUP-8", "SOUP7", "doc-3", "zzz", ""]
)
@pytest.mark.parametrize("cutoff", [0.5, 0.6, 0.75, 0.8])
def test_typical_ids_get_difflibs_answer(word: str, cutoff: float) -> None:
    index = NearestIndex(KNOWN)
    assert index.shortlist(word, cutoff=cutoff).complete
    assert index.suggest(word, cutoff=cutoff) == _difflib(word, KNOWN, cutoff)


def test_typical_suggestions() -> None:
    index = NearestIndex(KNOWN)
    assert index.suggest("REQ-021", cutoff=0.6) == "REQ-013"  # ties go to the greater string
    assert index.suggest("SOUP-8", cutoff=0.6) == "SOUP-7"
    assert index.suggest("ISO 14971:2007", cutoff=0.75) == "ISO 14971:2019"
    assert index.suggest("QQQ", cutoff=0.6) is None


@given(st.lists(_IDS, max_size=30), st.data(), _CUTOFFS)
def test_uncapped_answers_equal_difflib(
    known: list[str], data: st.DataObject, cutoff: float
) -> None:
    word = data.draw(st.one_of(_IDS, st.sampled_from(known) if known else _IDS))
    index = NearestIndex(known)
    assert index.shortlist(word, cutoff=cutoff).complete
    assert index.suggest(word, cutoff=cutoff) == _difflib(word, known, cutoff)


@given(st.lists(_IDS, max_size=30), _IDS, _CUTOFFS)
def test_capped_answers_are_still_close_enough(known: list[str], word: str, cutoff: float) -> None:
    index = NearestIndex(known, max_compared=2)
    shortlist = index.shortlist(word, cutoff=cutoff)
    suggestion = index.suggest(word, cutoff=cutoff)
    assert index.comparisons <= 2
    expected = _difflib(word, known, cutoff)
    if shortlist.complete:
        assert suggestion == expected
    if suggestion is not None:
        assert suggestion in known and _ratio(word, suggestion) >= cutoff


def test_bounds_never_undercut_the_ratio() -> None:
    index = NearestIndex(KNOWN)
    shortlist = index.shortlist("REQ-21", cutoff=0.5)
    assert shortlist.candidates and list(shortlist.bounds) == sorted(shortlist.bounds)[::-1]
    for bound, candidate in zip(shortlist.bounds, shortlist.candidates, strict=True):
        assert _ratio("REQ-21", candidate) <= bound


def test_a_hundred_thousand_ids_cost_bounded_comparisons() -> None:
    known = [f"REQ-{number:05d}" for number in range(100_000)]
    index = NearestIndex(known)
    rng = random.Random(20260115)
    queries = [_typo(rng.choice(known), rng) for _ in range(1_000)]
    suggestions = [index.suggest(query, cutoff=0.75) for query in queries]
    assert index.comparisons <= len(queries) * MAX_COMPARED
    for query, suggestion in zip(queries, suggestions, strict=True):
        assert suggestion is None or _ratio(query, suggestion) >= 0.75
    assert sum(suggestion is not None for suggestion in suggestions) >= 950
    assert not index.shortlist(queries[0], cutoff=0.75).complete


def _typo(word: str, rng: random.Random) -> str:
    position = rng.randrange(len(word))
    return word[:position] + rng.choice("0123456789X") + word[position + 1 :]


def test_capped_answers_do_not_depend_on_input_order() -> None:
    known = [f"SOUP-{number}" for number in range(3_000)]
    shuffled = known[:]
    random.Random(7).shuffle(shuffled)
    first, second = NearestIndex(known), NearestIndex(shuffled)
    for word in ["SOUP-1234", "SUOP-77", "SOUP-29999", "soup-5"]:
        assert first.suggest(word, cutoff=0.6) == second.suggest(word, cutoff=0.6)


def test_overlong_words_get_no_suggestion_and_cost_nothing() -> None:
    known = ["a" * MAX_WORD_LENGTH, "a" * (MAX_WORD_LENGTH + 1)]
    index = NearestIndex(known)
    assert index.suggest("a" * MAX_WORD_LENGTH, cutoff=0.9) == "a" * MAX_WORD_LENGTH
    before = index.comparisons
    assert index.suggest("a" * (MAX_WORD_LENGTH + 1), cutoff=0.9) is None
    assert index.comparisons == before


@pytest.mark.parametrize("cutoff", [-0.1, 1.5])
def test_cutoff_outside_zero_to_one_is_refused(cutoff: float) -> None:
    with pytest.raises(ValueError, match="cutoff"):
        NearestIndex(KNOWN).suggest("REQ-1", cutoff=cutoff)
