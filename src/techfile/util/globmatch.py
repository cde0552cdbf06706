"""Path globs matched in time linear in the path, whatever the pattern.

Patterns come from configuration in the checked-out tree. A backtracking regex built from
`*a*a*a*...` can take exponential time on a crafted path, so patterns are compiled to a
nondeterministic automaton whose set of live states is advanced one character at a time
(Thompson's construction). Each step costs at most the number of states, so a match costs
O(len(pattern) * len(path)). Steps already taken are cached as a lazily built DFA, so paths
that share a shape are matched with one dictionary lookup per character.

Syntax, for POSIX-style relative paths matched as a whole:
  `*`       any run of characters other than `/`
  `**/`     zero or more whole directories
  `**`      (not followed by `/`) any run of characters, `/` included
  `?`       one character other than `/`
  `[abc]`   one of the listed characters; ranges like `[a-z]`; `[!a]` or `[^a]` negates;
            a `]` first in the class is literal; a `[` with no closing `]` is literal.
            A class never matches `/`.
  anything else matches itself; there is no backslash escaping (use `[*]` for a literal `*`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

MAX_PATTERN_LENGTH = 1_000
MAX_CACHED_STEPS = 10_000  # bounds the memory of the lazily built DFA per matcher


@dataclass(frozen=True, slots=True)
class _Literal:
    char: str

    def __call__(self, char: str) -> bool:
        return char == self.char


@dataclass(frozen=True, slots=True)
class _AnyBut:
    excluded: str

    def __call__(self, char: str) -> bool:
        return char != self.excluded


@dataclass(frozen=True, slots=True)
class _Anything:
    def __call__(self, char: str) -> bool:
        return True


@dataclass(frozen=True, slots=True)
class _CharClass:
    ranges: tuple[tuple[str, str], ...]
    negated: bool

    def __call__(self, char: str) -> bool:
        if char == "/":
            return False
        listed = any(low <= char <= high for low, high in self.ranges)
        return listed != self.negated


_CharTest = Callable[[str], bool]
_NOT_SLASH = _AnyBut("/")
_ANYTHING = _Anything()
_SLASH = _Literal("/")


@dataclass(slots=True)
class _State:
    """One automaton state: moves that consume a character, and free (epsilon) moves."""

    moves: list[tuple[_CharTest, int]]
    free: list[int]


class _Automaton:
    """States of all patterns side by side; each pattern ends in an accepting state."""

    def __init__(self) -> None:
        self.states: list[_State] = []
        self.starts: list[int] = []
        self.accepting: set[int] = set()

    def add_pattern(self, pattern: str) -> None:
        self.starts.append(len(self.states))
        for token in _tokens(pattern):
            self._add_token(token)
        self.accepting.add(self._new_state())

    def _new_state(self) -> int:
        self.states.append(_State(moves=[], free=[]))
        return len(self.states) - 1

    def _add_token(self, token: str | _CharTest) -> None:
        here = self._new_state()
        after = here + 1
        if not isinstance(token, str):
            self.states[here].moves.append((token, after))
        elif token == "**/":
            # `(?:.*/)?`: skip it, or loop on anything until a `/` ends the last directory
            loop = self._new_state()
            after = loop + 1
            self.states[here].free += [after, loop]
            self.states[loop].moves += [(_ANYTHING, loop), (_SLASH, after)]
        elif token == "**":
            self.states[here].free.append(after)
            self.states[here].moves.append((_ANYTHING, here))
        elif token == "*":
            self.states[here].free.append(after)
            self.states[here].moves.append((_NOT_SLASH, here))


def _tokens(pattern: str) -> list[str | _CharTest]:
    tokens: list[str | _CharTest] = []
    index = 0
    while index < len(pattern):
        token, index = _next_token(pattern, index)
        tokens.append(token)
    return tokens


def _next_token(pattern: str, index: int) -> tuple[str | _CharTest, int]:
    for wildcard in ("**/", "**", "*"):
        if pattern.startswith(wildcard, index):
            return wildcard, index + len(wildcard)
    char = pattern[index]
    if char == "?":
        return _NOT_SLASH, index + 1
    if char == "[":
        parsed = _char_class(pattern, index)
        if parsed is not None:
            return parsed
    return _Literal(char), index + 1


def _char_class(pattern: str, index: int) -> tuple[_CharClass, int] | None:
    """Parse `[...]` starting at `index`; None when it is never closed (then `[` is literal)."""
    body_start = index + 1
    negated = pattern[body_start : body_start + 1] in ("!", "^")
    if negated:
        body_start += 1
    # a `]` right after the opening (or after the negation) is a member, not the end
    close = pattern.find("]", body_start + 1)
    if close < 0:
        return None
    return _CharClass(_ranges(pattern[body_start:close]), negated), close + 1


def _ranges(body: str) -> tuple[tuple[str, str], ...]:
    ranges: list[tuple[str, str]] = []
    index = 0
    while index < len(body):
        if index + 2 < len(body) and body[index + 1] == "-":
            ranges.append((body[index], body[index + 2]))
            index += 3
        else:
            ranges.append((body[index], body[index]))
            index += 1
    return tuple(ranges)


class GlobMatcher:
    """Callable: `matcher(path)` is True when the whole of `path` matches one of the patterns.

    `steps` counts automaton states visited since creation, for tests of bounded work: one
    call visits at most 2 * state_count states per character of the path.
    """

    def __init__(self, automaton: _Automaton) -> None:
        self._automaton = automaton
        self._cache: dict[tuple[frozenset[int], str], frozenset[int]] = {}
        self._interned: dict[frozenset[int], frozenset[int]] = {}
        self.steps = 0
        self._start = self._closure(automaton.starts)

    @property
    def state_count(self) -> int:
        return len(self._automaton.states)

    def __call__(self, path: str) -> bool:
        live = self._start
        for char in path:
            live = self._advance(live, char)
            if not live:
                return False
        return not live.isdisjoint(self._automaton.accepting)

    def _advance(self, live: frozenset[int], char: str) -> frozenset[int]:
        cached = self._cache.get((live, char))
        if cached is not None:
            return cached
        states = self._automaton.states
        targets = [to for state in live for test, to in states[state].moves if test(char)]
        self.steps += len(live)
        following = self._closure(targets)
        if len(self._cache) >= MAX_CACHED_STEPS:
            self._cache.clear()
            self._interned.clear()
        self._cache[(live, char)] = following
        return following

    def _closure(self, seeds: Iterable[int]) -> frozenset[int]:
        """The seeds plus every state reachable from them by free moves."""
        states = self._automaton.states
        reached: set[int] = set()
        pending = list(seeds)
        while pending:
            state = pending.pop()
            if state in reached:
                continue
            reached.add(state)
            self.steps += 1
            pending.extend(states[state].free)
        found = frozenset(reached)
        # one object per state set keeps cache lookups to identity comparisons
        return self._interned.setdefault(found, found)


def compile_glob(pattern: str) -> GlobMatcher:
    """A matcher for one glob; raises ValueError if the pattern is over MAX_PATTERN_LENGTH."""
    return compile_globs([pattern])


def compile_globs(patterns: Iterable[str]) -> GlobMatcher:
    """A matcher that is True when any of the globs matches; no globs match nothing."""
    automaton = _Automaton()
    for pattern in patterns:
        _check_length(pattern)
        automaton.add_pattern(pattern)
    return GlobMatcher(automaton)


def _check_length(pattern: str) -> None:
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValueError(
            f"a path glob is {len(pattern):,} characters long; "
            f"the limit is {MAX_PATTERN_LENGTH:,} characters"
        )
