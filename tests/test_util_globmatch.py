"""The linear-time glob matcher agrees with the regex globs and stays linear on hostile input."""

from __future__ import annotations

import fnmatch

import pytest
from hypothesis import given
from hypothesis import strategies as st

from techfile.intake.discover import glob_regex
from techfile.util.globmatch import MAX_PATTERN_LENGTH, compile_glob, compile_globs

_LITERALS = ["a", "b", ".", "-", "]", "!"]
_WILDCARD_FILL = {
    "*": st.text(alphabet="ab.-", max_size=4),
    "**": st.text(alphabet="ab./", max_size=6),
    "**/": st.one_of(st.just(""), st.text(alphabet="ab./", max_size=5).map(lambda s: s + "/")),
    "?": st.sampled_from("ab.-"),
}
_TOKENS = st.lists(st.sampled_from([*_LITERALS, "/", *_WILDCARD_FILL]), max_size=8)


def _reference(pattern: str, path: str) -> bool:
    return glob_regex(pattern).fullmatch(path) is not None


@st.composite
def _pattern_and_path(draw: st.DrawFn) -> tuple[str, str]:
    """A pattern, and a path that often matches it (filled in token by token) or is random."""
    tokens = draw(_TOKENS)
    pieces = [draw(_WILDCARD_FILL[t]) if t in _WILDCARD_FILL else t for t in tokens]
    filled = "".join(pieces)
    path = draw(st.one_of(st.just(filled), st.text(alphabet="ab./-]!", max_size=10)))
    return "".join(tokens), path


@given(_pattern_and_path())
def test_agrees_with_the_regex_globs(case: tuple[str, str]) -> None:
    pattern, path = case
    assert compile_glob(pattern)(path) == _reference(pattern, path)


@given(st.lists(_TOKENS.map("".join), max_size=4), st.text(alphabet="ab./-", max_size=10))
def test_a_list_matches_when_any_pattern_matches(patterns: list[str], path: str) -> None:
    assert compile_globs(patterns)(path) == any(_reference(p, path) for p in patterns)


@given(st.text(alphabet="ab-]![*?", max_size=8), st.text(alphabet="ab-]![", max_size=5))
def test_classes_agree_with_fnmatch_within_one_segment(pattern: str, name: str) -> None:
    # fnmatch has the same class rules (but reads `[^` literally and lets `*` cross `/`)
    assert compile_glob(pattern)(name) == fnmatch.fnmatchcase(name, pattern)


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("*.md", "a.md", True),
        ("*.md", "docs/a.md", False),
        ("**/*.md", "a.md", True),
        ("**/*.md", "docs/deep/a.md", True),
        ("docs/**", "docs/a/b.md", True),
        ("docs/**", "docsa", False),
        ("a/**/b", "a/b", True),
        ("a/**/b", "a/x/y/b", True),
        ("a/**/b", "a/xb", False),
        ("a**b", "a/x/b", True),
        ("?.md", "/.md", False),
        ("risk/?-*.md", "risk/a-1.md", True),
        ("", "", True),
        ("", "a", False),
    ],
)
def test_wildcards(pattern: str, path: str, expected: bool) -> None:
    assert compile_glob(pattern)(path) is expected
    assert _reference(pattern, path) is expected


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("[abc].md", "b.md", True),
        ("[abc].md", "d.md", False),
        ("[!a].md", "b.md", True),
        ("[!a].md", "a.md", False),
        ("[^a].md", "a.md", False),
        ("[a-c]x", "bx", True),
        ("[a-c]x", "dx", False),
        ("[a-]", "-", True),
        ("[]a]", "]", True),
        ("[!]a]", "]", False),
        ("[!]a]", "b", True),
        ("[z-a]", "m", False),
        ("[*]", "*", True),
        ("[*]", "a", False),
        ("[", "[", True),
        ("[ab", "[ab", True),
        ("[]", "[]", True),
        ("[/]", "/", False),
        ("a[!b]c", "a/c", False),
    ],
)
def test_character_classes(pattern: str, path: str, expected: bool) -> None:
    assert compile_glob(pattern)(path) is expected


def test_no_patterns_match_nothing() -> None:
    matcher = compile_globs([])
    assert not matcher("") and not matcher("a.md")


def test_double_star_spans_newlines_unlike_the_regex() -> None:
    # a documented difference: the regex's `.` stops at a newline, which a file name can hold
    assert compile_glob("**")("a\nb") and compile_glob("**/x")("a\n/x")
    assert not _reference("**", "a\nb")


def test_patterns_over_the_limit_are_refused() -> None:
    compile_glob("a" * MAX_PATTERN_LENGTH)
    with pytest.raises(ValueError, match=f"the limit is {MAX_PATTERN_LENGTH:,} characters"):
        compile_glob("a" * (MAX_PATTERN_LENGTH + 1))
    with pytest.raises(ValueError, match="characters long"):
        compile_globs(["*.md", "*" * (MAX_PATTERN_LENGTH + 1)])


@pytest.mark.parametrize(
    ("pattern", "path"),
    [
        ("*a" * 40, "a" * 199 + "b"),
        ("*a" * 82, "a" * 199 + "b"),
        ("**a" * 41, "a/" * 99 + "ab"),
        ("*" * 82 + "b", "a" * 200),
        ("**/a" * 41 + "b", "a/" * 100),
    ],
)
def test_hostile_patterns_cost_linear_work(pattern: str, path: str) -> None:
    assert len(path) == 200
    matcher = compile_glob(pattern)
    assert not matcher(path)
    assert 0 < matcher.steps <= 2 * matcher.state_count * (len(path) + 1)
    before = matcher.steps
    assert not matcher(path)
    assert matcher.steps == before  # the second run takes cached steps only


def test_hostile_pattern_still_matches_what_it_should() -> None:
    matcher = compile_glob("*a" * 82)
    assert matcher("a" * 200)
    assert not matcher("a" * 81)
