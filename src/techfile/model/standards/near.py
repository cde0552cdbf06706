"""A standard number that is no standard techfile knows, one keystroke away from one it does:
`ISO 14941` or `ISO14791` for ISO 14971, `ISO/TR 29471` for ISO/TR 24971.

Kept narrow, since many real standards have numbers close to each other:

- the written number must carry `ISO`, `IEC` or `EN`, and an organisation that fits the
  standard it resembles (`ISO 62314` is not read as IEC 62304);
- only the first number may differ (`80001-2` is another part of IEC 80001, not a typo of
  `80001-1`), by one changed digit or two neighbouring digits swapped, and never in its last
  digit: standards are often numbered in sequence (IEC 62304 and IEC 62305, ISO 13485 and
  ISO 13482 are different standards); a digit more or less is not read as a typo either;
- a family numbered in sequence in the table itself (ISO/IEC 27001 and 27002) is never a
  target: its near numbers are most likely other members (ISO/IEC 27701, 27005 ...);
- the numbers the clause registry knows, and the real standards listed in KNOWN_NEIGHBOURS,
  are never typos.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from techfile.model.standards.table import Cited, Edition, StandardsTable

# Real standards one keystroke from a number in the table, other than in the last digit (which
# is never read as a typo): ISO 81001-1 (health software, concepts and terms) beside IEC 80001-1.
# Extend it when a real number is reported as a typo (data/NOTES.md).
KNOWN_NEIGHBOURS = frozenset({"81001-1"})
_ORGS = re.compile(r"ISO|IEC")
_EUROPEAN = re.compile(r"(?<![\w/])EN(?![\w/])")
_MIN_DIGITS = 5  # a shorter first number has too many real neighbours


@dataclass(frozen=True)
class NearMiss:
    written: str  # the designation as written, e.g. `ISO 14941`
    meant: str  # the designation it resembles, e.g. `ISO 14971`
    editions: tuple[Edition, ...]  # the table's entries for it


def near_miss(table: StandardsTable, cited: Cited, known: frozenset[str]) -> NearMiss | None:
    """The standard `cited` most likely means, when its number is unknown and one keystroke
    from exactly one number in the table; None otherwise."""
    core, designation = cited.core, cited.designation
    if core is None or designation is None or cited.edition is not None:
        return None
    if core in known or core in KNOWN_NEIGHBOURS or core in table.cores():
        return None
    written_orgs = set(_ORGS.findall(designation.upper()))
    if not written_orgs and not _EUROPEAN.search(designation.upper()):
        return None
    candidates = [t for t in _targets(table) if _one_keystroke(core, t)]
    fitting = [t for t in candidates if _organisations_fit(table, t, written_orgs)]
    if len(fitting) != 1:
        return None
    editions = tuple(table.of_core(fitting[0]))
    return NearMiss(designation, _designation_of(editions, designation), editions)


@functools.cache
def _targets(table: StandardsTable) -> tuple[str, ...]:
    """The numbered cores of the table that a typo may aim at: long enough, and not of a family
    the table itself numbers in sequence (another core that differs only in the last digit)."""
    cores = sorted(
        c for c in table.cores() if _first(c).isdigit() and len(_first(c)) >= _MIN_DIGITS
    )
    return tuple(c for c in cores if not any(o != c and _in_sequence(o, c) for o in cores))


def _in_sequence(a: str, b: str) -> bool:
    """`27001` and `27002`: the same number but for its last digit."""
    return len(a) == len(b) and a[:-1] == b[:-1] and a[-1] != b[-1]


def _first(core: str) -> str:
    return core.split("-", 1)[0]


def _one_keystroke(written: str, target: str) -> bool:
    """Same parts after the first number; the first numbers differ by one digit, or by two
    neighbouring digits swapped."""
    head, _, tail = written.partition("-")
    target_head, _, target_tail = target.partition("-")
    if tail != target_tail or len(head) != len(target_head) or head == target_head:
        return False
    differ = [i for i, (a, b) in enumerate(zip(head, target_head, strict=True)) if a != b]
    if differ[-1] == len(head) - 1:
        return False  # the last digit: standards numbered in sequence, not a typo
    if len(differ) == 1:
        return True
    if len(differ) == 2 and differ[1] == differ[0] + 1:
        i, j = differ
        return head[i] == target_head[j] and head[j] == target_head[i]
    return False


def _organisations_fit(table: StandardsTable, core: str, written: set[str]) -> bool:
    if not written:
        return True  # `EN 14941`: the European number alone
    refs = " ".join(e.ref.upper() for e in table.of_core(core))
    return bool(written & set(_ORGS.findall(refs)))


def _designation_of(editions: tuple[Edition, ...], written: str) -> str:
    """The designation meant, in the style written: `ISO 14971` for `ISO 14941`, `EN 62304` for
    `EN 62305`, `ISO/TR 24971` for `ISO/TR 29471`."""
    european = bool(_EUROPEAN.search(written.upper()))
    ranked = sorted(editions, key=lambda e: (e.european != european, e.superseded))
    return ranked[0].ref.partition(":")[0]
