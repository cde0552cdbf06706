"""Findings: what a rule reports, where, and how it is identified across runs.

A finding's identity is what tells it apart from every other finding: its code, file,
document and item, clause, the rule's key, and the stable part of its message (the message
without numbers that stand alone, such as line numbers, counts and days, and without a
"did you mean" hint). Findings still identical by all of that (the same missing target cited
twice in one row) are told apart by their order among the identical ones, in the order of
their places (`number_occurrences`): stable when lines move above them, when unrelated rows
are added, and for any `--jobs`.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from techfile.data.severity import Severity

WHOLE_FILE = "(technical file)"  # how a finding about no one document names its place

# The key element that numbers the second and later of identical findings. Kept in `key`, so
# every store of findings (the result cache) keeps it too.
OCCURRENCE = "#occurrence="

# a number standing alone: a line number, a count, a number of days; not a part of an id,
# a version, a date or a clause (`R-12`, `2.0`, `2025-11-20`, `17.4`, `A.5.1`, `ISO 14971:2019`)
_LONE_NUMBER = re.compile(r"(?<![\w.\-:/+@#])\d+(?![\w.\-:/+@])")
# `# rows` and `# row`, `# later commits` and `# later commit`: the same words
_PLURAL_AFTER_NUMBER = re.compile(r"(#[^\w#]+(?:\w+[^\w#]+)?\w+?)s\b")
# a suggestion changes when a closer id is added elsewhere; the defect does not
_HINT = re.compile(r"\s*\(?\b[Dd]id you mean\b[^?]*\?\)?")
_INDEX = re.compile(r"\[\d+\]")  # `items[3].field`: a position in a list moves with its neighbours


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in the technical file. Lines and columns are 1-based; 0 means the whole file."""

    path: str
    line: int = 0
    column: int = 0
    doc_id: str | None = field(default=None, compare=False)
    item_id: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Edit:
    """On `line` of `path`, the text `old` that starts at `column` (1-based) becomes `new`.
    `--fix` applies it only where the file still holds `old` there."""

    path: str
    line: int
    column: int
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    message: str
    location: Location
    clause: str | None = None
    key: tuple[str, ...] = ()
    related: tuple[Location, ...] = ()
    why: str = ""  # the clause and why a notified body cares; not part of the identity
    fix: str = ""  # what to do about it
    edits: tuple[Edit, ...] = ()  # a fix that cannot change meaning, for `check --fix`

    @property
    def identity(self) -> str:
        """What tells this finding apart from other findings, never its lines: two findings
        share it only when they are identical but for their place."""
        loc = self.location
        return _digest(
            self.code,
            loc.path,
            loc.doc_id or "",
            loc.item_id or "",
            self.clause or "",
            *self.stable_key,
            "\x1e" + stable_message(self.message),
        )

    @property
    def root(self) -> str:
        """The defect's cause without what a rule may say about one of its occurrences (item,
        clause, message): all citations of one missing target in one document share it."""
        loc = self.location
        return _digest("root", self.code, loc.path, loc.doc_id or "", *self.stable_key)

    @property
    def fingerprint(self) -> str:
        """Unique in a run, stable across runs: the identity, numbered when it repeats."""
        number = self.occurrence
        return self.identity if number <= 1 else _digest(self.identity, str(number))

    @property
    def occurrence(self) -> int:
        """1 for the first of identical findings (in the order of their places), 2 for the
        next, and so on."""
        for part in self.key:
            if part.startswith(OCCURRENCE):
                return int(part[len(OCCURRENCE) :])
        return 1

    @property
    def stable_key(self) -> tuple[str, ...]:
        """The rule's key without the occurrence number and without list positions."""
        return tuple(
            _INDEX.sub("[#]", p) if "[" in p else p
            for p in self.key
            if not p.startswith(OCCURRENCE)
        )

    @property
    def places(self) -> Counter[str]:
        """How many occurrences of the defect the finding stands for, per file: its own place
        and the places it groups (one finding for one cause cited from several rows)."""
        return Counter(loc.path for loc in (self.location, *self.related))

    @property
    def legacy_fingerprint(self) -> str:
        """The fingerprint of techfile's baseline format 1, to read those baselines."""
        parts = (
            self.code,
            self.location.doc_id or self.location.path,
            self.location.item_id or "",
            self.clause or "",
            *(p for p in self.key if not p.startswith(OCCURRENCE)),
        )
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code, self.message)


@functools.lru_cache(maxsize=1 << 16)  # a run asks for each finding's identity several times
def stable_message(message: str) -> str:
    """The part of a message that names the defect: without lone numbers (lines, counts,
    days), the plural they bring, and "did you mean" hints."""
    text = _HINT.sub("", message) if "id you mean" in message else message
    text = _LONE_NUMBER.sub("#", text)
    return _PLURAL_AFTER_NUMBER.sub(r"\1", text) if "#" in text else text


def number_occurrences(findings: Iterable[Finding]) -> list[Finding]:
    """The findings with identical ones numbered in the order of their places (any earlier
    numbering is dropped first), so that every fingerprint in a run is different."""
    plain = [_unnumbered(f) for f in findings]
    groups: dict[str, list[int]] = {}
    for position, finding in enumerate(plain):
        groups.setdefault(finding.identity, []).append(position)
    for positions in groups.values():
        if len(positions) < 2:
            continue
        positions.sort(key=lambda p: _order(plain[p]))
        for number, position in enumerate(positions[1:], start=2):
            finding = plain[position]
            plain[position] = replace(finding, key=(*finding.key, f"{OCCURRENCE}{number}"))
    return plain


def _unnumbered(finding: Finding) -> Finding:
    if not any(p.startswith(OCCURRENCE) for p in finding.key):
        return finding
    return replace(finding, key=tuple(p for p in finding.key if not p.startswith(OCCURRENCE)))


def _order(finding: Finding) -> tuple[object, ...]:
    return (*finding.sort_key(), finding.related, finding.severity.label)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class Suppression:
    """A recorded deviation: an ignore directive, a waiver or a config entry."""

    kind: str  # "ignore" | "disable-file" | "waiver" | "per-file-ignore" | "baseline"
    codes: tuple[str, ...]
    reason: str
    location: Location
    until: str | None = None
    approved_by: str | None = None
    item: str | None = None
    clause: str | None = None


@dataclass(frozen=True, slots=True)
class SuppressedFinding:
    finding: Finding
    by: Suppression
